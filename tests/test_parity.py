"""Both backends give the same answers: a workload (law and list ingest, every API endpoint, the life cycle, records,
suggestions, 准入) runs on FalkorDB with every catalogue statement recorded with its parameters and rows; the same
calls are then replayed in the same order on an empty Neo4j, writes included, so both graphs go through the same
states, and every statement's rows are compared (in order where the statement orders its rows; collected lists
as multisets, since Cypher does not order collect()). The count of catalogue statements covered is printed."""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph import catalog
from dutygraph.graph.settings import Settings
from fastapi.testclient import TestClient

from tests.conftest import LAWS, open_test_store
from tests.test_lists import SAFETY, workbook
from tests.test_records import write_csv

pytestmark = [pytest.mark.integration, pytest.mark.neo4j]

ORDERED = re.compile(r"ORDER BY[^()]*$", re.S)  # the last clause orders the rows (not an ORDER BY in a subquery)


def norm(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6) if not math.isnan(value) else "nan"
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, dict):
        return {k: norm(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return sorted((norm(v) for v in value), key=repr)
    return repr(value)


def same(text: str, a: list[dict], b: list[dict]) -> bool:
    if ORDERED.search(text.split("RETURN")[-1] if "RETURN" in text else ""):
        return [norm(r) for r in a] == [norm(r) for r in b]
    return sorted((norm(r) for r in a), key=repr) == sorted((norm(r) for r in b), key=repr)


def workload(store, tmp_path) -> None:
    """What people do, through the API and the ingest functions (the recording sees every statement)."""
    from tests.conftest import load

    load(store, SAFETY, [(workbook(tmp_path / f"{t}.xlsx"), t, "2025-06-30") for t in ("周铁镇", "和桥镇")])
    tokens = {"zt": "township@周铁镇", "bb": "bianban", "sf": "legal", "jd": "reader", "ad": "admin",
              "yj": "department@市应急管理局"}
    settings = Settings(api_tokens=",".join(f"{k}:{v}" for k, v in tokens.items()), memo_entries=0,
                        data_dir=tmp_path / "data")
    with TestClient(create_app(settings, store=store)) as c:
        def h(t: str) -> dict:
            return {"Authorization": f"Bearer {t}"}

        get = lambda path, **params: c.get(path, params=params, headers=h("jd"))  # noqa: E731
        items = get("/api/townships/周铁镇/items").json()["items"]
        item = items[0]["id"]
        for path in ("/api/health", "/api/townships", "/api/townships/周铁镇", "/api/laws",
                     "/api/laws/安全生产法/articles/9", f"/api/items/{item}",
                     "/api/departments/市应急管理局", "/api/departments/市应急管理局/townships",
                     "/api/townships/周铁镇/posts/应急管理办公室", "/api/orphans",
                     "/api/consistency", "/api/lead-violations", "/api/laws/安全生产法/diff",
                     "/api/townships/周铁镇/versions", "/api/townships/周铁镇/statements", "/api/audit",
                     f"/api/items/{item}/suggestions", "/api/suggestions/worklist", "/api/requests/overdue",
                     "/api/admissions/catalogue", "/api/delegation/report", "/api/records/statistics"):
            assert get(path).status_code < 500, path
        for kind in ("no_basis", "vague", "unresolved", "superseded", "no_lead", "no_owner", "no_receiver",
                     "uncited_provisions"):
            get("/api/orphans", kind=kind)
        get("/api/search", q="安全生产")
        get(f"/api/items/{item}/basis", as_of="2015-01-01")
        get("/api/laws", q="安全生产法")
        get("/api/laws/安全生产法/impact", **{"from": "2014-08-31", "to": "2021-06-10"})
        get("/api/laws/安全生产法/impact", repeal="2025-01-01")
        get("/api/townships/周铁镇/as-of", date="2025-07-01")
        get("/api/suggestions", text="对辖区生产经营单位开展安全生产检查")
        # the life cycle: a request through both reviews to a new version, a diff, a 准入 decided
        row = {"part": "basic", "name": "防汛防台巡查", "content": "汛期巡查", "post": "应急管理办公室",
               "basis": "《安全生产法》第九条第二款"}
        rid = c.post("/api/requests", json={"township": "周铁镇", "kind": "add", "reason_type": "practice",
                                            "reason": "r", "add": [row]}, headers=h("zt")).json()["id"]
        c.post(f"/api/requests/{rid}/reviews", json={"step": "bianban", "decision": "approve"}, headers=h("bb"))
        c.post(f"/api/requests/{rid}/reviews", json={"step": "legal", "decision": "approve"}, headers=h("sf"))
        assert c.post(f"/api/requests/{rid}/apply", json={"date": "2025-09-30"}, headers=h("bb")).status_code == 200
        get("/api/townships/周铁镇/diff", **{"from": "2025-06-30", "to": "2025-09-30"})
        get(f"/api/requests/{rid}")
        get("/api/requests/queue")
        c.post("/api/requests/from-law-change", json={"law": "安全生产法"}, headers=h("bb"))
        catalogue = "事项名称,保留部门,依据\n燃气经营许可证核发,市住房和城乡建设局,《城镇燃气管理条例》第十五条\n"
        c.post("/api/admissions/catalogue", files={"file": ("目录.csv", catalogue.encode())}, headers=h("bb"))
        aid = c.post("/api/admissions", json={"title": "危险化学品企业安全检查", "text": "请各镇配合检查"},
                     headers=h("yj")).json()["id"]
        c.post(f"/api/admissions/{aid}/decision", json={"decision": "approve"}, headers=h("bb"))
        get("/api/admissions")
        # daily use: records kept, a task stored, suggestions decided
        records = write_csv(tmp_path / "r.csv", [["工单号", "受理时间", "所属镇街", "诉求内容", "承办单位"],
                                                 ["1", "2025-07-01 08:00", "周铁镇", "危险化学品企业存在安全隐患",
                                                  "市应急管理局"]])
        c.post("/api/records", files={"file": ("r.csv", records.read_bytes())}, headers=h("ad"))
        c.post("/api/delegation/check", json={"text": "请各镇负责辖区燃气经营许可证核发", "township": "周铁镇",
                                              "sender": "市住房和城乡建设局"}, headers=h("ad"))
        no_basis = next(i["id"] for i in get("/api/townships/周铁镇/items").json()["items"]
                        if i["name"] == "网格化服务管理")
        provision = {"version_id": "中华人民共和国安全生产法@2021-06-10", "article": 9, "paragraph": 2}
        c.post(f"/api/items/{no_basis}/suggestions/accept", json=provision, headers=h("sf"))
        c.post(f"/api/items/{no_basis}/suggestions/reject", json=provision, headers=h("sf"))
        # the explorer, per label; orphans and departments per township and role
        for label in ("Township", "DutyList", "DutyItem", "Law", "LawVersion", "Article", "Paragraph", "Point",
                      "Citation", "Department", "Post", "Agency", "Task"):
            found = store.run_cypher(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id LIMIT 1")
            if found:
                get("/api/graph/node", node=f"{label}:{found[0]['id']}")
                get("/api/graph/neighbours", node=f"{label}:{found[0]['id']}")
        for kind in ("no_basis", "vague", "unresolved", "superseded", "no_lead", "no_owner", "no_receiver",
                     "lead_violations", "no_lead_department"):
            get("/api/orphans", kind=kind, township="周铁镇")
        get("/api/orphans", township="周铁镇")
        get("/api/consistency", variants=True)
        for dept in ("市应急局", "市应急管理局", "市乡村振兴服务中心"):
            for role in ("LED_BY", "COOPERATED_BY", "TAKEN_BACK_BY"):
                get(f"/api/departments/{dept}", role=role)
        get("/api/laws/中华人民共和国安全生产法")
        for page in ("/search?q=安全生产法 第九条", "/", "/townships/周铁镇", f"/items/{item}", "/orphans",
                     "/laws/安全生产法", "/requests", "/admissions", "/records", "/audit", "/graph"):
            c.cookies.set("dutygraph_token", "jd")
            c.get(page)


def maintenance(store, tmp_path) -> None:
    """What runs behind the pages: the sample generator, the analytics rebuild and check, the start-up recovery,
    a law whose text changed, the suggestion index, a wipe."""
    from dutygraph.ingest import analytics
    from dutygraph.ingest.laws import ingest_laws
    from dutygraph.ingest.sample import generate
    from dutygraph.services.recovery import recover
    from dutygraph.services.suggest import SuggestionIndex

    generate(store, tmp_path / "books")
    # a graph from before wordings (not a catalogue statement: not compared), brought up to date
    store.run_cypher("MATCH (w:Wording) DETACH DELETE w", write=True)
    store.run_cypher("MATCH (v:LawVersion) SET v.township_paragraphs = null", write=True)
    store.run_cypher("MATCH (i:DutyItem) SET i.roles = null", write=True)
    store.run_cypher("MATCH (l:DutyList) SET l.item_roles = null", write=True)
    assert store.upgrade() > 0
    analytics.rebuild(store)
    assert analytics.check(store) == []
    recover(store, 0)
    SuggestionIndex.build(store)
    law = tmp_path / "某法(2020-01-01).md"
    law.write_text("# 某法\n<!-- INFO END -->\n第一条 甲。\n第二条 乙。\n", encoding="utf-8")
    ingest_laws(store, [law])
    law.write_text("# 某法\n<!-- INFO END -->\n第一条 甲改。\n", encoding="utf-8")
    ingest_laws(store, [law])
    store.wipe()


def test_every_catalogue_statement_gives_the_same_rows_on_both_backends(request, tmp_path):
    falkor = open_test_store(request, "falkordb", "parity")
    falkor.wipe()
    falkor.ensure_schema()
    names = {q.text: q.name for q in catalog.catalog().values()}
    calls: list[tuple[str, str, dict, bool, list]] = []
    run = falkor.run_cypher

    def recording(cypher: str, params: dict | None = None, *, write: bool = False) -> list[dict]:
        rows = run(cypher, params, write=write)
        if cypher in names:
            # copies: services add keys to the rows they get (the recording must keep what the database said)
            calls.append((names[cypher], cypher, copy.deepcopy(params or {}), write, copy.deepcopy(rows)))
        elif write:  # a test's own setup (an earlier release's graph): replayed, not compared
            calls.append(("", cypher, copy.deepcopy(params or {}), write, []))
        return rows

    falkor.run_cypher = recording  # type: ignore[method-assign]
    workload(falkor, tmp_path)
    maintenance(falkor, tmp_path)
    assert LAWS  # the workload's laws: the curated corpus or the constructed one

    neo = open_test_store(request, "neo4j", "test")
    neo.wipe()
    neo.ensure_schema()
    differ = []
    for name, text, params, write, rows in calls:
        got = neo.run_cypher(text, params, write=write)
        if name and not same(text, rows, got):
            differ.append((name, params, rows[:3], got[:3]))
    covered = {c[0] for c in calls} - {""}
    total = len(catalog.catalog())
    print(f"parity: {len(calls)} calls, {len(covered)} of {total} catalogue statements, {len(differ)} differ")
    print("not covered:", sorted(set(catalog.catalog()) - covered))
    for d in differ:
        print("DIFFER", d[0], d[1], "\n  falkordb:", norm(d[2]), "\n  neo4j:   ", norm(d[3]))
    assert not differ, differ[:5]
    assert len(covered) >= 0.8 * total
