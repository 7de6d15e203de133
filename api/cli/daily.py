"""Commands of daily use: records, indicators, tasks, the 准入 catalogue, post duty statements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from dutygraph.api.cli import _audit, _fail, _item_matcher, app, ingest_app
from dutygraph.graph.errors import DutyGraphError
from rich.console import Console


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
