"""The compilation pages: the townships whose list is being compiled beside the published ones, a township's
sweep and its draft rounds — decisions per proposed duty (accept, rename, move part, split, merge, drop),
reviewers' comments, the Excel round trip, the diff between rounds, publishing version 1."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import CompilationDep, Suggestions, forget_lists, upload_limit
from dutygraph.api.pages import page
from dutygraph.api.routers.common import Org, Text
from dutygraph.graph.errors import InputError, NotFound
from dutygraph.ingest.sweep import read_sweep
from dutygraph.services.compilation import (
    ACTIONS,
    REVIEWER_KINDS,
    diff_rounds,
    proposal_workbook,
    read_decisions,
)
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

router = APIRouter(dependencies=[Depends(auth.reader)], include_in_schema=False)
ACTION_NAMES = {v: k for k, v in ACTIONS.items()}


def _to(township: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/compile/{quote(township)}{anchor}", status_code=303)


@router.get("/compile", response_class=HTMLResponse)
def index(request: Request, service: CompilationDep):
    return page(request, "compile.html", towns=service.townships(), form={})


@router.post("/compile", response_class=HTMLResponse)
def load(request: Request, service: CompilationDep, township: Annotated[Org, Form()],
         files: Annotated[list[UploadFile], File()]):
    try:
        with uploads.saved(files, upload_limit(request), "摸排.xlsx") as paths:
            entries = [e for p in paths for e in read_sweep(p, township)]
    except InputError as e:  # the located error on the form; nothing kept
        return page(request, "compile.html", 422, towns=service.townships(), form={"township": township},
                    error=str(e))
    service.load(auth.principal(request), entries, township, ", ".join(f.filename or "upload" for f in files))
    return _to(township)


@router.get("/compile/{township}", response_class=HTMLResponse)
def township_page(request: Request, service: CompilationDep, township: str, round: int | None = None):
    entries = service.entries(township)
    if not entries:
        raise NotFound(f"「{township}」还没有摸排条目 (no sweep entries)")
    rounds = service.rounds(township)
    shown = next((r for r in rounds if r["round"] == round), rounds[-1] if rounds else None)
    before = next((r for r in rounds if shown and r["round"] == shown["round"] - 1), None)
    who = auth.principal(request)
    return page(request, "compile_township.html", township=township, entries=entries, rounds=rounds, r=shown,
                diff=diff_rounds(before, shown) if before and shown else None,
                comments=service.comments(shown["id"]) if shown else [], kinds=REVIEWER_KINDS,
                actions=ACTION_NAMES, can_compile=who.may("bianban"), can_comment=who.role != "reader",
                by_seq={e.seq: e for e in entries}, today=dt.date.today().isoformat())


@router.post("/compile/{township}/start")
def start(request: Request, service: CompilationDep, suggestions: Suggestions, township: str):
    service.start(auth.principal(request), township, suggestions.index)
    return _to(township)


@router.post("/compile/{township}/next")
async def next_round(request: Request, service: CompilationDep, township: str):
    """Decisions from the round's table: action_<key>, name_<key>, part_<key>, into_<key>, split_<key>."""
    form = await request.form()
    decisions = {}
    for field, value in form.items():
        if field.startswith("action_") and value:
            key = field[len("action_"):]
            decisions[key] = {"action": str(value), **{f: str(form.get(f"{f}_{key}") or "").strip()
                                                      for f in ("name", "part", "into", "split", "comment")}}
    service.next_round(auth.principal(request), township, decisions, str(form.get("note") or ""))
    return _to(township)


@router.post("/compile/{township}/import")
def import_round(request: Request, service: CompilationDep, township: str, file: Annotated[UploadFile, File()],
                 note: Annotated[Text, Form()] = ""):
    with uploads.saved([file], upload_limit(request), "草案.xlsx") as (path,):
        decisions = read_decisions(path)
    service.next_round(auth.principal(request), township, decisions, note or f"导入 {file.filename}")
    return _to(township)


@router.get("/compile/{township}/round.xlsx")
def export_round(service: CompilationDep, township: str) -> Response:
    r = service.current(township)
    return export.xlsx_response(proposal_workbook(r, service.entries(township)), f"{township}-第{r['round']}轮草案")


@router.post("/compile/{township}/comments")
def comment(request: Request, service: CompilationDep, township: str, kind: Annotated[str, Form()],
            text: Annotated[Text, Form()], item: Annotated[Org, Form()] = ""):
    service.comment(auth.principal(request), township, item, kind, text)
    return _to(township, "#comments")


@router.post("/compile/{township}/publish")
def publish(request: Request, service: CompilationDep, township: str, date: Annotated[dt.date | None, Form()] = None):
    from dutygraph.ingest.resolve import LawIndex

    service.publish(auth.principal(request), township, (date or dt.date.today()).isoformat(),
                    request.app.state.extractor, LawIndex.load(service.store))
    forget_lists(request)
    return RedirectResponse(f"/townships/{quote(township)}", status_code=303)
