"""Commands on laws: ingest, parse a basis, align two versions, suggest provisions."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from dutygraph.api.cli import _audit, _fail, _progress, app, console, ingest_app
from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.settings import get_settings
from rich.console import Console


@ingest_app.command("laws")
def ingest_laws_cmd(paths: Annotated[list[Path] | None, typer.Argument(help="law files or folders")] = None) -> None:
    """Load law texts (LawRefBook Markdown or the national database export), idempotently."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.pipeline import load_laws

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
            task = bar.add_task("法律文本 laws", total=None)
            report, again = load_laws(store, roots,
                                      progress=lambda done, total: bar.update(task, completed=done, total=total))
            _audit(store, "law.ingest", ";".join(p.name for p in roots),
                   f"{len(report.loaded)} 个版本载入, {len(report.unchanged)} 个未变")
            if again:
                console.print(f"re-resolved the citations of {again.rows_read} items: {again.citations}")
    except DutyGraphError as e:
        _fail(e)
    took = time.perf_counter() - t0
    levels = ", ".join(f"{k or '?'} {v}" for k, v in sorted(report.levels.items(), key=lambda kv: -kv[1]))
    console.print(
        f"files {report.files}: loaded {len(report.loaded)}, unchanged {len(report.unchanged)}, "
        f"not loaded {len(report.failed)}, duplicates {len(report.duplicates)}; versions by level: {levels}; "
        f"without 第X条 (sections/text) {len(report.sectioned)}; articles {report.articles}, "
        f"paragraphs {report.paragraphs}, points {report.points}; {took:.1f}s"
    )
    for w in report.warnings:
        console.print(f"[yellow]warning[/yellow] {w.file}:{w.line}: {w.why}")
    for w in report.duplicates:
        console.print(f"[yellow]duplicate[/yellow] {w.file}: {w.why}")
    for e in report.failed:
        console.print(f"[red]not loaded[/red] {e.file}:{e.line}: {e.why}")
    if report.failed and not (report.loaded or report.unchanged):
        raise typer.Exit(code=2)


@app.command()
def basis(texts: Annotated[list[str], typer.Argument(help="legal-basis texts")]) -> None:
    """Print, per TEXT, a JSON array of the provisions it cites: {law, article, paragraph, item, raw}."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.basis import parse_basis
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.titles import load_titles

    try:
        with open_store() as store:
            titles, levels = load_titles(store)
    except DutyGraphError as e:
        _fail(e)
    extractor = Extractor(titles.titles())
    for text in texts:
        typer.echo(json.dumps([_item_key(c) for c in parse_basis(text, extractor, titles, levels)],
                              ensure_ascii=False))


def _item_key(c: dict) -> dict:
    # the CLI and API speak of 项 as "item"
    keys = ("cited", "law", "matched", "how", "score", "candidates", "level", "article", "paragraph")
    return {**{k: c[k] for k in keys}, "item": c["point"], "raw": c["raw"]}


@app.command("law-diff")
def law_diff(
    old: Annotated[Path, typer.Argument(help="old version (.md file or 民法典-style folder)")],
    new: Annotated[Path, typer.Argument(help="new version")],
    format: Annotated[str, typer.Option("--format", help="json or table")] = "json",
) -> None:
    """Align two versions of a law by content: each old article's successor and the kind of change."""
    from dutygraph.ingest.align import align
    from dutygraph.ingest.law_parser import LawParseError, parse_source

    try:
        a, b = parse_source(old), parse_source(new)
    except (LawParseError, OSError) as e:
        _fail(e)
    pairs = align(a.articles, b.articles)
    if format == "table":
        from rich.table import Table

        table = Table("旧 old", "新 new", "变化 change", "score", title=f"{a.title} {a.date} → {b.title} {b.date}")
        for p in pairs:
            table.add_row(str(p.old or ""), str(p.new or ""), p.change, f"{p.score:.3f}")
        Console().print(table)
    else:
        typer.echo(json.dumps([p.as_json() for p in pairs], ensure_ascii=False))


@app.command("suggest-basis")
def suggest_basis(
    texts: Annotated[list[str] | None, typer.Argument(help="duty texts (an item's name and content)")] = None,
    part: Annotated[str | None, typer.Option(help="basic | cooperative | taken_back")] = None,
    department: Annotated[str, typer.Option(help="the lead (or receiving) county department")] = "",
    top: Annotated[int, typer.Option(min=1, max=20)] = 5,
    format: Annotated[str, typer.Option("--format", help="json (one array per TEXT, one line) or table")] = "table",
    township: Annotated[str | None, typer.Option(help="worklist: every item of this township without a basis")] = None,
    all_: Annotated[bool, typer.Option("--all", help="worklist: every current item without a basis")] = False,
    out: Annotated[Path | None, typer.Option(help="worklist .xlsx (default 建议依据-<township>.xlsx)")] = None,
) -> None:
    """Suggest the provisions (条/款/项) that establish a duty listed without a legal basis."""
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import get_settings
    from dutygraph.services.suggest import SuggestionIndex, SuggestionService

    if part and part not in ("basic", "cooperative", "taken_back"):
        _fail(DutyGraphError(f"--part must be basic, cooperative or taken_back, not {part!r}"))
    if not texts and not township and not all_:
        _fail(DutyGraphError("give TEXT, --township NAME or --all"))
    try:
        with open_store() as store:
            service = SuggestionService(store, SuggestionIndex.load(store, get_settings().data_dir))
            if township or all_:
                rows = service.worklist(None if all_ else township, min(top, 5))
                from dutygraph.api.export import SUGGESTIONS, suggestion_rows, workbook

                path = out or Path(f"建议依据-{township or '全部'}.xlsx")
                path.write_bytes(workbook([("建议依据", suggestion_rows(rows), SUGGESTIONS)]))
                typer.echo(f"{len(rows)} items without a basis → {path}")
                return
            results = [service.suggest(t, "", part, department, top) for t in texts or []]
    except DutyGraphError as e:
        _fail(e)
    for text, found in zip(texts or [], results, strict=True):
        if format == "json":
            keys = ("law", "article", "paragraph", "item", "score", "text", "why", "reference")
            typer.echo(json.dumps([{k: s[k] for k in keys} for s in found], ensure_ascii=False))
            continue
        from rich.table import Table

        table = Table("#", "依据", "得分", "理由", "条文", title=text)
        for k, s in enumerate(found, 1):
            table.add_row(str(k), s["reference"], f"{s['score']:.2f}", "；".join(s["why"]), s["text"][:60])
        Console().print(table)
