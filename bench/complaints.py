"""Routing of real citizen wording: bench/data/real_complaints.csv.

    .venv/bin/python -m bench.complaints --data-dir DIR   (a graph with the 宜兴 sample loaded)

28 complaint texts from public 12345 / 留言板 pages (shortened and re-worded, the source address kept), each
routed as if 周铁镇 received it. The acceptable answers were written before the router ran on them, from
周铁镇's list: the items a township officer would file the case under, and "-" where leaving it unmatched
(no item fits, or the case belongs to a department) is right too. Odd ids tune the citizen vocabulary
(ingest/data/complaint_terms.txt), even ids are held out.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from dutygraph.ingest.records import Record
from dutygraph.services.delegation import Matcher
from dutygraph.services.records import route

from bench import matcher_of

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "real_complaints.csv"
TOWN = "周铁镇"


def run(matcher: Matcher, verbose: bool = False) -> dict[str, tuple[int, int, int]]:
    with DATA.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    recs = [Record(r["id"], "", TOWN, r["text"], "", r["sent_to"], "", "", DATA.name, "", i)
            for i, r in enumerate(rows, 2)]
    out: dict[str, list[int]] = {"tune": [0, 0, 0], "held-out": [0, 0, 0]}
    for r, got in zip(rows, route(recs, matcher), strict=True):
        ok_set = set(r["acceptable"].split("|"))
        answer = got["item"] if got["route"] != "unmatched" else "-"
        half = "tune" if int(r["id"][1:]) % 2 else "held-out"
        right = answer in ok_set
        # an item-level answer was possible: some acceptable answer is an item
        out[half][0] += right
        out[half][1] += 1
        out[half][2] += right and answer != "-"
        if verbose:
            print(f"{r['id']} {'ok ' if right else 'MISS'} {got['score']:.2f} {answer} | want {r['acceptable']}")
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    matcher = matcher_of(args.data_dir)
    for half, (right, n, items) in run(matcher, args.verbose).items():
        print(f"{half:9} {n} complaints: right {right} ({right / n:.2f}), of which filed under an item {items}")


if __name__ == "__main__":
    main()
