"""The task matcher on near misses: tasks with the verbs of list items but other objects (bench/data/near_miss.csv).

    .venv/bin/python -m bench.near_miss --data-dir DIR   (a graph with the 宜兴 sample loaded)

Each task goes to three sample townships. A verdict that accuses or assigns (basic, cooperative, lead_shift,
taken_back) rests on its top match; it is right only when that item names the task's object. off_list and
uncertain rest on no match. Printed: how many confident verdicts rest on a match with another object, and
the top-match precision (confident verdicts whose top item names the object).
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

from dutygraph.ingest.delegation import Task
from dutygraph.services.delegation import Matcher, check

from bench import matcher_of

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "bench" / "data" / "near_miss.csv"
TOWNS = ("丁蜀镇", "周铁镇", "宜城街道")
CONFIDENT = ("basic", "cooperative", "lead_shift", "taken_back")


def run(matcher: Matcher, show: bool = False) -> dict:
    with EVAL.open(encoding="utf-8") as f:
        tasks = list(csv.DictReader(f))
    confident = right = 0
    for t in tasks:
        for town in TOWNS:
            (v,) = check([Task("", t["text"], "", [town])], matcher, town)
            top = v.matches[0][0].name if v.matches else ""
            if v.verdict in CONFIDENT:
                confident += 1
                ok = bool(re.search(t["object"], top))
                right += ok
                if show and not ok:
                    print(f"  WRONG {t['id']} {town} {v.verdict} {v.score:.2f} 「{top}」 <- {t['text']}")
    n = len(tasks) * len(TOWNS)
    return {"cases": n, "confident": confident, "wrong_object": confident - right,
            "top_match_precision": right / confident if confident else 1.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    matcher = matcher_of(a.data_dir)
    r = run(matcher, a.show)
    print(f"near misses: {r['cases']} task×township, {r['confident']} confident verdicts, "
          f"{r['wrong_object']} resting on another object; top-match precision {r['top_match_precision']:.2f}")


if __name__ == "__main__":
    main()
