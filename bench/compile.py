"""The sweep merge (services/compile.py) measured: pairwise precision/recall/F1 of the clusters against the
truth, non-duties set aside (precision/recall), part accuracy, taken-back proposals that match the 准入 catalogue,
and speed.
    .venv/bin/python -m bench.compile --data-dir DIR [--fit]   (a graph with the 宜兴 sample loaded)
Two sets:
- generated (constructed, ingest/sample_sweep.py) from the sample lists: the first 7 units (alphabetical) tune
  the pair model and the threshold (--fit fits the model on them and on hand sets 1–3, then prints the threshold
  grid), the other 14 are held out; each township's own list is never in its reference (leave one out);
- bench/data/blind/sweep_hand*.csv: entries written by hand in officials' words (see sweep_hand.md); sets 1–3
  have been read (tuning), set 4 was blind when first run (session 14).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import time
from pathlib import Path

import numpy as np
from dutygraph.graph.connect import open_store
from dutygraph.graph.settings import Settings
from dutygraph.ingest.sample_sweep import generate
from dutygraph.ingest.sweep import Entry, entry_id, source_kind
from dutygraph.services import compile as merger
from dutygraph.services.compilation import Compilation

HAND = Path(__file__).resolve().parent / "data" / "blind" / "sweep_hand.csv"  # read: a tuning set since 2026-12-07
HAND2 = Path(__file__).resolve().parent / "data" / "blind" / "sweep_hand2.csv"  # run in session 9: read since
HAND3 = Path(__file__).resolve().parent / "data" / "blind" / "sweep_hand3.csv"  # run in session 11: read since
HAND4 = Path(__file__).resolve().parent / "data" / "blind" / "sweep_hand4.csv"  # run in session 14: read since
TUNING = 7
HAND_WEIGHT = 50.0  # a hand set's pair counts as 50 generated ones: people's wording is what the merge is for
POSITIVE_SHARE = 0.2  # same-duty pairs weigh a fifth of all different-duty pairs (they are ~1 in 500)


def pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def score(result: dict, truth: dict[str, str | None], parts: dict[str, str]) -> dict[str, float]:
    got = pairs([i["entry_ids"] for i in result["items"]])
    by_item: dict[str, list[str]] = {}
    for e, item in truth.items():
        if item is not None:
            by_item.setdefault(item, []).append(e)
    want = pairs(list(by_item.values()))
    tp = len(got & want)
    p = tp / len(got) if got else 1.0
    r = tp / len(want) if want else 1.0
    aside = {x["entry_id"] for x in result["set_aside"]}
    non = {e for e, i in truth.items() if i is None}
    ap = len(aside & non) / len(aside) if aside else 1.0
    ar = len(aside & non) / len(non) if non else 1.0
    right = total = 0
    for i in result["items"]:
        for e in i["entry_ids"]:
            if truth.get(e) is not None:
                total += 1
                right += i["part"] == parts[truth[e]]
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "aside_p": ap,
        "aside_r": ar,
        "part": right / total if total else 1.0,
        "pairs": len(want),
    }


def pair_rows(entries: list[Entry], truth: dict[str, str | None], reference: merger.Reference, cache: Path
              ) -> tuple[np.ndarray, np.ndarray]:
    """The merge's pair features of a sweep's duty entries (upper triangle) and whether each pair is one duty."""
    duties = [e for e in entries if not merger.set_aside_reason(e.text)]
    _, features = merger.sweep_features([e.text for e in duties], reference, cache)
    upper = np.triu_indices(len(duties), 1)
    label = [truth[e.id] for e in duties]
    same = np.array([label[i] is not None and label[i] == label[j] for i, j in zip(*upper, strict=True)])
    return np.stack([f[upper] for f in features], axis=1), same.astype(np.float64)


def fit(sets: list[tuple[np.ndarray, np.ndarray, float]]) -> tuple[tuple[float, ...], float]:
    """Weighted logistic regression (Newton's method, a little L2) of one duty or not over the pair features."""
    x = np.concatenate([s[0] for s in sets])
    y = np.concatenate([s[1] for s in sets])
    w = np.concatenate([np.full(len(s[1]), s[2]) for s in sets])
    w = w * np.where(y == 1, POSITIVE_SHARE * (y == 0).sum() / max(1, (y == 1).sum()), 1.0)
    xb = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(xb.shape[1])
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ beta, -50, 50)))
        grad = xb.T @ (w * (p - y)) + 1e-2 * beta
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + 1e-2 * np.eye(len(beta))
        beta -= np.linalg.solve(hess, grad)
    return tuple(round(float(b), 2) for b in beta[:-1]), round(float(beta[-1]), 2)


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}


def line(name: str, s: dict[str, float]) -> str:
    return (
        f"{name}: pairwise P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}; set aside P "
        f"{s['aside_p']:.3f} R {s['aside_r']:.3f}; part accuracy {s['part']:.3f}"
    )


def hand_set(path: Path = HAND) -> tuple[list[Entry], dict[str, str | None], dict[str, str]]:
    entries, truth, parts = [], {}, {}
    with path.open(encoding="utf-8") as f:
        for k, r in enumerate(csv.DictReader(f), 2):
            eid = entry_id("石湖镇", r["工作内容"], r["岗位"], r["填报人"], source_kind(r["来源"]))
            entries.append(
                Entry(
                    eid,
                    "石湖镇",
                    r["序号"],
                    r["工作内容"],
                    source_kind(r["来源"]),
                    r["岗位"],
                    r["填报人"],
                    "",
                    path.name,
                    "",
                    k,
                )
            )
            truth[eid] = r["duty"] or None
            if r["duty"]:
                parts[r["duty"]] = r["part"]
    return entries, truth, parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--fit", action="store_true", help="print the threshold grid on the tuning townships")
    ap.add_argument("--verbose", action="store_true", help="print the hand sets' proposals")
    a = ap.parse_args()
    cache = a.data_dir / "cache" / "sweep-vectors.npz"
    with open_store(Settings(data_dir=a.data_dir)) as store:
        service = Compilation(store)
        rows = store.query("compile.reference")
        from dutygraph.services.lifecycle import Admissions

        catalogue = Admissions(store).catalogue()
        hand_ref = service.reference("石湖镇", cache)
    towns = sorted({r["township"] for r in rows})
    data = {}
    for t in towns:
        items = [
            {**r, "post": next(iter(r["leads"]), ""), "lead": next(iter(r["leads"]), "")}
            for r in rows
            if r["township"] == t
        ]
        entries, truth = generate(items, t)
        parts = {r["id"]: r["part"] for r in items}
        ref = merger.Reference([r for r in rows if r["township"] != t], cache)
        data[t] = (entries, truth, parts, ref)
    tuning, held = towns[:TUNING], towns[TUNING:]
    hands = {label: hand_set(path) for label, path in (("hand 1", HAND), ("hand 2", HAND2), ("hand 3", HAND3))}
    if a.fit:
        sets = [(*pair_rows(data[t][0], data[t][1], data[t][3], cache), 1.0) for t in tuning]
        sets += [(*pair_rows(h[0], h[1], hand_ref, cache), HAND_WEIGHT) for h in hands.values()]
        merger.PAIR_WEIGHTS, merger.PAIR_BIAS = fit(sets)
        print(f"fitted: PAIR_WEIGHTS = {merger.PAIR_WEIGHTS}\n        PAIR_BIAS = {merger.PAIR_BIAS}")
    for th in (0.85, 0.9, 0.93, 0.95, 0.98) if a.fit else (merger.THRESHOLD,):
        s = mean([score(merger.merge(data[t][0], data[t][3], catalogue, threshold=th, cache=cache), data[t][1],
                        data[t][2]) for t in tuning])
        f1 = [s["f1"]] + [score(merger.merge(h[0], hand_ref, catalogue, threshold=th, cache=cache), h[1], h[2])["f1"]
                          for h in hands.values()]
        print(line(f"tuning {len(tuning)} townships, threshold {th}", s)
              + f"; F1 of hand sets 1–3 {' '.join(f'{x:.3f}' for x in f1[1:])}; mean of the four {sum(f1) / 4:.3f}")
    timings = []
    results = []
    for t in held:
        start = time.perf_counter()
        result = merger.merge(data[t][0], data[t][3], catalogue, cache=cache)
        timings.append((len(data[t][0]), time.perf_counter() - start))
        results.append(score(result, data[t][1], data[t][2]))
    print(line(f"held-out {len(held)} townships (generated, constructed)", mean(results)))
    # the pilot's average township: about 1,500 raw entries (two generated sweeps together, one reference)
    big = data[held[0]][0] + data[held[1]][0]
    start = time.perf_counter()
    merger.merge(big, data[held[0]][3], catalogue, cache=cache)
    print(f"speed: a sweep of {len(big)} entries merged in {time.perf_counter() - start:.1f} s")
    n, took = max(timings, key=lambda x: x[0])
    print(
        f"speed: {sum(x[0] for x in timings)} entries in {sum(x[1] for x in timings):.1f} s; the largest sweep "
        f"({n} entries) {took:.1f} s"
    )
    for label, path in (("hand-written set 1 (tuning)", HAND), ("hand-written set 2 (tuning since its run)", HAND2),
                        ("hand-written set 3 (tuning since its run)", HAND3),
                        ("hand-written set 4 (blind when first run, session 14; tuning since)", HAND4)):
        entries, truth, parts = hand_set(path)
        result = merger.merge(entries, hand_ref, catalogue, cache=cache)
        print(line(f"{label}: {len(entries)} entries, {len(set(parts))} duties", score(result, truth, parts)))
        taken = [i for i in result["items"] if i["part"] == "taken_back"]
        print(f"  {len(taken)} taken-back proposals, {sum(bool(i['catalogue']) for i in taken)} matching the 准入 "
              "catalogue")
        if a.verbose:
            for i in result["items"]:
                print(f"  {i['key']} {i['name']} [{i['part']}/{i['principle']}] {i['members']}")
            for x in result["set_aside"]:
                print(f"  set aside {x['id']}: {x['reason']}")


if __name__ == "__main__":
    main()
