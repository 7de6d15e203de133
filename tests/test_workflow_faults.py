"""Faults in the workflows (issue: one character that crashes the database, publishes stuck by a kill, races on
decisions). One test per defect found by probing as an attacker and as a crash would; each failed on the code
before the fix."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from dutygraph.graph.errors import Conflict, InputError, StoreError
from dutygraph.graph.falkordb_backend import FATAL_MESSAGE, EmbeddedServer, FalkorDBStore
from dutygraph.services.lifecycle import Admissions, ChangeRequests, Principal

from tests.test_lifecycle import NEW_ROW, api, as_, item_id, through_reviews  # noqa: F401  (the api fixture)
from tests.test_records import write_csv

pytestmark = pytest.mark.integration

ADMIN = Principal("admin", None, "管理员")
BIANBAN = Principal("bianban", None, "编办")
RECORD_HEADER = ["工单号", "受理时间", "所属镇街", "诉求内容", "承办单位"]


def approved_request(api, row: dict | None = None) -> str:  # noqa: F811
    body = {"township": "周铁镇", "kind": "add", "reason_type": "practice", "reason": "r", "evidence": "e",
            "add": [row or NEW_ROW]}
    r = api.post("/api/requests", json=body, headers=as_("zt"))
    assert r.status_code == 201, r.text
    through_reviews(api, r.json()["id"])
    return r.json()["id"]


# 1. a post name with U+0001 -------------------------------------------------------------------------------------

def test_a_control_character_is_refused_where_it_enters_with_its_field(api):  # noqa: F811
    for bad in ("a\u0001b", "丁蜀镇\u0000", "x\u007fy"):
        r = api.post("/api/requests", json={"township": "周铁镇", "kind": "add", "reason_type": "practice",
                                            "reason": "r", "add": [{**NEW_ROW, "post": bad}]}, headers=as_("zt"))
        assert r.status_code == 422 and "add.0.post" in r.json()["message"] and "控制字符" in r.json()["message"]
    # lengths are bounded per field: a 100,000-character post name, 5,000 added rows
    long = api.post("/api/requests", json={"township": "周铁镇", "kind": "add", "reason_type": "practice",
                                           "reason": "r", "add": [{**NEW_ROW, "post": "岗" * 100_000}]},
                    headers=as_("zt"))
    assert long.status_code == 422 and "post" in long.json()["message"]
    many = api.post("/api/requests", json={"township": "周铁镇", "kind": "add", "reason_type": "practice",
                                           "reason": "r", "add": [NEW_ROW] * 5000}, headers=as_("zt"))
    assert many.status_code == 422
    # an admission in the name of a department the lists do not know
    ghost = api.post("/api/admissions", json={"title": "巡查", "department": "市不存在局"}, headers=as_("ad"))
    assert ghost.status_code == 422 and "市不存在局" in ghost.json()["message"]


def test_publishing_a_request_holding_u0001_is_refused_and_the_database_never_restarts(api, store,  # noqa: F811
                                                                                        falkordb_server):
    """The request was stored before the gate existed (its payload is JSON, so \\u0001 survives there): its publish
    answers 422 and never sends the string; FalkorDB 4.16 would crash in EnforceUniqueEntity."""
    rid = approved_request(api)
    r = store.run_cypher("MATCH (r:ChangeRequest {id: $id}) RETURN r.payload AS p", {"id": rid})[0]
    payload = json.loads(r["p"])
    payload["add"][0]["post"] = "a\u0001b"
    store.run_cypher("MATCH (r:ChangeRequest {id: $id}) SET r.payload = $p",
                     {"id": rid, "p": json.dumps(payload)}, write=True)
    pid = falkordb_server.pid()
    out = api.post(f"/api/requests/{rid}/apply", json={"date": "2025-09-30"}, headers=as_("bb"))
    assert out.status_code == 422 and "U+0001" in out.json()["message"]
    assert falkordb_server.pid() == pid and falkordb_server.proc.poll() is None
    assert api.get(f"/api/requests/{rid}", headers=as_("jd")).json()["status"] == "approved"
    versions = api.get("/api/townships/周铁镇/versions", headers=as_("jd")).json()
    assert [v["date"] for v in versions] == ["2025-06-30"]


# 2. no retry of a write that took the database down ---------------------------------------------------------------

def test_a_write_during_which_the_database_dies_is_tried_twice_then_refused(tmp_path):
    """The database dies under a write (killed while the statement runs, as the U+0001 crash did) and again under
    its one retry: the caller gets a clear refusal, the database has restarted twice (not five times), and the
    same write is refused afterwards without being sent. (A write that crashes FalkorDB by its content may also
    be replayed from the log at restart; the text gate keeps such strings out: see the test above.)"""
    import os
    import signal

    server = EmbeddedServer(tmp_path / "data")
    server.start()
    server.supervise(interval=0.1)
    try:
        store = FalkorDBStore(graph_name="crash", socket=server.socket)
        slow = "UNWIND range(1, 40000000) AS x WITH x WHERE x < 0 CREATE (:Post {id: toString(x)})"

        def kill_twice() -> None:
            last = None
            for _ in range(2):
                while server.proc is None or server.proc.pid == last or not server.alive():
                    time.sleep(0.02)
                last = server.proc.pid
                time.sleep(0.6)  # the write is running (it takes seconds)
                os.kill(last, signal.SIGKILL)

        killer = threading.Thread(target=kill_twice, daemon=True)
        killer.start()
        with pytest.raises(StoreError, match=FATAL_MESSAGE):
            store.run_cypher(slow, write=True)
        killer.join(30)
        deadline = time.monotonic() + 15
        while not (server.restarts >= 2 and server.alive()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.restarts == 2  # one try and one retry: not the client's five
        pid = server.proc.pid
        with pytest.raises(StoreError, match=FATAL_MESSAGE):
            store.run_cypher(slow, write=True)  # refused at once: not sent again
        assert server.restarts == 2 and server.proc.pid == pid
        assert store.run_cypher("CREATE (p:Post {id: 'ok'}) RETURN p.id AS id", write=True) == [{"id": "ok"}]
    finally:
        server.stop()


# 3. a kill during publish leaves the request where it was -------------------------------------------------------

def test_a_publish_killed_midway_is_returned_to_approved_and_its_list_removed_at_start(api, store):  # noqa: F811
    from dutygraph.services.recovery import recover

    rid = approved_request(api)
    requests = ChangeRequests(store)
    r = requests.get(rid)
    # what a SIGKILL between the claim and the switch leaves: 发布中, a written but never activated version
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)).isoformat(timespec="seconds")
    store.execute("requests.set_status", id=rid, status="applying", expected="approved", at=old)

    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.lists import ListLoader, ListReport
    from dutygraph.ingest.readers import Cell, Row
    from dutygraph.ingest.resolve import LawIndex

    index = LawIndex.load(store)
    loader = ListLoader(store, Extractor(tuple(index.titles)), index)
    rows = [Row("x", "基本履职事项", 1, "basic", {"name": Cell(r["add"][0]["name"], 1, "name")})]
    plan = loader.plan(rows, "周铁镇", "", "2025-09-30", ListReport("周铁镇", "2025-09-30"))
    loader.write(plan, "周铁镇", "deadlist", "2025-09-30", f"调整申请 {rid}")
    store.run_cypher("MATCH (l:DutyList {id: 'deadlist'}) SET l.loaded_at = $t", {"t": old}, write=True)
    assert api.post(f"/api/requests/{rid}/apply", json={}, headers=as_("bb")).status_code == 409  # stuck

    assert recover(store) == {"requests": 1, "lists": 1, "uploads": 0, "overviews": 0}  # (the switches kept them)
    assert requests.get(rid)["status"] == "approved"
    assert store.run_cypher("MATCH (l:DutyList {id: 'deadlist'}) RETURN l.id AS id") == []
    assert [h["action"] for h in api.get(f"/api/requests/{rid}", headers=as_("jd")).json()["history"]
            if h["action"] == "request.recover"] == ["request.recover"]
    # and it can be published now
    out = api.post(f"/api/requests/{rid}/apply", json={"date": "2025-09-30"}, headers=as_("bb"))
    assert out.status_code == 200 and out.json()["status"] == "applied"
    # a claim younger than the cut-off may be a publish still running elsewhere: left alone
    rid2 = approved_request(api, {**NEW_ROW, "name": "防汛物资储备"})
    store.execute("requests.set_status", id=rid2, status="applying", expected="approved",
                  at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    assert recover(store)["requests"] == 0


# 4. concurrent decisions: exactly one wins ------------------------------------------------------------------------

def test_ten_parallel_admission_decisions_exactly_one_wins(api, store):  # noqa: F811
    a = api.post("/api/admissions", json={"title": "燃气经营许可证核发", "text": "请各镇负责燃气经营许可证核发"},
                 headers=as_("zj")).json()
    service = Admissions(store)
    start = threading.Barrier(10)

    def decide(k: int) -> str:
        start.wait()
        try:
            return service.decide(BIANBAN, a["id"], "approve" if k % 2 else "reject", f"第{k}位")["status"]
        except Conflict as e:
            return f"409:{e.current}"

    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(decide, range(10)))
    won = [o for o in outcomes if not o.startswith("409")]
    assert len(won) == 1 and len(outcomes) - len(won) == 9
    final = service.get(a["id"])["status"]
    assert won == [final]
    entries = api.get("/api/audit", params={"action": "admission.decide"}, headers=as_("jd")).json()["items"]
    assert [e["after"] for e in entries] == [final]
    # over HTTP the loser gets 409 with the current state
    late = api.post(f"/api/admissions/{a['id']}/decision", json={"decision": "approve"}, headers=as_("bb"))
    assert late.status_code == 409 and "当前状态" in late.json()["message"]


def test_ten_parallel_reviews_of_one_request_exactly_one_wins(api, store):  # noqa: F811
    rid = api.post("/api/requests", json={"township": "周铁镇", "kind": "add", "reason_type": "practice",
                                          "reason": "r", "add": [NEW_ROW]}, headers=as_("zt")).json()["id"]
    service = ChangeRequests(store)
    start = threading.Barrier(10)

    def review(k: int) -> str:
        start.wait()
        try:
            return service.review(BIANBAN, rid, "bianban", "approve" if k % 2 else "reject", f"意见{k}")["status"]
        except (Conflict, InputError) as e:
            return f"refused:{type(e).__name__}"

    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(review, range(10)))
    won = [o for o in outcomes if not o.startswith("refused")]
    assert len(won) == 1
    r = service.get(rid)
    assert r["status"] == won[0] and len(r["reviews"]) == 1
    entries = api.get("/api/audit", params={"action": "request.review"}, headers=as_("jd")).json()["items"]
    assert len(entries) == 1


# 5. dates that keep "in force" true -------------------------------------------------------------------------------

def test_a_version_dated_before_the_current_one_is_refused(api, tmp_path):  # noqa: F811
    rid = approved_request(api)
    r = api.post(f"/api/requests/{rid}/apply", json={"date": "2020-01-01"}, headers=as_("bb"))
    assert r.status_code == 422 and "早于现行版本" in r.json()["message"]
    assert api.get(f"/api/requests/{rid}", headers=as_("jd")).json()["status"] == "approved"
    as_of = api.get("/api/townships/周铁镇/as-of", params={"date": "2026-12-01"}, headers=as_("jd")).json()
    assert as_of["date"] == "2025-06-30"
    # an upload too
    f = tmp_path / "基本.csv"
    f.write_text("序号,事项名称\n1,巡查\n", encoding="utf-8")
    up = api.post("/api/lists", files={"files": ("基本.csv", f.read_bytes())},
                  data={"township": "周铁镇", "date": "2019-01-01"}, headers=as_("ad"))
    assert up.status_code == 422 and "早于现行版本" in up.json()["message"]


# 6. bounded work per request --------------------------------------------------------------------------------------

def test_an_indicator_table_too_large_for_a_request_is_refused_before_any_work(api, tmp_path):  # noqa: F811
    from dutygraph.services.indicators import API_PAIRS

    rows = [["序号", "考核指标", "评分标准", "考核对象", "设定部门"]]
    rows += [[k, f"安全生产检查{k}", "按时完成", "各镇", "市应急管理局"] for k in range(1, API_PAIRS // 2 + 2)]
    path = write_csv(tmp_path / "考核细则.csv", rows)
    t0 = time.perf_counter()
    r = api.post("/api/indicators/check", files={"file": ("考核细则.csv", path.read_bytes())}, headers=as_("jd"))
    assert r.status_code == 422 and "超过在线审查上限" in r.json()["message"]
    assert time.perf_counter() - t0 < 10
    assert "考核细则.csv" in r.json()["message"] and "/tmp" not in r.json()["message"]


# 7. records idempotent by content, 3. an upload all or nothing ---------------------------------------------------

def test_records_are_kept_once_by_content_whatever_the_file_is_called(api, store, tmp_path):  # noqa: F811
    rows = [RECORD_HEADER, ["A1", "2025-07-01 08:00", "周铁镇", "危险化学品企业存在安全隐患", "市应急管理局"],
            ["A2", "2025-07-02 08:00", "周铁镇", "网格员没有上门巡查", "周铁镇"]]
    data = write_csv(tmp_path / "r.csv", rows).read_bytes()
    first = api.post("/api/records", files={"file": ("7月工单.csv", data)}, headers=as_("ad")).json()
    again = api.post("/api/records", files={"file": ("7月工单(副本).csv", data)}, headers=as_("ad")).json()
    assert (first["new"], again["new"]) == (2, 0)
    assert api.get("/api/records/statistics", headers=as_("jd")).json()["total"] == 2
    uploads = api.get("/api/audit", params={"action": "hotline.upload"}, headers=as_("jd")).json()["items"]
    assert sorted(e["target"] for e in uploads) == ["7月工单(副本).csv", "7月工单.csv"]


def test_an_upload_killed_before_its_commit_is_never_seen_and_is_swept(api, store):  # noqa: F811
    from dutygraph.services.records import STORED, record_id, sweep_uploads

    # what a SIGKILL after the first batch leaves: records written pending under an upload id never committed
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S")
    rows = [{**dict.fromkeys(STORED), "township": "周铁镇", "time": f"2025-07-01 0{k}:00", "text": f"工单{k}",
             "route": "unmatched", "source": "x.csv", "external_id": str(k)} for k in range(5)]
    for r in rows:
        r["id"] = record_id(r)
    store.write("records.upsert", rows, upload=f"{old}-dead")
    assert api.get("/api/records/statistics", headers=as_("jd")).json()["total"] == 0
    assert sweep_uploads(store) == 1
    assert store.run_cypher("MATCH (x:Record) RETURN count(x) AS n")[0]["n"] == 0


# 8. suggestion decisions validated and idempotent ----------------------------------------------------------------

def test_suggestion_decisions_are_validated_idempotent_and_reject_withdraws_an_acceptance(api, store):  # noqa: F811
    item = item_id(api, "周铁镇", "网格化服务管理")
    version = "中华人民共和国安全生产法@2021-06-10"
    bad = api.post(f"/api/items/{item}/suggestions/reject", json={"version_id": "没有的法@2020-01-01", "article": 1},
                   headers=as_("sf"))
    assert bad.status_code == 422
    bad = api.post(f"/api/items/{item}/suggestions/reject", json={"version_id": version, "article": 9999},
                   headers=as_("sf"))
    assert bad.status_code == 422
    for _ in range(2):
        ok = api.post(f"/api/items/{item}/suggestions/accept", json={"version_id": version, "article": 9,
                                                                     "paragraph": 2}, headers=as_("sf"))
        assert ok.status_code == 200
    accepts = api.get("/api/audit", params={"action": "basis.accept", "target": item}, headers=as_("jd")).json()
    assert accepts["total"] == 1
    out = api.post(f"/api/items/{item}/suggestions/reject", json={"version_id": version, "article": 9},
                   headers=as_("sf")).json()
    assert out["withdrawn"] == 1
    assert api.get(f"/api/items/{item}/suggestions", headers=as_("jd")).json()["accepted"] == []
    assert api.post(f"/api/items/{item}/suggestions/reject", json={"version_id": version, "article": 9},
                    headers=as_("sf")).status_code == 200
    rejects = api.get("/api/audit", params={"action": "basis.reject", "target": item}, headers=as_("jd")).json()
    assert rejects["total"] == 1


# 9. messages name the uploaded file --------------------------------------------------------------------------------

def test_errors_name_the_uploaded_file_never_a_server_path(api):  # noqa: F811
    r = api.post("/api/records/route", files={"file": ("我的工单.csv", "所属镇街,诉求内容\n火星镇,路灯不亮\n".encode())},
                 headers=as_("jd"))
    assert r.status_code == 422 and "我的工单.csv" in r.json()["message"] and "/tmp" not in r.json()["message"]
    r = api.post("/api/records/route", files={"file": ("空.csv", b"")}, headers=as_("jd"))
    assert r.status_code == 422 and "/tmp" not in r.json()["message"]
    r = api.post("/api/records/route", files={"file": ("坏.csv", "所属镇街,诉求内容\n周铁镇,路灯\u0001不亮\n".encode())},
                 headers=as_("jd"))
    assert r.status_code == 422 and "坏.csv" in r.json()["message"] and "U+0001" in r.json()["message"]
