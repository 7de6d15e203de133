"""Backup and restore of the embedded database.

A backup is a consistent RDB image taken while serving (BGSAVE forks: readers and writers go on), copied
with a manifest of node counts. A restore puts the image in a data dir whose server is stopped; the next
start loads it and writes a fresh append-only log from it (the same path as a data dir from before the log).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path
from typing import Any

import redis
from dutygraph.graph.errors import DutyGraphError, StoreError
from dutygraph.graph.falkordb_backend import AOF_DIR, EmbeddedServer, FalkorDBStore

MANIFEST = "manifest.json"


def backup(store: FalkorDBStore, data_dir: Path, out: Path, timeout: float = 600) -> dict[str, Any]:
    """A snapshot of the running database into the folder `out` (created); returns the manifest."""
    conn = store.db.connection
    try:
        # a count of snapshots taken, not LASTSAVE: that has one-second resolution
        before = conn.info("persistence").get("rdb_saves", 0)
        try:
            conn.bgsave(schedule=True)  # during a rewrite of the log it starts when the rewrite ends
        except redis.ResponseError as e:  # one already running is as good: wait for it
            if "in progress" not in str(e).lower():
                raise
        deadline = time.monotonic() + timeout
        while True:
            info = conn.info("persistence")
            if not info.get("rdb_bgsave_in_progress") and info.get("rdb_saves", 0) > before:
                break
            if time.monotonic() > deadline:
                raise StoreError(f"snapshot not finished in {timeout:.0f} s")
            time.sleep(0.05)
        if info.get("rdb_last_bgsave_status") != "ok":
            raise StoreError(f"snapshot failed: {info.get('rdb_last_bgsave_status')}")
    except (redis.RedisError, OSError) as e:
        raise StoreError(f"snapshot failed: {e}") from e
    counts = store.label_counts()
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(data_dir / "dump.rdb", out / "dump.rdb")
    manifest = {"taken_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "backend": "falkordb",
                "graph": store.graph.name, "counts": counts, "bytes": (out / "dump.rdb").stat().st_size}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def restore(backup_dir: Path, data_dir: Path) -> dict[str, Any]:
    """Put a backup in place as `data_dir`'s database. The server of that data dir must be stopped; the log
    and image it had are kept beside, renamed, until someone deletes them."""
    image, manifest_file = backup_dir / "dump.rdb", backup_dir / MANIFEST
    if not image.is_file() or not manifest_file.is_file():
        raise DutyGraphError(f"{backup_dir}: 不是备份目录 (no dump.rdb and manifest.json: not a backup)")
    if EmbeddedServer(data_dir).alive():
        raise DutyGraphError(f"{data_dir}: 数据库正在运行, 请先停止 dutygraph serve (the database is running: stop it)")
    data_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (AOF_DIR, "dump.rdb"):
        if (data_dir / name).exists():
            (data_dir / name).rename(data_dir / f"{name}.before-restore-{stamp}")
    shutil.copy2(image, data_dir / "dump.rdb")
    return json.loads(manifest_file.read_text(encoding="utf-8"))
