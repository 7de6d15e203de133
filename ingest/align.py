"""Align two versions of a law (or a law and its replacement) by content, article by article.

Article numbers are not stable across versions, so articles are matched by text: character-bigram
Dice similarity, then an order-respecting assignment (dynamic programming, like a sequence alignment)
that maximises total similarity, then a second pass for articles that moved out of order, and finally
split/merged detection from paragraph and clause containment. Deterministic; every pair carries its score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dutygraph.graph.text import bigrams, dice, norm
from dutygraph.ingest.law_parser import Article

MATCH = 0.35  # minimum similarity for an article pair in the ordered alignment
MOVED = 0.55  # minimum for a pair found out of order
PART = 0.6  # similarity of a paragraph to one in another article, for split/merged
CONTAINED = 0.8  # share of a paragraph's bigrams found in another version's article: its text moved there
NEAR = 8  # a split or merged article lies within this many articles of where the alignment puts it
CLAUSE = 8  # characters of the shortest clause that may carry a split on its own (执法人员不得少于两人)
CLAUSE_END = re.compile(r"[，。；：,;:]")
EFFECTIVE = re.compile(r"自\s*\d{4}\s*年.{0,12}起施行|自公布之日起施行")  # the commencement clause


def clauses(text: str) -> list[str]:
    """The article's clauses long enough to be its own: a split may move one clause of a 款, not a whole one
    (突发事件应对法 2007 第七条's 涉及两个以上行政区域的… became 2024 第十八条)."""
    return [c for c in (norm(x) for x in CLAUSE_END.split(text)) if len(c) >= CLAUSE]


def grams(text: str) -> frozenset[str]:
    # a one-character paragraph still has a unit to compare
    return frozenset(bigrams(text)) or frozenset([norm(text)])


@dataclass
class Pair:
    old: int | None
    new: int | None
    change: str  # unchanged | renumbered | amended | split | merged | deleted | added
    score: float
    paragraphs: list[dict] = field(default_factory=list)  # {"old": 款, "new": 款, "change"}

    def as_json(self) -> dict:
        return {"old": self.old, "new": self.new, "change": self.change, "score": round(self.score, 3)}


def _ordered(sim: list[list[float]]) -> list[tuple[int, int]]:
    n, m = len(sim), len(sim[0]) if sim else 0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, nxt = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            s = sim[i][j]
            take = s + nxt[j + 1] if s >= MATCH else -1.0
            row[j] = max(take, nxt[j], row[j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        s = sim[i][j]
        if s >= MATCH and abs(best[i][j] - (s + best[i + 1][j + 1])) < 1e-12:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif abs(best[i][j] - best[i + 1][j]) < 1e-12:
            i += 1
        else:
            j += 1
    return pairs


def _paragraph_changes(old: Article, new: Article) -> list[dict]:
    out = []
    new_grams = [(p.number, grams(p.text), norm(p.text)) for p in new.paragraphs]
    for p in old.paragraphs:
        g, n = grams(p.text), norm(p.text)
        if not new_grams:
            break
        num, score, text = max(((k, dice(g, ng), nt) for k, ng, nt in new_grams), key=lambda x: x[1])
        change = "unchanged" if text == n else ("amended" if score >= MATCH else "deleted")
        out.append({"old": p.number, "new": num if change != "deleted" else None, "change": change,
                    "score": round(score, 3)})
    return out


def align(old: list[Article], new: list[Article]) -> list[Pair]:
    og = [grams(a.text) for a in old]
    ng = [grams(a.text) for a in new]
    sim = [[dice(a, b) for b in ng] for a in og]
    matched = dict(_ordered(sim))
    used = set(matched.values())
    # articles that moved out of order: best remaining partner above a stricter threshold, greedily
    leftovers = sorted(((sim[i][j], i, j) for i in range(len(old)) if i not in matched
                        for j in range(len(new)) if j not in used and sim[i][j] >= MOVED), reverse=True)
    for _, i, j in leftovers:
        if i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    pairs: list[Pair] = []
    for i, j in sorted(matched.items()):
        a, b = old[i], new[j]
        same = norm(a.text) == norm(b.text)
        change = ("unchanged" if a.number == b.number else "renumbered") if same else "amended"
        pairs.append(Pair(a.number, b.number, change, sim[i][j], [] if same else _paragraph_changes(a, b)))
    # split / merged: an unmatched article one of whose paragraphs comes from (goes to) a matched article
    op = [[grams(p.text) for p in a.paragraphs] for a in old]
    np_ = [[grams(p.text) for p in a.paragraphs] for a in new]

    def best_paragraph(mine: list[frozenset[str]], theirs: list[list[frozenset[str]]], whole: list[frozenset[str]],
                       allowed: set[int]) -> tuple[float, int]:
        """The article of `allowed` one of `mine`'s paragraphs came from (went to): a paragraph alike in
        wording (Dice), or one whose text is mostly inside the other article (containment: the paragraph moved
        with small rewording into a longer article, as a merge does)."""
        scored = [(dice(g, t), k) for g in mine for k in allowed for t in theirs[k]]
        scored += [(len(g & whole[k]) / len(g), k) for g in mine if len(g) >= 8 for k in allowed
                   if len(g & whole[k]) / len(g) >= CONTAINED]
        return max(scored, default=(0.0, -1))

    # where the alignment puts each unmatched article: between its matched neighbours
    new_of = dict(matched)
    old_of = {j: i for i, j in matched.items()}

    def near(k: int, anchor: dict[int, int], size: int) -> set[int]:
        before = [anchor[x] for x in anchor if x < k]
        centre = max(before) if before else 0
        return {x for x in range(max(0, centre - NEAR), min(size, centre + NEAR + 1))}

    successors: dict[int, list[int]] = {}  # old → its split parts; new → its merged sources
    effective = [k for k, a in enumerate(old) if EFFECTIVE.search(a.text)]
    for j, b in enumerate(new):  # the commencement clause follows the commencement clause, whatever its date
        if j not in used and EFFECTIVE.search(b.text) and effective and effective[-1] not in matched:
            matched[effective[-1]] = j
            used.add(j)
            pairs.append(Pair(old[effective[-1]].number, b.number, "amended", sim[effective[-1]][j]))
    # a clause found in one old article only is that article's own: where it reappears, the text moved
    owner: dict[str, int] = {}
    for k, a in enumerate(old):
        for c in clauses(a.text):
            owner[c] = k if owner.get(c, k) == k else -1
    new_text = [norm(b.text) for b in new]
    # …and found in one new article only: a clause two new articles share (追回已经销售的农产品) shows no move
    owner = {c: k for c, k in owner.items() if k >= 0 and sum(c in t for t in new_text) == 1}
    for j, b in enumerate(new):
        if j in used:
            continue
        window = near(j, old_of, len(old))
        score, src = best_paragraph(np_[j], op, og, window)
        # …or a 款 of an old article (aligned elsewhere) found almost whole inside this new one: it moved here
        moved = [(len(g & ng[j]) / len(g), k) for k in window for g in op[k] if len(g) >= 8]
        # …or a clause of one: found word for word here and no longer in the old article's aligned successor
        moved += [(CONTAINED, k) for c, k in owner.items() if k in window and c in new_text[j]
                  and (k not in new_of or c not in new_text[new_of[k]])]
        score, src = max([(score, src), *[m for m in moved if m[0] >= CONTAINED]])
        if score >= PART:
            pairs.append(Pair(old[src].number, b.number, "split", score))
            successors.setdefault(old[src].number, []).append(b.number)
        else:
            pairs.append(Pair(None, b.number, "added", 0.0))
    merged_into: dict[int, list[int]] = {}
    for i, a in enumerate(old):
        if i in matched or a.number in successors:  # a split's source is not deleted: its pairs name its parts
            continue
        score, dst = best_paragraph(op[i], np_, ng, near(i, new_of, len(new)))
        if score >= PART:
            pairs.append(Pair(a.number, new[dst].number, "merged", score))
            merged_into.setdefault(new[dst].number, []).append(a.number)
        else:
            pairs.append(Pair(a.number, None, "deleted", max(sim[i], default=0.0)))
    # both ends of a split or a merge say so: the old article's aligned successor is one part of the split, the
    # new article's aligned predecessor one source of the merge
    for p in pairs:
        if p.change in ("amended", "renumbered", "unchanged") and p.old in successors:
            p.change = "split"
        elif p.change in ("amended", "renumbered", "unchanged") and p.new in merged_into:
            p.change = "merged"
    pairs.sort(key=lambda p: (p.old if p.old is not None else 10**6, p.new if p.new is not None else 10**6))
    return pairs


def paragraph_map(old: list[Article], new: list[Article]) -> dict[tuple[int, int], tuple[int, int, float]]:
    """(old article, old 款) → (new article, new 款, score): each old paragraph's best successor anywhere in the
    new version, preferring the aligned article. This is how 第八条第三款 (2014) finds 第九条第二款 (2021)."""
    new_units = [(a.number, p.number, grams(p.text)) for a in new for p in a.paragraphs]
    aligned = {p.old: p.new for p in align(old, new) if p.old is not None and p.new is not None}
    out = {}
    for a in old:
        for p in a.paragraphs:
            g = grams(p.text)
            scored = [(dice(g, ng) + (0.01 if na == aligned.get(a.number) else 0.0), na, np_)
                      for na, np_, ng in new_units]
            if scored:
                s, na, np_ = max(scored)
                if s >= MATCH:
                    out[(a.number, p.number)] = (na, np_, round(min(s, 1.0), 3))
    return out
