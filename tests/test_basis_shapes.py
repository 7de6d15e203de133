"""Every shape of basis_formats.md, on cells of our own making (bench/data/basis_shapes.csv; bench.basis scores them)."""

import csv
import json
from pathlib import Path

import pytest
from dutygraph.ingest.extract import normalise_cell, parse_citations
from dutygraph.ingest.titles import TitleResolver

SHAPES = Path(__file__).resolve().parent.parent / "bench" / "data" / "basis_shapes.csv"
with SHAPES.open(encoding="utf-8") as f:
    CASES = [(r["cell"], [tuple(x) for x in json.loads(r["expected"])]) for r in csv.DictReader(f)]


@pytest.mark.parametrize(("cell", "expected"), CASES)
def test_every_real_shape(cell, expected):
    got = [(r.law, r.article, r.paragraph, r.point) for _, _, r in parse_citations(normalise_cell(cell))]
    assert got == expected


def test_decree_note_is_kept_for_the_resolver():
    refs = [r for _, _, r in parse_citations(normalise_cell("《X条例》（国务院令第663号）第五条"))]
    assert refs[0].decree == "国务院令第663号"


LAWS = [{"id": t, "title": t, "short_title": t.removeprefix("中华人民共和国")} for t in (
    "中华人民共和国政府信息公开条例", "中华人民共和国安全生产法", "城市道路管理条例", "中华人民共和国水污染防治法",
    "中华人民共和国大气污染防治法", "生产安全事故报告和调查处理条例", "最高人民法院关于审理行政许可案件若干问题的规定")]


def test_titles_match_with_their_method():
    r = TitleResolver(LAWS, [{"law_id": "城市道路管理条例", "decree": "中华人民共和国国务院令第198号", "date": "1996-06-04"}])
    assert r.match("中华人民共和国安全生产法").method == "exact"
    assert r.match("安全生产法").method == "short"
    assert r.match("信息公开条例").law_id == "中华人民共和国政府信息公开条例"  # the alias table
    assert r.match("信息公开条例").method == "alias"
    assert r.match("中華人民共和國安全生產法").method == "traditional"
    assert r.match("某条例", "国务院令第198号").method == "decree"
    m = r.match("生产安全事故报告与调查处理条例")  # slightly off
    assert (m.law_id, m.method) == ("生产安全事故报告和调查处理条例", "fuzzy") and 0.78 <= m.score < 1
    assert r.match("国务院关于印发《城市道路管理条例》的通知").method == "notice"
    assert r.match("中华人民共和国不存在法").method == "none"
    assert r.match("污染防治法").law_id is None  # fits two laws equally: reported, not guessed


def test_fuzzy_matching_never_crosses_jurisdictions():
    # found on a real row (R01): 安徽省人口与计划生育条例 is not in the corpus; 浙江省's regulation differs
    # by two characters and is another province's law
    laws = [{"id": t, "title": t, "short_title": t} for t in ("浙江省人口与计划生育条例", "城市道路管理条例")]
    r = TitleResolver(laws)
    assert r.match("安徽省人口与计划生育条例").law_id is None
    assert r.match("浙江省人口和计划生育条例").law_id == "浙江省人口与计划生育条例"  # same province, slightly off
    assert r.match("城市道路管理条列").law_id == "城市道路管理条例"  # a typo; 城市 is not a place


def test_a_garbled_title_ends_the_previous_scope_and_is_known_by_its_decree():
    # the shape of a real PDF copy: the second title lost its 《 and turned to mojibake, its decree has an l for 1
    cell = normalise_cell("《城市市容和环境卫生管理条例》第十四条 任何单位不得堆放物料。手续!冻鞘械缆饭芾項l例》"
                          "(國務院令第l98號)第二十七條 禁止下列行为。第二十九條 依附于城市道路建设管线的，应当批准。")
    refs = [r for _, _, r in parse_citations(cell)]
    assert [(r.law, r.article) for r in refs] == [("城市市容和环境卫生管理条例", 14), ("冻鞘械缆饭芾项l例", 27),
                                                  ("冻鞘械缆饭芾项l例", 29)]
    r = TitleResolver([{"id": "城市道路管理条例", "title": "城市道路管理条例", "short_title": "城市道路管理条例"}],
                      [{"law_id": "城市道路管理条例", "decree": "中华人民共和国国务院令第198号", "date": "1996-06-04"}])
    assert r.match(refs[1].law, refs[1].decree).law_id == "城市道路管理条例"


def test_a_measure_issued_by_a_notice_is_cited_as_the_measure_even_outside_the_corpus():
    from dutygraph.ingest.basis import parse_basis
    from dutygraph.ingest.extract import Extractor

    r = TitleResolver(LAWS, [])
    ex = Extractor()
    (p,) = parse_basis("《某省某厅关于印发〈某省农村公路养护管理实施办法〉的通知》第五条", ex, r, {})
    assert (p["law"], p["matched"], p["article"]) == ("某省农村公路养护管理实施办法", None, 5)  # never a law invented
    (whole,) = parse_basis("《某省某厅关于印发〈某省农村公路养护管理实施办法〉的通知》", ex, r, {})
    assert whole["law"].startswith("某省某厅关于印发") and whole["article"] is None  # the notice cited as itself


def test_a_close_title_of_another_kind_of_document_is_another_document():
    r = TitleResolver([{"id": "某省城市市容和环境卫生管理条例", "title": "某省城市市容和环境卫生管理条例",
                        "short_title": "某省城市市容和环境卫生管理条例"}], [])
    assert r.match("某省城市市容和环境卫生管理实施办法").law_id is None  # 实施办法 is not the 条例
    assert r.match("某省城市市容与环境卫生管理条例").law_id == "某省城市市容和环境卫生管理条例"  # same kind: fuzzy


def test_a_title_with_its_last_word_dropped_is_completed_only_when_one_law_fits():
    r = TitleResolver(LAWS)
    m = r.match("中华人民共和国安全生产")
    assert (m.law_id, m.method) == ("中华人民共和国安全生产法", "fuzzy") and m.score < 1
    assert r.match("中华人民共和国不存在").law_id is None  # never invented
    # and the parser takes a title without a document kind as a citation only when an article follows it
    assert [c.law for _, _, c in parse_citations("《中华人民共和国安全生产》第九条")] == ["中华人民共和国安全生产"]
    assert parse_citations("发放《农村五保供养证书》") == []
