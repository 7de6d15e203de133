"""Commands on lists: ingest one or the sample, generate the sample and its life-cycle records, analytics."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from dutygraph.api.cli import _audit, _fail, _item_matcher, _progress, app, console, ingest_app
from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.settings import get_settings


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
            took = time.perf_counter() - t0
            _audit(store, "list.sample", str(folder), f"{len(reports)} 份清单")
            t1 = time.perf_counter()
            _item_matcher(store)  # the items' sentence vectors, cached beside the database for the server
            console.print(f"item matcher's sentence vectors ready in {time.perf_counter() - t1:.1f}s")
    except DutyGraphError as e:
        _fail(e)
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
