"""Citation extraction: precision / recall / F1 per provision and per shape, and cells per second.

    .venv/bin/python -m bench.basis [--set bench/data/basis_shapes.csv]

A set is a CSV with id, half (tune | held), shape, cell and expected (a JSON list of [law, 条, 款, 项]),
decided before the parser runs on it; both halves are reported. bench/data/basis_shapes.csv holds one
constructed cell per shape of ../shared/data/lists/basis_formats.md (not real cells: see the README).
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from dutygraph.ingest.extract import Extractor

ROOT = Path(__file__).resolve().parent


def score(expected: list[tuple], got: list[tuple]) -> tuple[int, int, int]:
    e, g = Counter(expected), Counter(got)
    tp = sum((e & g).values())
    return tp, sum(g.values()) - tp, sum(e.values()) - tp


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", type=Path, default=ROOT / "data" / "basis_shapes.csv")
    args = ap.parse_args()
    with args.set.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ex = Extractor()
    halves: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    shapes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for r in rows:
        expected = [tuple(x) for x in json.loads(r["expected"])]
        got = [(c.law, c.article, c.paragraph, c.point) for c in ex.citations(r["cell"])]
        tp, fp, fn = score(expected, got)
        for acc in (halves[r["half"]], halves["all"], shapes[r["shape"]]):
            acc[0] += tp
            acc[1] += fp
            acc[2] += fn
        if fp or fn:
            misses.append((r["id"], r["shape"], expected, got))
    for half in ("tune", "held", "all"):
        p, rc, f1 = prf(*halves[half])
        print(f"{half:>5}: precision {p:.3f} recall {rc:.3f} F1 {f1:.3f} (provisions expected "
              f"{halves[half][0] + halves[half][2]})")
    for shape, acc in sorted(shapes.items()):
        print(f"  {shape:32} recall {prf(*acc)[1]:.2f}")
    for m in misses:
        print("  miss", *m)
    cells = [r["cell"] for r in rows]
    t = time.perf_counter()
    n = 0
    while time.perf_counter() - t < 2.0:  # fresh texts each round: the extractor caches by text
        for c in cells:
            ex.citations(f"{c}{n}")
            n += 1
    print(f"extraction: {n / (time.perf_counter() - t):.0f} cells/s on one core")


if __name__ == "__main__":
    main()
