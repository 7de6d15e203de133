"""The `dutygraph` command line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graph.errors import DutyGraphError
from graph.settings import get_settings

app = typer.Typer(help="DutyGraph 履职图谱: township duty lists and their legal bases.", no_args_is_help=True)
ingest_app = typer.Typer(help="Load data into the graph.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=False)


def _fail(e: Exception) -> None:
    console.print(f"[red]错误 error:[/red] {e}")
    raise typer.Exit(code=1)


@ingest_app.command("laws")
def ingest_laws_cmd(paths: Annotated[list[Path] | None, typer.Argument(help="law files or folders")] = None) -> None:
    """Load law texts (LawRefBook Markdown or the national database export), idempotently."""
    from graph.connect import open_store
    from ingest.law_parser import discover
    from ingest.laws import ingest_laws

    settings = get_settings()
    roots = paths or ([settings.laws_dir] if settings.laws_dir else [])
    if not roots:
        _fail(ValueError("no law folder given and DUTYGRAPH_LAWS_DIR is not set"))
    missing = [p for p in roots if not p.exists()]
    if missing:
        _fail(FileNotFoundError(f"no such file or folder: {', '.join(map(str, missing))}"))
    t0 = time.perf_counter()
    try:
        with open_store(settings) as store, _progress() as bar:
            task = bar.add_task("法律文本 laws", total=len(discover(roots)))
            report = ingest_laws(store, roots, progress=lambda _name: bar.advance(task))
    except DutyGraphError as e:
        _fail(e)
    took = time.perf_counter() - t0
    console.print(f"files {report.files}: loaded {len(report.loaded)}, unchanged {len(report.unchanged)}, "
                  f"failed {len(report.failed)}; articles {report.articles}, paragraphs {report.paragraphs}, "
                  f"points {report.points}; {took:.1f}s")
    for w in report.warnings:
        console.print(f"[yellow]warning[/yellow] {w.file}:{w.line}: {w.why}")
    for e in report.failed:
        console.print(f"[red]could not parse[/red] {e.file}:{e.line}: {e.why}")
    if report.failed:
        raise typer.Exit(code=2)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Start the embedded database (unless an external one is configured) and the web app."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(get_settings()), host=host, port=port)


@app.command()
def schema() -> None:
    """Print the graph schema document (graph/SCHEMA.md) generated from graph/model.py."""
    from graph.model import schema_markdown

    typer.echo(schema_markdown(), nl=False)


@app.command()
def reset(yes: Annotated[bool, typer.Option("--yes", help="really delete everything")] = False) -> None:
    """Delete every node and relationship in the configured graph."""
    from graph.connect import open_store

    if not yes:
        _fail(ValueError("refusing to delete the graph without --yes"))
    with open_store() as store:
        store.wipe()
        store.persist()
    console.print("graph emptied")


@app.command()
def stats() -> None:
    """Node counts per label, as JSON."""
    from api.repository import Repository
    from graph.connect import open_store

    with open_store() as store:
        typer.echo(json.dumps(Repository(store).counts(), ensure_ascii=False))


if __name__ == "__main__":
    app()
