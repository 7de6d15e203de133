"""Precision and recall of the 越单摊派 verdicts on the evaluation set (bench/data/delegation_tasks.csv).

    .venv/bin/python -m bench.delegation [--data-dir DIR] [--tune]

Each base task is sent to three townships of the 宜兴 sample (丁蜀镇, 周铁镇, 宜城街道); where the expected
item is not on that township's list the verdict a person gives is off_list. Odd task numbers tune the
thresholds (--tune searches them), even ones are reported.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from collections import Counter
from pathlib import Path

from dutygraph.graph.connect import open_store
from dutygraph.graph.settings import Settings
from dutygraph.graph.vocabulary import VERDICTS
from dutygraph.ingest.delegation import Task
from dutygraph.services import delegation
from dutygraph.services.delegation import Matcher, check

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "bench" / "data" / "delegation_tasks.csv"
TOWNS = ("丁蜀镇", "周铁镇", "宜城街道")


def cases(matcher: Matcher) -> list[dict]:
    with EVAL.open(encoding="utf-8") as f:
        base = list(csv.DictReader(f))
    out = []
    for b in base:
        for town in TOWNS:
            names = {d.name for d in matcher.by_town.get(town, [])}
            expected = b["expected"] if not b["expected_item"] or b["expected_item"] in names else "off_list"
            out.append({**b, "township": town, "expected": expected,
                        "split": "tune" if int(b["id"][1:]) % 2 else "report"})
    return out


def evaluate(matcher: Matcher, rows: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for r in rows:
        (v,) = check([Task(r["标题"], r["内容"], r["发文单位"])], matcher, r["township"])
        pairs.append((r["expected"], v.verdict))
    return pairs


def metrics(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float, int]]:
    out = {}
    for v in VERDICTS:
        tp = sum(1 for e, g in pairs if e == g == v)
        predicted = sum(1 for _, g in pairs if g == v)
        actual = sum(1 for e, _ in pairs if e == v)
        out[v] = (tp / predicted if predicted else float("nan"), tp / actual if actual else float("nan"), actual)
    return out


def report(title: str, pairs: list[tuple[str, str]]) -> None:
    acc = sum(e == g for e, g in pairs) / len(pairs)
    print(f"{title}: {len(pairs)} tasks, accuracy {acc:.3f}; predicted {dict(Counter(g for _, g in pairs))}")
    for v, (p, r, n) in metrics(pairs).items():
        print(f"  {v:12} precision {p:5.3f}  recall {r:5.3f}  (n={n})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--tune", action="store_true", help="search the thresholds on the tuning half")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.data_dir is None:
            from bench.queries import build_sample

            build_sample(Path(tmp), args.shared)
        store = open_store(Settings(data_dir=args.data_dir or Path(tmp)))
        try:
            matcher = Matcher.load(store)
        finally:
            store.close()
    rows = cases(matcher)
    tune = [r for r in rows if r["split"] == "tune"]
    test = [r for r in rows if r["split"] == "report"]
    if args.tune:
        best = None
        for low in [x / 100 for x in range(15, 45, 3)]:
            for high in [x / 100 for x in range(int(low * 100) + 6, 70, 3)]:  # keep an uncertain band
                delegation.LOW, delegation.HIGH = low, high
                pairs = evaluate(matcher, tune)
                m = metrics(pairs)
                acc = sum(e == g for e, g in pairs) / len(pairs)
                # precision of the flags that accuse a department matters most
                key = (min(m["off_list"][0], m["taken_back"][0]) >= 0.9, acc)
                if best is None or key > best[0]:
                    best = (key, low, high)
        delegation.LOW, delegation.HIGH = best[1], best[2]
        print(f"tuned thresholds: LOW={best[1]:.2f} HIGH={best[2]:.2f}")
    print(f"thresholds LOW={delegation.LOW:.2f} HIGH={delegation.HIGH:.2f}; {len(rows)} cases")
    report("tuning half", evaluate(matcher, tune))
    report("reported half", evaluate(matcher, test))


if __name__ == "__main__":
    main()
