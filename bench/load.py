"""Load test: many clients for a while over a mix of endpoints; every error counted.

    .venv/bin/python -m bench.load                          # the 宜兴 sample, 32 clients, 60 s
    .venv/bin/python -m bench.load --data-dir /tmp/bench10 --clients 32 --seconds 60
    .venv/bin/python -m bench.load --kill-db-at 20          # SIGKILL the embedded database 20 s in

Prints requests, req/s, p50/p95/p99 and the count of each non-200 status (0 = connection failed).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import statistics
import threading
import time
from pathlib import Path

import httpx

from bench.queries import ROOT, endpoints, served


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--kill-db-at", type=float, help="SIGKILL the embedded database this many seconds in")
    args = ap.parse_args()
    with served(args.data_dir, args.shared) as (data_dir, base):
        with httpx.Client(base_url=base, timeout=120) as c:
            mix = [r for name, reqs in endpoints(c).items() if name not in ("consistency", "pages") for r in reqs]
        times: list[float] = []
        codes: collections.Counter[int] = collections.Counter()
        stop = threading.Event()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=base, timeout=60) as c:
                while not stop.is_set():
                    path, params = rng.choice(mix)
                    t = time.perf_counter()
                    try:
                        code = c.get(path, params=params).status_code
                    except httpx.HTTPError:
                        code = 0
                    times.append((time.perf_counter() - t) * 1000)
                    codes[code] += 1

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        if args.kill_db_at is not None:
            time.sleep(args.kill_db_at)
            from dutygraph.graph.falkordb_backend import EmbeddedServer

            pid = EmbeddedServer(data_dir).pid()
            os.kill(pid, signal.SIGKILL)
            print(f"killed the embedded database (pid {pid}) at {args.kill_db_at:.0f} s", flush=True)
        time.sleep(max(0.0, args.seconds - (time.perf_counter() - t0)))
        stop.set()
        for t in threads:
            t.join(60)
        wall = time.perf_counter() - t0
        times.sort()
        q = lambda p: times[min(len(times) - 1, int(len(times) * p))]  # noqa: E731
        errors = {k: v for k, v in codes.items() if k != 200}
        print(f"{args.clients} clients, {wall:.0f} s: {len(times)} requests, {len(times) / wall:.1f} req/s, "
              f"p50 {statistics.median(times):.1f} ms, p95 {q(0.95):.1f} ms, p99 {q(0.99):.1f} ms; "
              f"errors {sum(errors.values())} {dict(errors)}", flush=True)


if __name__ == "__main__":
    main()
