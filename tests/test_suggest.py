"""Basis suggestions: the provision that places a duty ranks first, a reviewer's accept / reject goes through
the API with roles, and an accepted suggestion counts as a basis (orphans, impact, the item page, audit)."""

import io

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings
from dutygraph.ingest import analytics
from dutygraph.services.retrieval import BM25, words
from dutygraph.services.suggest import SuggestionIndex, SuggestionService
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

SAFETY_LAW = "中华人民共和国安全生产法"
TEACHING = "安全生产宣传教育"


@pytest.mark.unit
def test_words_keep_the_object_whole_and_bm25_prefers_the_same_object():
    # bigrams made a gas licence look like a logging permit (许可, 可证); words keep 燃气 and 采伐 apart
    gas, logging = words("燃气经营许可证核发"), words("林木采伐许可证核发")
    assert "燃气" in gas and "采伐" in logging and "燃气" not in logging
    index = BM25([logging, words("燃气经营许可证的核发和燃气经营者的监督"), words("道路运输许可")])
    assert index.top(gas, 3)[0][0] == 1


@pytest.mark.integration
def test_the_township_duty_article_ranks_first_and_penalty_items_get_penalty_articles(store):
    load(store, SAFETY)
    service = SuggestionService(store, SuggestionIndex.build(store))
    basic = service.suggest("生产经营单位安全生产状况监督检查", "对本行政区域内生产经营单位安全生产状况进行监督检查",
                            "basic")
    top = basic[0]
    # 2021 第九条第二款: 乡镇人民政府和街道办事处 … 对本行政区域内生产经营单位安全生产状况进行监督检查
    assert (top["law"], top["article"], top["paragraph"]) == (SAFETY_LAW, 9, 2)
    assert top["reference"] == "《中华人民共和国安全生产法》第九条第二款"
    assert "条文规定乡镇(街道)职责" in top["why"] and any(w.startswith("共同词语") for w in top["why"])
    taken = service.suggest("对未如实记录安全生产教育和培训情况的行政处罚", "", "taken_back", "市应急管理局")
    assert "法律责任(处罚)条款" in taken[0]["why"] and "罚款" in taken[0]["text"]
    # only the version in force is suggested (the 2014 text is superseded)
    assert {s["version_date"] for s in basic + taken} == {"2021-06-10"}
    # the 准入 check's law evidence: a provision placing the task on townships and naming what it is about
    law = service.index.township_provisions("请各镇街对辖区内生产经营单位安全生产状况进行监督检查")
    assert (law[0]["law"], law[0]["article"]) == (SAFETY_LAW, 9)
    assert service.index.township_provisions("请各镇街负责辖区内燃气经营许可证的核发工作") == []


@pytest.fixture
def api(store, tmp_path):
    extra = [[5, "应急管理", "安全生产宣传教育", "组织开展安全生产法律法规和安全生产知识的宣传教育", "应急管理办公室", "", ""]]
    load(store, SAFETY, [(workbook(tmp_path / "zt.xlsx", extra), "周铁镇", "2025-06-30")])
    settings = Settings(api_tokens="sf:legal,zt:township@周铁镇,jd:reader,ad:admin", data_dir=tmp_path / "data")
    with TestClient(create_app(settings, store=store)) as c:
        yield c


def as_(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_accepting_a_suggestion_makes_it_a_basis_everywhere_and_only_the_legal_reviewer_may(api, store):
    items = api.get("/api/townships/周铁镇/items", headers=as_("jd")).json()["items"]
    grid = next(i for i in items if i["name"] == TEACHING)  # listed with no basis
    no_basis = api.get("/api/orphans", params={"kind": "no_basis"}, headers=as_("jd")).json()
    assert grid["id"] in {i["id"] for i in no_basis["items"]}

    offered = api.get(f"/api/items/{grid['id']}/suggestions", params={"top": 3}, headers=as_("jd"))
    assert offered.status_code == 200, offered.text
    body = offered.json()
    assert body["basis_status"] == "none" and len(body["suggestions"]) == 3
    first = body["suggestions"][0]
    assert set(first) >= {"law", "article", "paragraph", "item", "score", "text", "why"}
    choice = {"version_id": first["version_id"], "article": first["article"], "paragraph": first["paragraph"]}

    # a supervisor, a township and an anonymous caller may not decide; the 司法局 reviewer may
    assert api.post(f"/api/items/{grid['id']}/suggestions/accept", json=choice, headers=as_("jd")).status_code == 403
    assert api.post(f"/api/items/{grid['id']}/suggestions/accept", json=choice, headers=as_("zt")).status_code == 403
    assert api.post(f"/api/items/{grid['id']}/suggestions/accept", json=choice).status_code == 401
    bad = api.post(f"/api/items/{grid['id']}/suggestions/accept", json={**choice, "article": 999}, headers=as_("sf"))
    assert bad.status_code == 422
    ok = api.post(f"/api/items/{grid['id']}/suggestions/accept", json=choice, headers=as_("sf"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["basis_status"] == "suggested"

    # no longer a no-basis orphan, in the materialised counts as in the live page
    after = api.get("/api/orphans", params={"kind": "no_basis"}, headers=as_("jd")).json()
    assert grid["id"] not in {i["id"] for i in after["items"]}
    assert after["total"] == no_basis["total"] - 1
    assert analytics.check(store) == []  # counts, flags and consistency tallies followed the new basis

    # the item page shows it as an accepted suggestion; the law's impact lists the item, flagged as such
    item = api.get(f"/api/items/{grid['id']}", headers=as_("jd")).json()
    accepted = [b for b in item["basis"] if b["status"] == "suggested-accepted"]
    assert len(accepted) == 1 and accepted[0]["article"] == first["article"]
    impact = api.get(f"/api/laws/{SAFETY_LAW}/impact", params={"repeal": "2026-01-01"}, headers=as_("jd")).json()
    hit = [i for i in impact["items"] if i["item_id"] == grid["id"]]
    assert hit and hit[0]["status"] == "suggested-accepted"

    audit = api.get("/api/audit", params={"action": "basis.accept"}, headers=as_("ad")).json()
    assert [e["target"] for e in audit["items"]] == [grid["id"]]


def test_a_rejected_suggestion_is_not_offered_again_and_the_worklist_is_excel(api):
    items = api.get("/api/townships/周铁镇/items", headers=as_("jd")).json()["items"]
    grid = next(i for i in items if i["name"] == TEACHING)
    first = api.get(f"/api/items/{grid['id']}/suggestions", headers=as_("jd")).json()["suggestions"][0]
    choice = {"version_id": first["version_id"], "article": first["article"], "comment": "与网格管理无关"}
    assert api.post(f"/api/items/{grid['id']}/suggestions/reject", json=choice, headers=as_("zt")).status_code == 403
    assert api.post(f"/api/items/{grid['id']}/suggestions/reject", json=choice, headers=as_("sf")).status_code == 200
    again = api.get(f"/api/items/{grid['id']}/suggestions", headers=as_("jd")).json()
    assert again["basis_status"] == "none"
    assert (first["version_id"], first["article"]) not in {(s["version_id"], s["article"])
                                                           for s in again["suggestions"]}

    xlsx = api.get("/api/suggestions/worklist", params={"township": "周铁镇", "format": "xlsx"}, headers=as_("jd"))
    assert xlsx.status_code == 200, xlsx.text
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["乡镇(街道)", "事项名称", "清单类别", "建议序号"] and "审核结论" in header
    names = {r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert TEACHING in names and "网格化服务管理" in names  # an item the corpus has nothing for is listed too

    page = api.get(f"/items/{grid['id']}", headers=as_("sf"))
    assert page.status_code == 200 and "建议依据" in page.text and "采纳" in page.text


@pytest.mark.integration
def test_one_acceptance_covers_every_township_listing_the_duty_except_those_left_out(store, tmp_path):
    from dutygraph.services.lifecycle import Principal
    from dutygraph.services.suggest import SuggestionIndex, SuggestionService

    from tests.conftest import load
    from tests.test_lists import SAFETY, workbook

    towns = ("周铁镇", "和桥镇", "丁蜀镇")
    extra = [[5, "应急管理", "安全生产监督检查和隐患排查", "对本行政区域内生产经营单位安全生产状况进行监督检查", "安监办", "", ""]]
    load(store, SAFETY, [(workbook(tmp_path / f"{t}.xlsx", extra), t, "2025-06-30") for t in towns])
    service = SuggestionService(store, SuggestionIndex.build(store))
    legal = Principal("legal", None, "司法局")
    grid = {c["township"]: c["id"] for c in service.same_duty(
        store.run_cypher("MATCH (i:DutyItem {name: '安全生产监督检查和隐患排查'}) RETURN i.id AS id LIMIT 1")[0]["id"])}
    assert set(grid) == set(towns)
    offer = service.for_item(grid["周铁镇"])
    s = offer["suggestions"][0]
    out = service.accept_across(legal, grid["周铁镇"], s["version_id"], s["article"], s.get("paragraph"),
                                s.get("item"), {"周铁镇", "和桥镇"})
    assert sorted(out["accepted"]) == ["周铁镇", "和桥镇"] and out["skipped"] == [{"township": "丁蜀镇", "why": "除外"}]
    assert service.for_item(grid["和桥镇"])["suggestions"][0]["accepted"]  # shown as accepted, not offered again
    assert not service.for_item(grid["丁蜀镇"])["accepted"]
    audit = store.run_cypher("MATCH (a:AuditEntry {action: 'basis.accept'}) RETURN a.target AS t")
    assert {r["t"] for r in audit} == {grid["周铁镇"], grid["和桥镇"]}


def test_the_worklist_has_one_row_per_duty_most_widely_listed_first_a_page_at_a_time(store, tmp_path):
    from dutygraph.services.suggest import SuggestionIndex, SuggestionService

    from tests.conftest import load
    from tests.test_lists import SAFETY, workbook

    shared = [5, "应急管理", "安全生产宣传教育", "组织开展安全生产法律法规的宣传教育", "安监办", "", ""]
    own = [6, "应急管理", "应急避难场所维护", "维护应急避难场所", "安监办", "", ""]
    load(store, SAFETY, [(workbook(tmp_path / "zt.xlsx", [shared, own]), "周铁镇", "2025-06-30"),
                         (workbook(tmp_path / "hq.xlsx", [shared]), "和桥镇", "2025-06-30")])
    service = SuggestionService(store, SuggestionIndex.build(store))
    total, rows = service.worklist_by_duty(None)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name["安全生产宣传教育"]["townships"]) == {"和桥镇", "周铁镇"}
    assert by_name["应急避难场所维护"]["townships"] == ["周铁镇"]
    assert total == len(rows) and [r["n_townships"] for r in rows] == sorted((r["n_townships"] for r in rows),
                                                                             reverse=True)
    assert by_name["安全生产宣传教育"]["n_townships"] == 2
    assert by_name["安全生产宣传教育"]["suggestions"][0]["reference"].startswith("《")
    _, page2 = service.worklist_by_duty(None, limit=1, offset=1)
    assert [r["name"] for r in page2] == [rows[1]["name"]]
