"""Extraction with spaCy: legal-basis citations, vague bases and organisations in list cells.

A blank Chinese pipeline with the jieba segmenter plus three rule components, registered as spaCy
factories and built once per process (`get_extractor`). The components match on characters and map
matches onto tokens with `doc.char_span(alignment_mode="expand")`: jieba segments by context, so a
token-level phrase pattern can miss (县市|应急|管理局). Matches are kept as span groups with a stable id:
doc.spans["citations"], doc.spans["vague"], doc.spans["orgs"] (span.id_ = the canonical organisation).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dutygraph.ingest.datafiles import DATA, lines
from dutygraph.ingest.law_parser import DECREE
from dutygraph.ingest.numerals import CN_NUMERAL_CHARS, NUMERAL, cn_to_int
from spacy.language import Language
from spacy.tokens import Doc, Span

# where a later 第X条 of the same law may start (the groups are read by _refs_at, not from here)
REF = re.compile(rf"第\s*{NUMERAL}\s*条")
TITLE = re.compile(r"《([^《》]{1,80})》")
QUOTE = re.compile(r"“[^”]*”|\"[^\"]*\"|「[^」]*」")
PAREN = re.compile(r"\s*\([^()]*\)")
SEGMENT_START = re.compile(r"(?:^|[。;；\n])\s*(?:\d+\s*[、.])?\s*$")
LAW_SUFFIX = re.compile(r"(法|法典|条例|办法|规定|决定|细则|规则|解释|规程|意见|通知|纲要|章程)$")
ARTICLE_LINK_WORDS = ("本法", "本条例", "本办法", "本规定", "依照", "根据", "违反", "按照", "依据", "前款", "本条")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


@dataclass(frozen=True)
class CitationRef:
    law: str
    article: int | None
    paragraph: int | None
    point: int | None
    raw: str
    quoted: str = ""  # article text quoted after the citation, if any
    decree: str = ""  # a decree note beside the title (国务院令第711号), used to identify the law

    def as_json(self) -> dict:
        return {"law": self.law, "article": self.article, "paragraph": self.paragraph, "point": self.point,
                "raw": self.raw}


@dataclass(frozen=True)
class Organisation:
    id: str
    kind: str  # department | agency | post
    aliases: tuple[str, ...]
    dispatched_by: str
    domain: str


@dataclass(frozen=True)
class OrgMention:
    org: Organisation
    text: str
    start: int
    end: int


class Gazetteer:
    """Organisations and their aliases, kept as data (ingest/data/organisations.csv), not code."""

    def __init__(self, path: Path = DATA / "organisations.csv") -> None:
        self.orgs: dict[str, Organisation] = {}
        self.names: dict[str, list[Organisation]] = {}
        with path.open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                aliases = tuple(a for a in r["aliases"].split("|") if a)
                org = Organisation(r["canonical"], r["kind"], aliases, r["dispatched_by"], r["domain"])
                self.orgs[org.id] = org
                for name in (org.id, *aliases):
                    self.names.setdefault(nfkc(name), []).append(org)
        alternation = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        self.pattern = re.compile(alternation)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group()) for m in self.pattern.finditer(text)]

    def pick(self, name: str, prefer: tuple[str, ...] = ()) -> Organisation:
        candidates = self.names[name]
        for kind in prefer:
            for org in candidates:
                if org.kind == kind:
                    return org
        return candidates[0]


_LISTSEP = r"\s*(?:、|,|，|\.{3,}|…+|和|及)\s*"
# one 第 and one 条 around a list of numbers (第三十、三十二、三十四条), 第 optional (十七条三款)
ART = re.compile(rf"(?:第\s*)?({NUMERAL}(?:{_LISTSEP}{NUMERAL})*)\s*条(?:\s*之\s*({NUMERAL}))?")
KUAN = re.compile(rf"\s*(?:第\s*)?({NUMERAL}(?:{_LISTSEP}(?:第\s*)?{NUMERAL})*)\s*款")
# 项: 第三、四项 / 第（三）（五）项 / (三)项 / 第(三)、(四)项 / 第四项
XIANG = re.compile(rf"\s*(?:第\s*)?((?:\(\s*{NUMERAL}\s*\)(?:{_LISTSEP})?)+|{NUMERAL}(?:{_LISTSEP}{NUMERAL})*)\s*项")
CHAPTER = re.compile(rf"第\s*{NUMERAL}\s*[章节]\s*")
RANGE = re.compile(r"\s*(至|到|-|—|~|～)\s*")
CONT = re.compile(r"\s*(、|,|，|和|及|以及|或者|或)\s*")


def _nums(group: str) -> list[int]:
    out = []
    for n in re.findall(NUMERAL, group):
        try:
            out.append(cn_to_int(n))
        except ValueError:
            continue
    return out


def _one(text: str, pos: int, first: bool) -> tuple[list[tuple[int, int | None, int | None]], int] | None:
    """One article group at pos (with its 款 and 项 lists); the first may omit 第, later ones need it."""
    c = CHAPTER.match(text, pos)
    if c:
        pos = c.end()
    m = ART.match(text, pos)
    if not m or (not first and not text.startswith("第", pos) and not text[pos].isdigit()):
        return None
    arts = _nums(m.group(1))
    end = m.end()
    kuans: list[int | None] = [None]
    k = KUAN.match(text, end)
    if k:
        kuans, end = _nums(k.group(1)), k.end()
    xiangs: list[int | None] = [None]
    x = XIANG.match(text, end)
    if x:
        xiangs, end = _nums(x.group(1)), x.end()
    if len(arts) > 1:  # a compressed list of articles: 款/项, if any, belong to the last one
        out = [(a, None, None) for a in arts[:-1]] + [(arts[-1], kk, xx) for kk in kuans for xx in xiangs]
    else:
        out = [(arts[0], kk, xx) for kk in kuans for xx in xiangs]
    return out, end


def _refs_at(text: str, pos: int) -> tuple[list[tuple[int, int | None, int | None]], int]:
    """Article refs starting at `pos`: lists, compressed lists, ranges, 款 and 项 continuations
    (第五条第一款、第二款; 第二十五条第一款第（三）项、第（四）项); [(article, 款, 项)] and the end offset."""
    first = _one(text, pos, True)
    if first is None:
        return [], pos
    out, end = first
    while True:
        r = RANGE.match(text, end)
        if r:
            nxt = _one(text, r.end(), False)
            if nxt and nxt[0][0][0] > out[-1][0] and nxt[0][0][0] - out[-1][0] < 200:
                out.extend((n, None, None) for n in range(out[-1][0] + 1, nxt[0][0][0]))
                out.extend(nxt[0])
                end = nxt[1]
                continue
            break
        s = CONT.match(text, end)
        if not s:
            break
        at = s.end()
        last_art, last_kuan, last_xiang = out[-1]
        nxt = _one(text, at, False)
        if nxt:
            out.extend(nxt[0])
            end = nxt[1]
            continue
        x = XIANG.match(text, at)  # 、第（四）项: another 项 of the same article and 款
        if x and text.startswith("第", at) or (x and text[at] == "("):
            out.extend((last_art, last_kuan, n) for n in _nums(x.group(1)))
            end = x.end()
            continue
        k = KUAN.match(text, at)  # 、第二款: another 款 of the same article
        if k and text.startswith("第", at):
            end = k.end()
            kuans = _nums(k.group(1))
            x = XIANG.match(text, end)
            if x:
                out.extend((last_art, kk, n) for kk in kuans for n in _nums(x.group(1)))
                end = x.end()
            else:
                out.extend((last_art, kk, None) for kk in kuans)
            continue
        break
    return out, end


def _mask_quotes(text: str) -> str:
    return QUOTE.sub(lambda m: " " * len(m.group()), text)


@lru_cache(maxsize=4)
def _bare_titles(law_titles: tuple[str, ...]) -> re.Pattern[str] | None:
    """Known titles written without 《》, directly followed by 第X条: compiled once per title set."""
    if not law_titles:
        return None
    alternation = "|".join(re.escape(x) for x in sorted(law_titles, key=len, reverse=True))
    return re.compile(f"({alternation})(?=\\s*(?:\\([^()]*\\)\\s*)?第)")


# a title whose opening 《 was lost or garbled in a PDF copy (「…手續!冻鞘械缆饭芾項l例》(國務院令第l98號)第二十七條」):
# the run of characters back to punctuation or a tag; a title when it has a law's suffix or a citation follows
OPEN_LOST = re.compile(r"(?:^|(?<=[\s,，;；。:：、】\])!]))([\u4e00-\u9fffA-Za-z]{2,50}?)》")
CITES_AFTER = re.compile(r"(?:\s*\([^()]*\))*\s*第")
# spaces and line breaks that PDF copies leave inside numbers: 第 四十 二条, 第( 三) 项
NUMERAL_SPACE = re.compile(rf"(?<=[第{CN_NUMERAL_CHARS}0-9()])\s+(?=[{CN_NUMERAL_CHARS}0-9()条款项])")


def normalise_cell(text: str) -> str:
    """NFKC (full-width → ASCII punctuation), traditional → simplified (OpenCC), spaces inside numbers."""
    from dutygraph.ingest.titles import simplified

    return NUMERAL_SPACE.sub("", simplified(nfkc(text)))


def parse_citations(text: str, law_titles: tuple[str, ...] = ()) -> list[tuple[int, int, CitationRef]]:
    """Citations in a legal-basis cell: (start, end, ref) on the normalised text (see normalise_cell)."""
    t = text
    masked = _mask_quotes(t)
    anchors: list[tuple[int, int, str]] = []
    skip_until = -1
    for m in TITLE.finditer(masked):
        if m.start() < skip_until:
            continue  # a title inside the decree/version note of the previous one: （根据《…决定》修订）
        title = re.sub(r"\s+", "", m.group(1))
        if not LAW_SUFFIX.search(title) and not CITES_AFTER.match(masked, m.end()):
            # a form or certificate named in the text (《农村五保供养证书》), not a law; but a title with an article
            # after it is cited, its last word dropped (《中华人民共和国安全生产》第九条)
            continue
        before, after = masked[max(0, m.start() - 4):m.start()], masked[m.end():m.end() + 4]
        if anchors and (any(w in before for w in ARTICLE_LINK_WORDS) or re.match(r"(的)?(有关)?规定", after)):
            continue  # a reference inside quoted article text (依照《X法》的规定), not a citation
        anchors.append((m.start(), m.end(), title))
        pos = m.end()
        while (p := PAREN.match(masked, pos)) is not None:
            pos = p.end()
        skip_until = pos
    taken = [(a, b) for a, b, _ in anchors]
    for m in OPEN_LOST.finditer(masked):
        if any(a <= m.start(1) < b for a, b in taken) or "《" in masked[max(0, m.start(1) - 1):m.start(1)]:
            continue
        if LAW_SUFFIX.search(m.group(1)) or CITES_AFTER.match(masked, m.end()):
            # a garbled title still ends the previous law's scope; the resolver may know it by its decree
            anchors.append((m.start(1), m.end(), m.group(1)))
    bare = _bare_titles(law_titles)
    if bare is not None:
        taken = [(a, b) for a, b, _ in anchors]
        for m in bare.finditer(masked):
            if not any(a <= m.start() < b for a, b in taken):
                anchors.append((m.start(), m.end(), m.group(1)))
    anchors.sort()
    out: list[tuple[int, int, CitationRef]] = []
    for k, (start, end, law) in enumerate(anchors):
        scope_end = anchors[k + 1][0] if k + 1 < len(anchors) else len(t)
        pos = end
        notes = []
        while True:  # decree numbers and dates in parentheses between the title and the article
            p = PAREN.match(masked, pos)
            if not p:
                break
            notes.append(p.group())
            pos = p.end()
        prev_end = anchors[k - 1][1] if k else 0
        notes.append(masked[max(prev_end, start - 24):start])  # 国务院令[2013]第641号《X条例》
        decree = next((d.group() for n in notes if (d := DECREE.search(n))), "")
        while pos < scope_end and masked[pos] in " \t\n的":
            pos += 1
        refs, ref_end = _refs_at(masked, pos)
        spans: list[tuple[int, int, list]] = []
        if refs:
            spans.append((start, ref_end, refs))
        else:
            spans.append((start, end, [(None, None, None)]))
        # the same law cited again at the start of a later sentence or line inside the quoted text
        cursor = ref_end if refs else end
        for m in REF.finditer(masked, cursor, scope_end):
            if m.start() < cursor:
                continue
            before = masked[max(cursor, m.start() - 6):m.start()]
            if not SEGMENT_START.search(masked[cursor:m.start()][-12:] if m.start() > cursor else "\n"):
                continue
            if any(w in before for w in ARTICLE_LINK_WORDS):
                continue
            more, more_end = _refs_at(masked, m.start())
            if not more:
                continue
            spans.append((m.start(), more_end, more))
            cursor = more_end
        for i, (s, e, refs_) in enumerate(spans):
            nxt = spans[i + 1][0] if i + 1 < len(spans) else scope_end
            quoted = t[e:nxt].strip().lstrip(":：").strip().strip("“”\"")
            raw = t[s:e]
            for art, para, point in refs_:
                out.append((s, e, CitationRef(law, art, para, point, raw, quoted, decree)))
    return out


@Language.factory("dutygraph_citations", default_config={"law_titles": []})
def make_citations(nlp: Language, name: str, law_titles: list[str]):
    titles = tuple(law_titles)

    def component(doc: Doc) -> Doc:
        spans, refs = [], []
        for s, e, ref in parse_citations(doc.text, titles):
            span = doc.char_span(s, e, label="CITATION", alignment_mode="expand")
            if span is not None:
                spans.append(span)
            refs.append(ref)
        doc.spans["citations"] = spans
        doc.user_data["citations"] = refs
        return doc

    return component


@Language.factory("dutygraph_vague", default_config={})
def make_vague(nlp: Language, name: str):
    phrases = lines("vague_bases.txt")
    pattern = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))

    def component(doc: Doc) -> Doc:
        spans = []
        for m in pattern.finditer(nfkc(doc.text)):
            span = doc.char_span(m.start(), m.end(), label="VAGUE_BASIS", alignment_mode="expand")
            if span is not None:
                span.id_ = m.group()
                spans.append(span)
        doc.spans["vague"] = spans
        return doc

    return component


@Language.factory("dutygraph_orgs", default_config={})
def make_orgs(nlp: Language, name: str):
    gaz = get_gazetteer()

    def component(doc: Doc) -> Doc:
        found = gaz.find(nfkc(doc.text))
        spans: list[Span] = []
        for s, e, text in found:
            span = doc.char_span(s, e, label="ORG", alignment_mode="expand")
            if span is not None:
                span.id_ = text  # resolved to a canonical entity by the caller, which knows the column
                spans.append(span)
        doc.spans["orgs"] = spans
        doc.user_data["orgs"] = found
        return doc

    return component


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    return Gazetteer()


def build_pipeline(law_titles: tuple[str, ...] = ()) -> Language:
    import jieba
    import spacy

    jieba.setLogLevel(60)
    gaz = get_gazetteer()
    for name in (*gaz.names, *law_titles):  # keep organisation names and titles in one token where possible
        jieba.add_word(name)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("dutygraph_citations", config={"law_titles": list(law_titles)})
    nlp.add_pipe("dutygraph_vague")
    nlp.add_pipe("dutygraph_orgs")
    return nlp


ORG_SPLIT = re.compile(r"[、,，;；/\n]|和|及")


@dataclass
class CellAnalysis:
    citations: list[CitationRef]
    vague: list[str]
    orgs: list[OrgMention]
    unknown_orgs: list[str]


class Extractor:
    """One spaCy pipeline, built once; results cached by text (lists repeat the same cells a lot)."""

    def __init__(self, law_titles: tuple[str, ...] = ()) -> None:
        self.law_titles = law_titles
        self.nlp = build_pipeline(law_titles)
        self.gazetteer = get_gazetteer()
        self._cache: dict[str, Doc] = {}

    def doc(self, text: str) -> Doc:
        d = self._cache.get(text)
        if d is None:
            d = self._cache[text] = self.nlp(normalise_cell(text))
        return d

    def citations(self, text: str) -> list[CitationRef]:
        return list(self.doc(text).user_data["citations"]) if text.strip() else []

    def normalised(self, text: str) -> str:
        """The text the offsets of citations refer to (NFKC, simplified, no spaces inside numbers)."""
        return self.doc(text).text

    def vague(self, text: str) -> list[str]:
        return [s.id_ for s in self.doc(text).spans["vague"]] if text.strip() else []

    def organisations(self, text: str, prefer: tuple[str, ...] = ()) -> tuple[list[OrgMention], list[str]]:
        """Gazetteer mentions in an organisation cell, and the parts of the cell no entry matched."""
        if not text.strip():
            return [], []
        t = self.doc(text).text
        found = self.doc(text).user_data["orgs"]
        mentions = [OrgMention(self.gazetteer.pick(name, prefer), name, s, e) for s, e, name in found]
        rest = t
        for s, e, _ in sorted(found, reverse=True):
            rest = rest[:s] + "、" + rest[e:]
        unknown = [p.strip() for p in ORG_SPLIT.split(rest) if len(p.strip()) >= 2 and not _filler(p.strip())]
        return mentions, unknown


def _filler(text: str) -> bool:
    # what is left of "丁蜀派出所" after the match, or connecting words: not an organisation
    return bool(re.fullmatch(r"[\s、,，;；()（）等各相关有关市镇区街道乡宜兴丁蜀周铁张渚和桥]*", text)) or len(text) < 2
