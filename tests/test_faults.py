"""Fault injection, bounded in time: SIGKILL of a list ingest at random moments, of the embedded database
under a read and write load, and of the app under load. Each asserts that nothing acknowledged is lost and
that a township always has its old list or its new one, whole."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from dutygraph.graph.falkordb_backend import EmbeddedServer, FalkorDBStore
from dutygraph.ingest import analytics

from tests.conftest import LAWS

SAFETY = LAWS / "current_lawrefbook" / "社会法" / "安全生产法(2021-06-10).md"
ROWS = 3000
pytestmark = pytest.mark.integration


def big_list(path: Path, version: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["序号", "事项名称", "具体工作内容", "责任科室", "法律依据"])
        for i in range(1, ROWS + 1):
            w.writerow([i, f"{version}安全生产检查事项{i}", f"对第{i}类生产经营单位开展检查", "安监办",
                        f"《安全生产法》第{i % 100 + 1}条"])
    return path


def cli(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    env = {**os.environ, "DUTYGRAPH_DATA_DIR": str(data), "DUTYGRAPH_API_TOKENS": "", **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "dutygraph.api.cli", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def current(store: FalkorDBStore) -> tuple[int, set[str]]:
    lists = store.run_cypher("MATCH (:Township {id: '周铁镇'})-[:HAS_LIST]->(l:DutyList {current: true}) "
                             "RETURN l.id AS id")
    names = store.run_cypher("MATCH (:Township {id: '周铁镇'})-[:HAS_LIST]->(:DutyList {current: true})"
                             "-[:HAS_ITEM]->(i:DutyItem) RETURN i.name AS n")
    return len(lists), {r["n"] for r in names}


def test_ingest_killed_at_random_moments_leaves_the_old_or_the_new_list_whole(tmp_path):
    data = tmp_path / "data"
    server = EmbeddedServer(data)
    server.start()
    try:
        assert cli(data, "ingest", "laws", str(SAFETY)).wait(120) == 0
        old, new = big_list(tmp_path / "old.csv", "旧"), big_list(tmp_path / "new.csv", "新")
        assert cli(data, "ingest", "list", str(old), "--township", "周铁镇", "--date", "2025-06-30").wait(120) == 0
        store = FalkorDBStore(graph_name="dutygraph", socket=server.socket)
        old_names = current(store)[1]
        assert len(old_names) == ROWS
        rng = random.Random(20261127)
        outcomes = []
        # a new version may not be dated before the current one: each switch moves the calendar on
        day = dt.date(2025, 7, 1)
        for _ in range(10):
            p = cli(data, "ingest", "list", str(new), "--township", "周铁镇", "--date", day.isoformat())
            time.sleep(rng.uniform(2.0, 5.0))  # start-up takes ~2 s: most kills land in the read or the write
            p.send_signal(signal.SIGKILL)
            p.wait()
            n_current, names = current(store)
            assert n_current == 1
            assert names == old_names or (len(names) == ROWS and all(x.startswith("新") for x in names))
            outcomes.append("new" if names != old_names else "old")
            assert analytics.check(store) == []  # whichever list is current, its analytics came with it
            if names != old_names:  # switched: go back to the old list (a later version of it) for the next round
                assert cli(data, "ingest", "list", str(old), "--township", "周铁镇", "--date",
                           (day + dt.timedelta(days=1)).isoformat()).wait(120) == 0
                day += dt.timedelta(days=2)
                old_names = current(store)[1]
        print("outcomes", outcomes)
        # a complete run afterwards loads the new list (the version a killed run began is finished, not doubled);
        # the old one stays as history; nothing half-written is left
        assert cli(data, "ingest", "list", str(new), "--township", "周铁镇", "--date", day.isoformat()).wait(120) == 0
        assert current(store)[1] and all(x.startswith("新") for x in current(store)[1])
        lists = store.run_cypher("MATCH (l:DutyList) RETURN l.current AS current, l.activated_at AS at")
        assert sum(r["current"] for r in lists) == 1 and all(r["at"] for r in lists)
        assert store.run_cypher("MATCH (i:DutyItem) RETURN count(i) AS n")[0]["n"] == 2 * ROWS
        assert analytics.check(store) == []
    finally:
        server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(data: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    p = cli(data, "serve", "--port", str(port), env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health/ready", timeout=2).status_code == 200:
                return p
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("server did not start")


def db_pid(data: Path) -> int:
    return EmbeddedServer(data).pid()


class Load:
    """Readers on a mix of endpoints and a writer whose acknowledged writes are remembered."""

    def __init__(self, base: str, clients: int = 8) -> None:
        self.base, self.stop = base, threading.Event()
        self.statuses: list[tuple[float, int]] = []
        self.acked: list[str] = []
        self.threads = [threading.Thread(target=self.read, daemon=True) for _ in range(clients)]
        self.threads.append(threading.Thread(target=self.write, daemon=True))

    def read(self) -> None:
        paths = ["/api/townships", "/api/townships/周铁镇/items?limit=20", "/api/orphans", "/api/laws?q=安全生产法"]
        with httpx.Client(base_url=self.base, timeout=30) as c:
            while not self.stop.is_set():
                try:
                    code = c.get(random.choice(paths)).status_code
                except httpx.HTTPError:
                    code = 0  # connection refused: the app itself is down
                self.statuses.append((time.monotonic(), code))

    def write(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as c:
            i = 0
            while not self.stop.is_set():
                i += 1
                title = f"任务{os.getpid()}-{i}"
                try:
                    r = c.post("/api/delegation/check", json={"title": title, "text": f"请各镇负责辖区内巡查{i}。",
                                                              "township": "周铁镇"})
                    if r.status_code == 200:
                        self.acked.append(title)
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)

    def some_acknowledged(self, at_least: int = 3, timeout: float = 60.0) -> None:
        """Wait until the writer has writes acknowledged (the first builds the matcher: seconds on a busy machine),
        and two seconds of load more."""
        deadline = time.monotonic() + timeout
        while len(self.acked) < at_least and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)


def stored_tasks(data: Path) -> set[str]:
    server = EmbeddedServer(data)
    store = FalkorDBStore(graph_name="dutygraph", socket=server.start())
    try:
        return {r["t"] for r in store.run_cypher("MATCH (t:Task) RETURN t.title AS t")}
    finally:
        store.db.connection.close()
        server.stop()


@pytest.fixture
def loaded_dir(tmp_path):
    data = tmp_path / "data"
    assert cli(data, "ingest", "laws", str(SAFETY)).wait(120) == 0
    small = tmp_path / "list.csv"
    small.write_text("序号,事项名称,具体工作内容,责任科室\n1,辖区巡查,负责辖区内巡查,综治办\n2,安全生产检查,检查,安监办\n",
                     encoding="utf-8")
    assert cli(data, "ingest", "list", str(small), "--township", "周铁镇", "--date", "2025-06-30").wait(120) == 0
    return data


def test_database_killed_under_load_is_back_within_5_s_and_loses_no_acknowledged_write(loaded_dir):
    port = free_port()
    app = serve(loaded_dir, port)
    try:
        with Load(f"http://127.0.0.1:{port}") as load:
            load.some_acknowledged()
            killed = time.monotonic()
            os.kill(db_pid(loaded_dir), signal.SIGKILL)
            time.sleep(8)
        failures = [(t, c) for t, c in load.statuses if c != 200]
        assert all(c == 503 for _, c in failures), {c for _, c in failures}
        last_failure = max((t for t, _ in failures), default=killed)
        assert last_failure - killed < 5, "service back within 5 s"
        assert [c for t, c in load.statuses if t > last_failure] and all(
            c == 200 for t, c in load.statuses if t > last_failure)
        assert load.acked
        print(f"db killed: {len(load.statuses)} reads, {len(failures)} answered 503, last at +"
              f"{last_failure - killed:.2f} s; {len(load.acked)} writes acknowledged")
    finally:
        app.terminate()
        app.wait(30)
    assert set(load.acked) <= stored_tasks(loaded_dir)


def test_app_killed_under_load_loses_no_acknowledged_write(loaded_dir):
    port = free_port()
    app = serve(loaded_dir, port)
    with Load(f"http://127.0.0.1:{port}") as load:
        load.some_acknowledged()
        app.send_signal(signal.SIGKILL)
        app.wait()
        deadline = time.monotonic() + 10  # the database ends with the app (parent-death signal), as after a power cut
        while db_running(loaded_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not db_running(loaded_dir)
    assert load.acked
    stored = stored_tasks(loaded_dir)
    print(f"app and db killed: {len(load.acked)} writes acknowledged, {len(set(load.acked) & stored)} stored")
    assert set(load.acked) <= stored


def db_running(data: Path) -> bool:
    from dutygraph.graph.falkordb_backend import _ping

    return _ping(EmbeddedServer(data).socket)


def test_workflows_killed_midway_leave_a_consistent_state_after_a_restart(loaded_dir, tmp_path):
    """SIGKILL of the app while a publish, a records upload and a 准入 decision run; its database ends with it;
    the next start puts right what was left (recover_after_s=0 here: no other process can be at work) and the
    graph is consistent: one current list, no half-stored upload, every request in a reachable state, every
    decision and upload audited exactly when it took effect."""
    store_server = EmbeddedServer(loaded_dir)
    store = FalkorDBStore(graph_name="dutygraph", socket=store_server.start())
    store.run_cypher("MERGE (d:Department {id: '市应急管理局'}) SET d.name = '市应急管理局', d.aliases = []",
                     write=True)
    store.db.connection.close()
    store_server.stop()
    def records(k: int) -> bytes:  # each round's records are new ones
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["工单号", "受理时间", "所属镇街", "诉求内容", "承办单位"])
        for i in range(2000):
            w.writerow([f"G{k}-{i}", f"2025-07-01 08:{i % 60:02d}", "周铁镇", f"第{k}轮辖区巡查发现问题{i}", "周铁镇"])
        return out.getvalue().encode()
    rng = random.Random(20261207)
    recover = {"DUTYGRAPH_RECOVER_AFTER_S": "0"}
    outcomes = []
    for k in range(3):
        port = free_port()
        app = serve(loaded_dir, port, recover)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as c:
            body = {"township": "周铁镇", "kind": "add", "reason_type": "practice", "reason": "r",
                    "add": [{"part": "basic", "name": f"防汛巡查{rng.random():.6f}", "post": "应急办"}]}
            rid = c.post("/api/requests", json=body).json()["id"]
            for step in ("bianban", "legal"):
                assert c.post(f"/api/requests/{rid}/reviews", json={"step": step, "decision": "approve"}).status_code \
                    == 200
            aid = c.post("/api/admissions", json={"title": "巡查", "text": "请各镇负责辖区巡查",
                                                  "department": "市应急管理局"}).json()["id"]

        def fire(method: str, path: str, base: str = base, **kw) -> None:
            with contextlib.suppress(httpx.HTTPError):  # the app was killed under it
                httpx.request(method, base + path, timeout=60, **kw)

        threads = [threading.Thread(target=fire, args=a, kwargs=k, daemon=True) for a, k in (
            (("POST", f"/api/requests/{rid}/apply"), {"json": {"date": "2026-01-01"}}),
            (("POST", "/api/records"), {"files": {"file": ("工单.csv", records(k))}}),
            (("POST", f"/api/admissions/{aid}/decision"), {"json": {"decision": "approve"}}))]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, 0.8))
        app.send_signal(signal.SIGKILL)
        app.wait()
        deadline = time.monotonic() + 10
        while db_running(loaded_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not db_running(loaded_dir), "the database ended with the app that started it"
        app = serve(loaded_dir, port, recover)
        try:
            server = EmbeddedServer(loaded_dir)
            store = FalkorDBStore(graph_name="dutygraph", socket=server.socket)
            q = store.run_cypher
            # the command line's writes (loaded_dir: `ingest laws`, `ingest list`) are in the audit log, role cli
            assert {"law.ingest", "list.upload"} <= {r["a"] for r in q(
                "MATCH (e:AuditEntry {role: 'cli'}) RETURN e.action AS a")}
            assert q("MATCH (t:Township)-[:HAS_LIST]->(l:DutyList {current: true}) "
                     "RETURN t.id AS t, count(l) AS n") == [{"t": "周铁镇", "n": 1}]
            assert q("MATCH (l:DutyList) WHERE l.activated_at IS NULL AND l.current = false "
                     "RETURN count(l) AS n")[0]["n"] == 0
            (req,) = q("MATCH (r:ChangeRequest {id: $id}) RETURN r.status AS s", {"id": rid})
            assert req["s"] in ("approved", "applied")
            applied_audit = q("MATCH (e:AuditEntry {action: 'request.apply', target: $id}) RETURN count(e) AS n",
                              {"id": rid})[0]["n"]
            recovered = q("MATCH (e:AuditEntry {action: 'request.recover', target: $id}) RETURN e.after AS a",
                          {"id": rid})
            assert applied_audit + len([r for r in recovered if r["a"] == "applied"]) == (req["s"] == "applied")
            visible = q("MATCH (x:Record) WHERE x.pending IS NULL AND x.text STARTS WITH $round "
                        "RETURN count(x) AS n", {"round": f"第{k}轮"})[0]["n"]
            assert q("MATCH (x:Record) WHERE x.pending IS NOT NULL RETURN count(x) AS n")[0]["n"] == 0
            uploads = q("MATCH (e:AuditEntry {action: 'hotline.upload'}) RETURN count(e) AS n")[0]["n"]
            assert visible in (0, 2000) and uploads == sum(o[1] == 2000 for o in outcomes) + (visible == 2000)
            (adm,) = q("MATCH (a:Admission {id: $id}) RETURN a.status AS s", {"id": aid})
            decided = q("MATCH (e:AuditEntry {action: 'admission.decide', target: $id}) RETURN count(e) AS n",
                        {"id": aid})[0]["n"]
            assert decided == (adm["s"] != "checked")
            outcomes.append((req["s"], visible, adm["s"]))
            store.db.connection.close()
        finally:
            app.terminate()
            app.wait(30)
        assert not db_running(loaded_dir), "SIGTERM of the app ends its database"
    print("outcomes (request, records, admission):", outcomes)
