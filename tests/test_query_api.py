"""The query API on a hand-built graph whose answers are known (each orphan kind planted) and on the sample."""

import io
import re

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings
from dutygraph.services.duties import DutyService
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from tests.conftest import load
from tests.test_lists import SAFETY


def planted(path):
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("基本履职事项")
    ws.append(["序号", "一级类别", "事项名称", "具体工作内容", "责任科室", "配合单位", "法律依据"])
    ws.append([1, "应急管理", "安全生产监督检查", "对本行政区域内生产经营单位安全生产状况进行监督检查", "安监办", "派出所",
               "《安全生产法》第九条第二款"])
    ws.append([2, "应急管理", "旧条号事项", "加强对本行政区域内生产经营单位安全生产状况的监督检查", "应急管理办公室", "",
               "《中华人民共和国安全生产法》第八条第三款"])
    ws.append([3, "基层治理", "网格化服务管理", "网格巡查", "网格中心", "", ""])
    ws.append([4, "基层治理", "矛盾纠纷排查", "排查化解", "平安建设办公室", "司法所", "相关法律法规"])
    ws.append([5, "基层治理", "无人负责事项", "无", "", "", ""])
    ws.append([6, "应急管理", "条号不存在事项", "无", "应急管理办公室", "", "《安全生产法》第九百条"])
    ws = wb.create_sheet("配合履职事项")
    ws.append(["序号", "类别", "事项名称", "对应上级部门", "上级部门职责", "镇街配合职责", "责任科室"])
    ws.append([1, "应急管理", "危险化学品企业安全检查", "市应急局", "牵头检查", "配合检查", "应急管理办公室"])
    ws.append([2, "应急管理", "没有牵头部门的配合事项", "", "", "配合", "应急管理办公室"])
    ws = wb.create_sheet("上级部门收回事项")
    ws.append(["序号", "事项名称", "承接部门", "工作方式"])
    ws.append([1, "对生产经营单位的行政处罚", "市应急管理局", "市级部门直接行使"])
    ws.append([2, "无人承接的收回事项", "", ""])
    wb.save(path)
    return path


@pytest.fixture
def small(store, tmp_path):
    load(store, SAFETY, [(planted(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    with TestClient(create_app(Settings(), store=store)) as c:
        yield c


def names(page):
    return sorted(i["name"] for i in page["items"])


def test_each_orphan_kind_finds_exactly_the_planted_items(small):
    get = lambda kind: small.get("/api/orphans", params={"kind": kind}).json()  # noqa: E731
    assert names(get("no_basis")) == sorted(["对生产经营单位的行政处罚", "危险化学品企业安全检查", "无人承接的收回事项",
                                             "无人负责事项", "没有牵头部门的配合事项", "网格化服务管理"])
    assert names(get("vague_basis")) == ["矛盾纠纷排查"]
    assert names(get("unresolved")) == ["条号不存在事项"]
    assert names(get("superseded")) == ["旧条号事项"]
    assert names(get("no_lead")) == ["无人负责事项"]
    assert names(get("no_lead_department")) == ["没有牵头部门的配合事项"]
    assert names(get("no_receiver")) == ["无人承接的收回事项"]
    uncovered = get("uncovered")
    ids = {i["id"] for i in uncovered["items"]}
    assert "中华人民共和国安全生产法@2021-06-10#第九条.2" not in ids  # cited by 安全生产监督检查
    assert uncovered["total"] == len(ids) > 0 and all("安全生产法" in i["name"] for i in uncovered["items"])
    summary = small.get("/api/orphans").json()
    assert summary == {"no_basis": 6, "vague_basis": 1, "unresolved": 1, "superseded": 1, "no_lead": 1,
                       "no_lead_department": 1, "no_receiver": 1, "uncovered": uncovered["total"]}
    assert small.get("/api/orphans", params={"kind": "no_basis", "township": "丁蜀镇"}).json()["total"] == 0
    assert small.get("/api/orphans", params={"kind": "nope"}).status_code == 422


def test_item_responsibility_and_basis_chain(small):
    page = small.get("/api/orphans", params={"kind": "superseded"}).json()
    item = small.get(f"/api/items/{page['items'][0]['id']}").json()
    assert (item["township"], item["part"], item["part_cn"]) == ("周铁镇", "basic", "基本履职事项")
    assert [x["name"] for x in item["lead"]] == ["应急管理办公室"] and item["violations"] == []
    (b,) = item["basis"]
    assert b["flags"] == ["superseded_numbering"] and b["version"] == "2021-06-10"
    assert b["suggested"]["label"] == "第九条" and "乡镇人民政府和街道办事处" in b["suggested"]["text"]
    ok = small.get("/api/search", params={"q": "安全生产监督检查"}).json()["items"][0]
    good = small.get(f"/api/items/{ok['id']}").json()
    assert good["basis"][0]["status"] == "resolved" and good["basis"][0]["target"] == "Paragraph"
    assert good["basis"][0]["text"].startswith("乡镇人民政府和街道办事处")
    assert [a["name"] for a in good["cooperating_agencies"]] == ["周铁镇派出所"]
    assert small.get("/api/items/nope").status_code == 404


def test_one_lead_rule_violations_are_reported(small):
    rows = small.get("/api/lead-violations").json()
    assert sorted((r["name"], r["leads"]) for r in rows) == sorted([("无人负责事项", 0), ("没有牵头部门的配合事项", 0)])
    page = small.get("/api/orphans", params={"kind": "no_lead"}).json()
    item = small.get(f"/api/items/{page['items'][0]['id']}").json()
    assert item["violations"] and "0" in item["violations"][0]


def test_department_by_alias_and_township_and_post(small):
    d = small.get("/api/departments/市应急局").json()
    assert d["id"] == "市应急管理局" and d["counts"] == {"LED_BY": 1, "TAKEN_BACK_BY": 1}
    assert d["townships"] == {"周铁镇": {"LED_BY": 1, "TAKEN_BACK_BY": 1}}
    assert small.get("/api/departments/市应急局", params={"role": "TAKEN_BACK_BY"}).json()["total"] == 1
    t = small.get("/api/townships/周铁镇").json()
    assert {p: v["total"] for p, v in t["parts"].items()} == {"basic": 6, "cooperative": 2, "taken_back": 2}
    assert t["posts"]["应急管理办公室"] == {"COOPERATED_BY": 2, "LED_BY": 3}
    post = small.get("/api/townships/周铁镇/posts/安监办").json()  # alias of 应急管理办公室
    assert post["post"] == "应急管理办公室" and post["total"] == 5
    assert small.get("/api/departments/不存在局").status_code == 404


def test_exports_have_chinese_headers(small):
    r = small.get("/api/orphans", params={"kind": "no_basis", "format": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]] == ["事项名称", "乡镇(街道)", "清单类别", "原因"]  # no internal ids
    assert ws.max_row == 7
    r = small.get("/api/townships/周铁镇/items", params={"format": "csv"})
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("事项名称,乡镇(街道)") and len(text.splitlines()) == 11


def test_pagination(small):
    first = small.get("/api/townships/周铁镇/items", params={"limit": 4}).json()
    rest = small.get("/api/townships/周铁镇/items", params={"limit": 100, "offset": 4}).json()
    assert first["total"] == 10 and len(first["items"]) == 4 and len(rest["items"]) == 6
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in rest["items"]}


def test_tokens_and_roles(store):
    settings = Settings(api_tokens="r1:reader,a1:admin")
    with TestClient(create_app(settings, store=store)) as c:
        assert c.get("/api/laws").status_code == 401
        assert c.get("/api/laws", headers={"Authorization": "Bearer bad"}).status_code == 401
        assert c.get("/api/laws", headers={"Authorization": "Bearer r1"}).status_code == 200
        files = {"files": ("基本.csv", "序号,事项名称\n1,巡查\n".encode(), "text/csv")}
        r = c.post("/api/lists", files=files, data={"township": "周铁镇", "date": "2025-06-30"},
                   headers={"Authorization": "Bearer r1"})
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
        r = c.post("/api/lists", files=files, data={"township": "周铁镇", "date": "2025-06-30"},
                   headers={"Authorization": "Bearer a1"})
        assert r.status_code == 200 and r.json()["items"] == {"基本": 1}
        bad = {"files": ("配合履职事项.csv", "序号,事项名称\n1,巡查\n".encode(), "text/csv")}
        r = c.post("/api/lists", files=bad, data={"township": "周铁镇", "date": "2025-06-30"},
                   headers={"Authorization": "Bearer a1"})
        assert r.status_code == 422 and "对应上级部门" in r.json()["message"]


@pytest.fixture(scope="module")
def sample(sample_store):
    with TestClient(create_app(Settings(), store=sample_store)) as c:
        yield c


def test_sample_answers(sample):
    towns = sample.get("/api/townships").json()
    assert len(towns) == 21 and all(t["basic"] > 90 for t in towns)
    summary = sample.get("/api/orphans").json()
    assert summary["no_basis"] > 0 and summary["superseded"] > 0 and summary["vague_basis"] > 0
    d = sample.get("/api/departments/市资规局").json()
    assert d["name"] == "市自然资源和规划局" and len(d["townships"]) == 21
    hits = sample.get("/api/search", params={"q": "安全生产法"}).json()["items"]
    assert hits[0]["kind"] == "law" and hits[0]["name"] == "中华人民共和国安全生产法"
    cons = sample.get("/api/consistency", params={"limit": 50, "variants": True}).json()
    spreads = [c["spread"] for c in cons["items"]]
    assert spreads == sorted(spreads, reverse=True) and all(c["townships"] >= 2 for c in cons["items"])
    top = cons["items"][0]
    assert len({v["township"] for v in top["variants"]}) == top["townships"]
    depts = {tuple(v["departments"]) for v in top["variants"]}
    bases = {tuple(v["bases"]) for v in top["variants"]}
    assert len(top["parts"]) > 1 or len(depts) > 1 or len(bases) > 1  # the variants really differ


def test_search_terms_and_aliases(sample):
    both = sample.get("/api/search", params={"q": "危险化学品 安全检查", "limit": 100}).json()["items"]
    assert both and all("危险化学品" in (h["name"] + (h["snippet"] or "")) for h in both if h["kind"] == "item")
    alias = sample.get("/api/search", params={"q": "市应急局"}).json()["items"]
    assert alias[0] == {**alias[0], "kind": "department", "name": "市应急管理局"}


def test_the_search_page_has_one_row_per_duty_with_every_township_listing_it(sample_store):
    from dutygraph.services.duties import DutyService

    d = DutyService(sample_store)
    found = d.search_grouped("安全 检查", None, None, None, 500, 0)
    rows = [r for r in found["items"] if r["kind"] == "item"]
    assert rows and len({(r["name"], r["part"]) for r in rows}) == len(rows)
    for r in rows:  # each township once per duty
        assert len({t["name"] for t in r["townships"]}) == len(r["townships"])
    assert found["kinds"]["item"] == sum(len(r["townships"]) for r in rows)
    widest = max(rows, key=lambda r: len(r["townships"]))
    assert len(widest["townships"]) == 21  # a duty every sample unit lists, however many items match overall
    one = d.search_grouped("安全 检查", "item", "周铁镇", None, 500, 0)["items"]
    assert one and all([t["name"] for t in r["townships"]] == ["周铁镇"] for r in one)


def test_consistency_finds_the_one_duty_listed_differently(store, tmp_path):
    other = planted(tmp_path / "b.xlsx")
    wb = load_workbook(other)
    wb["配合履职事项"]["D2"] = "市消防救援大队"  # 危险化学品企业安全检查 led by another department here
    wb.save(other)
    load(store, SAFETY, [(planted(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30"), (other, "丁蜀镇", "2025-06-30")])
    with TestClient(create_app(Settings(), store=store)) as c:
        page = c.get("/api/consistency", params={"variants": True}).json()
    assert [(r["name"], r["townships"], r["spread"]) for r in page["items"]] == [("危险化学品企业安全检查", 2, 1)]
    assert page["items"][0]["departments"] == sorted(["市应急管理局", "市消防救援大队"])
    assert {v["township"]: v["departments"] for v in page["items"][0]["variants"]} == {
        "周铁镇": ["市应急管理局"], "丁蜀镇": ["市消防救援大队"]}


def test_graph_explorer_names_in_chinese_and_lists_by_township_and_date(small):
    town = small.get("/api/graph/neighbours", params={"node": "Township:周铁镇"}).json()
    lists = [n for n in town["neighbours"] if n["label"] == "DutyList"]
    assert lists and lists[0]["name"] == "周铁镇 2025-06-30 清单" and lists[0]["type_cn"] == "发布清单"
    node = small.get("/api/graph/node", params={"node": f"DutyList:{lists[0]['id']}"}).json()
    assert node["name"] == "周铁镇 2025-06-30 清单" and node["label_cn"] == "清单"
    page = small.get("/graph", params={"node": "DutyItem:abc"}).text
    assert 'data-start="DutyItem:abc"' in page and "清单与事项" in page and ">HAS_LIST<" not in page


def test_pages_show_counts_as_integers(small):
    home = small.get("/").text
    assert not re.search(r'class="num">\d+\.0<', home)


def test_writes_need_the_writing_role_and_uploads_are_bounded(store, tmp_path):
    load(store, SAFETY, [(planted(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    task = {"text": "请各镇负责辖区内巡查。", "township": "周铁镇"}
    with TestClient(create_app(Settings(api_tokens="r1:reader,a1:admin", upload_limit_mb=1), store=store)) as c:
        reader, admin = {"Authorization": "Bearer r1"}, {"Authorization": "Bearer a1"}
        assert c.post("/api/delegation/check", json=task, headers=reader).status_code == 403
        assert c.post("/api/delegation/check", json={**task, "store": False}, headers=reader).status_code == 200
        assert store.run_cypher("MATCH (t:Task) RETURN count(t) AS n")[0]["n"] == 0
        assert c.post("/api/delegation/check", json=task, headers=admin).status_code == 200
        big = {"files": ("基本.csv", b"x" * (2 << 20), "text/csv")}
        r = c.post("/api/lists", files=big, data={"township": "周铁镇", "date": "2025-06-30"}, headers=admin)
        assert r.status_code == 413 and r.json()["error"] == "too_large"
        # names that are not one safe path component are saved under a name of our own
        for name in ("..", ".", "a/../../x.csv", "长" * 300 + ".csv"):
            files = {"files": (name, "序号,事项名称\n1,巡查\n".encode(), "text/csv")}
            r = c.post("/api/lists", files=files, data={"township": "周铁镇", "date": "2025-06-30"}, headers=admin)
            assert r.status_code in (200, 422), (name, r.status_code, r.text)


def test_a_department_page_is_paged_and_the_pages_join_up(sample, monkeypatch):
    # at province scale a department has 200,000 items: the page shows one page of them, with links on
    from dutygraph.api import pages

    monkeypatch.setattr(pages, "DEPARTMENT_PAGE", 7)
    total = sample.get("/api/departments/市资规局", params={"limit": 1}).json()["total"]
    first = sample.get("/departments/市资规局").text
    second = sample.get("/departments/市资规局", params={"offset": 7}).text
    assert f"{total} 项, 第 1–7 项" in first and "第 8–14 项" in second
    assert 'class="next"' in first and 'class="prev"' not in first and 'class="prev"' in second
    ids = lambda html: re.findall(r'href="/items/([0-9a-f]+)"', html)  # noqa: E731
    assert len(ids(first)) == len(ids(second)) == 7 and not set(ids(first)) & set(ids(second))
    api = sample.get("/api/departments/市资规局", params={"limit": 14}).json()["items"]
    assert {i["id"] for i in api} == set(ids(first)) | set(ids(second))


def test_copies_share_one_wording_and_a_graph_from_before_wordings_is_upgraded(store, tmp_path):
    """The search reads items through their wordings: two townships publishing one text share one wording, and
    a graph written before wordings existed gets them at open, as its law versions get their township
    paragraphs marked (the statutory duties the orphans page checks)."""
    book = planted(tmp_path / "a.xlsx")
    load(store, SAFETY, [(book, "周铁镇", "2025-06-30"), (book, "丁蜀镇", "2025-06-30")])
    counts = store.label_counts()
    assert counts["DutyItem"] == 20 and counts["Wording"] == 10
    found = lambda q: sorted((r["township"], r["name"]) for r in store.query("search.items", q=q, limit=50))  # noqa: E731
    assert found("网格") == [("丁蜀镇", "网格化服务管理"), ("周铁镇", "网格化服务管理")]
    statutory = store.query("orphans.statutory_provisions")
    assert any("乡镇人民政府" in p["text"] for p in statutory)
    lists = len(store.query("analytics.all_lists"))
    store.memo.max_entries = 0  # every answer computed: the ones below are read before and after the upgrade
    department = DutyService(store).department("市应急管理局", None, 50, 0)
    assert department["n_townships"] == 2 and department["items"]
    # an earlier release: no wordings at all, no township paragraphs marked on the law versions, lists without
    # their township's name (a department's pages read it from the list)
    store.run_cypher("MATCH (w:Wording) DETACH DELETE w", write=True)
    store.run_cypher("MATCH (v:LawVersion) SET v.township_paragraphs = null", write=True)
    store.run_cypher("MATCH (l:DutyList) SET l.township_name = null", write=True)
    roles = store.run_cypher("MATCH (i:DutyItem) RETURN i.id AS id, i.roles AS roles")
    store.run_cypher("MATCH (i:DutyItem) SET i.roles = null", write=True)
    store.run_cypher("MATCH (l:DutyList) SET l.item_roles = null", write=True)
    assert found("网格") == [] and store.query("orphans.statutory_provisions") == []
    versions = len(store.query("laws.all_versions"))
    assert store.upgrade() == 20 + 20 + lists + versions and store.upgrade() == 0
    assert {r["id"]: sorted(r["roles"]) for r in store.run_cypher("MATCH (i:DutyItem) RETURN i.id AS id, "
                                                                  "i.roles AS roles")} == {
        r["id"]: sorted(r["roles"]) for r in roles}
    assert DutyService(store).department("市应急管理局", None, 50, 0) == department
    assert store.query("orphans.statutory_provisions") == statutory
    assert store.label_counts()["Wording"] == 10
    assert found("网格") == [("丁蜀镇", "网格化服务管理"), ("周铁镇", "网格化服务管理")]
    # a township named again: its lists carry the new name
    fresh = lambda: store.query("analytics.department_overview_kept", id="市应急管理局")[0]["fresh"]  # noqa: E731
    assert fresh()
    store.write("lists.upsert_townships", [{"id": "周铁镇", "name": "周铁镇(新)", "code": "", "kind": "镇", "county": ""}])
    assert not fresh()  # its kept overview showed the old name
    names = store.run_cypher("MATCH (:Township {id: '周铁镇'})-[:HAS_LIST]->(l:DutyList) RETURN l.township_name AS n")
    assert {r["n"] for r in names} == {"周铁镇(新)"}


def test_a_department_answer_carries_its_first_townships_and_pages_the_rest(sample):
    d = sample.get("/api/departments/市公安局", params={"limit": 5}).json()
    assert d["n_townships"] == len(d["townships"]) == 21 and d["n_agencies"] == len(d["agencies"]) > 0
    pages = [sample.get("/api/departments/市公安局/townships", params={"limit": 8, "offset": o}).json()
             for o in (0, 8, 16)]
    assert [p["total"] for p in pages] == [21, 21, 21] and [len(p["items"]) for p in pages] == [8, 8, 5]
    rows = [r for p in pages for r in p["items"]]
    assert [r["township"] for r in rows] == sorted(d["townships"])
    assert {r["township"]: r["counts"] for r in rows} == d["townships"]
    assert {(r["township"], a) for r in rows for a in r["agencies"]} == {(a["township"], a["name"])
                                                                        for a in d["agencies"]}
    assert sample.get("/api/departments/没有这个部门/townships").status_code == 404


def test_a_department_answer_from_its_kept_overview_is_the_computed_one(store, tmp_path, monkeypatch):
    """A department's overview is kept on it after every switch (its first rows only) and used while it
    describes the current lists; every page, township page and role gives what the statement computes, and a
    switch outdates it in the switch's own statement."""
    from dutygraph.ingest import analytics
    from dutygraph.services import duties

    monkeypatch.setattr(analytics, "OVERVIEW_HEAD", 2)  # each role's first 2 rows (of 3) and every township's 6
    monkeypatch.setattr(duties, "OVERVIEW_HEAD", 2)  # rows kept: some pages come from it, the rest computed
    monkeypatch.setattr(analytics, "OVERVIEW_ROWS", 7)
    monkeypatch.setattr(duties, "OVERVIEW_ROWS", 7)
    book = planted(tmp_path / "a.xlsx")
    load(store, SAFETY, [(book, t, "2025-06-30") for t in ("周铁镇", "丁蜀镇", "和桥镇")])
    store.memo.max_entries = 0
    service = DutyService(store)
    kept_state = lambda: store.query("analytics.department_overview_kept", id="市应急管理局")[0]  # noqa: E731
    assert kept_state()["fresh"] and len(kept_state()["heads"]) == 4 and kept_state()["townships"] == 3
    asks = [(role, limit, offset) for role in (None, "LED_BY", "TAKEN_BACK_BY") for limit in (1, 2, 5)
            for offset in (0, 1, 2, 4)]
    computed: list[str] = []
    query = store.query
    monkeypatch.setattr(store, "query", lambda q, *a, **k: computed.append(q) or query(q, *a, **k))
    kept = [service.department("市应急管理局", *a) for a in asks]
    towns = [service.department_townships("市应急管理局", limit, offset) for limit in (1, 2, 5) for offset in (0, 2)]
    # pages ending within a role's first 2 rows (or in a role with no more) and every township page: from it
    assert 0 < computed.count("analytics.department_overview") < len(asks)
    store.run_cypher("MATCH (e:ListEpoch) SET e.n = e.n + 1", write=True)  # outdated: every answer below computed
    assert not kept_state()["fresh"]
    assert [service.department("市应急管理局", *a) for a in asks] == kept
    assert [service.department_townships("市应急管理局", limit, offset)
            for limit in (1, 2, 5) for offset in (0, 2)] == towns
    assert kept[0]["counts"] == {"LED_BY": 3, "TAKEN_BACK_BY": 3} and kept[0]["n_townships"] == 3
    assert analytics.refresh_overviews(store) >= 1 and kept_state()["fresh"]
    analytics.apply(store, [], [])  # the switch statement itself outdates every overview
    assert not kept_state()["fresh"]
    assert analytics.refresh_overviews(store) >= 1 and analytics.check(store) == []
    store.run_cypher("MATCH (d:Department {id: '市应急管理局'}) SET d.overview_townships = 99", write=True)
    assert analytics.check(store) == ["department 市应急管理局: its kept overview is not the current lists'"]
