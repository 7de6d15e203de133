"""Compiling a first list from the raw sweep: load entries, propose the merge, rounds, publish."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from dutygraph.api.cli import _fail, app, console
from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.settings import get_settings

sweep_app = typer.Typer(help="起底摸排 → 整合归并 → 三上三下 → 发布: compile a township's first list.",
                        no_args_is_help=True)
app.add_typer(sweep_app, name="sweep")
Township = Annotated[str, typer.Option("--township", help="乡镇/街道名称")]


def _cache() -> Path:
    return get_settings().data_dir / "sweep-vectors.npz"  # where the server keeps them too (api/deps.py)


@sweep_app.command("load")
def load(files: Annotated[list[Path], typer.Argument(help="摸排表: .xlsx, .csv or a .docx table")],
         township: Township) -> None:
    """Keep a township's raw entries (idempotent: the same file twice adds nothing; a bad file adds nothing)."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.sweep import read_sweep
    from dutygraph.services.compilation import Compilation
    from dutygraph.services.lifecycle import cli_principal

    try:
        entries = [e for f in files for e in read_sweep(f, township)]  # every file read before anything is kept
        with open_store(get_settings()) as store:
            out = Compilation(store).load(cli_principal(), entries, township, ", ".join(f.name for f in files))
    except DutyGraphError as e:
        _fail(e)
    console.print(f"{township}: 读取 {out['read']} 条, 新增 {out['added']} 条")


@sweep_app.command("merge")
def merge(township: Township,
          format: Annotated[str, typer.Option("--format", help="json | xlsx")] = "json",
          out: Annotated[Path | None, typer.Option("--out", help="file to write (xlsx needs it)")] = None) -> None:
    """The merge proposal (nothing stored): duties with their members, part, principle and evidence."""
    from dutygraph.graph.connect import open_store
    from dutygraph.services.compilation import Compilation, proposal_workbook
    from dutygraph.services.suggest import SuggestionIndex

    try:
        with open_store(get_settings()) as store:
            service = Compilation(store)
            provisions = SuggestionIndex.load(store, get_settings().data_dir)
            result = service.propose(township, provisions, _cache())
            entries = service.entries(township)
    except DutyGraphError as e:
        _fail(e)
    if format == "xlsx":
        if out is None:
            _fail(ValueError("--format xlsx needs --out FILE"))
        draft = {"round": 0, "items": result["items"], "set_aside": result["set_aside"]}
        out.write_bytes(proposal_workbook(draft, entries))
        console.print(f"{len(result['items'])} 项建议, {len(result['set_aside'])} 条暂不列入 → {out}")
        return
    text = json.dumps(result, ensure_ascii=False, indent=1)
    out.write_text(text, encoding="utf-8") if out else print(text)


@sweep_app.command("start")
def start(township: Township) -> None:
    """Round 1 (一上): the merge proposal as the first draft."""
    from dutygraph.graph.connect import open_store
    from dutygraph.services.compilation import Compilation
    from dutygraph.services.lifecycle import cli_principal
    from dutygraph.services.suggest import SuggestionIndex

    try:
        with open_store(get_settings()) as store:
            service = Compilation(store, _cache())
            if service.rounds(township):  # running the demo again: the draft is there, nothing to do
                console.print(f"{township} 已有草案 (第 {service.current(township)['round']} 轮)")
                return
            provisions = SuggestionIndex.load(store, get_settings().data_dir)
            r = service.start(cli_principal(), township, provisions)
    except DutyGraphError as e:
        _fail(e)
    console.print(f"{township} 第 {r['round']} 轮草案: {len(r['items'])} 项, {len(r['set_aside'])} 条暂不列入")


@sweep_app.command("decide")
def decide(township: Township,
           workbook: Annotated[Path, typer.Argument(help="the round's workbook with 处理 filled in")],
           note: Annotated[str, typer.Option("--note", help="what this round is (二上: 部门意见 …)")] = "") -> None:
    """The next round from the edited workbook's decisions (accept, rename, move part, split, merge, drop)."""
    from dutygraph.graph.connect import open_store
    from dutygraph.services.compilation import Compilation, read_decisions
    from dutygraph.services.lifecycle import cli_principal

    try:
        decisions = read_decisions(workbook)
        with open_store(get_settings()) as store:
            r = Compilation(store).next_round(cli_principal(), township, decisions, note)
    except DutyGraphError as e:
        _fail(e)
    console.print(f"{township} 第 {r['round']} 轮草案: {len(r['items'])} 项 ({len(decisions)} 项决定)")


@sweep_app.command("publish")
def publish(township: Township, date: Annotated[str, typer.Option("--date")] = "") -> None:
    """The last round becomes the township's first list version."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.resolve import LawIndex
    from dutygraph.services.compilation import Compilation
    from dutygraph.services.lifecycle import cli_principal

    try:
        with open_store(get_settings()) as store:
            index = LawIndex.load(store)
            out = Compilation(store).publish(cli_principal(), township, date or dt.date.today().isoformat(),
                                             Extractor(tuple(index.titles)), index)
    except DutyGraphError as e:
        _fail(e)
    console.print(f"{township}: 第 {out['round']} 轮草案发布为第一版清单, {out['items']} 项")


@sweep_app.command("sample")
def sample(township: Township,
           source: Annotated[str, typer.Option("--from", help="the published sample list it is generated from")],
           out: Annotated[Path, typer.Option("--out")]) -> None:
    """A labelled raw sweep (constructed) generated from a sample list, written as an office hands it in, with
    its truth (entry → item) beside it as JSON."""
    from dutygraph.graph.connect import open_store
    from dutygraph.ingest.sample_sweep import generate, write_xlsx

    with open_store(get_settings()) as store:
        rows = [r for r in store.query("compile.reference") if r["township"] == source]
    if not rows:
        _fail(ValueError(f"「{source}」没有现行清单"))
    items = [{**r, "post": next(iter(r["leads"]), ""), "lead": next(iter(r["leads"]), "")} for r in rows]
    entries, truth = generate(items, township)
    out.mkdir(parents=True, exist_ok=True)
    write_xlsx(entries, out / f"{township}-摸排.xlsx")
    (out / f"{township}-truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"{len(entries)} 条 → {out / f'{township}-摸排.xlsx'}")
