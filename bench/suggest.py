"""How often the provision behind an item is among the suggestions, its basis hidden (bench/data/basis_suggest.csv).

    .venv/bin/python -m bench.suggest [--data-dir DIR] [--tune] [--show]

The evaluation set was written before the suggester ran on it: 36 duties as township lists word them, each
with the article a legal reviewer cites for it (checked against the LawRefBook text); odd ids tune the rule
factors (--tune searches them), even ids are the held-out half. It needs the national corpus loaded
(`dutygraph ingest laws ../shared/data/laws-full`); items whose law is not in the graph are counted as
"not scoreable" and left out. The sample's own cited items are not used: the sample derives item names
from the provisions, so they would flatter the ranking.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import time
from collections import defaultdict
from pathlib import Path

from dutygraph.graph.connect import open_store
from dutygraph.graph.settings import Settings
from dutygraph.services import suggest as sg
from dutygraph.services.suggest import SuggestionIndex, SuggestionService

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "bench" / "data" / "basis_suggest.csv"
REAL_ROWS = ROOT.parent / "shared" / "data" / "lists" / "real_rows.csv"
# real published rows (../shared, not committed) whose provision is in the corpus, decided before running:
# R02's 2004 土地管理法 第十五条 clause now stands in 农村土地承包法 第五十二条; R08 cites 安全生产法 2014
# 第九十四条, which is 2021 第九十七条
REAL_EXPECTED = {"R02": ("basic", "中华人民共和国农村土地承包法", {52}),
                 "R08": ("taken_back", "中华人民共和国安全生产法", {97})}


def load_cases() -> list[dict]:
    with EVAL.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if REAL_ROWS.exists():
        with REAL_ROWS.open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["row_id"] in REAL_EXPECTED:
                    part, law, arts = REAL_EXPECTED[r["row_id"]]
                    name = r["item_name"] or r["category_or_power_type"]
                    rows.append({"id": r["row_id"], "part": part, "name": name, "content": r["duty_content"][:200],
                                 "department": "", "law": law, "articles": "|".join(map(str, arts)),
                                 "note": "real row"})
    for r in rows:
        r["expected"] = {int(a) for a in r["articles"].split("|")}
        r["split"] = "real" if r["id"].startswith("R") else "tune" if int(r["id"][1:]) % 2 else "held-out"
    return rows


def hit_rank(suggestions: list[dict], case: dict) -> int | None:
    for k, s in enumerate(suggestions, 1):
        if s["law"] == case["law"] and s["article"] in case["expected"]:
            return k
    return None


def evaluate(service: SuggestionService, cases: list[dict], show: bool = False) -> dict:
    stats: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    for c in cases:
        got = service.index.rank(c["name"], c["content"], c["part"], c["department"], top=5)
        r = hit_rank(got, c)
        for key in ((c["split"], c["part"]), (c["split"], "all")):
            stats[key].append(r)
        if show and (r is None or r > 1):
            print(f"  {c['id']} {c['part']:<11} {c['name'][:20]:<20} want {c['law'][-12:]} {sorted(c['expected'])}"
                  f" rank {r}; top: {got[0]['law'][-12:]} {got[0]['article']}" if got else "  (nothing)")
    return stats


def recall(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def report(stats: dict) -> None:
    print(f"{'split':<9} {'part':<11} {'n':>3} {'top1':>5} {'top3':>5} {'top5':>5}")
    for (split, part), ranks in sorted(stats.items()):
        print(f"{split:<9} {part:<11} {len(ranks):>3} {recall(ranks, 1):5.2f} {recall(ranks, 3):5.2f} "
              f"{recall(ranks, 5):5.2f}")


def tune(service: SuggestionService, cases: list[dict]) -> None:
    tuning = [c for c in cases if c["split"] == "tune"]
    best = None
    for town, dept, pen, name in itertools.product((1.0, 1.3, 1.6, 2.0), (1.0, 1.2, 1.4, 1.8),
                                                   ((1.0, 1.0), (1.2, 0.8), (1.4, 0.6)), (1.0, 1.5, 2.0)):
        sg.W_TOWNSHIP = {"basic": town, "cooperative": 1 + (town - 1) / 4, "taken_back": 1.0}
        sg.W_DEPARTMENT, (sg.W_PENALTY_MATCH, sg.W_PENALTY_MISMATCH), sg.W_NAME = dept, pen, name
        ranks = evaluate(service, tuning)[("tune", "all")]
        score = (recall(ranks, 3), recall(ranks, 1))
        if best is None or score > best[0]:
            best = (score, town, dept, pen, name)
    print("best on the tuning half (top3, top1), township, department, penalty, name:", best)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("--show", action="store_true", help="print the misses")
    a = ap.parse_args()
    settings = Settings(data_dir=a.data_dir) if a.data_dir else Settings()
    with open_store(settings) as store:
        t = time.perf_counter()
        index = SuggestionIndex.build(store)
        print(f"index: {len(index.provisions):,} articles in {time.perf_counter() - t:.1f} s")
        service = SuggestionService(store, index)
        laws = {p.law for p in index.provisions}
        cases = load_cases()
        missing = [c["id"] for c in cases if c["law"] not in laws]
        cases = [c for c in cases if c["law"] in laws]
        print(f"cases: {len(cases)} scoreable, not scoreable (law not in the graph): {missing or 'none'}")
        if a.tune:
            tune(service, cases)
            return
        report(evaluate(service, cases, a.show))
        t = time.perf_counter()
        n = 0
        for c in itertools.islice(itertools.cycle(cases), 200):
            service.suggest(c["name"], c["content"], c["part"], c["department"], top=5)
            n += 1
        dt_ = time.perf_counter() - t
        print(f"throughput: {n / dt_:.0f} items/s over {len(index.provisions):,} articles (top 5, 款/项 located)")


if __name__ == "__main__":
    main()
