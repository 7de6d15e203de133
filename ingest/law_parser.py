"""Parse law texts into Law → version → 条 (article) → 款 (paragraph) → 项 (point).

Two formats are read:
- LawRefBook Markdown: `# title`, history lines, `<!-- INFO END -->`, headings, `第X条 text` lines;
  a folder with `_index.md` (民法典) is one law whose parts (编) are the other files.
- The national database export: YAML front matter, the table of contents repeated before the body,
  a full-width space after 第X条.
Headings are classified by their text (编/分编/章/节), not by their Markdown level, because the two
sources use different levels.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ingest.numerals import CN_NUMERAL_CHARS, cn_to_int

_NUM = f"[{CN_NUMERAL_CHARS}0-9]+"
ARTICLE_RE = re.compile(rf"^第({_NUM})条(?:之({_NUM}))?[ \t\u3000]+(.*)$")
LOOSE_ARTICLE_RE = re.compile(rf"^第({_NUM})条")
POINT_RE = re.compile(rf"^[（(]({_NUM})[)）]\s*")
HEADING_RE = re.compile(rf"^第({_NUM})(编|分编|章|节)\s*(.*)$")
DATE_IN_NAME = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
SHORT_PREFIX = "中华人民共和国"


class LawParseError(ValueError):
    def __init__(self, file: str, line: int, why: str) -> None:
        super().__init__(f"{file}:{line}: {why}")
        self.file, self.line, self.why = file, line, why


@dataclass
class Point:
    number: int
    text: str


@dataclass
class Paragraph:
    number: int
    text: str
    points: list[Point] = field(default_factory=list)


@dataclass
class Article:
    number: int
    label: str
    part: str = ""
    chapter: str = ""
    section: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    line: int = 0
    stored_text: str = ""  # the full text as read back from the graph, where points are not loaded

    @property
    def text(self) -> str:
        if self.stored_text:
            return self.stored_text
        out = []
        for p in self.paragraphs:
            out.append(p.text)
            out.extend(pt.text for pt in p.points)
        return "\n".join(out)


@dataclass
class LawVersionDoc:
    title: str
    date: str
    category: str
    source_file: str
    source_format: str
    history: str
    articles: list[Article]
    warnings: list[LawParseError] = field(default_factory=list)

    @property
    def short_title(self) -> str:
        return short_title(self.title)

    @property
    def content_hash(self) -> str:
        h = hashlib.sha256()
        for a in self.articles:
            h.update(f"{a.number}|{a.chapter}|{a.section}|{a.text}\n".encode())
        return h.hexdigest()[:16]


def short_title(title: str) -> str:
    t = nfkc(title).strip()
    return t[len(SHORT_PREFIX):] if t.startswith(SHORT_PREFIX) and len(t) > len(SHORT_PREFIX) else t


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _clean_heading(text: str) -> str:
    return re.sub(r"\s+", " ", nfkc(text)).strip()


def _compact(text: str) -> str:
    # "总　　则" → "总则": the export pads short headings with full-width spaces
    head, _, rest = text.partition(" ")
    return f"{head} {rest.replace(' ', '')}".strip() if rest else head


def _iso(m: re.Match[str]) -> str:
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    meta: dict[str, str] = {}
    for i in range(1, len(lines)):
        s = lines[i].strip()
        if s.startswith("---"):
            return meta, i + 1
        key, sep, value = s.partition(":")
        if sep and not key.startswith("-"):
            meta[key.strip()] = value.strip().strip('"')
    return meta, 0


class _Builder:
    """Walks body lines, keeping the current headings, article and paragraph."""

    def __init__(self, file: str, part: str = "") -> None:
        self.file = file
        self.part, self.chapter, self.section = part, "", ""
        self.book = part  # the 编 a subpart (分编) belongs to
        self.articles: list[Article] = []
        self.warnings: list[LawParseError] = []

    def feed(self, lineno: int, raw: str) -> None:
        s = raw.strip().lstrip("\ufeff")
        if not s or s.startswith("<!--"):
            return
        if s.startswith("#"):
            return self._heading(s.lstrip("#").strip())
        n = nfkc(s)
        m = ARTICLE_RE.match(n)
        if m:
            number = cn_to_int(m.group(1))
            label = f"第{m.group(1)}条" + (f"之{m.group(2)}" if m.group(2) else "")
            body = ARTICLE_RE.match(s.replace("\u3000", " ", 1))
            text = (body.group(3) if body else m.group(3)).strip()
            self.articles.append(Article(number, label, self.part, self.chapter, self.section,
                                         [Paragraph(1, text)] if text else [], lineno))
            return
        if LOOSE_ARTICLE_RE.match(n) and not self.articles:
            self.warnings.append(LawParseError(self.file, lineno, "第X条 without a space after it"))
        if not self.articles:
            return  # preamble, history or table of contents before the first article
        art = self.articles[-1]
        pm = POINT_RE.match(n)
        if pm and art.paragraphs:
            art.paragraphs[-1].points.append(Point(cn_to_int(pm.group(1)), s))
        else:
            art.paragraphs.append(Paragraph(len(art.paragraphs) + 1, s))

    def _heading(self, text: str) -> None:
        clean = _compact(_clean_heading(text))
        m = HEADING_RE.match(clean)
        if not m:
            return
        kind = m.group(2)
        if kind == "编":
            self.book = self.part = clean
            self.chapter = self.section = ""
        elif kind == "分编":
            self.part, self.chapter, self.section = f"{self.book} {clean}".strip(), "", ""
        elif kind == "章":
            self.chapter, self.section = clean, ""
        else:
            self.section = clean


def _check_numbering(doc_file: str, articles: list[Article], warnings: list[LawParseError]) -> None:
    expected = articles[0].number if articles else 1
    for a in articles:
        if a.label.count("之"):
            continue
        if a.number != expected:
            warnings.append(LawParseError(doc_file, a.line, f"article {a.number} follows {expected - 1}"))
        expected = a.number + 1


def parse_file(path: Path, *, category: str = "") -> LawVersionDoc:
    """One law version in one file (either format)."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    meta, start = _front_matter(lines)
    name = str(path)
    title, subtitle, history = meta.get("title", ""), "", ""
    if meta:
        fmt = "flk"
        for s in lines[start:]:
            if s.strip().startswith("（") or s.strip().startswith("("):
                history = s.strip()
                break
    else:
        fmt = "lawrefbook"
        info_end = next((i for i, s in enumerate(lines) if "INFO END" in s), None)
        if info_end is None:
            raise LawParseError(name, 1, "no '<!-- INFO END -->' line and no front matter: unknown format")
        titles = [s[2:].strip() for s in lines[:info_end] if s.startswith("# ")]
        title = titles[0] if titles else ""
        subtitle = titles[1] if len(titles) > 1 else ""  # the part (编) of a multi-file law
        history = "\n".join(s.strip() for s in lines[:info_end] if s.strip() and not s.startswith("#"))
        start = info_end + 1
    if not title:
        raise LawParseError(name, 1, "no title (# heading or front-matter title)")
    b = _Builder(name, subtitle)
    for i in range(start, len(lines)):
        b.feed(i + 1, lines[i])
    if not b.articles:
        raise LawParseError(name, start + 1, "no article (第X条) found")
    _check_numbering(name, b.articles, b.warnings)
    m = DATE_IN_NAME.search(path.name)
    # the version date is the latest adoption/amendment, not the entry into force (施行)
    dates = [_iso(d) for ln in history.splitlines() if re.search("通过|修正|修订|公布|发布|批准", ln)
             for d in CN_DATE.finditer(ln)]
    date = meta.get("publish_date") or (m.group(1) if m else (max(dates) if dates else ""))
    if not date:
        raise LawParseError(name, 1, "no version date in the file name, front matter or history")
    return LawVersionDoc(nfkc(title).strip(), date, meta.get("subcategory", category), name, fmt, history,
                         b.articles, b.warnings)


def parse_multipart(folder: Path, *, category: str = "") -> LawVersionDoc:
    """A law split into one file per part (编), marked by `_index.md` (民法典): `# title` then `# part`."""
    parts = sorted(p for p in folder.glob("*.md") if p.name != "_index.md")
    docs: list[tuple[Path, LawVersionDoc]] = []
    for p in parts:
        docs.append((p, parse_file(p, category=category)))
    docs.sort(key=lambda pd: pd[1].articles[0].number)
    articles = [a for _, d in docs for a in d.articles]
    warnings = [w for _, d in docs for w in d.warnings if "follows" not in w.why]
    _check_numbering(str(folder), articles, warnings)
    history = docs[0][1].history
    return LawVersionDoc(docs[0][1].title, max(d.date for _, d in docs), category, str(folder),
                         "lawrefbook", history, articles, warnings)


def discover(paths: list[Path]) -> list[tuple[Path, str]]:
    """The law sources under the given files/folders: (path, category), multipart folders as one entry."""
    found: list[tuple[Path, str]] = []
    for root in paths:
        if root.is_file():
            found.append((root, root.parent.name))
            continue
        multipart = {p.parent for p in root.rglob("_index.md")}
        found.extend((d, d.name) for d in sorted(multipart))
        for p in sorted(root.rglob("*.md")):
            if p.parent not in multipart and not p.name.startswith(("README", "_")):
                found.append((p, p.parent.name))
    return found


def parse_source(path: Path, category: str = "") -> LawVersionDoc:
    return parse_multipart(path, category=category) if path.is_dir() else parse_file(path, category=category)
