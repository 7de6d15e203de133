"""Commands that run or keep the system: serve, schema, reset, backup, restore, stats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from dutygraph.api.cli import _audit, _fail, app, console
from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.settings import get_settings


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    open_access: Annotated[bool, typer.Option("--open", help="serve other machines without tokens")] = False,
    workers: Annotated[int, typer.Option(help="worker processes sharing one embedded database (2: both cores)")] = 1,
) -> None:
    """Start the embedded database (unless an external one is configured) and the web app."""
    import uvicorn
    from dutygraph.api.app import create_app

    settings = get_settings()
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_tokens and not open_access:
        # without tokens anyone who reaches the port may upload lists: only on this machine, unless asked
        _fail(ValueError(f"--host {host} without DUTYGRAPH_API_TOKENS would open writes to the network; "
                         "set tokens (token:reader,token:admin) or pass --open"))
    if workers <= 1:
        uvicorn.run(create_app(settings), host=host, port=port, timeout_keep_alive=5)
        return
    # several workers: this process owns the embedded server (started, schema ensured), each worker finds it
    # running and shares it; the server stops when this process does
    import socket

    from dutygraph.graph.connect import open_store
    from uvicorn.supervisors import Multiprocess

    store = open_store(settings)
    # the listening socket is made here with proto=IPPROTO_TCP: uvicorn's own (proto 0) makes asyncio skip
    # TCP_NODELAY on accepted connections, and every response then waits ~40 ms for a delayed ACK
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    config = uvicorn.Config("dutygraph.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                            timeout_keep_alive=5)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
        store.close()


@app.command()
def schema() -> None:
    """Print the graph schema document (graph/SCHEMA.md) generated from graph/model.py."""
    from dutygraph.graph.model import schema_markdown

    typer.echo(schema_markdown(), nl=False)


@app.command()
def reset(yes: Annotated[bool, typer.Option("--yes", help="really delete everything")] = False) -> None:
    """Delete every node and relationship in the configured graph."""
    from dutygraph.graph.connect import open_store

    if not yes:
        _fail(ValueError("refusing to delete the graph without --yes"))
    with open_store() as store:
        store.wipe()
        # the log's entries went with everything else: the reset itself is the new log's first entry
        _audit(store, "data.reset", "graph", "全部数据已删除 (everything deleted)")
        store.persist()
    console.print("graph emptied")


@app.command()
def backup(out: Annotated[Path, typer.Argument(help="folder for the backup (dump.rdb + manifest.json)")]) -> None:
    """A consistent snapshot of the embedded database, taken while it serves."""
    from dutygraph.graph.backup import backup as take
    from dutygraph.graph.connect import open_store

    settings = get_settings()
    if settings.backend != "falkordb":
        _fail(DutyGraphError("backup covers the embedded FalkorDB; for Neo4j use `neo4j-admin database dump`"))
    try:
        with open_store(settings, schema=False) as store:
            manifest = take(store, settings.data_dir, out)  # type: ignore[arg-type]
    except DutyGraphError as e:
        _fail(e)
    console.print(f"backup: {out} ({manifest['bytes'] >> 10} KB, {sum(manifest['counts'].values())} nodes)")


@app.command()
def restore(
    folder: Annotated[Path, typer.Argument(help="a folder written by `dutygraph backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="really replace the current database")] = False,
) -> None:
    """Replace the database of the data dir with a backup (stop `dutygraph serve` first)."""
    from dutygraph.graph.backup import restore as put

    if not yes:
        _fail(ValueError("refusing to replace the database without --yes"))
    settings = get_settings()
    try:
        manifest = put(folder, settings.data_dir)
        from dutygraph.graph.connect import open_store

        with open_store(settings) as store:
            _audit(store, "data.restore", str(folder), f"备份时间 {manifest['taken_at']}")
    except DutyGraphError as e:
        _fail(e)
    console.print(f"restored the backup of {manifest['taken_at']} into {settings.data_dir}: "
                  f"{sum(manifest['counts'].values())} nodes; the previous files are kept beside, renamed")


@app.command()
def stats() -> None:
    """Node counts per label, as JSON."""
    from dutygraph.graph.connect import open_store
    from dutygraph.services.laws import LawService

    with open_store() as store:
        typer.echo(json.dumps(LawService(store).counts(), ensure_ascii=False))
