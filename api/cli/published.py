"""After publication: handover plans of taken-back duties, the list's execution evaluation, two-way ratings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from dutygraph.api.cli import _fail, app, console, ingest_app
from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.settings import get_settings


@ingest_app.command("handover")
def ingest_handover(file: Annotated[Path, typer.Argument(help="交接方案 .xlsx/.csv/.docx")]) -> None:
    """The departments' handover plans of taken-back duties (a bad row writes nothing)."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.handover import read_plans
    from dutygraph.services.handover import Handovers
    from dutygraph.services.lifecycle import cli_principal

    try:
        rows = read_plans(file)
        with open_store(get_settings()) as store:
            n = Handovers(store).load(cli_principal(), rows, file.name)
            overdue = len(Handovers(store).dashboard()["overdue"])
    except DutyGraphError as e:
        _fail(e)
    console.print(f"{n} 个交接方案; 逾期 {overdue} 个")


@ingest_app.command("ratings")
def ingest_ratings(file: Annotated[Path, typer.Argument(help="双向考评表 .xlsx/.csv/.docx")]) -> None:
    """Townships' ratings of departments and dispatched agencies."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.handover import read_ratings
    from dutygraph.services.lifecycle import cli_principal
    from dutygraph.services.ratings import Ratings

    try:
        rows = read_ratings(file)
        with open_store(get_settings()) as store:
            n = Ratings(store).rate(cli_principal(), rows, file.name)
    except DutyGraphError as e:
        _fail(e)
    console.print(f"{n} 条评价")


@app.command()
def evaluate(township: Annotated[str, typer.Option("--township")],
             period: Annotated[str, typer.Option("--period", help="年度, 如 2025")] = str(dt.date.today().year),
             out: Annotated[Path | None, typer.Option("--out", help=".xlsx or .docx")] = None,
             drafts: Annotated[bool, typer.Option("--drafts", help="open the removal suggestions as draft "
                                                                   "change requests")] = False) -> None:
    """清单执行评估: per item its records, tasks, closing time and satisfaction; dormant items, overloaded posts,
    suggested changes."""
    from dutygraph.api import export
    from dutygraph.graph.connect import open_store
    from dutygraph.services.evaluation import docx_bytes, open_drafts
    from dutygraph.services.evaluation import evaluate as run
    from dutygraph.services.lifecycle import cli_principal

    try:
        with open_store(get_settings()) as store:
            report = run(store, township, period)
            opened = open_drafts(store, cli_principal(), report) if drafts else []
    except DutyGraphError as e:
        _fail(e)
    if out and out.suffix == ".docx":
        out.write_bytes(docx_bytes(report))
    elif out:
        out.write_bytes(export.workbook([("事项", report["items"], export.EVALUATION_ITEMS),
                                         ("岗位", report["posts"], export.EVALUATION_POSTS)]))
    else:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    t = report["totals"]
    console.print(f"{township} {period}: {t['items']} 项, 工单 {t['records']}, 任务 {t['tasks']}, 未调用 {t['dormant']}"
                  + (f"; 已开调整申请草稿 {len(opened)} 个" if drafts else ""))


@app.command("sample-after")
def sample_after(out: Annotated[Path, typer.Option("--out")] = Path("sample/after"),
                 townships: Annotated[int, typer.Option(help="how many sample townships")] = 3) -> None:
    """Constructed handover plans (a third overdue) and ratings for the first sample townships."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest import sample_after as s

    with open_store(get_settings()) as store:
        rows = store.query("compile.reference")
    towns = sorted({r["township"] for r in rows})[:townships]
    taken = [r for r in rows if r["township"] in towns and r["part"] == "taken_back"][: 30 * townships]
    pairs = sorted({(r["township"], d) for r in rows if r["township"] in towns and r["part"] == "cooperative"
                    for d in r["leads"][:1]})
    out.mkdir(parents=True, exist_ok=True)
    s.write(s.plans(taken, dt.date.today()), s.PLAN_HEADER, out / "交接方案.xlsx")
    s.write(s.ratings(pairs, str(dt.date.today().year)), s.RATING_HEADER, out / "双向考评.xlsx")
    console.print(f"{len(taken)} 个交接方案, {len(pairs)} 条评价 → {out}")
