"""The list's life after publication, walked end to end through the API with the right and the wrong roles:
change requests through both reviews to a new version whose diff is exactly the change, a rejection that
changes nothing, drafts from a law change with their deadline, 准入 applications, and the audit log."""

import io

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

pytestmark = pytest.mark.integration

TOKENS = {"zt": "township@周铁镇", "hq": "township@和桥镇", "yj": "department@市应急管理局",
          "zj": "department@市住房和城乡建设局", "bb": "bianban", "sf": "legal", "jd": "reader", "ad": "admin"}


@pytest.fixture
def api(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / f"{t}.xlsx"), t, "2025-06-30") for t in ("周铁镇", "和桥镇")])
    settings = Settings(api_tokens=",".join(f"{k}:{v}" for k, v in TOKENS.items()))
    with TestClient(create_app(settings, store=store)) as c:
        yield c


def as_(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def item_id(api, township: str, name: str) -> str:
    items = api.get(f"/api/townships/{township}/items", headers=as_("jd")).json()["items"]
    return next(i["id"] for i in items if i["name"] == name)


NEW_ROW = {"part": "basic", "name": "防汛防台巡查", "content": "汛期巡查河道堤防", "post": "应急管理办公室",
           "basis": "《安全生产法》第九条第二款"}


def through_reviews(api, rid: str) -> None:
    assert api.post(f"/api/requests/{rid}/reviews", json={"step": "bianban", "decision": "approve"},
                    headers=as_("bb")).json()["status"] == "bianban_approved"
    assert api.post(f"/api/requests/{rid}/reviews", json={"step": "legal", "decision": "approve", "comment": "合法"},
                    headers=as_("sf")).json()["status"] == "approved"


def test_a_request_goes_through_both_reviews_to_a_new_version_whose_diff_is_the_change(api):
    body = {"township": "周铁镇", "kind": "add", "reason_type": "practice", "reason": "汛期巡查是镇里天天在做的事",
            "evidence": "2025 年防汛工作总结", "add": [NEW_ROW]}
    # who may not propose: another township, a reader (a supervisor), a reviewer; nobody without a token
    assert api.post("/api/requests", json=body, headers=as_("hq")).status_code == 403
    assert api.post("/api/requests", json=body, headers=as_("jd")).status_code == 403
    assert api.post("/api/requests", json=body, headers=as_("bb")).status_code == 403
    assert api.post("/api/requests", json=body).status_code == 401
    r = api.post("/api/requests", json=body, headers=as_("zt"))
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert r.json()["status"] == "submitted"
    # reviewers decide only their own step, in order
    legal_first = api.post(f"/api/requests/{rid}/reviews", json={"step": "legal", "decision": "approve"},
                           headers=as_("sf"))
    assert legal_first.status_code == 422 and "不在" in legal_first.json()["message"]
    assert api.post(f"/api/requests/{rid}/reviews", json={"step": "bianban", "decision": "approve"},
                    headers=as_("sf")).status_code == 403
    assert [r["id"] for r in api.get("/api/requests/queue", headers=as_("bb")).json()] == [rid]
    assert api.get("/api/requests/queue", headers=as_("sf")).json() == []
    through_reviews(api, rid)
    # only the 编办 (or admin) publishes
    assert api.post(f"/api/requests/{rid}/apply", json={"date": "2025-09-30"}, headers=as_("zt")).status_code == 403
    applied = api.post(f"/api/requests/{rid}/apply", json={"date": "2025-09-30"}, headers=as_("bb")).json()
    assert applied["status"] == "applied" and applied["applied_list_id"]
    versions = api.get("/api/townships/周铁镇/versions", headers=as_("jd")).json()
    assert [(v["date"], v["current"]) for v in versions] == [("2025-09-30", True), ("2025-06-30", False)]
    diff = api.get("/api/townships/周铁镇/diff", params={"from": "2025-06-30", "to": "2025-09-30"},
                   headers=as_("jd")).json()
    assert diff["counts"] == {"added": 1, "removed": 0, "moved": 0, "changed": 0} and diff["unchanged"] == 7
    assert diff["changes"][0]["name"] == "防汛防台巡查"
    # the new item is a full item: its post, its resolved basis; the township's other list is untouched
    new = api.get(f"/api/items/{diff['changes'][0]['new_id']}", headers=as_("jd")).json()
    assert [x["name"] for x in new["lead"]] == ["应急管理办公室"] and new["basis"][0]["status"] == "resolved"
    assert len(api.get("/api/townships/和桥镇/versions", headers=as_("jd")).json()) == 1
    # the old version is still readable as of its date
    old = api.get("/api/townships/周铁镇/as-of", params={"date": "2025-07-01"}, headers=as_("jd")).json()
    assert old["date"] == "2025-06-30" and len(old["items"]) == 7
    # every step is in the audit log, with who
    history = api.get(f"/api/requests/{rid}", headers=as_("jd")).json()["history"]
    assert sorted(h["action"] for h in history) == ["request.apply", "request.create", "request.review.bianban",
                                                     "request.review.legal"]
    assert {h["role"] for h in history} == {"township", "bianban", "legal"}
    book = api.get("/api/audit", params={"format": "xlsx"}, headers=as_("jd"))
    ws = load_workbook(io.BytesIO(book.content)).active
    assert ws.cell(1, 1).value == "时间" and ws.max_row >= 5
    assert api.delete("/api/audit", headers=as_("ad")).status_code == 405  # append-only: no way to delete
    xlsx = api.get("/api/townships/周铁镇/diff", params={"from": "2025-06-30", "to": "2025-09-30", "format": "xlsx"},
                   headers=as_("jd"))
    assert load_workbook(io.BytesIO(xlsx.content)).active.cell(2, 2).value == "防汛防台巡查"
    # the pages show the same, in Chinese
    api.cookies.set("dutygraph_token", "jd")
    assert "防汛防台巡查" in api.get("/townships/周铁镇/diff", params={"from": "2025-06-30", "to": "2025-09-30"}).text
    assert "新增" in api.get(f"/requests/{rid}").text and "司法局合法性审核" in api.get(f"/requests/{rid}").text
    assert "发布新版本" in api.get("/audit").text and "request.apply" not in api.get("/audit").text and "已发布新版本" in api.get("/requests").text


def test_a_rejected_request_leaves_the_list_unchanged(api):
    target = item_id(api, "周铁镇", "网格化服务管理")
    body = {"township": "周铁镇", "kind": "remove", "reason_type": "policy", "reason": "交给网格中心", "remove": [target]}
    rid = api.post("/api/requests", json=body, headers=as_("zt")).json()["id"]
    no_comment = api.post(f"/api/requests/{rid}/reviews", json={"step": "bianban", "decision": "reject"},
                          headers=as_("bb"))
    assert no_comment.status_code == 422
    rejected = api.post(f"/api/requests/{rid}/reviews", json={"step": "bianban", "decision": "reject",
                                                              "comment": "网格化是镇街法定职责, 不能取消"},
                        headers=as_("bb")).json()
    assert rejected["status"] == "rejected" and rejected["reviews"][0]["comment"].startswith("网格化")
    assert api.post(f"/api/requests/{rid}/apply", headers=as_("bb")).status_code == 422
    assert len(api.get("/api/townships/周铁镇/versions", headers=as_("jd")).json()) == 1
    assert item_id(api, "周铁镇", "网格化服务管理") == target


def test_a_move_shows_in_the_diff_as_moved(api):
    target = item_id(api, "和桥镇", "危险化学品企业安全检查")
    row = {"part": "basic", "name": "危险化学品企业安全检查", "content": "对辖区危化企业日常检查", "post": "应急管理办公室"}
    body = {"township": "和桥镇", "kind": "move", "reason_type": "assessment", "reason": "镇里实际牵头",
            "remove": [target], "add": [row]}
    assert api.post("/api/requests", json={**body, "township": "周铁镇"}, headers=as_("zt")).status_code == 422
    rid = api.post("/api/requests", json=body, headers=as_("yj")).json()["id"]  # a department may propose too
    through_reviews(api, rid)
    api.post(f"/api/requests/{rid}/apply", json={"date": "2025-10-01"}, headers=as_("ad"))
    diff = api.get("/api/townships/和桥镇/diff", params={"from": "2025-06-30", "to": "2025-10-01"},
                   headers=as_("jd")).json()
    assert diff["counts"] == {"added": 0, "removed": 0, "moved": 1, "changed": 0}
    (c,) = diff["changes"]
    assert (c["part_from"], c["part_to"]) == ("cooperative", "basic")
    # the materialised analytics followed the new version
    summary = api.get("/api/townships", headers=as_("jd")).json()
    assert {t["name"]: (t["basic"], t["cooperative"]) for t in summary}["和桥镇"] == (5, 1)


def test_a_law_change_produces_draft_requests_with_a_deadline(api):
    body = {"law": "安全生产法", "from": "2014-12-01", "to": "2021-09-01"}
    assert api.post("/api/requests/from-law-change", json=body, headers=as_("zt")).status_code == 403
    r = api.post("/api/requests/from-law-change", json=body, headers=as_("sf"))
    assert r.status_code == 201, r.text
    drafts = r.json()
    assert drafts and {d["status"] for d in drafts} == {"draft"}
    # two months after 2021-06-10 had passed when the change was entered: two months from today
    import datetime as dt

    from dutygraph.services.lifecycle import add_months

    assert {d["deadline"] for d in drafts} == {add_months(dt.date.today().isoformat(), 2)}
    d = drafts[0]
    assert d["reason_type"] == "law_change" and "→" in d["evidence"] and d["add"][0]["basis"].startswith("《")
    assert {d["township"] for d in drafts} == {"周铁镇", "和桥镇"}
    later = add_months(dt.date.today().isoformat(), 3)
    overdue = api.get("/api/requests/overdue", params={"today": later}, headers=as_("jd")).json()
    assert overdue["total"] == len(drafts) and overdue["by_township"]["周铁镇"] >= 1
    # the township submits its own draft, not the other township's
    mine = next(x for x in drafts if x["township"] == "周铁镇")
    theirs = next(x for x in drafts if x["township"] == "和桥镇")
    assert api.post(f"/api/requests/{theirs['id']}/submit", headers=as_("zt")).status_code == 403
    assert api.post(f"/api/requests/{mine['id']}/submit", headers=as_("zt")).json()["status"] == "submitted"


def test_an_off_list_admission_is_flagged_with_its_evidence(api):
    off = {"title": "燃气经营许可证核发", "text": "请各镇街负责辖区内燃气经营许可证的核发工作"}
    assert api.post("/api/admissions", json=off, headers=as_("zt")).status_code == 403
    assert api.post("/api/admissions", json={**off, "department": "市应急管理局"},
                    headers=as_("zj")).status_code == 403  # only in its own name
    a = api.post("/api/admissions", json=off, headers=as_("zj")).json()
    assert a["status"] == "checked" and a["department"] == "市住房和城乡建设局"
    assert sorted(a["check"]["flagged_townships"]) == ["周铁镇", "和桥镇"]
    assert {v["verdict"] for v in a["check"]["verdicts"]} <= {"off_list", "lead_shift", "taken_back"}
    on = api.post("/api/admissions", json={"title": "危险化学品企业安全检查", "text": "请各镇配合做好危险化学品企业安全检查"},
                  headers=as_("yj")).json()
    assert on["check"]["flagged_townships"] == []
    assert {v["verdict"] for v in on["check"]["verdicts"]} == {"cooperative"}
    assert on["check"]["verdicts"][0]["matches"][0]["name"] == "危险化学品企业安全检查"
    assert api.post(f"/api/admissions/{a['id']}/decision", json={"decision": "reject"},
                    headers=as_("yj")).status_code == 403
    done = api.post(f"/api/admissions/{a['id']}/decision", json={"decision": "reject", "comment": "清单外事项"},
                    headers=as_("bb")).json()
    assert done["status"] == "rejected"
    actions = [e["action"] for e in api.get("/api/audit", params={"action": "admission"}, headers=as_("jd")).json()[
        "items"]]
    assert sorted(actions) == ["admission.apply", "admission.apply", "admission.decide"]
    # the same ask sent down anyway, around the rejected application: reported with the application history
    task = {"title": "燃气经营许可证核发", "text": "请各镇街负责辖区内燃气经营许可证的核发工作",
            "sender": "市住房和城乡建设局", "township": "周铁镇", "store": True}
    assert api.post("/api/delegation/check", json=task, headers=as_("ad")).json()["verdict"] in (
        "off_list", "lead_shift", "taken_back")
    flagged = api.get("/api/delegation/report", headers=as_("jd")).json()["flagged"]
    (row,) = [r for r in flagged if r["township"] == "周铁镇"]
    assert [(h["id"], h["status"], h["matches_task"]) for h in row["admissions"]] == [(a["id"], "rejected", True)]
    assert row["admitted"] is False


def test_the_reference_catalogue_flags_an_application_for_a_reserved_duty(api):
    csv_text = ("事项名称,保留部门,依据,说明\n"
                "燃气经营许可证核发,市住房和城乡建设局,《城镇燃气管理条例》第十五条,县级许可\n"
                "核发采伐许可证,市自然资源和规划局,,\n"
                "核发采伐许可证,市自然资源和规划局,《森林法》第五十六条,\n")  # listed twice: one entry
    upload = {"file": ("目录.csv", csv_text.encode())}
    assert api.post("/api/admissions/catalogue", files=upload, headers=as_("zj")).status_code == 403
    assert api.post("/api/admissions/catalogue", files=upload, headers=as_("bb")).json() == {"loaded": 2}
    bad = api.post("/api/admissions/catalogue", files={"file": ("b.csv", "事项名称,保留部门\n路灯维修,\n".encode())},
                   headers=as_("bb"))
    assert bad.status_code == 422 and bad.json()["message"]
    assert len(api.get("/api/admissions/catalogue", headers=as_("jd")).json()) == 2  # the bad file changed nothing
    gas = api.post("/api/admissions", json={"title": "燃气经营许可证核发", "text": "请各镇街负责燃气经营许可证的核发"},
                   headers=as_("zj")).json()
    assert [r["name"] for r in gas["check"]["reserved"]] == ["燃气经营许可证核发"]  # not the logging permit
    assert "市住房和城乡建设局" in gas["check"]["summary"]
    safe = api.post("/api/admissions", json={"title": "危险化学品企业安全检查", "text": "请各镇配合做好危险化学品企业安全检查"},
                    headers=as_("yj")).json()
    assert safe["check"]["reserved"] == []


def test_the_request_form_and_the_reviewers_queue_pages(api):
    form = api.get("/requests/new", headers=as_("zt"))
    assert form.status_code == 200 and "网格化服务管理" in form.text  # the township's own items to pick from
    data = {"township": "周铁镇", "kind": "add", "reason_type": "practice", "reason": "汛期巡查天天在做",
            "evidence": "防汛总结", "add1_part": "basic", "add1_name": "防汛防台巡查", "add1_post": "应急管理办公室"}
    assert api.post("/requests/new", data=data, headers=as_("jd"), follow_redirects=False).status_code == 403
    assert api.post("/requests/new", data={**data, "township": "和桥镇"}, headers=as_("zt"),
                    follow_redirects=False).status_code == 403
    made = api.post("/requests/new", data=data, headers=as_("zt"), follow_redirects=False)
    assert made.status_code == 303
    rid = made.headers["location"].rsplit("/", 1)[1]
    r = api.get(f"/api/requests/{rid}", headers=as_("jd")).json()
    assert (r["status"], r["add"][0]["name"], r["proposer"]) == ("submitted", "防汛防台巡查", "乡镇(街道)·周铁镇")
    assert rid in api.get("/requests/queue", headers=as_("bb")).text
    assert rid not in api.get("/requests/queue", headers=as_("sf")).text


def test_a_request_is_published_once_even_by_two_reviewers_at_once(api, store):
    from concurrent.futures import ThreadPoolExecutor

    body = {"township": "周铁镇", "kind": "add", "reason_type": "practice", "reason": "r", "evidence": "e",
            "add": [NEW_ROW]}
    rid = api.post("/api/requests", json=body, headers=as_("zt")).json()["id"]
    through_reviews(api, rid)
    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(lambda _: api.post(f"/api/requests/{rid}/apply", json={"date": "2025-09-30"},
                                                   headers=as_("bb")).status_code, range(2)))
    assert codes == [200, 409]  # the loser is told the request changed meanwhile
    versions = api.get("/api/townships/周铁镇/versions", headers=as_("jd")).json()
    assert [v["date"] for v in versions] == ["2025-09-30", "2025-06-30"]
    assert versions[0]["item_count"] == 8  # the 7 kept items and the new one (it counted only the new row)
