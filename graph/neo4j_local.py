"""A real Neo4j 5 Community on a machine without Docker: the official artifacts from Maven Central, started in a JVM.

tools/neo4j/pom.xml pins the version; `mvn dependency:build-classpath` (run by scripts/install.sh) resolves it into
~/.m2 and writes the classpath to tools/neo4j/classpath.txt; tools/neo4j/Launcher.java runs as a single-file
source program (Java 11+ compiles it in memory, no build plugin) and starts one embedded DBMS per (data dir, port)
with Bolt on 127.0.0.1, authentication on, the password generated per start. The JVM ends when its standard input
closes, so the database never outlives the process that started it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from dutygraph.graph.errors import StoreError

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "neo4j"
CLASSPATH = TOOLS / "classpath.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available() -> str:
    """'' when a local Neo4j can be started here, else why not (for a skip or an error message)."""
    if not shutil.which("java"):
        return "java not found (Neo4j 5 needs Java 17)"
    if not (TOOLS / "Launcher.java").is_file():
        return f"{TOOLS / 'Launcher.java'} not found (an installed package, not a clone)"
    if not CLASSPATH.is_file() and not shutil.which("mvn"):
        return "Maven not found and the Neo4j classpath not resolved (run scripts/install.sh)"
    return ""


def resolve_classpath() -> str:
    """The Neo4j jars' classpath, resolved from Maven Central once (then from ~/.m2)."""
    if not CLASSPATH.is_file():
        done = subprocess.run(["mvn", "-q", "-B", "-f", str(TOOLS / "pom.xml"), "dependency:build-classpath",
                               f"-Dmdep.outputFile={CLASSPATH}"], capture_output=True, text=True, timeout=900)
        if done.returncode != 0 or not CLASSPATH.is_file():
            raise StoreError(f"Maven could not resolve Neo4j: {done.stdout[-800:]}{done.stderr[-800:]}")
    return CLASSPATH.read_text().strip()


@dataclass
class LocalNeo4j:
    """One JVM serving `len(dirs)` databases, each on its own Bolt port (Community has one user database per
    DBMS: a second graph is a second DBMS)."""

    dirs: list[Path]
    password: str = ""
    ports: list[int] | None = None
    proc: subprocess.Popen | None = None
    heap: str = "1g"

    def uri(self, k: int = 0) -> str:
        assert self.ports
        return f"bolt://127.0.0.1:{self.ports[k]}"

    def start(self, timeout: float = 180.0) -> LocalNeo4j:
        why = available()
        if why:
            raise StoreError(f"cannot start Neo4j here: {why}")
        self.password = self.password or secrets.token_urlsafe(18)
        self.ports = self.ports or [free_port() for _ in self.dirs]
        args = [a for d, p in zip(self.dirs, self.ports, strict=True) for a in (str(d), str(p))]
        for d in self.dirs:
            d.mkdir(parents=True, exist_ok=True)
        java = [shutil.which("java") or "java", f"-Xmx{self.heap}", "-XX:+UseG1GC",
                "-cp", resolve_classpath(), str(TOOLS / "Launcher.java"), *args]
        log = (self.dirs[0] / "launcher.log").open("wb")
        self.proc = subprocess.Popen(java, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     env={**os.environ, "NEO4J_PASSWORD": self.password})
        ready = threading.Event()

        def wait_ready() -> None:
            assert self.proc and self.proc.stdout
            for line in self.proc.stdout:
                if line.startswith(b"READY ALL"):
                    ready.set()
                    return

        threading.Thread(target=wait_ready, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.2):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = (self.dirs[0] / "launcher.log").read_text(errors="replace")[-1500:]
                self.stop()
                raise StoreError(f"Neo4j did not start (exit {self.proc.returncode if self.proc else '?'}): {tail}")
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                if self.proc.stdin:
                    self.proc.stdin.close()  # the launcher shuts the databases down cleanly
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> LocalNeo4j:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def shared(data_dir: Path) -> tuple[str, str, LocalNeo4j | None]:
    """(bolt uri, password, the DBMS if this process started it) for the local Neo4j of a data dir
    (DUTYGRAPH_NEO4J_URI=local): a running one whose starter is alive is shared (a CLI command while `serve`
    runs), else one is started and owned by this process. Its password is generated once and kept, readable by
    its owner only, beside the database."""
    import json

    home = data_dir / "neo4j"
    home.mkdir(parents=True, exist_ok=True)
    secret = home / "password"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(18))
        secret.chmod(0o600)
    password = secret.read_text().strip()
    state = home / "bolt.json"
    try:
        running = json.loads(state.read_text())
        os.kill(int(running["pid"]), 0)
        with socket.create_connection(("127.0.0.1", int(running["port"])), timeout=2):
            return f"bolt://127.0.0.1:{running['port']}", password, None
    except (OSError, ValueError, KeyError):
        pass
    dbms = LocalNeo4j([home / "db"], password=password).start()
    assert dbms.ports
    state.write_text(json.dumps({"pid": os.getpid(), "port": dbms.ports[0]}))
    return dbms.uri(0), password, dbms
