"""Every shape of basis_formats.md, on cells of our own making (the real cells are in bench/data/basis_cells.csv)."""

import pytest

from ingest.extract import normalise_cell, parse_citations
from ingest.titles import TitleResolver

CASES = [
    ("《中华人民共和国消防法》第五条第一款、第二款", [("中华人民共和国消防法", 5, 1, None), ("中华人民共和国消防法", 5, 2, None)]),
    ("《消防法》第三十、三十二、三十四条", [("消防法", 30, None, None), ("消防法", 32, None, None), ("消防法", 34, None, None)]),
    ("《消防法》第二十六条第三、四、五、六项", [("消防法", 26, None, n) for n in (3, 4, 5, 6)]),
    ("《消防法》第九条第（三）（五）项", [("消防法", 9, None, 3), ("消防法", 9, None, 5)]),
    ("《消防法》十七条三款", [("消防法", 17, 3, None)]),
    ("《消防法》第二十七条(三)项", [("消防法", 27, None, 3)]),
    ("《消防法》第 四十 二条", [("消防法", 42, None, None)]),
    ("《消防法》第四章第二十条", [("消防法", 20, None, None)]),
    ("《消防法》第25条", [("消防法", 25, None, None)]),
    ("《中華人民共和國政府信息公開條例》(國務院令第711號)第二條", [("中华人民共和国政府信息公开条例", 2, None, None)]),
    ("《城市道路管理条例》（根据《国务院关于修改部分行政法规的决定》修订）第十条", [("城市道路管理条例", 10, None, None)]),
    ("国务院令[2013]第641号《城镇排水与污水处理条例》第五十四条", [("城镇排水与污水处理条例", 54, None, None)]),
    ("《某暂行办法》第649号", [("某暂行办法", None, None, None)]),
    ("依据：中华人民共和国消防法》第五条", [("中华人民共和国消防法", 5, None, None)]),
    ("1【行政法规】《城市道路管理条例》第三条；2.《消防法》第十三条第一款、第二款，第五十八条",
     [("城市道路管理条例", 3, None, None), ("消防法", 13, 1, None), ("消防法", 13, 2, None), ("消防法", 58, None, None)]),
    ("《消防法》第二十五条第一款第（三）项、第（四）项", [("消防法", 25, 1, 3), ("消防法", 25, 1, 4)]),
    ("《药品管理法》第十六条药品经营企业必须有十四周岁以上的人员，依照本法第四十四条第一款规定。\n第十七条 药品经营企业应当……",
     [("药品管理法", 16, None, None), ("药品管理法", 17, None, None)]),
    ("《消防法》第三条至第五条", [("消防法", n, None, None) for n in (3, 4, 5)]),
    ("《天津市实施〈中华人民共和国水法〉办法》第十条", [("天津市实施〈中华人民共和国水法〉办法", 10, None, None)]),
    ("《消防法》第三十条第四项", [("消防法", 30, None, 4)]),
    ("《消防法》第六十五条 第一款", [("消防法", 65, 1, None)]),
    ("《消防法》第十条（一）项", [("消防法", 10, None, 1)]),
]


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
