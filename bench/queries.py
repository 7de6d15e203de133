"""HTTP latency per endpoint (p50/p95) with concurrent clients, against a running `dutygraph serve`.

    .venv/bin/python -m bench.queries                         # builds the 宜兴 sample in a temp dir
    .venv/bin/python -m bench.queries --data-dir /tmp/bench100  # an existing graph (bench.ingest --keep)

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
from concurrent.futures import ThreadPoolExecutor
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


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    """`dutygraph serve` on a free loopback port, returned once it answers."""
    env = {**os.environ, "DUTYGRAPH_DATA_DIR": str(data_dir), "DUTYGRAPH_API_TOKENS": ""}
    server = subprocess.Popen([sys.executable, "-m", "dutygraph.api.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(3000):
        try:
            if httpx.get(base + "/api/health/ready", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("dutygraph serve did not become ready")


def endpoints(c: httpx.Client) -> dict[str, list[tuple[str, dict]]]:
    rng = random.Random(7)
    towns = [t["name"] for t in c.get("/api/townships").json()][:21]
    items = [i["id"] for t in towns[:5]
             for i in c.get(f"/api/townships/{t}/items", params={"limit": 50}).json()["items"]]
    return {
        "health": [("/api/health", {})],
        "article": [("/api/laws/安全生产法/articles/9", {"version": "2021-06-10"}),
                    ("/api/laws/消防法/articles/31", {})],
        "item": [(f"/api/items/{i}", {}) for i in rng.sample(items, min(30, len(items)))],
        "department": [("/api/departments/市应急局", {"limit": 50}), ("/api/departments/市民政局", {"limit": 50})],
        "township": [(f"/api/townships/{t}", {}) for t in towns],
        "township_items": [(f"/api/townships/{t}/items", {"limit": 100}) for t in towns],
        "orphans_summary": [("/api/orphans", {"township": t}) for t in towns[:5]],
        "orphans_kind": [("/api/orphans", {"kind": k, "limit": 50}) for k in
                         ("no_basis", "vague_basis", "unresolved", "superseded", "no_lead")],
        "search": [("/api/search", {"q": q}) for q in ("安全生产", "消防", "市应急局", "土地", "社会救助")],
        "pages": [("/", {}), (f"/items/{items[0]}", {}), ("/laws/安全生产法", {}), ("/laws/安全生产法/diff", {}),
                  (f"/townships/{towns[0]}", {}), ("/orphans", {"kind": "superseded", "township": towns[0]}),
                  ("/delegation", {}), ("/graph", {}), ("/search", {"q": "安全生产"})],
        "consistency": [("/api/consistency", {"limit": 20})],
    }


def run(base: str, clients: int, rounds: int, timeout: float, only: list[str] | None = None) -> None:
    with httpx.Client(base_url=base, timeout=120) as c:
        eps = endpoints(c)
    for name, reqs in eps.items():
        if only and name not in only:
            continue
        jobs = [reqs[i % len(reqs)] for i in range(max(rounds, len(reqs)))]
        if name == "consistency":
            jobs = jobs[:max(4, clients)]

        def one(job: tuple[str, dict], client: httpx.Client) -> float:
            t = time.perf_counter()
            r = client.get(job[0], params=job[1])
            r.raise_for_status()
            return (time.perf_counter() - t) * 1000

        with httpx.Client(base_url=base, timeout=timeout) as client, ThreadPoolExecutor(clients) as pool:
            t0 = time.perf_counter()
            try:
                times = sorted(pool.map(lambda j: one(j, client), jobs))
            except httpx.HTTPError as e:
                print(f"{name:16} failed: {type(e).__name__} (timeout {timeout:.0f} s)", flush=True)
                continue
            wall = time.perf_counter() - t0
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:16} n={len(times):4}  p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  {len(times) / wall:7.1f} req/s",
              flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=300, help="seconds per request")
    ap.add_argument("--only", nargs="+", help="endpoint groups to measure (default: all)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp)
            build_sample(data_dir, args.shared)
        port = free_port()
        server = start_server(data_dir, port)
        try:
            base = f"http://127.0.0.1:{port}"
            counts = httpx.get(base + "/api/health").json()["counts"]
            print(f"graph: {counts.get('DutyItem', 0)} items, {sum(counts.values())} nodes; "
                  f"{args.clients} concurrent clients", flush=True)
            run(base, args.clients, args.rounds, args.timeout, args.only)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still busy with a timed-out request
                server.kill()


if __name__ == "__main__":
    main()
