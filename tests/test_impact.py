"""Version alignment (hand-checked pairs), impact worklists, re-resolution after a new version, as-of bases."""

import io
import json

import pytest
from dutygraph.api.app import create_app
from dutygraph.api.cli import app as cli
from dutygraph.graph.settings import Settings
from dutygraph.ingest.align import align, paragraph_map
from dutygraph.ingest.law_parser import parse_source
from dutygraph.ingest.pipeline import load_laws
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tests.conftest import LAWS, load, need_shared

SAFETY = ("older_versions_flk/中华人民共和国安全生产法(2014-08-31).md", "current_lawrefbook/社会法/安全生产法(2021-06-10).md")
FIRE = ("older_versions_flk/中华人民共和国消防法(2019-04-23).md", "current_lawrefbook/行政法/消防法(2021-04-29).md")
PENALTY = ("older_versions_flk/中华人民共和国行政处罚法(2017-09-01).md", "current_lawrefbook/行政法/行政处罚法(2021-01-22).md")
PETITION = ("current_lawrefbook/行政法规/信访条例(2005-01-10).md", "current_lawrefbook/行政法规/信访工作条例(2022-02-25).md")
EMERGENCY = ("current_lawrefbook/行政法/突发事件应对法(2007-08-30).md", "current_lawrefbook/行政法/突发事件应对法(2024-06-28).md")

# Checked by reading both texts side by side: (old article, new article, change).
HAND_CHECKED = {
    SAFETY: [(1, 1, "unchanged"), (9, 10, "amended"), (17, 20, "renumbered"), (20, 23, "amended"),
             (38, 41, "amended"), (44, 47, "renumbered"), (77, 80, "amended"), (94, 97, "amended"),
             (96, 99, "amended"), (109, 114, "amended"), (110, 115, "amended"), (8, 8, "split"), (8, 9, "split")],
    FIRE: [(1, 1, "unchanged"), (15, 15, "amended"), (31, 31, "unchanged"), (34, 34, "amended"),
           (58, 58, "amended"), (69, 69, "amended")],
    # 旧第三十八条 went to 第五十七条 and 第五十八条 (法制审核): both ends typed split; the commencement clause
    # (本法自…起施行) is followed by the new one
    PENALTY: [(1, 1, "unchanged"), (3, 4, "amended"), (8, 9, "amended"), (18, 20, "amended"), (38, 57, "split"),
              (38, 58, "split"), (51, 72, "amended"), (55, 76, "amended"), (62, 83, "amended"), (64, 86, "amended"),
              (44, 66, "merged"), (52, 66, "merged"),
              # one clause of 旧第三十七条 (执法人员不得少于两人) moved to the new 第四十二条
              (37, 42, "split")],
    # 旧第七条's second half (涉及两个以上行政区域的…) became the new 第十八条; the rest is 第十七条
    EMERGENCY: [(7, 17, "split"), (7, 18, "split")],
    PETITION: [(1, 1, "amended"), (2, 17, "amended"), (3, 6, "amended"), (21, 22, "amended"), (22, 23, "amended"),
               (33, 34, "amended"), (40, 42, "amended"), (41, 43, "amended"), (51, 50, "amended")],
}


def docs(pair):
    need_shared()
    return parse_source(LAWS / pair[0]), parse_source(LAWS / pair[1])


@pytest.mark.parametrize("pair", list(HAND_CHECKED), ids=["安全生产法", "消防法", "行政处罚法", "信访条例", "突发事件应对法"])
def test_hand_checked_pairs(pair):
    old, new = docs(pair)
    got = {(p.old, p.new, p.change) for p in align(old.articles, new.articles)}
    assert set(HAND_CHECKED[pair]) <= got
    assert sum(len(v) for v in HAND_CHECKED.values()) >= 30


def test_every_old_and_new_article_is_accounted_for():
    for pair in HAND_CHECKED:
        old, new = docs(pair)
        pairs = align(old.articles, new.articles)
        assert {p.old for p in pairs if p.old} == {a.number for a in old.articles}
        assert {p.new for p in pairs if p.new} == {a.number for a in new.articles}
        assert all(0 <= p.score <= 1 for p in pairs)


def test_safety_law_keeps_four_articles_and_moves_the_township_duty():
    old, new = docs(SAFETY)
    pairs = align(old.articles, new.articles)
    assert sum(p.change == "unchanged" for p in pairs) == 4
    assert paragraph_map(old.articles, new.articles)[(8, 3)][:2] == (9, 2)


def test_fire_law_finds_exactly_the_amended_articles():
    old, new = docs(FIRE)
    pairs = align(old.articles, new.articles)
    text_changed = {a.number for a, b in zip(old.articles, new.articles, strict=True)
                    if "".join(a.text.split()) != "".join(b.text.split())}
    assert {p.old for p in pairs if p.change == "amended"} == text_changed == {15, 34, 58, 69}
    assert {p.change for p in pairs} == {"unchanged", "amended"}
    assert all(p.old == p.new for p in pairs)


def test_alignment_is_deterministic():
    old, new = docs(PETITION)
    assert [p.as_json() for p in align(old.articles, new.articles)] == \
        [p.as_json() for p in align(old.articles, new.articles)]


def test_law_diff_command():
    need_shared()
    runner = CliRunner()
    r = runner.invoke(cli, ["law-diff", str(LAWS / FIRE[0]), str(LAWS / FIRE[1])])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert set(rows[0]) == {"old", "new", "change", "score"}
    assert [x["old"] for x in rows if x["change"] == "amended"] == [15, 34, 58, 69]
    assert runner.invoke(cli, ["law-diff", "--format", "table", str(LAWS / FIRE[0]), str(LAWS / FIRE[1])]).exit_code == 0


def old_list(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "基本履职事项"
    ws.append(["序号", "事项名称", "具体工作内容", "责任科室", "法律依据"])
    ws.append([1, "安全生产监督检查", "加强对本行政区域内生产经营单位安全生产状况的监督检查", "应急管理办公室",
               "《中华人民共和国安全生产法》第八条第三款"])
    ws.append([2, "安全生产条件", "生产经营单位应当具备安全生产条件", "应急管理办公室", "《安全生产法》第十七条"])
    ws.append([3, "罚缴分离实施办法", "罚款决定与罚款收缴分离", "综合行政执法局", "《行政处罚法》第六十三条"])
    ws.append([4, "信访事项受理", "信访", "平安建设办公室", "《信访条例》第二条"])
    wb.save(path)
    return path


@pytest.fixture
def before_amendments(store, tmp_path):
    need_shared()
    load(store, [LAWS / p for pair in (SAFETY, PENALTY, PETITION) for p in pair],
         [(old_list(tmp_path / "a.xlsx"), "周铁镇", "2020-01-01")])
    with TestClient(create_app(Settings(), store=store)) as c:
        yield c


def test_amendment_impact_worklist(before_amendments):
    c = before_amendments
    r = c.get("/api/laws/安全生产法/impact", params={"from": "2014-08-31", "to": "2021-06-10"}).json()
    rows = {(x["item"], x["old_label"], x["new_label"], x["change"]) for x in r["items"]}
    # 第八条 was split into 第八条 and 第九条: the 款 the duty cites went to 第九条第二款, typed split
    assert rows == {("安全生产监督检查", "第八条第三款", "第九条第二款", "split"),
                    ("安全生产条件", "第十七条", "第二十条", "renumbered")}
    assert r["by_township"] == {"周铁镇": 2} and r["items_touched"] == 2
    row = next(x for x in r["items"] if x["change"] == "split")
    assert row["old_text"].startswith("国务院和县级以上") and "乡镇人民政府和街道办事处" in row["new_text"]
    assert row["posts"] == ["应急管理办公室"] and "审查" in row["action"]
    # who leads and which departments are involved come with each row, and group the worklist
    assert row["leads"] == ["应急管理办公室"] and row["departments"] == []
    assert r["by_department"] == {"(无部门)": 2}
    deleted = c.get("/api/laws/行政处罚法/impact").json()["items"]
    assert [(x["item"], x["change"]) for x in deleted] == [("罚缴分离实施办法", "deleted")]
    assert "新的依据" in deleted[0]["action"]
    xlsx = c.get("/api/laws/安全生产法/impact", params={"format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    header = [x.value for x in ws[1]]
    assert header[-3:] == ["审核结论", "审核人", "审核日期"] and ws.max_row == 3


def test_repeal_follows_the_replacement(before_amendments):
    r = before_amendments.get("/api/laws/信访条例/impact", params={"repeal": "2022-05-01"}).json()
    (row,) = r["items"]
    assert row["change"] == "repealed" and row["new_label"] == "第十七条" and "废止" in row["action"]
    assert r["law"] == "信访条例 → 信访工作条例"


def test_basis_as_of_a_date(before_amendments):
    c = before_amendments
    item = c.get("/api/search", params={"q": "安全生产条件"}).json()["items"][0]
    then = c.get(f"/api/items/{item['id']}/basis", params={"as_of": "2015-01-01"}).json()
    now = c.get(f"/api/items/{item['id']}/basis", params={"as_of": "2025-01-01"}).json()
    assert then[0]["version"] == "2014-08-31" and now[0]["version"] == "2021-06-10"
    # followed by content, not by number: 2014 第十七条 (安全生产条件) is 2021 第二十条
    assert (then[0]["article"], now[0]["article"]) == (17, 20) and "按内容对应" in now[0]["note"]
    assert "安全生产条件" in now[0]["text"]


def test_new_version_reresolves_citations(store, tmp_path):
    load(store, [LAWS / SAFETY[0]], [(old_list(tmp_path / "a.xlsx"), "周铁镇", "2025-06-30")])
    status = lambda: {r["raw"][-6:]: (r["status"], r["suggested"]) for r in store.run_cypher(  # noqa: E731
        "MATCH (c:Citation) WHERE c.law_title = '中华人民共和国安全生产法' RETURN c.raw AS raw, c.status AS status, "
        "c.suggested AS suggested")}
    assert status()["第八条第三款"][0] == "resolved"  # only the 2014 text is known so far
    report, relinked = load_laws(store, [LAWS / SAFETY[1]])
    assert report.aligned > 100 and relinked is not None
    assert status()["第八条第三款"] == ("suspicious", "中华人民共和国安全生产法@2021-06-10#第九条")
    assert store.run_cypher("MATCH (a:Article)-[s:SUCCEEDED_BY]->(b:Article) WHERE a.id ENDS WITH '#第十七条' "
                            "AND s.change = 'renumbered' RETURN b.label AS l") == [{"l": "第二十条"}]


def test_sample_impact_finds_the_planted_superseded_numbering(sample_store):
    with TestClient(create_app(Settings(), store=sample_store)) as c:
        r = c.get("/api/laws/安全生产法/impact", params={"from": "2014-08-31", "to": "2021-06-10"}).json()
    expected = {row["id"] for row in sample_store.run_cypher(
        "MATCH (:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)-[:HAS_BASIS]->(c:Citation) "
        "WHERE c.law_title = '中华人民共和国安全生产法' AND c.status = 'suspicious' RETURN DISTINCT i.id AS id")}
    got = {x["item_id"] for x in r["items"]}
    assert got and got <= expected
    planted = [x for x in r["items"] if x["old_label"] == "第八条第三款"]
    assert planted and all(x["new_label"] == "第九条第二款" for x in planted)
    assert sum(r["by_township"].values()) == r["total"]


def test_diff_endpoint_lists_every_article_once(before_amendments):
    d = before_amendments.get("/api/laws/安全生产法/diff").json()
    assert (d["old"], d["new"]) == ("2014-08-31", "2021-06-10")
    pairs = {(p["old"], p["new"], p["change"]) for p in d["pairs"]}
    assert {(17, 20, "renumbered"), (8, 9, "split"), (None, 12, "added")} <= pairs
    assert {p["new"] for p in d["pairs"] if p["new"]} == set(range(1, 120))
    assert before_amendments.get("/api/laws/信访工作条例/diff").status_code == 404  # one version only


def test_impact_reads_roles_kept_on_items_and_a_graph_from_before_gets_them(store, tmp_path):
    """Items carry their role edges as `roles` (one statement for a law's impact); a graph written before they
    did gets them at open and gives the same worklist."""
    from dutygraph.services.impact import ImpactService

    load(store, [LAWS / p for p in SAFETY], [(old_list(tmp_path / "a.xlsx"), "周铁镇", "2020-01-01")])
    service = ImpactService(store)
    kept = service.change("安全生产法", "2014-08-31", "2021-06-10", None)
    roles = {r["roles"][0] for r in store.run_cypher(
        "MATCH (i:DutyItem {name: '安全生产监督检查'}) RETURN i.roles AS roles")}
    assert roles == {"LED_BY|Post|应急管理办公室"}
    store.run_cypher("MATCH (i:DutyItem) SET i.roles = null", write=True)
    store.run_cypher("MATCH (l:DutyList) SET l.item_roles = null", write=True)
    assert store.upgrade() >= 4
    assert service.change("安全生产法", "2014-08-31", "2021-06-10", None) == kept
    assert {(x["item"], tuple(x["leads"]), tuple(x["posts"])) for x in kept["items"]} == {
        ("安全生产监督检查", ("应急管理办公室",), ("应急管理办公室",)),
        ("安全生产条件", ("应急管理办公室",), ("应急管理办公室",))}
