"""The matcher's cost: index build (cold, then from the embedding cache), model load, memory, records routed per
second and a task check's p95, on the 宜兴 sample at the given scale, one core.

    .venv/bin/python -m bench.matcher_speed [--scale 1 10]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_start() -> None:
    from dutygraph.services import delegation, embeddings

    embeddings.EMBEDDER._passages.clear()
    embeddings.EMBEDDER.loaded_from.clear()
    delegation._QUERIES.clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    args = ap.parse_args()
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import Settings
    from dutygraph.ingest.delegation import Task
    from dutygraph.ingest.law_sqlite import package_db
    from dutygraph.ingest.pipeline import load_sample
    from dutygraph.ingest.records import Record
    from dutygraph.services import embeddings
    from dutygraph.services.delegation import Matcher, check, item_rows
    from dutygraph.services.records import route

    shared = ROOT.parent / "shared" / "data" / "laws"
    laws = shared if shared.is_dir() else package_db()
    t = time.perf_counter()
    embeddings.EMBEDDER.query("模型加载")
    print(f"model loaded and first query in {time.perf_counter() - t:.2f} s; max RSS {rss_mb():.0f} MB")
    for scale in args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            store = open_store(Settings(data_dir=data))
            try:
                load_sample(store, [laws], Path(tmp) / "books", scale=scale)
                rows = item_rows(store)
                before = rss_mb()
                cold_start()  # nothing kept in this process
                t = time.perf_counter()
                matcher = Matcher(rows, "hybrid", data / "embeddings.npz")
                cold = time.perf_counter() - t
                cold_start()  # a new process: vectors read from the cache file
                t = time.perf_counter()
                Matcher(rows, "hybrid", data / "embeddings.npz")
                warm = time.perf_counter() - t
                print(f"scale {scale}: {len(rows)} items; index built in {cold:.1f} s cold, {warm:.1f} s from the "
                      f"embedding cache; RSS +{rss_mb() - before:.0f} MB")
                town = sorted(matcher.by_town)[0]
                texts = [f"群众反映第{k}处{w}" for k in range(300)
                         for w in ("垃圾堆了好几天没人清理",)][:300]
                recs = [Record(str(k), "", town, x, "", town, "", "", "r", "", k) for k, x in enumerate(texts)]
                t = time.perf_counter()
                route(recs, matcher)
                took = time.perf_counter() - t
                print(f"scale {scale}: {len(recs)} distinct records routed at {len(recs) / took:.0f} records/s")
                ms = []
                for k in range(60):
                    task = Task("", f"请各镇（街道）配合开展第{k}批燃气安全检查，建立排查台账。", "市住房和城乡建设局")
                    t = time.perf_counter()
                    check([task], matcher, town)
                    ms.append((time.perf_counter() - t) * 1000)
                ms.sort()
                p95 = ms[int(0.95 * len(ms))]
                print(f"scale {scale}: task check p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms")
            finally:
                store.close()


if __name__ == "__main__":
    main()
