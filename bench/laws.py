"""Whole-corpus law ingest and title/article lookups.

    .venv/bin/python -m bench.laws [--laws ../shared/data/laws-full]

Prints files, laws by level, articles, 款, 项, seconds and peak memory for a fresh load and for a second run
that finds nothing new, then p50/p95 of /api/laws?q= and /api/laws/{short title}/articles/{n} (in-process).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from dutygraph.graph.connect import open_store
from dutygraph.graph.settings import Settings
from dutygraph.ingest.laws import ingest_laws

ROOT = Path(__file__).resolve().parent.parent


def _mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--laws", type=Path, default=ROOT.parent / "shared" / "data" / "laws-full")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(data_dir=Path(tmp)))
        try:
            t0 = time.perf_counter()
            first = ingest_laws(store, [args.laws])
            fresh = time.perf_counter() - t0
            t1 = time.perf_counter()
            second = ingest_laws(store, [args.laws])
            again = time.perf_counter() - t1
            server_mb = store.db.connection.info("memory")["used_memory"] / 2**20
            laws = store.run_cypher("MATCH (l:Law) RETURN l.level AS level, count(l) AS n ORDER BY n DESC")
            print(f"files {first.files}; versions loaded {len(first.loaded)}; laws by level "
                  + ", ".join(f"{r['level']} {r['n']}" for r in laws)
                  + f"; articles {first.articles}, 款 {first.paragraphs}, 项 {first.points}; "
                  f"not loaded {len(first.failed)}, duplicates {len(first.duplicates)}, "
                  f"without 第X条 {len(first.sectioned)}")
            print(f"fresh load {fresh:.1f}s; second run {again:.1f}s (loaded {len(second.loaded)}); "
                  f"peak memory: this process {_mb():.0f} MB, FalkorDB {server_mb:.0f} MB")
            for e in first.failed:
                print(f"  not loaded: {e.file}:{e.line}: {e.why}")
            lookups(store)
        finally:
            store.close()


def lookups(store) -> None:
    from dutygraph.api.app import create_app
    from fastapi.testclient import TestClient

    rng = random.Random(3)
    cited = [(r["s"], r["n"]) for r in store.run_cypher(
        "MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion {status: 'current'})-[:HAS_ARTICLE]->(a:Article) "
        "WHERE v.shape = 'articles' AND a.number <= 10 RETURN l.short_title AS s, a.number AS n")]
    shorts = sorted({s for s, _ in cited})
    with TestClient(create_app(Settings(), store=store)) as c:
        c.get("/api/laws", params={"q": "安全生产"})  # warm the title resolver
        for name, make in (
            ("laws?q= (short/alias/part of title)", lambda: ("/api/laws", {"q": rng.choice(
                [*rng.sample(shorts, 3), "信息公开条例", "安全生产"])})),
            ("article by short title", lambda: ("/api/laws/{}/articles/{}".format(*rng.choice(cited)), {})),
        ):
            times = []
            for _ in range(300):
                url, params = make()
                t = time.perf_counter()
                r = c.get(url, params=params)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (url, r.status_code, r.text[:200])
            times.sort()
            print(f"{name}: p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms "
                  f"(300 requests)")


if __name__ == "__main__":
    main()
