"""Routing accuracy and wrong-side flags on generated hotline records (ingest/sample_records.py, constructed).

    .venv/bin/python -m bench.records --data-dir DIR   (a graph with the 宜兴 sample loaded)

600 records are written to an .xlsx and read back through the reader; odd rows tune nothing (the matcher's
thresholds come from the delegation set) and are printed as a check, even rows are the held-out half.
A routing is right when its class (routed / wrong_side / unmatched) and, for matched records, its item's list
part are the labelled ones.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from dutygraph.ingest.records import read_records
from dutygraph.ingest.sample_records import generate, write
from dutygraph.services.records import route

from bench import matcher_of


def score(pairs: list[tuple[dict, list[str]]]) -> dict:
    parts = {}
    right = tp = fp = fn = 0
    for got, row in pairs:
        item_id, label = row[8], row[9]
        want_part = parts.get(item_id)
        ok = got["route"] == label and (label == "unmatched" or got["item_id"] == item_id or
                                        (want_part is not None and got["part"] == want_part))
        right += ok
        flagged, planted = got["route"] == "wrong_side", label == "wrong_side"
        tp += flagged and planted
        fp += flagged and not planted
        fn += planted and not flagged
    n = len(pairs)
    return {"n": n, "accuracy": right / n, "wrong_side_precision": tp / (tp + fp) if tp + fp else 1.0,
            "wrong_side_recall": tp / (tp + fn) if tp + fn else 1.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("-n", type=int, default=600)
    a = ap.parse_args()
    matcher = matcher_of(a.data_dir)
    rows = generate(matcher, a.n)
    with tempfile.TemporaryDirectory() as tmp:
        records = read_records(write(rows, Path(tmp) / "records.xlsx"))
    t = time.perf_counter()
    routed = route(records, matcher)
    dt_ = time.perf_counter() - t
    pairs = list(zip(routed, rows, strict=True))
    for name, half in (("odd rows", pairs[0::2]), ("held-out (even rows)", pairs[1::2])):
        s = score(half)
        print(f"{name}: {s['n']} records, routing accuracy {s['accuracy']:.3f}, wrong-side precision "
              f"{s['wrong_side_precision']:.3f} recall {s['wrong_side_recall']:.3f}")
    print(f"{len(records) / dt_:.0f} records/s routed")


if __name__ == "__main__":
    main()
