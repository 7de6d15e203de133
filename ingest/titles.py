"""One law-title resolver: a title as a list writes it → the corpus law, and how it matched.

Methods, tried in order: exact (the official title), short (without 中华人民共和国, or the corpus short title),
alias (ingest/data/law_aliases.csv, a table users extend), traditional (the same after OpenCC t2s), decree
(国务院令第N号 → the version that decree issued), fuzzy (character-bigram Dice over titles, with its score;
reported, never silent). Two laws that fit a fuzzy title equally well are reported as ambiguous, not guessed.
"""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from dutygraph.graph.store import GraphStore
from dutygraph.graph.text import dice, pairs
from dutygraph.ingest.datafiles import DATA
from dutygraph.ingest.law_parser import DECREE, decree_number

PREFIX = "中华人民共和国"
NOTICE = re.compile(r"关于(?:印发|发布|公布|颁布)《?(.+?)》?的(?:通知|决定|令)")
FUZZY_MIN, FUZZY_MARGIN = 0.78, 0.04


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # maintained OpenCC bindings (PyPI `opencc`), traditional → simplified

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return _t2s().convert(text)


def clean(title: str) -> str:
    t = unicodedata.normalize("NFKC", title)
    t = re.sub(r"\s+", "", t).replace("<", "《").replace(">", "》").replace("〈", "《").replace("〉", "》")
    return t.strip("《》\"“”")


def short(title: str) -> str:
    return title[len(PREFIX):] if title.startswith(PREFIX) and len(title) > len(PREFIX) else title


def title_dice(a: str, b: str) -> float:
    return dice(pairs(a), pairs(b))


@dataclass(frozen=True)
class TitleMatch:
    law_id: str | None
    method: str  # exact | short | alias | traditional | decree | notice | fuzzy | ambiguous | none
    score: float = 1.0
    candidates: tuple[str, ...] = ()
    version_date: str = ""  # for a decree match: the version that decree issued
    official: str = ""  # outside the corpus: the title in its certain official form (the measure a notice issued)

    def as_json(self) -> dict:
        return {"matched": self.law_id, "how": self.method, "score": round(self.score, 3),
                "candidates": list(self.candidates)}


@dataclass
class TitleResolver:
    """Built from the laws in the graph: rows {id, title, short_title} and optional decrees
    {law_id, decree, date}."""

    laws: list[dict]
    decrees: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.shorts: dict[str, set[str]] = defaultdict(set)
        for r in self.laws:
            self.exact[clean(r["title"])] = r["id"]
            for s in {short(clean(r["title"])), clean(r.get("short_title") or "")} - {""}:
                self.shorts[s].add(r["id"])
        self.aliases: dict[str, str] = {}
        with (DATA / "law_aliases.csv").open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                target = self.exact.get(clean(r["title"]))
                if target:
                    self.aliases[clean(r["alias"])] = target
        self.by_decree: dict[tuple[str, int], tuple[str, str]] = {}
        for d in self.decrees:
            m = DECREE.search(d.get("decree") or "")
            if m:
                self.by_decree[(_issuer(m.group(1)), decree_number(m.group(2)))] = (d["law_id"], d.get("date") or "")
        self.index: dict[str, set[str]] = defaultdict(set)  # bigram → short titles, for fuzzy candidates
        for s in self.shorts:
            for g in pairs(s):
                self.index[g].add(s)
        self._cache: dict[str, TitleMatch] = {}

    def titles(self) -> tuple[str, ...]:
        return tuple(self.exact) + tuple(s for s in self.shorts if len(self.shorts[s]) == 1 and len(s) >= 4)

    def match(self, written: str, decree: str = "") -> TitleMatch:
        key = f"{written}\x00{decree}"
        if key not in self._cache:
            self._cache[key] = self._match(written, decree)
        return self._cache[key]

    def _lookup(self, t: str) -> TitleMatch | None:
        if t in self.exact:
            return TitleMatch(self.exact[t], "exact")
        ids = self.shorts.get(short(t))
        if ids and len(ids) == 1:
            return TitleMatch(next(iter(ids)), "short")
        if ids:
            return TitleMatch(None, "ambiguous", 1.0, tuple(sorted(ids)))
        if t in self.aliases or short(t) in self.aliases:
            return TitleMatch(self.aliases.get(t) or self.aliases[short(t)], "alias")
        return None

    def _match(self, written: str, decree: str) -> TitleMatch:
        t = clean(written)
        found = self._lookup(t)
        if found:
            return found
        s = simplified(t)
        if s != t:
            found = self._lookup(s)
            if found and found.law_id:
                return TitleMatch(found.law_id, "traditional", found.score)
            t = s
        m = DECREE.search(simplified(unicodedata.normalize("NFKC", decree))) if decree else None
        if m and (_issuer(m.group(1)), decree_number(m.group(2))) in self.by_decree:
            law_id, date = self.by_decree[(_issuer(m.group(1)), decree_number(m.group(2)))]
            return TitleMatch(law_id, "decree", 1.0, version_date=date)
        n = NOTICE.search(t)  # a 办法 cited through the 通知 that issued it
        if n:
            inner = clean(n.group(1))
            found = self._lookup(inner) or self._fuzzy(inner)
            if found.law_id:
                return TitleMatch(found.law_id, "notice", found.score)
            # not in the corpus: the measure is what is cited, never the notice, and no law is invented
            return TitleMatch(None, "notice", 0.0, found.candidates, official=inner)
        return self._fuzzy(t)

    def _fuzzy(self, t: str) -> TitleMatch:
        target = short(t)
        if not doc_kind(target):  # its last word dropped (《中华人民共和国安全生产》): completed when only one law fits
            done = {s: self.shorts[s] for s in (short(t + "法"), short(t + "条例")) if s in self.shorts}
            ids = {i for found in done.values() for i in found}
            if len(ids) == 1:
                return TitleMatch(next(iter(ids)), "fuzzy", max(title_dice(target, s) for s in done))
        pool: dict[str, int] = defaultdict(int)
        for g in pairs(target):
            for s in self.index.get(g, ()):
                pool[s] += 1
        containing = {i for s in pool if target in s for i in self.shorts[s]}
        if len(containing) > 1:  # a fragment of several titles (污染防治法): which one is not ours to guess
            return TitleMatch(None, "ambiguous", 0.0, tuple(sorted(containing)[:5]))
        place = jurisdiction(target)
        # a near-identical title of another jurisdiction (安徽省… vs 浙江省人口与计划生育条例) is another law
        # …and a document of another kind (实施办法 vs 条例, 规定 vs 法) is another document, however close the words
        # (a garbled ending, 条列, names no kind and is left to the score)
        kind = doc_kind(target)
        scored = sorted(((title_dice(target, s), s) for s, _ in sorted(pool.items(), key=lambda kv: -kv[1])[:60]
                         if jurisdiction(s) == place and (not kind or doc_kind(s) == kind)), reverse=True)
        if not scored or scored[0][0] < FUZZY_MIN:
            return TitleMatch(None, "none", scored[0][0] if scored else 0.0,
                              tuple(s for _, s in scored[:3] if _ >= 0.5))
        best_score, best = scored[0]
        close = [s for sc, s in scored if best_score - sc < FUZZY_MARGIN]
        ids = {i for s in close for i in self.shorts[s]}
        if len(ids) > 1:
            return TitleMatch(None, "ambiguous", best_score, tuple(sorted(ids)))
        return TitleMatch(next(iter(ids)), "fuzzy", best_score)


# a place name of 2–7 characters (none of them 市/省, so 城市道路管理条例 is national) and its 省/自治区/市
PLACE = re.compile(r"^(?:(?![市省])[\u4e00-\u9fff]){2,7}?(?:省|自治区|市)")


KIND = re.compile(r"(实施细则|实施办法|暂行办法|暂行规定|实施条例|若干规定|办法|规定|条例|细则|决定|规则|规程|法)$")


def doc_kind(title: str) -> str:
    """What kind of document a title names, by its last word (法, 条例, 实施办法 …); "" if none of them."""
    m = KIND.search(title)
    return m.group() if m else ""


def jurisdiction(title: str) -> str:
    """The province or city a local regulation's title opens with (浙江省, 杭州市), "" for national titles."""
    m = PLACE.match(title)
    return m.group() if m else ""


def _issuer(words: str) -> str:
    """国务院 / 中华人民共和国国务院 / 国务院令 → 国务院; a ministry's decree keeps its ministry name."""
    w = words.removeprefix(PREFIX)
    return "国务院" if "国务院" in w else w


def load_titles(store: GraphStore) -> tuple[TitleResolver, dict[str, str]]:
    """The title resolver over the laws in the graph, and each law's level."""
    rows = store.query("laws.titles")
    return TitleResolver(rows, store.query("laws.decrees")), {r["id"]: r.get("level") or "" for r in rows}


_CACHE: dict[int, tuple[float, TitleResolver, dict[str, str]]] = {}
CACHE_TTL = 60.0  # seconds: a law ingest by another process shows within a minute


def cached_titles(store: GraphStore) -> tuple[TitleResolver, dict[str, str]]:
    """load_titles for a serving process: built once a minute at most (1,800 titles of laws-full: 30 ms)."""
    now = time.monotonic()
    hit = _CACHE.get(id(store))
    if hit is None or now - hit[0] > CACHE_TTL:
        hit = _CACHE[id(store)] = (now, *load_titles(store))
    return hit[1], hit[2]
