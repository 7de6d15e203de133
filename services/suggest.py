"""A legal basis for an item listed without one: the provisions of the corpus that could establish it.

Ranking (measured in bench/suggest.py, README "Basis suggestions"):
1. BM25 over jieba words (services/retrieval.py) between the item (its name weighed over its description)
   and each article of every current law version, the law's short title counted as part of the article
   (an item about 林木 names its field, which the 森林法's articles rarely repeat);
2. rules from how lists are made, each a factor the `why` names: a 基本 item rests on a provision that
   places the duty on 乡镇/街道; a 配合 item on a law of its lead department; a 收回 or penalty item on a
   法律责任 article, a non-penalty item not; purpose and 附则 articles are no duty's basis; the law's level;
3. within a shortlisted article, the 款 (and 项) the item's words fall in, where one stands out.
The index is built from the graph once per law corpus and kept beside the database (a pickle keyed by the
current versions' content hashes), so a restart does not re-segment 80,000 articles.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from dutygraph.graph.errors import InputError, NotFound
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.analytics import apply as apply_tallies
from dutygraph.ingest.analytics import contributions, deltas, facts_of_list, refresh_lists
from dutygraph.ingest.datafiles import DATA
from dutygraph.ingest.numerals import int_to_cn
from dutygraph.services.lifecycle import AuditLog, Forbidden, Principal
from dutygraph.services.retrieval import BM25, words

INDEX_FORMAT = 2  # bump when the index layout or the segmentation changes

TOWNSHIP = re.compile(r"乡、民族乡、镇|乡、镇|乡镇|乡（镇）|乡\(镇\)|乡级人民政府|镇人民政府|街道办事处|街道")
PENALTY_ITEM = re.compile(r"处罚|罚款|查处|没收|吊销|行政强制|责令.{0,8}(?:停止|改正|拆除)")
PENALTY_ARTICLE = re.compile(r"处.{0,12}罚款|罚款|没收违法所得|吊销|给予.{0,6}处分|追究刑事责任|予以处罚")
PURPOSE = re.compile(r"^为了.{0,80}制定本")
LEVEL_WEIGHT = {"法律": 1.0, "行政法规": 1.0, "地方性法规": 0.9, "部门规章": 0.85, "司法解释": 0.5}
# each rule's factor; chosen on the tuning half of bench/data/basis_suggest.csv (bench/suggest.py --tune)
W_TOWNSHIP = {"basic": 1.6, "cooperative": 1.15, "taken_back": 1.0}
W_DEPARTMENT = 1.4
W_PENALTY_MATCH, W_PENALTY_MISMATCH = 1.4, 0.6
W_NAME = 2.0  # a word of the item's name counts twice a word of its description
SHORTLIST = 30


@dataclass
class Provision:
    id: str
    law: str
    short_title: str
    level: str
    number: int | None
    label: str
    chapter: str
    text: str
    version_id: str
    version_date: str
    township: bool
    penalty: bool


def _core(department: str) -> str:
    """市应急管理局, 宜兴市应急管理局 and 无锡市宜兴生态环境局 → 应急管理局 / 生态环境局: the name without its place."""
    return re.sub(r"^(?:.{0,4}市.{0,3}?(?=[^市]{2,}(?:局|委|部|会|队|办|院|室)$)|市)", "", department.strip())


def _department_laws() -> dict[str, list[str]]:
    """A department's laws (ingest/data/law_domains.csv: a fragment of the law's title → the 宜兴 department
    that administers it), by the department's core name."""
    out: dict[str, list[str]] = {}
    with (DATA / "law_domains.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["department"]:
                out.setdefault(_core(r["department"]), []).append(r["law_contains"])
    return out


class SuggestionIndex:
    """Every article of the current law versions, segmented and indexed for BM25."""

    def __init__(self, provisions: list[Provision], fingerprint: str) -> None:
        self.provisions, self.fingerprint = provisions, fingerprint
        self.bm25 = BM25(words(f"{p.text} {p.short_title}") for p in provisions)
        self.department_laws = _department_laws()

    @staticmethod
    def fingerprint_of(store: GraphStore) -> str:
        h = hashlib.sha1(str(INDEX_FORMAT).encode())
        for r in store.query("suggest.fingerprint"):
            h.update(f"{r['id']}\x1f{r['hash']}\n".encode())
        return h.hexdigest()

    @classmethod
    def build(cls, store: GraphStore, fingerprint: str | None = None) -> SuggestionIndex:
        provisions = [
            Provision(r["id"], r["law"], r["short_title"] or r["law"], r["level"] or "", r["number"],
                      r["label"] or "", r["chapter"] or "", r["text"] or "", r["version_id"], r["version_date"] or "",
                      bool(TOWNSHIP.search(r["text"] or "")),
                      "法律责任" in (r["chapter"] or "") or bool(PENALTY_ARTICLE.search(r["text"] or "")))
            for r in store.query("suggest.provisions")
        ]
        provisions.sort(key=lambda p: p.id)  # the same corpus gives the same index, whatever order rows came in
        return cls(provisions, fingerprint or cls.fingerprint_of(store))

    @classmethod
    def load(cls, store: GraphStore, cache_dir: Path | None) -> SuggestionIndex:
        """The cached index if it was built from the laws now in the graph, else a new one (then cached)."""
        fp = cls.fingerprint_of(store)
        path = cache_dir / "suggest-index.pickle" if cache_dir else None
        if path and path.exists():
            try:
                with path.open("rb") as f:
                    cached = pickle.load(f)
                if isinstance(cached, cls) and cached.fingerprint == fp:
                    return cached
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass  # an unreadable or stale cache is rebuilt, never trusted
        index = cls.build(store, fp)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with tmp.open("wb") as f:
                pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)  # a reader never sees half a cache
        return index

    # --- ranking ------------------------------------------------------------------------------------

    def rank(self, name: str, content: str = "", part: str | None = None, department: str = "",
             top: int = 5, exclude: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        """The `top` provisions for an item, best first, each with the words and rules that placed it."""
        name_words, text_words = words(name), words(content)
        query = name_words + text_words
        if not query:
            return []
        weights = {w: W_NAME for w in name_words}
        raw = self.bm25.top(query, SHORTLIST * 20, weights)  # rules reorder a shortlist, not the corpus
        scale = self.bm25.self_score(query, weights) or 1.0
        penalty_item = bool(PENALTY_ITEM.search(f"{name} {content}")) or part == "taken_back"
        dept_laws = self.department_laws.get(_core(department), []) if department else []
        ranked = []
        for i, s in raw:
            p = self.provisions[i]
            factor, why = LEVEL_WEIGHT.get(p.level, 0.8), []
            if p.number == 1 and PURPOSE.search(p.text) or "附则" in p.chapter:
                factor *= 0.3
            if part and p.township and W_TOWNSHIP.get(part, 1.0) != 1.0:
                factor *= W_TOWNSHIP[part]
                why.append("条文规定乡镇(街道)职责")
            if dept_laws and any(f in p.law for f in dept_laws):
                factor *= W_DEPARTMENT
                why.append(f"{department}主管的法律")
            if p.penalty == penalty_item:
                factor *= W_PENALTY_MATCH
                if p.penalty:
                    why.append("法律责任(处罚)条款")
            else:
                factor *= W_PENALTY_MISMATCH
            ranked.append((s / scale * factor, i, why))
        ranked.sort(key=lambda x: (-x[0], self.provisions[x[1]].id))
        out: list[dict[str, Any]] = []
        for score, i, why in ranked:
            p = self.provisions[i]
            if f"{p.version_id}#{p.number}" in exclude:
                continue
            own = _words(f"{p.text} {p.short_title}")
            shared = [w for w in dict.fromkeys(query) if w in own]
            shared.sort(key=lambda w: -self.bm25.idf.get(w, 0.0))  # a word of the short title only has no IDF
            out.append({"law": p.law, "article": p.number, "label": p.label, "paragraph": None, "item": None,
                        "score": round(score, 3), "text": p.text, "level": p.level, "version_id": p.version_id,
                        "township": p.township,
                        "version_date": p.version_date, "article_id": p.id, "paragraph_id": None, "point_id": None,
                        "why": (["共同词语: " + "、".join(shared[:6])] if shared else []) + why})
            if len(out) >= top:
                break
        return out

    def township_provisions(self, text: str, top: int = 3) -> list[dict[str, Any]]:
        """The provisions placing a task on 乡镇/街道 that share most with it and name what it is about (a gas
        licence task is not evidenced by the logging-permit article): whether the law gives townships this task
        (the 准入 check's evidence)."""
        from dutygraph.graph.text import norm
        from dutygraph.services.delegation import ACTIONS, names_object

        objects = frozenset(words(text)) - ACTIONS
        return [s for s in self.rank(text, "", "basic", top=SHORTLIST)
                if s["township"] and (not objects or names_object(objects, norm(s["text"])))][:top]

    def narrow(self, by_article: dict[str, dict[int, dict]], suggestions: list[dict], name: str, content: str,
               part: str | None) -> None:
        """Narrow each suggestion to the 款 (and 项) where the item's words or the township subject stand out;
        the articles' 款 and 项 are read beforehand (article_parts), once for every item of a worklist."""
        query = set(words(f"{name} {content}"))

        def weight(text: str) -> float:
            w = sum(self.bm25.idf.get(x, 0.0) for x in query & _words(text))
            return w * (1.5 if part == "basic" and TOWNSHIP.search(text) else 1.0)

        for s in suggestions:
            paras = by_article.get(s["article_id"], {})
            if len(paras) < 2 and not any(p["points"] for p in paras.values()):
                continue
            scored = sorted(((weight(p["text"]), n, p) for n, p in paras.items()), key=lambda x: (-x[0], x[1]))
            best = scored[0]
            if best[0] > 0 and (len(scored) == 1 or best[0] > 1.2 * scored[1][0]):
                s.update(paragraph=best[1], paragraph_id=best[2]["id"], text=best[2]["text"])
                points = sorted(((weight(t), n, pid, t) for n, pid, t in best[2]["points"]),
                                key=lambda x: (-x[0], x[1]))
                if points and points[0][0] > 0 and (len(points) == 1 or points[0][0] > 1.2 * points[1][0]):
                    s.update(item=points[0][1], point_id=points[0][2], text=f"{best[2]['text']}{points[0][3]}")


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    """A provision's or 款's words, segmented once per process: a worklist asks for the same popular articles
    again and again."""
    return frozenset(words(text))


def article_parts(store: GraphStore, ids: list[str]) -> dict[str, dict[int, dict]]:
    """The 款 (and their 项) of these articles: article id → 款 number → {id, text, points}."""
    by_article: dict[str, dict[int, dict]] = {}
    for r in store.query("suggest.article_parts", ids=sorted(set(ids))):
        paras = by_article.setdefault(r["article_id"], {})
        para = paras.setdefault(r["paragraph"], {"id": r["paragraph_id"], "text": r["paragraph_text"] or "",
                                                 "points": []})
        if r["point_id"]:
            para["points"].append((r["point"], r["point_id"], r["point_text"] or ""))
    return by_article


def reference(s: dict) -> str:
    """《law》第X条第Y款第（Z）项, as a list would write it."""
    out = f"《{s['law']}》第{int_to_cn(s['article'])}条" if s.get("article") else f"《{s['law']}》"
    if s.get("paragraph"):
        out += f"第{int_to_cn(s['paragraph'])}款"
    if s.get("item"):
        out += f"第（{int_to_cn(s['item'])}）项"
    return out


def key(version_id: str, article: int | None) -> str:
    return f"{version_id}#{article}"


DECIDERS = ("legal", "admin")  # the 司法局's legal review decides what an item's basis is


class SuggestionService:
    def __init__(self, store: GraphStore, index: SuggestionIndex) -> None:
        self.store, self.index = store, index
        self.audit = AuditLog(store)

    @staticmethod
    def _may_decide(who: Principal) -> None:
        if who.role not in DECIDERS:
            raise Forbidden(f"{who.name} 不能采纳或驳回建议依据 (the 司法局 legal reviewer decides)")

    def suggest(self, name: str, content: str = "", part: str | None = None, department: str = "",
                top: int = 5, exclude: set[str] | frozenset[str] = frozenset()) -> list[dict]:
        out = self.index.rank(name, content, part, department, top, exclude)
        self._place([(out, name, content, part)])
        return out

    def _item(self, item_id: str) -> dict:
        rows = self.store.query("suggest.item_text", id=item_id)
        if not rows:
            raise NotFound(f"没有找到事项 {item_id} (item not found)")
        return rows[0]

    def for_item(self, item_id: str, top: int = 5) -> dict:
        it = self._item(item_id)
        content = " ".join(filter(None, (it["content"], it["township_duty"])))
        dept = next(iter(it["departments"]), "")
        accepted = self.store.query("suggest.accepted", id=item_id)
        taken = {(a["version_id"], a["article"]) for a in accepted}
        offered = self.suggest(it["name"] or "", content, it["part"], dept, top, set(it["rejected"]))
        for s in offered:  # an accepted provision says so, instead of offering 采纳 again
            s["accepted"] = (s["version_id"], s["article"]) in taken
        return {"item_id": item_id, "name": it["name"], "part": it["part"], "basis_status": it["basis_status"],
                "accepted": accepted, "suggestions": offered, "copies": self.same_duty(item_id)}

    def _target(self, version_id: str, article: int, paragraph: int | None, point: int | None) -> dict:
        rows = self.store.query("suggest.target", version_id=version_id, article=article, paragraph=paragraph,
                                point=point)
        if not rows:
            raise InputError(f"法律版本 {version_id} 没有第{article}条 (no such article)", column="article")
        t = rows[0]
        if paragraph and not t["paragraph_id"] or point and not t["point_id"]:
            raise InputError(f"第{article}条没有第{paragraph}款第{point}项 (no such paragraph or point)",
                             column="paragraph")
        return t

    def accept(self, who: Principal, item_id: str, version_id: str, article: int, paragraph: int | None = None,
               point: int | None = None, comment: str = "") -> dict:
        self._may_decide(who)
        it = self._item(item_id)
        if it["basis_status"] == "cited":
            raise InputError("该事项已有法律依据, 请通过清单调整修改 (the item has a basis: change it by request)",
                             column="item_id")
        t = self._target(version_id, article, paragraph, point)
        ref = reference({"law": t["law"], "article": article, "paragraph": paragraph, "item": point})
        cid = hashlib.sha1(f"{item_id}\x1fsuggested\x1f{version_id}\x1f{article}\x1f{paragraph}\x1f{point}"
                           .encode()).hexdigest()[:16]
        if any(a["id"] == cid for a in self.store.query("suggest.accepted", id=item_id)):
            # accepted already (a second click, a retried request): the same answer, no second audit entry
            return {"citation_id": cid, "basis_status": it["basis_status"], "reference": ref,
                    "lists": [r["id"] for r in self.store.query("suggest.item_lists", id=item_id)]}
        lists = [r["id"] for r in self.store.query("suggest.item_lists", id=item_id)]
        before = {lid: contributions(facts_of_list(self.store, lid)) for lid in lists}
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        row = self.store.execute(
            "suggest.accept", item_id=item_id, id=cid, raw=ref, law=t["law"], article=article, paragraph=paragraph,
            point=point, note=comment or "", version_id=version_id, decided_by=who.name, decided_at=now,
            article_id=t["article_id"], paragraph_id=t["paragraph_id"], point_id=t["point_id"])[0]
        self._follow(lists, before)
        self.audit.record(who, "basis.accept", item_id, before=it["basis_status"], after=row["id"],
                          detail=f"{ref} {comment}".strip())
        return {"citation_id": row["id"], "basis_status": row["basis_status"], "reference": ref, "lists": lists}

    def same_duty(self, item_id: str) -> list[dict[str, Any]]:
        """Every township's current copy of this duty (same normalised name and part)."""
        return self.store.query("suggest.same_duty", id=item_id)

    def accept_across(self, who: Principal, item_id: str, version_id: str, article: int, paragraph: int | None,
                      point: int | None, townships: set[str] | None) -> dict[str, Any]:
        """One decision for a duty listed by many townships: the provision accepted for each copy of the duty
        in `townships` (None: all) that has no basis of its own; the townships left out are the exceptions."""
        self._may_decide(who)
        done, skipped = [], []
        for copy in self.same_duty(item_id):
            if townships is not None and copy["township"] not in townships:
                skipped.append({"township": copy["township"], "why": "除外"})
            elif copy["basis_status"] == "cited":
                skipped.append({"township": copy["township"], "why": "已有法律依据"})
            else:
                self.accept(who, copy["id"], version_id, article, paragraph, point)
                done.append(copy["township"])
        return {"accepted": done, "skipped": skipped}

    def reject(self, who: Principal, item_id: str, version_id: str, article: int, comment: str = "") -> dict:
        """The provision is not offered for this item again; if it had been accepted, the acceptance is withdrawn
        (its citation removed, the item's flags and counts follow). Rejecting twice changes nothing the second
        time and writes one audit entry."""
        self._may_decide(who)
        it = self._item(item_id)
        self._target(version_id, article, None, None)  # a provision that does not exist is refused, not remembered
        k = key(version_id, article)
        accepted = [a for a in self.store.query("suggest.accepted", id=item_id)
                    if a["version_id"] == version_id and a["article"] == article]
        if k in it["rejected"] and not accepted:
            return {"item_id": item_id, "rejected": len(it["rejected"]), "withdrawn": 0}
        withdrawn = 0
        if accepted:
            lists = [r["id"] for r in self.store.query("suggest.item_lists", id=item_id)]
            before = {lid: contributions(facts_of_list(self.store, lid)) for lid in lists}
            withdrawn = self.store.execute("suggest.withdraw", item_id=item_id, version_id=version_id,
                                           article=article)[0]["withdrawn"]
            self._follow(lists, before)
        n = self.store.execute("suggest.reject", item_id=item_id, key=k)[0]["rejected"]
        detail = f"{version_id} 第{article}条{' (撤销采纳)' if withdrawn else ''} {comment}".strip()
        self.audit.record(who, "basis.reject", item_id, detail=detail)
        self.store.persist()
        return {"item_id": item_id, "rejected": n, "withdrawn": len(accepted) if withdrawn else 0}

    def _follow(self, lists: list[str], before: dict[str, set]) -> None:
        """The item's orphan flags, its lists' counts and the consistency tallies follow the new basis."""
        after = refresh_lists(self.store, lists)
        for lid in lists:
            tallies, keys = deltas(before[lid], contributions(after[lid]))
            if tallies:
                apply_tallies(self.store, tallies, keys)
        self.store.persist()

    def worklist_by_duty(self, township: str | None, top: int = 1, limit: int | None = None,
                         offset: int = 0) -> tuple[int, list[dict]]:
        """The worklist with one row per duty (name and part) however many townships list it, their number
        beside it (their names when three or fewer), suggested once: what the legal office decides once for all
        of them. The most widely listed first; (how many duties, the page of them asked for, each with its
        suggestions)."""
        every = self.store.query("suggest.duties_without_basis", township=township)
        for r in every:  # (a township listing a duty twice is named once)
            r["townships"] = sorted(set(r["townships"]))
        groups = every[offset:] if limit is None else every[offset:offset + limit]
        return len(every), self._suggest_rows(groups, top)

    def worklist(self, township: str | None, top: int = 3) -> list[dict]:
        """Every current item without a basis (of one township or all), with its top suggestions."""
        return self._suggest_rows(self.store.query("suggest.items_without_basis", township=township), top)

    def _suggest_rows(self, rows: list[dict], top: int) -> list[dict]:
        """`suggest` for many items at once: the 款 and 项 of every suggested article are read in one statement
        for all of them, not once per item (218 statements took 1.1 s of a 2 s page at 10×)."""
        asks = []
        for r in rows:
            content = " ".join(filter(None, (r["content"], r["township_duty"])))
            r["suggestions"] = self.index.rank(r["name"] or "", content, r["part"], next(iter(r["departments"]), ""),
                                               top)
            asks.append((r["suggestions"], r["name"] or "", content, r["part"]))
        self._place(asks)
        return rows

    def _place(self, asks: list[tuple[list[dict], str, str, str | None]]) -> None:
        """Each (suggestions, name, content, part) narrowed to its 款 and 项 and written as a list would cite it;
        the suggested articles' 款 are read in one statement for all of them (218 statements, one per item, took
        1.1 s of a 2 s worklist page at 10×)."""
        ids = [s["article_id"] for out, *_ in asks for s in out]
        parts = article_parts(self.store, ids) if ids else {}
        for out, name, content, part in asks:
            self.index.narrow(parts, out, name, content, part)
            for s in out:
                s["reference"] = reference(s)
