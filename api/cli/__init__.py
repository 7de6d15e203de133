"""The `dutygraph` command line: the app and what its commands share; the commands live one module per concern
(laws, lists, daily, system), each a thin call into ingest/ or services/."""

from __future__ import annotations

import typer
from dutygraph.graph.settings import get_settings
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="DutyGraph 履职图谱: township duty lists and their legal bases.", no_args_is_help=True)
ingest_app = typer.Typer(help="Load data into the graph.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _item_matcher(store: object):
    """The item matcher, its sentence vectors kept beside the database (services/embeddings.py)."""
    from dutygraph.services.delegation import Matcher

    return Matcher.load(store, cache=get_settings().data_dir / "embeddings.npz")


def _audit(store: object, action: str, target: str, detail: str = "", after: str | None = None) -> None:
    """Writes from the command line go into the audit log too: the operating-system user, role 命令行 (cli)."""
    from dutygraph.services.lifecycle import AuditLog, cli_principal

    AuditLog(store).record(cli_principal(), action, target, after=after, detail=detail)  # type: ignore[arg-type]


def _fail(e: Exception) -> None:
    console.print(f"[red]错误 error:[/red] {e}")
    raise typer.Exit(code=1)


# the command modules register themselves on `app` and `ingest_app` (imported last: they import from here)
from dutygraph.api.cli import daily, laws, lists, published, sweep, system  # noqa: E402, F401
