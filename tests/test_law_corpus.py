"""The law corpus as LawRefBook lays it out: every document shape on small files of our own, and the whole
laws-full folder (1,935 files) read with nothing dropped without a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from dutygraph.ingest.law_parser import read_corpus
from dutygraph.ingest.laws import ingest_laws

from tests.conftest import SHARED

INDEX = "---\nbookCollapseSection: true\n---\n"


def _write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A miniature LawRefBook checkout: category folders with _index.md pages, a law in parts, a decision
    numbered 一、二、, a 修正案, an unnumbered notice, a regulation with a decree, a local regulation, a
    ministry rule, the same law filed under two categories, and a file without any date."""
    r = tmp_path / "Laws"
    for folder in ("行政法", "经济法", "行政法规", "司法解释", "部门规章", "部门规章/公安部", "刑法", "民法典",
                   "DLC/浙江地方法规/地方性法规/浙江", "其他"):
        _write(r, f"{folder}/_index.md", INDEX)
    _write(r, "行政法/甲法(2020-01-01).md",
           "# 中华人民共和国甲法\n\n2020年1月1日 第十三届全国人民代表大会常务委员会第十五次会议通过\n\n<!-- INFO END -->\n\n"
           "## 第一章 总则\n\n第一条 为了甲，制定本法。\n\n第二条 乡、镇人民政府负责甲。\n\n街道办事处协助。\n")
    _write(r, "经济法/甲法(2020-01-01).md", (r / "行政法/甲法(2020-01-01).md").read_text(encoding="utf-8"))
    _write(r, "行政法规/乙条例(2019-03-24).md",
           "# 乙条例\n\n1996年6月4日 中华人民共和国国务院令第198号发布\n\n2019年3月24日 中华人民共和国国务院令第710号修订\n\n"
           "<!-- INFO END -->\n\n第一条 乙。\n\n第二条 丙：\n\n（一）丁；\n\n（二）戊。\n")
    for part, first, n in (("总则", 1, 2), ("物权编", 3, 2)):
        body = "\n\n".join(f"第{'一二三四'[k - 1]}条 内容{k}。" for k in range(first, first + n))
        _write(r, f"民法典/{part}.md", f"# 中华人民共和国民法典\n\n# {part}\n\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n"
               f"<!-- INFO END -->\n\n{body}\n")
    _write(r, "司法解释/最高人民法院关于某问题的决定(2021-03-01).md",
           "# 最高人民法院关于某问题的决定\n\n2021年2月1日 最高人民法院审判委员会第1800次会议通过\n\n<!-- INFO END -->\n\n"
           "为了某事，决定如下：\n\n一、将第一条修改为：甲。\n\n1.细则甲\n\n2.细则乙\n\n二、本决定自公布之日起施行。\n")
    _write(r, "刑法/刑法修正案（十一）.md",
           "# 中华人民共和国刑法修正案（十一）\n\n2020年12月26日 第十三届全国人民代表大会常务委员会第二十四次会议通过\n\n"
           "<!-- INFO END -->\n\n一、将刑法第十七条修改为：“……”\n\n二、在刑法第一百三十三条之一后增加一条。\n")
    _write(r, "刑法/刑法(2020-12-26).md", "# 中华人民共和国刑法\n\n<!-- INFO END -->\n\n第一条 刑。\n")
    _write(r, "其他/某通知(1981-04-06).md", "# 某通知\n\n<!-- INFO END -->\n\n各地：请按此办理。\n\n特此通知。\n")
    _write(r, "部门规章/公安部/丙规定(2021-12-17).md", "# 丙规定\n\n<!-- INFO END -->\n\n第一条 丙。\n")
    _write(r, "DLC/浙江地方法规/地方性法规/浙江/浙江省丁条例(2016-07-29).md",
           "# 浙江省丁条例\n\n2016年7月29日 浙江省第十二届人民代表大会常务委员会第三十一次会议修订\n\n<!-- INFO END -->\n\n"
           "第一条 丁。\n")
    _write(r, "其他/攻略.md", "# 某攻略\n\n<!-- INFO END -->\n\n一些建议。\n")
    _write(r, "其他/坏文件(2020-01-01).md", "没有标题也没有元数据\n")
    return r


def test_every_shape_is_read_and_every_skip_has_a_reason(tree: Path):
    corpus = read_corpus([tree])
    assert corpus.files == 13  # the ten _index.md pages are not sources
    by_title = {d.title: d for d in corpus.docs}
    civil = by_title["中华人民共和国民法典"]
    assert [a.number for a in civil.articles] == [1, 2, 3, 4] and civil.level == "法律"
    decision = by_title["最高人民法院关于某问题的决定"]
    assert decision.shape == "sections" and [a.label for a in decision.articles] == ["一、", "二、"]
    assert "1.细则甲" in decision.articles[0].text  # sub-numbering stays inside its section
    assert decision.level == "司法解释" and decision.issuer == "最高人民法院审判委员会"
    amendment = by_title["中华人民共和国刑法修正案(十一)"]
    assert amendment.amends == "刑法" and amendment.shape == "sections"
    notice = by_title["某通知"]
    assert notice.shape == "text" and notice.articles[0].label == "全文" and notice.level == "规范性文件"
    reg = by_title["乙条例"]
    assert reg.level == "行政法规" and reg.decree == "中华人民共和国国务院令第710号" and reg.issuer == "国务院"
    assert [pt.number for pt in reg.articles[1].paragraphs[0].points] == [1, 2]
    assert by_title["丙规定"].level == "部门规章" and by_title["丙规定"].issuer == "公安部"
    local = by_title["浙江省丁条例"]
    assert (local.level, local.region, local.issuer) == ("地方性法规", "浙江", "浙江省人民代表大会常务委员会")
    assert by_title["中华人民共和国甲法"].issuer == "全国人民代表大会常务委员会"
    failed = {Path(e.file).name: e.why for e in corpus.failed}
    assert set(failed) == {"攻略.md", "坏文件(2020-01-01).md"}
    assert "no version date" in failed["攻略.md"] and "unknown format" in failed["坏文件(2020-01-01).md"]


def test_load_links_amendments_dedupes_and_reports(store, tree: Path):
    report = ingest_laws(store, [tree])
    assert len(report.failed) == 2 and len(report.duplicates) == 1  # 甲法 filed under two categories
    assert report.levels["法律"] == 4
    amends = store.run_cypher("MATCH (v:LawVersion)-[a:AMENDS]->(l:Law) RETURN v.title AS v, l.id AS law, a.date AS d")
    assert amends == [{"v": "中华人民共和国刑法修正案(十一)", "law": "中华人民共和国刑法", "d": "2020-12-26"}]
    law = store.run_cypher("MATCH (l:Law {id: '乙条例'})-[:HAS_VERSION]->(v) RETURN l.level AS level, v.decree AS d")
    assert law == [{"level": "行政法规", "d": "中华人民共和国国务院令第710号"}]
    again = ingest_laws(store, [tree])
    assert again.loaded == [] and len(again.unchanged) == 9


@pytest.mark.skipif(not (SHARED / "laws-full").is_dir(), reason="laws-full not beside the clone")
def test_whole_laws_full_folder_is_read_with_nothing_dropped_silently():
    corpus = read_corpus([SHARED / "laws-full"])
    assert corpus.files == 1935 - 16  # every file but the 16 site index pages
    assert len(corpus.docs) + len(corpus.failed) + 7 == corpus.files  # 民法典: 8 part files → 1 law
    assert all(e.why for e in corpus.failed) and len(corpus.failed) <= 2
    titles = {d.title for d in corpus.docs}
    assert len(titles) >= 1500
    for t in ("城市道路管理条例", "中华人民共和国民法典", "浙江省安全生产条例", "中华人民共和国政府信息公开条例"):
        assert t in titles, t
    civil = next(d for d in corpus.docs if d.title == "中华人民共和国民法典")
    assert len(civil.articles) == 1260
    levels = {d.level for d in corpus.docs}
    assert {"法律", "行政法规", "司法解释", "部门规章", "地方性法规"} <= levels
