"""Fit the matcher's fusion (services/delegation.WEIGHTS, BIAS, THRESHOLDS) on the tuning sets, and print every
method on every set side by side.

    .venv/bin/python -m bench.fit_matcher [--data-dir DIR]    (else the 宜兴 sample is built in a temp dir)

Tuning data (the only data the weights and thresholds see): the tuning halves of bench/data/delegation_tasks.csv
(odd ids, sent to three townships) and bench/data/real_complaints.csv (odd ids, 周铁镇), and the near misses
(bench/data/near_miss.csv, which no item should take). Each (text, township) gives one positive pair per
acceptable item and a negative for every other item of the list. A logistic regression (L2, balanced classes)
gives the weights; the thresholds are then chosen for the verdicts on the same tuning data. Held-out halves and the
blind sets (bench/blind.py) are reported, never fitted.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from pathlib import Path

import numpy as np

from bench import complaints as complaints_bench
from bench import delegation as delegation_bench
from bench import near_miss as near_miss_bench

ROOT = Path(__file__).resolve().parent.parent


def tuning_pairs(matcher) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str, set[str]]]]:
    from dutygraph.services.delegation import canonical_sender
    from dutygraph.services.records import in_list_words

    queries: list[tuple[str, str, str, set[str]]] = []  # text, township, sender, acceptable item names
    for c in delegation_bench.cases(matcher):
        if c["split"] == "tune":
            want = {c["expected_item"]} if c["expected"] != "off_list" and c["expected_item"] else set()
            queries.append((f"{c['标题']} {c['内容']}", c["township"], canonical_sender(c["发文单位"]), want))
    with complaints_bench.DATA.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if int(r["id"][1:]) % 2:
                want = {a for a in r["acceptable"].split("|") if a != "-"}
                queries.append((in_list_words(r["text"]), complaints_bench.TOWN, "", want))
    with near_miss_bench.EVAL.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            for town in near_miss_bench.TOWNS:
                queries.append((r["text"], town, "", set()))
    xs, ys = [], []
    for text, town, sender, want in queries:
        docs, feats = matcher.features(text, town, sender)
        for d, f in zip(docs, feats, strict=True):
            xs.append(f)
            ys.append(1.0 if d.name in want else 0.0)
    return np.asarray(xs, dtype=np.float64), np.asarray(ys), [(q[0], q[1], q[3]) for q in queries]


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-5, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method (six features: it converges in a few steps), L2 on the weights.
    Not re-balanced: the probability it gives is that of a pair being right among a list's items."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = l2 * len(x) * np.diag(np.r_[np.ones(x.shape[1]), 0])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--report", action="store_true", help="every method on every tuning and held-out set")
    args = ap.parse_args()
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import Settings
    from dutygraph.services import delegation

    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir
        if data is None:
            from bench.queries import build_sample

            data = Path(tmp) / "data"
            build_sample(data, ROOT.parent / "shared" / "data")
        with open_store(Settings(data_dir=data)) as store:
            matcher = delegation.Matcher.load(store, "hybrid", data / "embeddings.npz")
        x, y, queries = tuning_pairs(matcher)
        w = fit(x, y)
        print("features", delegation.FEATURES)
        print("WEIGHTS =", tuple(round(float(v), 2) for v in w[:-1]), " BIAS =", round(float(w[-1]), 2))
        delegation.WEIGHTS, delegation.BIAS = tuple(w[:-1]), float(w[-1])
        # thresholds: the best top score's cut that routes the most tuning queries right
        best = []
        for text, town, want in queries:
            m = matcher.match(text, town, top=1)
            best.append((m[0][1] if m else 0.0, bool(m) and m[0][0].name in want, bool(want)))
        cuts = []
        for t in np.arange(0.02, 0.96, 0.01):
            right = sum((s >= t and ok) or (s < t and not has) for s, ok, has in best)
            cuts.append((right, -abs(t - 0.5), round(float(t), 2)))
        right, _, high = max(cuts)
        print(f"HIGH = {high} (tuning queries right: {right}/{len(best)})")
        if args.report:
            report(matcher, queries)


def best_cut(matcher, queries) -> float:
    best = []
    for text, town, want in queries:
        m = matcher.match(text, town, top=1)
        best.append((m[0][1] if m else 0.0, bool(m) and m[0][0].name in want, bool(want)))
    cuts = [(sum((s >= t and ok) or (s < t and not has) for s, ok, has in best), round(float(t), 2))
            for t in np.arange(0.02, 0.96, 0.01)]
    return max(cuts)[1]


def report(matcher, queries) -> None:
    """Every method on every tuning and held-out set (thresholds: the lexical method's own; the others' on-list
    cut chosen on the tuning queries, off_list below half of it)."""
    from dutygraph.services import delegation

    for method in delegation.METHODS:
        matcher.method = method
        if method != "lexical":
            high = best_cut(matcher, queries)
            delegation.THRESHOLDS[method] = (round(high / 2, 2), high)
        matcher.low, matcher.high = delegation.THRESHOLDS[method]
        rows = delegation_bench.cases(matcher)
        tune = delegation_bench.metrics(delegation_bench.evaluate(matcher, [r for r in rows if r["split"] == "tune"]))
        held = delegation_bench.metrics(delegation_bench.evaluate(matcher, [r for r in rows
                                                                           if r["split"] == "report"]))
        near = near_miss_bench.run(matcher)
        comp = complaints_bench.run(matcher)
        fmt = lambda m: " ".join(f"{v[:4]} {p:.2f}/{r:.2f}" for v, (p, r, n) in m.items() if n)  # noqa: E731
        print(f"== {method} (LOW {matcher.low}, HIGH {matcher.high})")
        print(f"   delegation tune     P/R {fmt(tune)}")
        print(f"   delegation held-out P/R {fmt(held)}")
        print(f"   near miss: {near['confident']} confident of {near['cases']}, wrong object {near['wrong_object']}")
        print("   complaints: " + ", ".join(f"{h} {r}/{n} right ({i} filed under an item)"
                                         for h, (r, n, i) in comp.items()))


if __name__ == "__main__":
    main()
