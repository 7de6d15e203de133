"""Split and merged articles: agreement with the hand-checked decisions (bench/data/align_checked.csv, on
../shared/data/laws), and how many version pairs of a corpus (laws-full) have splits or merges, with examples.

    .venv/bin/python -m bench.align [--corpus ../shared/data/laws-full]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from dutygraph.ingest.align import align

from bench.impact import version_pairs

ROOT = Path(__file__).resolve().parent
CHECKED = ROOT / "data" / "align_checked.csv"
CURATED = ROOT.parent.parent / "shared" / "data" / "laws"


def _num(x: str) -> int | None:
    return int(x) if x else None


def agreement(laws: Path) -> tuple[int, int, list[str]]:
    rows = list(csv.DictReader(CHECKED.open(encoding="utf-8")))
    got: dict[tuple[str, str, str], set[tuple[int | None, int | None, str]]] = {}
    for a, b in version_pairs(laws):
        if a.date == b.date:  # the parts of one code, not two versions
            continue
        got[(a.title, a.date, b.date)] = {(p.old, p.new, p.change) for p in align(a.articles, b.articles)}
    right, wrong = 0, []
    for r in rows:
        pairs = got.get((r["law"], r["old_date"], r["new_date"]), set())
        want = (_num(r["old"]), _num(r["new"]), r["change"])
        if want in pairs:
            right += 1
        else:
            found = [p for p in pairs if (want[0] is not None and p[0] == want[0]) or
                     (want[1] is not None and p[1] == want[1])]
            wrong.append(f"{r['law']} {r['old'] or '—'}→{r['new'] or '—'} {r['change']} ({r['note']}): got {found}")
    return right, len(rows), wrong


def tolerant_pairs(laws: Path) -> tuple[list[tuple], int]:
    """Consecutive versions of each title, skipping files the parser refuses (a guide without a date in
    laws-full): (pairs, files skipped)."""
    from dutygraph.ingest.law_parser import LawParseError, discover, parse_source

    docs: dict[str, list] = {}
    skipped = 0
    for path, cat in discover([laws]):
        try:
            d = parse_source(path, cat)
        except LawParseError:
            skipped += 1
            continue
        docs.setdefault(d.title, []).append(d)
    pairs = []
    for vs in docs.values():
        vs.sort(key=lambda d: d.date)
        pairs += [(a, b) for a, b in zip(vs, vs[1:], strict=False) if a.date != b.date]
    return pairs, skipped


def corpus_counts(laws: Path) -> None:
    pairs, skipped = tolerant_pairs(laws)
    if skipped:
        print(f"{laws}: {skipped} files the parser refuses, left out")
    with_split = with_merge = 0
    kinds: Counter[str] = Counter()
    examples = []
    for a, b in pairs:
        res = align(a.articles, b.articles)
        c = Counter(p.change for p in res)
        kinds += c
        with_split += bool(c["split"])
        with_merge += bool(c["merged"])
        if (c["split"] or c["merged"]) and len(examples) < 8:
            p = next(p for p in res if p.change in ("split", "merged"))
            examples.append(f"  {a.title} {a.date}→{b.date}: {p.change} 第{p.old}条 → 第{p.new}条 ({p.score:.2f})")
    print(f"{laws}: {len(pairs)} version pairs; {with_split} with splits, {with_merge} with merges; "
          f"change types {dict(kinds)}")
    print("\n".join(examples))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, help="also count splits and merges in this corpus (laws-full)")
    a = ap.parse_args()
    if CURATED.is_dir():
        right, n, wrong = agreement(CURATED)
        print(f"hand-checked decisions ({n}, {CHECKED.name}): {right}/{n} = {right / n:.3f} agree")
        for w in wrong:
            print("  disagrees:", w)
        corpus_counts(CURATED)
    else:
        print(f"no {CURATED}: the hand-checked pairs need the curated corpus")
    if a.corpus:
        corpus_counts(a.corpus)


if __name__ == "__main__":
    main()
