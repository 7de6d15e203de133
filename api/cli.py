"""The `dutygraph` command line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from dutygraph.graph.errors import DutyGraphError
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


@ingest_app.command("list")
def ingest_list_cmd(
    files: Annotated[list[Path], typer.Argument(help="list files: .xlsx (three sheets or one), .csv, .docx")],
    township: Annotated[str, typer.Option("--township", help="乡镇/街道名称")],
    date: Annotated[
        str, typer.Option("--date", help="清单日期 YYYY-MM-DD (citations resolve to the law versions in force then)")
    ] = "",
    report: Annotated[Path | None, typer.Option(help="where to save the JSON report")] = None,
) -> None:
    """Load a township's duty list as its new current version (atomic switch, idempotent)."""
    import datetime as dt

    from dutygraph.graph.connect import open_store
    from dutygraph.graph.text import file_component
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.lists import ingest_list
    from dutygraph.ingest.resolve import LawIndex

    settings = get_settings()
    try:
        with open_store(settings) as store:
            index = LawIndex.load(store)
            extractor = Extractor(tuple(index.titles))
            result = ingest_list(
                store, files, township, date or dt.date.today().isoformat(), extractor=extractor, index=index
            )
            _audit(store, "list.upload", result.list_id, f"{result.township} {result.date} {result.status}",
                   after=result.list_id)
    except DutyGraphError as e:
        _fail(e)
    # the township's name never becomes a path as given (../../etc, <script>…): one safe file-name component
    name = file_component(f"{result.township}-{result.date}.json", "list-report.json")
    _save_report(result, report or settings.data_dir / "reports" / name)


def _save_report(result, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.to_json(), encoding="utf-8")
    console.print(result.summary())
    console.print(f"report: {path}")


@ingest_app.command("sample")
def ingest_sample_cmd(
    folder: Annotated[Path, typer.Argument(help="folder written by `dutygraph sample`")],
) -> None:
    """Load the generated 宜兴 sample: the 21 township units, then every workbook in the folder."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.lists import ingest_sample, totals
    from dutygraph.ingest.sample import SAMPLE_DATE, UNITS

    settings = get_settings()
    t0 = time.perf_counter()
    try:
        with open_store(settings) as store, _progress() as bar:
            task = bar.add_task("清单 lists", total=len(list(folder.glob("*_履职事项清单.xlsx"))))
            reports = ingest_sample(
                store,
                folder,
                UNITS,
                SAMPLE_DATE,
                progress=lambda _n: bar.advance(task),
            )
            _audit(store, "list.sample", str(folder), f"{len(reports)} 份清单")
    except DutyGraphError as e:
        _fail(e)
    took = time.perf_counter() - t0
    for r in reports:
        path = settings.data_dir / "reports" / f"{r.township}-{r.date}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(r.to_json(), encoding="utf-8")
    t = totals(reports)
    cited = t["citations"] or 1
    console.print(
        f"{len(reports)} lists, {t['items']} items in {took:.1f}s ({t['items'] / took:.0f} items/s); "
        f"citations {t['citations']}: "
        + ", ".join(
            f"{k} {t.get(k, 0)} ({t.get(k, 0) / cited:.1%})"
            for k in ("resolved", "law_only", "suspicious", "unresolved", "unknown_law")
        )
        + f"; no basis {t['no_basis']}, vague {t['vague']}, unknown organisations {t['unknown_orgs']}; "
        f"reports in {settings.data_dir / 'reports'}"
    )


@app.command()
def sample(
    out: Annotated[Path, typer.Option(help="output folder")] = Path("sample/yixing"),
    scale: Annotated[int, typer.Option(help="copies of the 21 townships (benchmarks)")] = 1,
) -> None:
    """Generate the 宜兴 sample lists (.xlsx, one workbook per township) from the laws loaded in the graph."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.sample import generate

    t0 = time.perf_counter()
    try:
        with open_store(get_settings()) as store:
            paths = generate(store, out, scale=scale)
    except (DutyGraphError, ValueError) as e:
        _fail(e)
    console.print(f"{len(paths)} workbooks in {out} ({time.perf_counter() - t0:.1f}s); see {out / 'README.md'}")


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


@ingest_app.command("reserved")
def ingest_reserved_cmd(
    file: Annotated[Path, typer.Argument(help="准入参考目录: 事项名称, 保留部门, 依据, 说明 (.xlsx/.csv/.docx)")],
) -> None:
    """Replace the 准入 reference catalogue: duties that must stay with county departments."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.reserved import load_reserved, read_reserved

    try:
        rows = read_reserved(file)  # the whole file before the old catalogue goes
        with open_store() as store:
            n = load_reserved(store, rows)
            _audit(store, "admission.catalogue", file.name, f"{n} 项")
    except DutyGraphError as e:
        _fail(e)
    typer.echo(f"{n} duties in the 准入 reference catalogue")


@ingest_app.command("records")
def ingest_records_cmd(
    file: Annotated[Path, typer.Argument(help="12345 / 吹哨 export (.xlsx or .csv), one record per row")],
    out: Annotated[Path | None, typer.Option(help="routing report .xlsx (default 工单分派-<file>.xlsx)")] = None,
    store_results: Annotated[bool, typer.Option("--store/--dry-run", help="keep the records for the 报到 "
                                                "statistics and post workloads")] = True,
) -> None:
    """Route hotline and 吹哨 records by the lists: who should handle each, wrong-side and unmatched records,
    and the 报到 statistics (per township, per department, per item), as an Excel report; kept in the graph."""
    from dutygraph.api.export import report_workbook
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.records import read_records
    from dutygraph.services.records import keep, route, statistics

    try:
        records = read_records(file)
        with open_store() as store:
            routed = route(records, _item_matcher(store))  # the whole file is accepted before anything is kept
            if store_results:
                keep(store, routed, file.name)
    except DutyGraphError as e:
        _fail(e)
    stats = statistics(routed)
    path = out or Path(f"工单分派-{file.stem}.xlsx")
    path.write_bytes(report_workbook(routed, stats))
    typer.echo(json.dumps({"records": stats["total"], **stats["by_route"], "report": str(path)}, ensure_ascii=False))


@app.command("check-indicators")
def check_indicators_cmd(
    file: Annotated[Path, typer.Argument(help="考核细则 table: .xlsx, .csv or a .docx with a table")],
    out: Annotated[Path | None, typer.Option(help="review .xlsx (default 考核指标审查-<file>.xlsx)")] = None,
) -> None:
    """Check assessment indicators against the lists: a township graded on leading a 配合 duty, on a taken-back
    duty, or on something off its list, with the matched items; per setting department, as an Excel review."""
    from dutygraph.api.export import indicator_workbook
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.indicators import read_indicators
    from dutygraph.services import indicators

    try:
        inds = read_indicators(file)
        with open_store() as store:
            checked = indicators.check(inds, _item_matcher(store))
    except DutyGraphError as e:
        _fail(e)
    result = indicators.report(checked)
    path = out or Path(f"考核指标审查-{file.stem}.xlsx")
    path.write_bytes(indicator_workbook(checked, result))
    typer.echo(json.dumps({"gradings": result["total"], "flagged": result["flagged"], **result["by_verdict"],
                           "report": str(path)}, ensure_ascii=False))


def _matcher():
    """The item index of the current lists (what the sample generators write from)."""
    from dutygraph.graph.connect import open_store

    try:
        with open_store() as store:
            return _item_matcher(store)
    except DutyGraphError as e:
        _fail(e)


@app.command("sample-indicators")
def sample_indicators_cmd(
    out: Annotated[Path, typer.Option(help=".xlsx to write")] = Path("考核细则-示例.xlsx"),
) -> None:
    """Write a generated (constructed, labelled) assessment indicator table with planted bad indicators."""
    from dutygraph.ingest.sample_indicators import generate, write

    rows = generate(_matcher())
    write(rows, out)
    typer.echo(f"{len(rows)} indicators → {out}")


@app.command("duty-statements")
def duty_statements_cmd(
    township: Annotated[str, typer.Option(help="乡镇(街道)")],
    out: Annotated[Path, typer.Option(help="folder for one .docx per post")] = Path("岗位职责说明书"),
) -> None:
    """Write the township's 岗位职责说明书: one Word document per post (lead and cooperating items, their legal
    basis, the departments it works with, item count and record frequency)."""
    from dutygraph.graph.connect import open_store
    from dutygraph.services import statements

    try:
        with open_store() as store:
            posts = statements.statements(store, township)
    except DutyGraphError as e:
        _fail(e)
    out.mkdir(parents=True, exist_ok=True)
    for p in posts:
        (out / statements.filename(p)).write_bytes(statements.docx_bytes(p))
    typer.echo(f"{len(posts)} posts → {out}")


@app.command("sample-records")
def sample_records_cmd(
    out: Annotated[Path, typer.Option(help=".xlsx to write")] = Path("12345工单-示例.xlsx"),
    n: Annotated[int, typer.Option("-n", "--count", min=1, max=100_000, help="how many records")] = 600,
) -> None:
    """Write generated (constructed, labelled) hotline records for the sample townships."""
    from dutygraph.ingest.sample_records import generate, write

    write(generate(_matcher(), n), out)
    typer.echo(f"{n} records → {out}")


@app.command("check-tasks")
def check_tasks(
    file: Annotated[Path, typer.Argument(help=".xlsx/.csv (one task per row) or .docx/.txt notice")],
    township: Annotated[str | None, typer.Option(help="recipient (default: the file's 接收单位)")] = None,
    format: Annotated[str, typer.Option("--format", help="jsonl or table")] = "jsonl",
    store_results: Annotated[bool, typer.Option("--store/--dry-run", help="keep verdicts for the report")] = True,
) -> None:
    """Check tasks sent to townships against their lists (越单摊派): one verdict per task and township."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.delegation import read_tasks
    from dutygraph.services.delegation import DelegationService

    try:
        tasks = read_tasks(file)
        with open_store() as store:
            verdicts = DelegationService(store, _item_matcher(store)).check(tasks, township, store_results)
    except DutyGraphError as e:
        _fail(e)
    if format == "table":
        from rich.table import Table

        table = Table("乡镇", "标题", "结论 verdict", "score", "最接近的事项")
        for v in verdicts:
            table.add_row(
                v.township,
                v.task.title[:30],
                v.verdict,
                f"{v.score:.2f}",
                v.matches[0][0].name[:30] if v.matches else "",
            )
        Console().print(table)
    else:
        for v in verdicts:
            j = v.as_json()
            typer.echo(
                json.dumps(
                    {
                        "title": j["title"],
                        "township": j["township"],
                        "verdict": j["verdict"],
                        "evidence": j["evidence"],
                        "matches": j["matches"],
                    },
                    ensure_ascii=False,
                )
            )


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


@app.command("sample-requests")
def sample_requests() -> None:
    """Add demo life-cycle records to a loaded sample: second list versions, requests in every state, drafts
    from a law change, two 准入 applications (constructed, through the same services people use)."""
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import get_settings
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.resolve import LawIndex
    from dutygraph.ingest.sample import SAMPLE_DATE
    from dutygraph.services.lifecycle import ChangeRequests
    from dutygraph.services.sample_workflow import seed
    from dutygraph.services.suggest import SuggestionIndex

    try:
        with open_store() as store:
            if ChangeRequests(store).find(None, None, 1, 0)["total"]:
                console.print("life-cycle sample already present")
                return
            index = LawIndex.load(store)
            # the provision index is built here once and cached beside the database for the server
            provisions = SuggestionIndex.load(store, get_settings().data_dir)
            made = seed(store, Extractor(tuple(index.titles)), _item_matcher(store), provisions, SAMPLE_DATE)
    except DutyGraphError as e:
        _fail(e)
    console.print("life-cycle sample: " + ", ".join(f"{k} {n}" for k, n in made.items()))


@app.command()
def analytics(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="recompute every materialised analytic")] = False,
) -> None:
    """Check the analytics materialised at each list switch against the same questions computed live
    (--rebuild first recomputes them all: after a restore, or an upgrade from a graph without them)."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest import analytics as mat

    with open_store() as store:
        if rebuild:
            t0 = time.perf_counter()
            done = mat.rebuild(store)
            console.print(f"rebuilt: {done['lists']} lists, {done['tallies']} tallies, {done['keys']} duty names "
                          f"in {time.perf_counter() - t0:.1f} s")
        problems = mat.check(store)
    for p in problems:
        console.print(p)
    if problems:
        raise typer.Exit(1)
    console.print("materialised analytics agree with the live queries")


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


if __name__ == "__main__":
    app()
