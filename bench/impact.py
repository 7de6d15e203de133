"""Alignment time per version pair in the corpus, and impact-query time on a graph.

    .venv/bin/python -m bench.impact [--data-dir /tmp/bench100]   # default: the laws only, in a temp dir
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from dutygraph.graph.connect import open_store
from dutygraph.graph.settings import Settings
from dutygraph.ingest.align import align, paragraph_map
from dutygraph.ingest.law_parser import discover, parse_source
from dutygraph.ingest.laws import ingest_laws, load_replacements
from dutygraph.services.impact import ImpactService

ROOT = Path(__file__).resolve().parent.parent


def version_pairs(laws: Path) -> list[tuple]:
    docs: dict[str, list] = {}
    for path, cat in discover([laws]):
        d = parse_source(path, cat)
        docs.setdefault(d.short_title, []).append(d)
    pairs = []
    for vs in docs.values():
        vs.sort(key=lambda d: d.date)
        pairs += list(zip(vs, vs[1:], strict=False))
    for r in load_replacements():
        if r["old_title"] in docs and r["new_title"] in docs:
            pairs.append((docs[r["old_title"]][-1], docs[r["new_title"]][0]))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    for old, new in version_pairs(args.shared / "laws"):
        t = time.perf_counter()
        pairs = align(old.articles, new.articles)
        paragraph_map(old.articles, new.articles)
        took = (time.perf_counter() - t) * 1000
        print(f"align {old.short_title} {old.date} → {new.short_title} {new.date}: {len(old.articles)}×"
              f"{len(new.articles)} articles, {len(pairs)} pairs, {took:.0f} ms (articles + 款)")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(data_dir=args.data_dir or Path(tmp)))
        try:
            if args.data_dir is None:
                ingest_laws(store, [args.shared / "laws"])
            items = store.query("admin.counts")
            print("graph:", {r["label"]: r["n"] for r in items if r["label"] in ("DutyItem", "Citation", "Article")})
            service = ImpactService(store)
            for law, frm, to in (("安全生产法", "2014-08-31", "2021-06-10"), ("消防法", "2019-04-23", "2021-04-29"),
                                 ("突发事件应对法", "2007-08-30", "2024-06-28")):
                times, total = [], 0
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    total = service.amendment(law, frm, to)["total"]
                    times.append((time.perf_counter() - t) * 1000)
                print(f"impact {law} {frm}→{to}: {total} rows, median {statistics.median(times):.0f} ms "
                      f"(max {max(times):.0f})")
            t = time.perf_counter()
            total = service.repeal("信访条例", "2022-05-01")["total"]
            print(f"repeal 信访条例 → 信访工作条例: {total} rows, {(time.perf_counter() - t) * 1000:.0f} ms")
        finally:
            store.close()


if __name__ == "__main__":
    main()
