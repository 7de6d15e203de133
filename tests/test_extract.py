import csv

import pytest
from dutygraph.ingest.basis import parse_basis
from dutygraph.ingest.titles import TitleResolver

from tests.conftest import SHARED, get_extractor, need_shared

TITLES = ("中华人民共和国安全生产法", "安全生产法", "中华人民共和国消防法", "消防法")


@pytest.fixture(scope="module")
def ex():
    return get_extractor(TITLES)


def refs(ex, text):
    return [(c.law, c.article, c.paragraph, c.point) for c in ex.citations(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("《中华人民共和国安全生产法》第九条第二款", [("中华人民共和国安全生产法", 9, 2, None)]),
    ("《安全生产法》第五条、第七条", [("安全生产法", 5, None, None), ("安全生产法", 7, None, None)]),
    ("《消防法》第十条至第十二条", [("消防法", 10, None, None), ("消防法", 11, None, None), ("消防法", 12, None, None)]),
    ("《安全生产法》第9条第2款", [("安全生产法", 9, 2, None)]),
    ("《土地管理法》第四十四条第一款第（三）项", [("土地管理法", 44, 1, 3)]),
    ("《中华人民共和国安全\n生产法》第八条第三款", [("中华人民共和国安全生产法", 8, 3, None)]),
    ("《烈士褒扬条例》(2011年7月20日国务院令第601号公布 ,2024年9月27日修订)第三十三条:对烈士纪念设施实行分级保护",
     [("烈士褒扬条例", 33, None, None)]),
    ("1、《安全生产法》第九条；2、《消防法》第三十一条", [("安全生产法", 9, None, None), ("消防法", 31, None, None)]),
    ("安全生产法第九十七条", [("安全生产法", 97, None, None)]),
    ("《安全生产法》第九条 乡镇人民政府“依照本法第八十七条的规定”和违反本法第十六条", [("安全生产法", 9, None, None)]),
    ("《安全生产法》第九十七条：违反本法规定，依照《中华人民共和国治安管理处罚法》的规定处罚",
     [("安全生产法", 97, None, None)]),
    ("依照《中华人民共和国治安管理处罚法》的规定", [("中华人民共和国治安管理处罚法", None, None, None)]),
    ("核销其《农村五保供养证书》", []),
    ("相关法律法规", []),
    ("", []),
])
def test_citation_shapes(ex, text, expected):
    assert refs(ex, text) == expected


def test_vague_bases_are_recorded_not_cited(ex):
    assert ex.vague("依据相关法律法规和上级文件") == ["相关法律法规", "上级文件"]
    assert ex.citations("依据相关法律法规") == []
    assert ex.vague("《安全生产法》第九条") == []


def test_inline_quoted_text_is_kept_for_checking(ex):
    (c,) = ex.citations("《安全生产法》第九十四条：“生产经营单位有下列行为之一的，责令限期改正”")
    assert c.quoted.startswith("生产经营单位有下列行为之一")


def test_organisations_resolve_aliases_and_report_unknown_names(ex):
    mentions, unknown = ex.organisations("市应急局、丁蜀派出所、市场监管所和某某协会", ("department",))
    assert [(m.org.id, m.org.kind) for m in mentions] == [
        ("市应急管理局", "department"), ("派出所", "agency"), ("市场监督管理所", "agency")]
    assert unknown == ["某某协会"]
    # the column decides between a county department and a township post of the same name
    (dept,), _ = ex.organisations("市综合行政执法局", ("department",))
    (post,), _ = ex.organisations("综合行政执法局", ("post",))
    assert (dept.org.kind, post.org.kind) == ("department", "post")


def test_real_rows(ex):
    need_shared()
    with (SHARED / "lists" / "real_rows.csv").open(encoding="utf-8") as f:
        rows = {r["row_id"]: r["legal_basis_raw"] for r in csv.DictReader(f)}
    assert refs(ex, rows["R01"]) == [("安徽省人口与计划生育条例", 39, None, None), ("安徽省人口与计划生育条例", 49, None, None)]
    assert refs(ex, rows["R02"]) == [("中华人民共和国土地管理法", 15, 1, None), ("中华人民共和国土地管理法", 15, 2, None)]
    assert refs(ex, rows["R03"]) == [("烈士褒扬条例", 33, None, None), ("烈士纪念设施保护管理办法", 9, 2, None)]
    assert all(refs(ex, rows[r]) == [] for r in ("R04", "R05", "R06", "R07"))
    assert refs(ex, rows["R08"]) == [("烟花爆竹经营许可实施办法", 32, None, None),
                                     ("中华人民共和国安全生产法", 94, None, None), ("江苏省安全生产条例", 50, None, None)]


def test_real_rows_resolve_and_flag_superseded_numbering(laws_store):
    from dutygraph.ingest.resolve import LawIndex

    need_shared()
    index = LawIndex.load(laws_store)
    ex = get_extractor(tuple(index.titles))
    with (SHARED / "lists" / "real_rows.csv").open(encoding="utf-8") as f:
        rows = {r["row_id"]: r for r in csv.DictReader(f)}
    r08 = [index.resolve(c, "2025-01-01", "") for c in ex.citations(rows["R08"]["legal_basis_raw"])]
    assert [r.status for r in r08] == ["unknown_law", "suspicious", "unknown_law"]
    assert r08[1].suggested == "中华人民共和国安全生产法@2021-06-10#第九十七条"
    assert "2014-08-31" in r08[1].note
    r02 = [index.resolve(c, "2022-09-15", rows["R02"]["item_name"]) for c in ex.citations(rows["R02"]["legal_basis_raw"])]
    assert r02[0].status == "suspicious" and r02[0].suggested.endswith("#第十三条")  # 2004 第十五条 = 2019 第十三条
    # a citation of the duty by its 2021 number resolves cleanly, as of a 2021 date and later
    (ok,) = ex.citations("《安全生产法》第九条第二款")
    good = index.resolve(ok, "2025-01-01", "对本行政区域内生产经营单位安全生产状况进行监督检查")
    assert (good.status, good.target_kind) == ("resolved", "Paragraph")
    missing = index.resolve(ex.citations("《安全生产法》第九百条")[0], "2025-01-01", "")
    assert missing.status == "unresolved"
    before = index.resolve(ok, "1990-01-01", "")
    assert before.status == "unresolved" and "2014-08-31" in before.note


def test_basis_output_uses_full_titles(ex):
    law = "中华人民共和国安全生产法"
    titles = TitleResolver([{"id": law, "title": law, "short_title": "安全生产法"}])
    out = parse_basis("《安全生产法》第九条第二款、第十条；《某省条例》第三条", ex, titles, {law: "法律"})
    assert [(o["law"], o["article"], o["paragraph"], o["how"], o["level"]) for o in out] == [
        (law, 9, 2, "short", "法律"), (law, 10, None, "short", "法律"), ("某省条例", 3, None, "none", "")]
