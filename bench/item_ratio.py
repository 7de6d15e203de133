"""One client, one item at a time: the API's time beside the same Cypher sent straight to the database.

    .venv/bin/python -m bench.item_ratio                          # builds the 宜兴 sample in a temp dir
    .venv/bin/python -m bench.item_ratio --data-dir /tmp/bench10   # an existing graph (bench.ingest --keep)

For the same 200 items, each asked `--rounds` times in turn, p50/p95 in ms of:
- cypher: `items.item` through FalkorDB's Python client (what the issue calls raw Cypher);
- api: `GET /api/items/{id}` through `http.client` on one kept-alive connection (a client that adds little of
  its own), and through httpx (a convenient client that adds about 0.4 ms of its own per request);
- empty: `GET /api/health/live`, the HTTP floor of this machine.
The server runs one worker (the ratio is about one request's path, not throughput) with kept answers on, as
served, or off (`--no-memo`: the API runs the same Cypher on every request); the first round is not timed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.queries import ROOT, pct, served


def timed(fn: Callable[[str], object], keys: list[str], rounds: int) -> list[float]:
    for k in keys:  # not timed: the first answer of each is computed, later ones are kept
        fn(k)
    out = []
    for _ in range(rounds):
        for k in keys:
            t = time.perf_counter()
            fn(k)
            out.append((time.perf_counter() - t) * 1000)
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--no-memo", action="store_true", help="every answer computed (no kept answers)")
    args = ap.parse_args()
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import Settings

    with served(args.data_dir, args.shared, memo=not args.no_memo) as (data_dir, url):
        store = open_store(Settings(data_dir=data_dir, memo_entries=0), schema=False)
        try:
            ids = [r["id"] for r in store.run_cypher(
                "MATCH (:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem) RETURN i.id AS id LIMIT 200")]
            where = urllib.parse.urlsplit(url)
            conn = http.client.HTTPConnection(where.hostname, where.port)

            def lean(path: str) -> object:
                try:
                    conn.request("GET", path)
                    r = conn.getresponse()
                except http.client.RemoteDisconnected:  # the server closed it after 5 s idle (keep-alive timeout)
                    conn.close()
                    conn.request("GET", path)
                    r = conn.getresponse()
                body = r.read()
                if r.status != 200:
                    raise RuntimeError(f"{path}: {r.status} {body[:200]!r}")
                return json.loads(body)

            with httpx.Client(base_url=url) as client:
                series = {
                    "cypher items.item": timed(lambda i: store.query("items.item", id=i), ids, args.rounds),
                    "api, http.client": timed(lambda i: lean("/api/items/" + urllib.parse.quote(i)), ids,
                                              args.rounds),
                    "api, httpx": timed(lambda i: client.get("/api/items/" + i).raise_for_status().json(), ids,
                                        args.rounds),
                    "empty, http.client": timed(lambda _: lean("/api/health/live"), ids, args.rounds),
                }
            conn.close()
        finally:
            store.close()
    base = statistics.median(series["cypher items.item"])
    print(f"{len(ids)} items × {args.rounds} rounds, one client, one server worker, kept answers "
          f"{'off' if args.no_memo else 'on'}")
    for name, xs in series.items():
        p50 = statistics.median(xs)
        print(f"{name:20} p50 {p50:6.2f}  p95 {pct(xs, 0.95):6.2f} ms   ratio to cypher {p50 / base:4.2f}")


if __name__ == "__main__":
    main()
