"""Compiling a township's first list from its raw sweep (起底摸排): entries, the merge proposal, the rounds
(三上三下) with comments and decisions, publishing version 1. The work is in services/compilation.py."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import CompilationDep, Suggestions, Who, forget_lists, upload_limit
from dutygraph.api.routers.common import ERRORS, Org, Short, Text
from dutygraph.ingest.sweep import read_sweep
from dutygraph.services.compilation import REVIEWER_KINDS, diff_rounds, proposal_workbook, read_decisions
from fastapi import APIRouter, Body, Depends, File, Request, UploadFile
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api/sweep", dependencies=[Depends(auth.reader)], responses=ERRORS, tags=["compilation"])


@router.get("")
def townships(service: CompilationDep) -> list[dict[str, Any]]:
    """Townships with a sweep: how many entries, how many rounds."""
    return service.townships()


@router.post("/{township}/entries")
def load_entries(request: Request, service: CompilationDep, who: Who, township: str,
                 files: Annotated[list[UploadFile], File(description="摸排表 .xlsx/.csv/.docx")]) -> dict[str, int]:
    """Keep a sweep file's entries (a township its own, the 编办 or admin); a file with a bad row keeps nothing."""
    with uploads.saved(files, upload_limit(request), "摸排.xlsx") as paths:
        entries = [e for p in paths for e in read_sweep(p, township)]
    return service.load(who, entries, township, ", ".join(f.filename or "upload" for f in files))


@router.get("/{township}/proposal")
def proposal(service: CompilationDep, suggestions: Suggestions, township: str,
             format: Literal["json", "xlsx"] = "json") -> Any:
    """The merge proposal (nothing stored): proposed duties with the entries they merge, the part, the principle
    that decided it and why; entries that are not duties set aside with a reason."""
    result = service.propose(township, suggestions.index)
    if format == "xlsx":
        draft = {"round": 0, "items": result["items"], "set_aside": result["set_aside"]}
        return export.xlsx_response(proposal_workbook(draft, service.entries(township)), f"{township}-整合归并建议")
    return result


@router.get("/{township}/rounds")
def rounds(service: CompilationDep, township: str) -> list[dict[str, Any]]:
    return service.rounds(township)


@router.post("/{township}/rounds", status_code=201)
def start(service: CompilationDep, suggestions: Suggestions, who: Who, township: str) -> dict[str, Any]:
    """Round 1 (一上): the merge proposal as the first draft (编办)."""
    return service.start(who, township, suggestions.index)


class DecisionIn(BaseModel):
    action: Literal["accept", "rename", "move", "split", "merge", "drop"]
    name: Short = ""
    part: Literal["", "basic", "cooperative", "taken_back"] = ""
    into: Short = Field("", description="合并到的编号")
    split: Short = Field("", description="拆分: 条目序号分组, 用 | 分隔")
    comment: Text = ""


class NextIn(BaseModel):
    decisions: dict[str, DecisionIn] = Field(default_factory=dict, max_length=5000)
    note: Text = ""


@router.post("/{township}/rounds/next", status_code=201)
def next_round(service: CompilationDep, who: Who, township: str, body: NextIn) -> dict[str, Any]:
    """The next round with the decisions applied (二上, 三上 …)."""
    return service.next_round(who, township, {k: d.model_dump() for k, d in body.decisions.items()}, body.note)


@router.post("/{township}/rounds/next.xlsx", status_code=201)
def next_round_from_workbook(request: Request, service: CompilationDep, who: Who, township: str,
                             file: Annotated[UploadFile, File(description="the round's workbook, 处理 filled in")],
                             note: Annotated[str, Body()] = "") -> dict[str, Any]:
    with uploads.saved([file], upload_limit(request), "草案.xlsx") as (path,):
        decisions = read_decisions(path)
    return service.next_round(who, township, decisions, note)


@router.get("/{township}/rounds/{number}/diff")
def round_diff(service: CompilationDep, township: str, number: int) -> list[dict[str, str]]:
    """What round `number` changed against the round before it."""
    rs = {r["round"]: r for r in service.rounds(township)}
    return diff_rounds(rs[number - 1], rs[number]) if number - 1 in rs and number in rs else []


class CommentIn(BaseModel):
    kind: Literal[REVIEWER_KINDS]  # type: ignore[valid-type]
    text: Text = Field(min_length=1)
    item: Org = Field("", description="事项编号 (empty: on the whole draft)")


@router.post("/{township}/comments", status_code=201)
def comment(service: CompilationDep, who: Who, township: str, body: CommentIn) -> dict[str, str]:
    service.comment(who, township, body.item, body.kind, body.text)
    return {"status": "ok"}


class PublishIn(BaseModel):
    date: dt.date | None = None


@router.post("/{township}/publish")
def publish(request: Request, service: CompilationDep, who: Who, township: str,
            body: Annotated[PublishIn | None, Body()] = None) -> dict[str, Any]:
    """The last round becomes the township's first list version (编办)."""
    from dutygraph.ingest.resolve import LawIndex

    date = (body.date if body and body.date else dt.date.today()).isoformat()
    out = service.publish(who, township, date, request.app.state.extractor, LawIndex.load(service.store))
    forget_lists(request)
    return out
