"""Kept answers (graph/memo.py): a process reuses an answer only while nobody has written to the graph since,
whichever process wrote."""

import pytest
from dutygraph.graph.falkordb_backend import FalkorDBStore
from dutygraph.graph.memo import Memo
from dutygraph.services.duties import DutyService

from tests.conftest import load
from tests.test_lists import SAFETY, workbook


def test_an_answer_follows_a_write_made_by_another_process(store, falkordb_server, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    # the API worker and a CLI ingest: two connections, each with its own kept answers
    worker = FalkorDBStore(graph_name="test", socket=falkordb_server.socket)
    before = DutyService(worker).township("周铁镇")["parts"]["basic"]["total"]
    assert DutyService(worker).township("周铁镇")["parts"]["basic"]["total"] == before
    assert worker.memo.hits == 1

    extra = [[5, "应急管理", "安全生产宣传教育", "开展安全生产宣传", "安监办", "", "《安全生产法》第十三条"]]
    load(store, [], [(workbook(tmp_path / "b.xlsx", extra_basic=extra), "周铁镇", "2025-07-31")])
    assert DutyService(worker).township("周铁镇")["parts"]["basic"]["total"] == before + 1
    worker.db.connection.close()


def test_a_kept_answer_runs_no_query(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    sent: list[str] = []
    run = store.run_cypher
    store.run_cypher = lambda cypher, params=None, **kw: sent.append(cypher) or run(cypher, params, **kw)
    first = DutyService(store).orphans("no_basis", None, 50, 0)
    n_first = len(sent)
    assert DutyService(store).orphans("no_basis", None, 50, 0) == first
    # FalkorDB: the freshness check is a key read beside the graph, not a query; Neo4j: one small read
    assert n_first > 1 and len(sent) == n_first + (0 if store.cheap_generation else 1)


def test_a_wiped_graph_never_repeats_a_generation(store):
    store.execute("admin.bump_generation", epoch="ignored")
    seen = store.generation()
    store.wipe()
    store.execute("admin.bump_generation", epoch="ignored")
    assert store.generation() not in ("", seen)


def test_answers_expire_and_the_oldest_go_first():
    m = Memo(max_entries=2, ttl=60)
    assert m.get("g1", "a", lambda: 1) == 1
    assert m.get("g1", "a", lambda: 2) == 1  # kept
    assert m.get("g2", "a", lambda: 3) == 3  # the graph changed
    m.get("g2", "b", lambda: 4)
    m.get("g2", "c", lambda: 5)
    assert m.get("g2", "a", lambda: 6) == 6  # the oldest was dropped
    m.ttl = 0
    assert m.get("g2", "a", lambda: 7) == 7
    # memory is bounded by the rows kept: a large answer pushes out the older ones
    m = Memo(max_entries=100, ttl=60, max_rows=10)
    m.get("g", "small", lambda: [1, 2])
    m.get("g", "large", lambda: {"items": list(range(8))})
    assert m.get("g", "small", lambda: "again") == "again"


def test_kept_answers_are_computed_again_after_a_write(store, tmp_path):
    import time

    from dutygraph.graph.memo import Refresher

    load(store, SAFETY, [(workbook(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    before = DutyService(store).township("周铁镇")["parts"]["basic"]["total"]
    refresher = Refresher(store, quiet=0.2, interval=0.05).start()
    try:
        extra = [[5, "应急管理", "安全生产宣传教育", "开展安全生产宣传", "安监办", "", "《安全生产法》第十三条"]]
        load(store, [], [(workbook(tmp_path / "b.xlsx", extra_basic=extra), "周铁镇", "2025-07-31")])
        deadline = time.monotonic() + 10
        while not refresher.refreshed and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        refresher.stop()
    misses = store.memo.misses
    # the reader finds the answer computed after the write, and computes nothing itself
    assert DutyService(store).township("周铁镇")["parts"]["basic"]["total"] == before + 1
    assert store.memo.misses == misses


def test_the_api_sees_a_list_loaded_by_another_process(store, tmp_path, monkeypatch):
    # the delegation item index is built once per worker; a CLI ingest elsewhere must reach it
    from dutygraph.api import deps
    from dutygraph.api.app import create_app
    from dutygraph.graph.settings import Settings
    from fastapi.testclient import TestClient

    monkeypatch.setattr(deps, "CACHE_TTL", 0.0)
    load(store, SAFETY, [(workbook(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    task = {"text": "请各镇（街道）做好汛期应急值守和值班值守信息报送工作。", "township": "周铁镇", "store": False}
    with TestClient(create_app(Settings(), store=store)) as client:
        assert client.post("/api/delegation/check", json=task).json()["verdict"] == "off_list"
        extra = [[5, "应急管理", "汛期应急值守", "做好汛期应急值守和值班值守信息报送", "应急管理办公室", "", ""]]
        load(store, [], [(workbook(tmp_path / "b.xlsx", extra_basic=extra), "周铁镇", "2025-07-31")])
        assert client.post("/api/delegation/check", json=task).json()["verdict"] == "basic"


@pytest.mark.falkordb_only  # peek answers from the event loop only where the freshness check is a key read
def test_peek_gives_only_a_fresh_kept_answer_and_computes_nothing(store, tmp_path):
    from dutygraph.graph.memo import MISS, peek

    load(store, SAFETY, [(workbook(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    service = DutyService(store)
    assert peek(service.township, "周铁镇") is MISS  # nothing kept yet, and peeking computes nothing
    assert peek(service.township, "周铁镇") is MISS
    answer = service.township("周铁镇")
    assert peek(service.township, "周铁镇") is answer
    assert peek(service.township, "丁蜀镇") is MISS  # another question
    store.execute("admin.bump_generation", epoch="x")  # any write
    assert peek(service.township, "周铁镇") is MISS


def test_a_rendering_is_kept_with_its_answer_and_no_longer():
    import json

    from dutygraph.graph.memo import Memo

    memo, calls = Memo(), []

    def render(value: dict) -> bytes:
        calls.append(value)
        return json.dumps(value).encode()

    first = memo.get("g1", "k", lambda: {"a": 1})
    assert memo.rendered("k", first, render) == b'{"a": 1}'
    assert memo.rendered("k", first, render) == b'{"a": 1}' and len(calls) == 1  # rendered once
    second = memo.get("g2", "k", lambda: {"a": 2})  # after a write: another answer under the same key
    assert memo.rendered("k", second, render) == b'{"a": 2}' and len(calls) == 2
    # a request still holding the old answer gets its own rendering, never the new one, and files nothing
    assert memo.rendered("k", first, render) == b'{"a": 1}'
    assert memo.rendered("k", second, render) == b'{"a": 2}' and len(calls) == 3


def test_the_kept_services_read_no_workflow_record():
    """The premise of leaving kept answers across workflow writes: no statement of a kept service reads a request,
    a record, a task, an audit entry … or the relationships linking them to the graph."""
    import re
    from pathlib import Path

    from dutygraph.graph.catalog import catalog
    from dutygraph.graph.model import WORKFLOW_LABELS

    services = Path(__file__).resolve().parent.parent / "services"
    names = set()
    for module in ("duties.py", "impact.py", "laws.py"):
        names |= {n for n in re.findall(r'"([a-z_]+\.[a-z_]+)"', (services / module).read_text()) if n in catalog()}
    assert len(names) > 30
    links = ("ROUTED_TO", "MATCHES", "SENT_BY", "SENT_TO", "REQUESTED_FOR", "HAS_REVIEW", "APPLIED_AS", "ADMISSION_FOR")
    for name in sorted(names - {"admin.counts"}):  # counts: the health page's, not a kept answer
        text = catalog()[name].text
        assert not [x for x in (*WORKFLOW_LABELS, *links) if re.search(rf"[:|]{x}\b", text)], name


def test_a_workflow_write_leaves_kept_answers_and_a_list_write_renews_them(store, tmp_path):
    from dutygraph.services.lifecycle import AuditLog, ChangeRequests, Principal

    load(store, SAFETY, [(workbook(tmp_path / "周铁镇.xlsx"), "周铁镇", "2025-06-30"),
                         (workbook(tmp_path / "和桥镇.xlsx"), "和桥镇", "2025-06-30")])
    duties = DutyService(store)
    first = duties.township("周铁镇")
    misses = store.memo.misses
    town = Principal("township", "周铁镇", "周铁镇")
    AuditLog(store).record(town, "list.upload", "x")  # an audit entry
    ChangeRequests(store).propose(town, "周铁镇", "add", "practice", "新增", "", [],
                                  [{"part": "basic", "name": "新增事项", "post": "党政办公室"}])  # a request
    assert duties.township("周铁镇") is first and store.memo.misses == misses  # kept across both
    _, ex = load(store, [], [])
    from dutygraph.ingest.lists import ingest_list
    from dutygraph.ingest.resolve import LawIndex

    extra = [[9, "基层治理", "新增巡查事项", "巡查", "综治办", "", ""]]
    ingest_list(store, [workbook(tmp_path / "周铁镇2.xlsx", extra)], "周铁镇", "2025-09-30", extractor=ex,
                index=LawIndex.load(store))
    renewed = duties.township("周铁镇")
    assert renewed is not first and renewed["parts"]["basic"]["total"] == first["parts"]["basic"]["total"] + 1
