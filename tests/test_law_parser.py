import re
from pathlib import Path

import pytest
from dutygraph.ingest.law_parser import LawParseError, nfkc, parse_file, parse_source, read_corpus
from dutygraph.ingest.numerals import cn_to_int, int_to_cn

from tests.conftest import LAWS, need_shared

HEADING = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+条[ \u3000]")


def _headings(path: Path) -> int:
    files = sorted(p for p in path.glob("*.md") if p.name != "_index.md") if path.is_dir() else [path]
    n = 0
    for f in files:
        lines = f.read_text(encoding="utf-8").splitlines()
        # the body starts after the metadata; the export's table of contents holds no 第X条 lines
        start = next((i for i, s in enumerate(lines) if "INFO END" in s), 0)
        n += sum(1 for s in lines[start:] if HEADING.match(s.strip()))
    return n


def test_numerals_round_trip():
    assert cn_to_int("一百一十四") == 114
    assert cn_to_int("十") == 10
    assert cn_to_int("一百零五") == 105
    assert cn_to_int("一千二百六十") == 1260
    assert cn_to_int("９７") == 97
    assert all(cn_to_int(int_to_cn(i)) == i for i in range(1, 1300))
    with pytest.raises(ValueError):
        cn_to_int("第")


def test_every_law_file_parses_without_losing_or_merging_articles():
    need_shared()
    corpus = read_corpus([LAWS])
    assert corpus.files == 79 and not corpus.failed  # 80 files, one of them the site index 民法典/_index.md
    assert len(corpus.docs) == 72  # 民法典's 8 part files are one law (recognised from their `# part` titles)
    for doc in corpus.docs:
        path = Path(doc.source_file)
        assert len(doc.articles) == _headings(path), path
        numbers = [a.number for a in doc.articles]
        assert numbers == list(range(1, len(numbers) + 1)), f"{path}: numbering not consecutive"
        assert all(a.paragraphs for a in doc.articles), path
        assert not doc.warnings, (path, doc.warnings)


def test_export_format_reads_front_matter_and_skips_table_of_contents():
    need_shared()
    doc = parse_file(LAWS / "older_versions_flk" / "中华人民共和国安全生产法(2014-08-31).md")
    assert (doc.title, doc.date, doc.source_format) == ("中华人民共和国安全生产法", "2014-08-31", "flk")
    art8 = doc.articles[7]
    assert art8.label == "第八条" and art8.chapter == "第一章 总则"
    assert len(art8.paragraphs) == 3
    assert art8.paragraphs[2].text.startswith("乡、镇人民政府以及街道办事处")


def test_points_belong_to_their_paragraph():
    need_shared()
    doc = parse_file(LAWS / "current_lawrefbook" / "行政法规" / "信访工作条例(2022-02-25).md")
    art5 = doc.articles[4]
    assert [p.number for p in art5.paragraphs[0].points] == [1, 2, 3, 4, 5]
    assert art5.paragraphs[0].points[0].text.startswith("（一）坚持党的全面领导")


def test_multipart_law_is_one_version_with_parts_and_chapters():
    need_shared()
    doc = parse_source(LAWS / "current_lawrefbook" / "民法典", "民法典")
    assert doc.title == "中华人民共和国民法典" and doc.date == "2020-05-28"
    assert len(doc.articles) == 1260
    a = doc.articles[300]
    assert (a.part, a.chapter) == ("物权编 第二分编 所有权", "第八章 共有")


def test_bad_files_are_reported_with_file_and_line(tmp_path: Path):
    no_title = tmp_path / "x(2020-01-01).md"
    no_title.write_text("some text\n<!-- INFO END -->\n第一条 内容\n", encoding="utf-8")
    with pytest.raises(LawParseError, match="no title"):
        parse_file(no_title)
    empty = tmp_path / "y(2020-01-01).md"
    empty.write_text("# 某某法\n<!-- INFO END -->\n\n", encoding="utf-8")
    with pytest.raises(LawParseError) as e:
        parse_file(empty)
    assert e.value.line == 3 and "empty body" in e.value.why


def test_gap_in_numbering_is_a_warning(tmp_path: Path):
    f = tmp_path / "某法(2020-01-01).md"
    f.write_text("# 某法\n<!-- INFO END -->\n第一条 甲。\n第三条 乙。\n", encoding="utf-8")
    doc = parse_file(f)
    assert [w.line for w in doc.warnings] == [4]


def test_nfkc_normalises_full_width():
    assert nfkc("（一）１２３，") == "(一)123,"
