"""Indicator flags on a generated assessment table (ingest/sample_indicators.py, constructed and labelled).

    .venv/bin/python -m bench.indicators --data-dir DIR   (a graph with the 宜兴 sample loaded)

The table is written to .xlsx and read back through the reader. A flag (lead_shift, taken_back, off_list) is
right when the label is that flag; odd rows are printed as a check, even rows are the held-out half.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from dutygraph.graph.vocabulary import FLAGGED
from dutygraph.ingest.indicators import read_indicators
from dutygraph.ingest.sample_indicators import generate, write
from dutygraph.services.indicators import check

from bench import matcher_of


def score(pairs: list[tuple[dict, str]]) -> dict:
    tp = sum(1 for c, want in pairs if c["flagged"] and c["verdict"] == want)
    fp = sum(1 for c, want in pairs if c["flagged"] and c["verdict"] != want)
    fn = sum(1 for c, want in pairs if want in FLAGGED and c["verdict"] != want)
    exact = sum(1 for c, want in pairs if c["verdict"] == want)
    return {"n": len(pairs), "planted": sum(w in FLAGGED for _, w in pairs),
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "accuracy": exact / len(pairs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    matcher = matcher_of(a.data_dir)
    rows = generate(matcher)
    with tempfile.TemporaryDirectory() as tmp:
        indicators = read_indicators(write(rows, Path(tmp) / "indicators.xlsx"))
    checked = check(indicators, matcher)  # one township per generated indicator: one verdict per row
    pairs = list(zip(checked, (r[-1] for r in rows), strict=True))
    if a.show:
        for c, want in pairs:
            if c["verdict"] != want:
                print(f"  {c['id']} want {want} got {c['verdict']}: {c['indicator'][:30]} | {c['evidence'][:50]}")
    for name, half in (("odd rows", pairs[0::2]), ("held-out (even rows)", pairs[1::2])):
        s = score(half)
        print(f"{name}: {s['n']} indicators ({s['planted']} planted bad), flag precision {s['precision']:.3f} "
              f"recall {s['recall']:.3f}, verdict accuracy {s['accuracy']:.3f}")


if __name__ == "__main__":
    main()
