"""Resolve citations to the Article / 款 / 项 of the law version in force on the list's date.

A citation that resolves to nothing is kept and flagged, never dropped. A citation whose article text is
unrelated to the duty (typically superseded numbering: a 2022 list citing 2004 article numbers) is
flagged `suspicious` with the article of the version in force that the duty text matches best.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from graph.store import GraphStore
from ingest.extract import CitationRef
from ingest.law_parser import short_title


def bigrams(text: str) -> set[str]:
    t = re.sub(r"[\s\W\d]+", "", unicodedata.normalize("NFKC", text))
    # common bigrams (应当, 人民 …) weigh little: scores use inverse document frequency
    return {t[i:i + 2] for i in range(len(t) - 1)}


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


@dataclass
class Resolution:
    status: str  # resolved | law_only | unresolved | unknown_law | suspicious
    law: str  # full title where known, else as written
    target_id: str | None = None
    target_kind: str | None = None  # Article | Paragraph | Point | LawVersion
    version_id: str | None = None
    note: str = ""
    suggested: str = ""  # the article id the duty text points to instead


class LawIndex:
    """The laws in the graph, held in memory for resolution (a few MB for the whole corpus)."""

    def __init__(self, versions: list[VersionInfo]) -> None:
        self.by_law: dict[str, list[VersionInfo]] = {}
        for v in versions:
            self.by_law.setdefault(v.law_id, []).append(v)
        for vs in self.by_law.values():
            vs.sort(key=lambda v: v.date)
        self.titles: dict[str, str] = {}
        for law_id in self.by_law:
            self.titles[law_id] = law_id
            self.titles.setdefault(short_title(law_id), law_id)
        df: Counter[str] = Counter()
        n = 0
        for vs in self.by_law.values():
            for v in vs:
                for a in v.articles.values():
                    a.grams = bigrams(a.text)
                    df.update(a.grams)
                    n += 1
        self.idf = {g: math.log((n + 1) / (c + 1)) + 0.1 for g, c in df.items()}
        self._default_idf = math.log(n + 1) + 0.1
        self._best_cache: dict[tuple[str, str], tuple[float, ArticleInfo | None]] = {}

    @classmethod
    def load(cls, store: GraphStore) -> LawIndex:
        versions: dict[str, VersionInfo] = {}
        articles: dict[str, ArticleInfo] = {}
        for r in store.query("laws.index_articles"):
            v = versions.setdefault(r["version_id"], VersionInfo(r["version_id"], r["law_id"], r["date"],
                                                                 r["status"] or "current"))
            a = ArticleInfo(r["id"], r["number"], r["label"], r["text"] or "")
            v.articles[a.number] = a
            articles[a.id] = a
        for r in store.query("laws.index_paragraphs"):
            if r["article_id"] in articles:
                articles[r["article_id"]].paragraphs[r["number"]] = (r["id"], r["points"])
        return cls(list(versions.values()))

    def title_of(self, written: str) -> str | None:
        t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", written))
        return self.titles.get(t) or self.titles.get(short_title(t))

    def in_force(self, law_id: str, date: str) -> VersionInfo | None:
        found = None
        for v in self.by_law[law_id]:
            if v.date <= date:
                found = v
        return found

    def score(self, grams: set[str], article: ArticleInfo) -> float:
        total = sum(self.idf.get(g, self._default_idf) for g in grams)
        if not total:
            return 0.0
        return sum(self.idf.get(g, self._default_idf) for g in grams & article.grams) / total

    def best(self, text: str, version: VersionInfo) -> tuple[float, ArticleInfo | None]:
        key = (text, version.id)
        if key not in self._best_cache:
            grams = bigrams(text)
            scored = [(self.score(grams, a), a) for a in version.articles.values()]
            self._best_cache[key] = max(scored, key=lambda x: x[0]) if scored else (0.0, None)
        return self._best_cache[key]

    def resolve(self, ref: CitationRef, date: str, duty_text: str) -> Resolution:
        law_id = self.title_of(ref.law)
        if law_id is None:
            return Resolution("unknown_law", ref.law, note="法律不在图谱中 (law not in the graph)")
        version = self.in_force(law_id, date)
        if version is None:
            first = self.by_law[law_id][0].date
            return Resolution("unresolved", law_id, note=f"{date} 时尚无生效版本 (first version {first})")
        if ref.article is None:
            return Resolution("law_only", law_id, version.id, "LawVersion", version.id,
                              note="只引用法律名称, 未引用条文 (no article cited)")
        art = version.articles.get(ref.article)
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
            a = old.articles.get(ref.article)
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
        grams = bigrams(text)
        if len(grams) < 4:
            return
        cited = self.score(grams, art)
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
            old_art = old.articles.get(art.number)
            if old.date < version.date and old_art and self.score(grams, old_art) >= 0.6 * best_score:
                note = (f"疑似旧版条号: {old.date} 版{old_art.label} 的内容, 在 {version.date} 版为{best.label} "
                        f"(superseded numbering)")
        res.note = note
