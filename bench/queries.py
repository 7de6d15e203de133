"""HTTP latency per endpoint (p50/p95) with concurrent clients, against a running `dutygraph serve`.

    .venv/bin/python -m bench.queries                         # builds the 宜兴 sample in a temp dir
    .venv/bin/python -m bench.queries --data-dir /tmp/bench100  # an existing graph (bench.ingest --keep)
    .venv/bin/python -m bench.queries --clients 1 8 32 --workers 2  # the defaults
    .venv/bin/python -m bench.queries --no-memo                # every answer computed (no kept answers)
    .venv/bin/python -m bench.queries --warm --after-write 8   # the first reads 8 s after another process wrote

Starts the server itself on a free loopback port; requests stay on this machine.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_sample(data_dir: Path, shared: Path) -> None:
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import Settings
    from dutygraph.ingest.pipeline import load_sample

    store = open_store(Settings(data_dir=data_dir))
    try:
        load_sample(store, [shared / "laws"], data_dir / "books")
    finally:
        store.close()


def start_server(data_dir: Path, port: int, workers: int = 1, memo: bool = True) -> subprocess.Popen:
    """`dutygraph serve` on a free loopback port, returned once it answers. memo=False: every answer computed
    (graph/memo.py off), the cost of a first read after a write."""
    env = {**os.environ, "DUTYGRAPH_DATA_DIR": str(data_dir), "DUTYGRAPH_API_TOKENS": "",
           "DUTYGRAPH_MEMO_ENTRIES": "2048" if memo else "0"}
    server = subprocess.Popen([sys.executable, "-m", "dutygraph.api.cli", "serve", "--port", str(port),
                               "--workers", str(workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(3000):
        try:
            # measured once the start-up build of the item matcher is done: it holds the GIL meanwhile
            r = httpx.get(base + "/api/health/ready", timeout=2)
            if r.status_code == 200 and not r.json().get("warming"):
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("dutygraph serve did not become ready")


@contextmanager
def served(data_dir: Path | None, shared: Path, workers: int = 1, memo: bool = True) -> Iterator[tuple[Path, str]]:
    """`dutygraph serve` over `data_dir`, or over the 宜兴 sample built in a temporary one: (data dir, base URL).
    The server is stopped on the way out (killed if a timed-out request keeps it busy)."""
    with tempfile.TemporaryDirectory() as tmp:
        if data_dir is None:
            data_dir = Path(tmp)
            build_sample(data_dir, shared)
        port = free_port()
        server = start_server(data_dir, port, workers, memo=memo)
        try:
            yield data_dir, f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def endpoints(c: httpx.Client) -> dict[str, list[tuple[str, dict]]]:
    """Each group asks many different questions (200 items, 8 departments × 3 pages, 20 searches …), so kept
    answers (graph/memo.py) are measured on a spread of questions, not on one repeated."""
    rng = random.Random(7)
    towns = [t["name"] for t in c.get("/api/townships").json()][:21]
    items = [i["id"] for t in towns[:5]
             for i in c.get(f"/api/townships/{t}/items", params={"limit": 50}).json()["items"]]
    depts = [h["name"] for h in c.get("/api/search", params={"q": "市", "limit": 100}).json()["items"]
             if h["kind"] == "department"][:8] or ["市应急局"]
    terms = ("安全生产", "消防", "市应急局", "土地", "社会救助", "食品安全", "河道", "燃气", "养老", "网格",
             "违法建设", "秸秆", "动物防疫", "征兵", "低保", "防汛", "环境", "教育", "农村公路", "矛盾纠纷")
    return {
        "health": [("/api/health", {})],
        "article": [("/api/laws/安全生产法/articles/9", {"version": "2021-06-10"}),
                    ("/api/laws/消防法/articles/31", {})],
        "item": [(f"/api/items/{i}", {}) for i in rng.sample(items, min(200, len(items)))],
        "department": [(f"/api/departments/{d}", {"limit": 50, "offset": o}) for d in depts for o in (0, 50, 100)],
        "township": [(f"/api/townships/{t}", {}) for t in towns],
        "township_items": [(f"/api/townships/{t}/items", {"limit": 100}) for t in towns],
        "orphans_summary": [("/api/orphans", {"township": t}) for t in towns],
        "orphans_kind": [("/api/orphans", {"kind": k, "limit": 50, "offset": o}) for k in
                         ("no_basis", "vague_basis", "unresolved", "superseded", "no_lead") for o in (0, 50, 100)],
        "search": [("/api/search", {"q": q}) for q in terms],
        "pages": [("/", {}), (f"/items/{items[0]}", {}), ("/laws/安全生产法", {}), ("/laws/安全生产法/diff", {}),
                  (f"/townships/{towns[0]}", {}), ("/orphans", {"kind": "superseded", "township": towns[0]}),
                  ("/delegation", {}), ("/graph", {}), ("/search", {"q": "安全生产"}), ("/orphans", {}),
                  ("/consistency", {}), ("/suggestions", {}), ("/records", {}), ("/compile", {}),
                  ("/followup", {}), (f"/departments/{depts[0]}", {}), ("/laws/安全生产法/impact", {})],
        "consistency": [("/api/consistency", {"limit": 20, "offset": o}) for o in (0, 20, 40)],
        "impact": [("/api/laws/安全生产法/impact", {"from": "2014-12-01", "to": "2021-09-01"}),
                   ("/api/laws/消防法/impact", {})],
    }


def db_ms(r: httpx.Response) -> float:
    """The database time the server reports for this request (Server-Timing: db;dur=…)."""
    for part in r.headers.get("server-timing", "").split(","):
        name, _, rest = part.strip().partition(";")
        if name == "db":
            return float(rest.split("dur=")[1].split(";")[0])
    return float("nan")


def pct(xs: list[float], q: float) -> float:
    return xs[min(len(xs) - 1, int(len(xs) * q))]


def write_elsewhere(data_dir: Path) -> None:
    """A write from another process (as an ingest would): every kept answer is now stale."""
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import Settings

    store = open_store(Settings(data_dir=data_dir, memo_entries=0), schema=False)
    try:
        store.execute("admin.bump_generation", epoch="bench")
    finally:
        store.close()


def run(base: str, clients: int, rounds: int, timeout: float, only: list[str] | None = None,
        warm: bool = False, data_dir: Path | None = None, after_write: float | None = None) -> None:
    """Each endpoint group: client-side latency p50/p95/p99, throughput, and the database time the server
    spent (raw Cypher through the client library) beside it: api/db is what the HTTP layer costs."""
    with httpx.Client(base_url=base, timeout=120) as c:
        eps = endpoints(c)
    print(f"-- {clients} concurrent clients", flush=True)
    for name, reqs in eps.items():
        if only and name not in only:
            continue
        jobs = [reqs[i % len(reqs)] for i in range(max(rounds, len(reqs)))]

        def one(job: tuple[str, dict], client: httpx.Client) -> tuple[float, float]:
            t = time.perf_counter()
            r = client.get(job[0], params=job[1])
            r.raise_for_status()
            return (time.perf_counter() - t) * 1000, db_ms(r)

        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        with httpx.Client(base_url=base, timeout=timeout, limits=limits) as client, \
                ThreadPoolExecutor(clients) as pool:
            if warm:  # every question asked before the clock starts, six times: each worker keeps its own and a
                # connection reaches a worker at random, so twice left a quarter of the questions unseen by one
                list(pool.map(lambda j: one(j, client), reqs * 6))
                if after_write is not None and data_dir is not None:
                    write_elsewhere(data_dir)
                    time.sleep(after_write)
            t0 = time.perf_counter()
            try:
                out = list(pool.map(lambda j: one(j, client), jobs))
            except httpx.HTTPStatusError as e:
                print(f"{name:16} failed: {e.response.status_code} on {e.request.url}", flush=True)
                continue
            except httpx.HTTPError as e:
                print(f"{name:16} failed: {type(e).__name__} (timeout {timeout:.0f} s)", flush=True)
                continue
            wall = time.perf_counter() - t0
        times = sorted(t for t, _ in out)
        db = statistics.median(d for _, d in out)
        p50 = statistics.median(times)
        print(f"{name:16} n={len(times):4}  p50 {p50:7.1f}  p95 {pct(times, 0.95):7.1f}  p99 {pct(times, 0.99):7.1f} ms"
              f"  {len(times) / wall:6.1f} req/s  db p50 {db:6.1f} ms  api/db {p50 / db if db else float('nan'):4.1f}",
              flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=300, help="seconds per request")
    ap.add_argument("--only", nargs="+", help="endpoint groups to measure (default: all)")
    ap.add_argument("--no-memo", action="store_true", help="compute every answer (no kept results)")
    ap.add_argument("--warm", action="store_true", help="ask every question once before timing")
    ap.add_argument("--after-write", type=float, metavar="SECONDS",
                    help="with --warm: write to the graph from another process after the warm-up, wait SECONDS "
                         "(the background refresh), then time: the first reads after a change")
    args = ap.parse_args()
    with served(args.data_dir, args.shared, args.workers, memo=not args.no_memo) as (data_dir, base):
        counts = httpx.get(base + "/api/health").json()["counts"]
        print(f"graph: {counts.get('DutyItem', 0)} items, {sum(counts.values())} nodes; "
              f"{args.workers} server workers; kept answers {'off' if args.no_memo else 'on'}", flush=True)
        for clients in args.clients:
            run(base, clients, args.rounds, args.timeout, args.only, args.warm, data_dir, args.after_write)


if __name__ == "__main__":
    main()
