"""Resolve citations to the Article / 款 / 项 of the law version in force on the list's date.

A citation that resolves to nothing is kept and flagged, never dropped. A citation whose article text is
unrelated to the duty (typically superseded numbering: a 2022 list citing 2004 article numbers) is
flagged `suspicious` with the article of the version in force that the duty text matches best.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from dutygraph.graph.rules import version_in_force
from dutygraph.graph.store import GraphStore
from dutygraph.graph.text import bigrams
from dutygraph.ingest.extract import CitationRef
from dutygraph.ingest.titles import TitleMatch, TitleResolver, load_titles

RESOLVED_KEPT = 200_000  # resolutions kept per index (a province's distinct citations, with room)


def content_grams(text: str) -> set[str]:
    # numerals are dropped; common bigrams (应当, 人民 …) weigh little: scores use inverse document frequency
    return bigrams(text, digits=False)


@dataclass
class ArticleInfo:
    id: str
    number: int
    label: str
    text: str
    paragraphs: dict[int, tuple[str, int]] = field(default_factory=dict)  # number → (id, point count)
    grams: set[str] = field(default_factory=set)


@dataclass
class VersionInfo:
    id: str
    law_id: str
    date: str
    status: str
    articles: dict[int, ArticleInfo] = field(default_factory=dict)
    loaded: bool = False
    idf: dict[str, float] | None = None
    default_idf: float = 0.0


@dataclass
class Resolution:
    status: str  # resolved | law_only | unresolved | unknown_law | suspicious
    law: str  # full title where known, else as written
    target_id: str | None = None
    target_kind: str | None = None  # Article | Paragraph | Point | LawVersion
    version_id: str | None = None
    note: str = ""
    suggested: str = ""  # the article id the duty text points to instead
    match: TitleMatch | None = None  # how the written title was matched to the corpus


class LawIndex:
    """The laws in the graph for resolution: titles and versions up front (small even for the whole national
    corpus), a version's articles fetched from the graph the first time a citation needs them."""

    def __init__(self, versions: list[VersionInfo], titles: TitleResolver,
                 fetch: Callable[[str], list[dict]] | None = None) -> None:
        self.by_law: dict[str, list[VersionInfo]] = {}
        for v in versions:
            self.by_law.setdefault(v.law_id, []).append(v)
        for vs in self.by_law.values():
            vs.sort(key=lambda v: v.date)
        self.resolver = titles
        self.titles: tuple[str, ...] = titles.titles()
        self._fetch = fetch
        self._best_cache: dict[tuple[str, str], tuple[float, ArticleInfo | None]] = {}
        # a county's township lists repeat one template, basis cells and duty texts alike: a citation is
        # resolved once per (citation, date, duty text) for the life of the index
        self._resolved: dict[tuple[CitationRef, str, str], Resolution] = {}
        self._status: dict[str, str] | None = None

    @classmethod
    def load(cls, store: GraphStore) -> LawIndex:
        versions = [VersionInfo(r["version_id"], r["law_id"], r["date"], r["status"] or "current")
                    for r in store.query("laws.index_versions")]
        fetch = lambda vid: store.query("laws.index_version_articles", version_id=vid)  # noqa: E731
        return cls(versions, load_titles(store)[0], fetch)

    def articles(self, version: VersionInfo) -> dict[int, ArticleInfo]:
        if not version.loaded and self._fetch is not None:
            for r in self._fetch(version.id):
                a = version.articles.get(r["number"])
                if a is None:
                    a = version.articles[r["number"]] = ArticleInfo(r["id"], r["number"], r["label"], r["text"] or "")
                if r["paragraph"] is not None:
                    a.paragraphs[r["paragraph"]] = (r["paragraph_id"], r["points"])
        version.loaded = True
        return version.articles

    def version_status(self, version_id: str | None) -> str | None:
        """current | superseded | repealed of a version in the graph (None for none)."""
        if self._status is None:
            self._status = {v.id: v.status for vs in self.by_law.values() for v in vs}
        return self._status.get(version_id) if version_id else None

    def in_force(self, law_id: str, date: str) -> VersionInfo | None:
        return version_in_force(self.by_law[law_id], date, date_of=lambda v: v.date)

    def _weights(self, version: VersionInfo) -> tuple[dict[str, float], float]:
        """Inverse document frequency of bigrams over one version's articles, computed when the version is
        first consulted: a whole corpus (80k articles) is never indexed up front, and within one law the
        common words of that law (安全生产, 生产经营单位) are what weigh little."""
        if version.idf is None:
            df: Counter[str] = Counter()
            articles = self.articles(version)
            for a in articles.values():
                a.grams = content_grams(a.text)
                df.update(a.grams)
            n = len(articles)
            version.idf = {g: math.log((n + 1) / (c + 1)) + 0.1 for g, c in df.items()}
            version.default_idf = math.log(n + 1) + 0.1
        return version.idf, version.default_idf

    def score(self, grams: set[str], article: ArticleInfo, version: VersionInfo) -> float:
        idf, default = self._weights(version)
        total = sum(idf.get(g, default) for g in grams)
        if not total:
            return 0.0
        return sum(idf.get(g, default) for g in grams & article.grams) / total

    def best(self, text: str, version: VersionInfo) -> tuple[float, ArticleInfo | None]:
        key = (text, version.id)
        if key not in self._best_cache:
            grams = content_grams(text)
            scored = [(self.score(grams, a, version), a) for a in self.articles(version).values()]
            self._best_cache[key] = max(scored, key=lambda x: x[0]) if scored else (0.0, None)
        return self._best_cache[key]

    def resolve(self, ref: CitationRef, date: str, duty_text: str) -> Resolution:
        key = (ref, date, duty_text)
        res = self._resolved.get(key)
        if res is None:
            if len(self._resolved) >= RESOLVED_KEPT:
                self._resolved.clear()
            res = self._resolved[key] = self._resolve_new(ref, date, duty_text)
        return dataclasses.replace(res)  # a copy: callers may annotate theirs

    def _resolve_new(self, ref: CitationRef, date: str, duty_text: str) -> Resolution:
        found = self.resolver.match(ref.law, ref.decree)
        law_id = found.law_id
        if law_id is None:
            if found.method == "ambiguous":
                return Resolution("unknown_law", ref.law, note="标题对应多部法律, 未自动选择 (ambiguous title: "
                                  + " / ".join(found.candidates) + ")", match=found)
            return Resolution("unknown_law", ref.law, note="法律不在图谱中 (law not in the graph)", match=found)
        res = self._resolve(ref, law_id, date, duty_text)
        res.match = found
        if found.method == "fuzzy":
            res.note = (res.note + "; " if res.note else "") + (
                f"标题近似匹配「{ref.law}」→「{law_id}」(fuzzy title match, score {found.score:.2f})")
        return res

    def _resolve(self, ref: CitationRef, law_id: str, date: str, duty_text: str) -> Resolution:
        version = self.in_force(law_id, date)
        if version is None:
            first = self.by_law[law_id][0].date
            return Resolution("unresolved", law_id, note=f"{date} 时尚无生效版本 (first version {first})")
        if ref.article is None:
            return Resolution("law_only", law_id, version.id, "LawVersion", version.id,
                              note="只引用法律名称, 未引用条文 (no article cited)")
        art = self.articles(version).get(ref.article)
        if art is None:
            return self._missing(law_id, version, ref, duty_text, f"{version.date} 版没有第{ref.article}条")
        target_id, kind = art.id, "Article"
        if ref.paragraph is not None:
            para = art.paragraphs.get(ref.paragraph)
            if para is None:
                return self._missing(law_id, version, ref, duty_text, f"{art.label}没有第{ref.paragraph}款")
            target_id, kind = para[0], "Paragraph"
            if ref.point is not None:
                if not 1 <= ref.point <= para[1]:
                    return self._missing(law_id, version, ref, duty_text,
                                         f"{art.label}第{ref.paragraph}款没有第{ref.point}项")
                target_id, kind = f"{para[0]}.{ref.point}", "Point"
        res = Resolution("resolved", law_id, target_id, kind, version.id)
        self._check_related(res, ref, art, version, duty_text)
        return res

    def _missing(self, law_id: str, version: VersionInfo, ref: CitationRef, duty_text: str, why: str) -> Resolution:
        """A number that does not exist in the version in force: unresolved, or superseded numbering where an
        older version has it (then the best-matching article of the version in force is suggested)."""
        for old in reversed(self.by_law[law_id]):
            if old.date >= version.date:
                continue
            a = self.articles(old).get(ref.article)
            if a and (ref.paragraph is None or ref.paragraph in a.paragraphs):
                _, best = self.best(ref.quoted if len(ref.quoted) >= 12 else duty_text, version)
                where = f", 在 {version.date} 版可能为{best.label}" if best else ""
                return Resolution("suspicious", law_id, version_id=version.id, suggested=best.id if best else "",
                                  note=f"{why}; 疑似旧版条号: 见 {old.date} 版{a.label}{where} (superseded numbering)")
        return Resolution("unresolved", law_id, version_id=version.id, note=f"{why} (no such provision)")

    def _check_related(self, res: Resolution, ref: CitationRef, art: ArticleInfo, version: VersionInfo,
                       duty_text: str) -> None:
        """Flag a citation whose article text is unrelated to the quoted text or the duty."""
        quoted = len(ref.quoted) >= 12
        text = ref.quoted if quoted else duty_text
        grams = content_grams(text)
        if len(grams) < 4:
            return
        cited = self.score(grams, art, version)
        best_score, best = self.best(text, version)
        if best is None or best.id == art.id:
            return
        if quoted:
            unrelated = cited < 0.45 and best_score >= 0.6
        else:
            unrelated = best_score >= 0.35 and cited < 0.4 * best_score
        if not unrelated:
            return
        res.status, res.suggested = "suspicious", best.id
        note = f"{art.label}的条文与事项不符; 最接近的是{best.label} (score {cited:.2f} vs {best_score:.2f})"
        for old in self.by_law[version.law_id]:
            old_art = self.articles(old).get(art.number)
            if old.date < version.date and old_art and self.score(grams, old_art, old) >= 0.6 * best_score:
                note = (f"疑似旧版条号: {old.date} 版{old_art.label} 的内容, 在 {version.date} 版为{best.label} "
                        f"(superseded numbering)")
        res.note = note
