"""The list's life after publication: versions and diffs, change requests and their reviews, drafts from a law
change, 事项准入 applications, the audit log. Who may do what is decided by services/lifecycle.py."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import (
    AdmissionsDep,
    Audit,
    History,
    Impact,
    ItemMatcher,
    Requests,
    Suggestions,
    Who,
    upload_limit,
)
from dutygraph.api.export import EXPORT_ALL, Format, respond
from dutygraph.api.routers.common import ERRORS, Limit, Name, Offset, Org, Short, Text, iso
from fastapi import APIRouter, Body, Depends, File, Query, Request, UploadFile
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS, tags=["lifecycle"])
Decision = Literal["approve", "reject"]


@router.get("/townships/{name}/versions")
def versions(history: History, name: str, format: Format = "json"):
    """Every published version of a township's list, newest first."""
    return respond(format, lambda: history.versions(name), lambda: history.versions(name), export.VERSIONS,
                   f"{name}-清单版本")


@router.get("/townships/{name}/as-of")
def as_of(history: History, name: str, date: Annotated[dt.date, Query(description="日期")]):
    """The version in force on a date, with its items."""
    v = history.as_of(name, date.isoformat())
    return {**v, "items": history.items(v["id"])}


def _diff_rows(d: dict) -> list[dict]:
    from dutygraph.graph.vocabulary import VALUE_WORDS

    def w(x: object) -> str:  # a part or a status in its Chinese words
        return VALUE_WORDS.get(str(x), str(x)) if x is not None else ""

    return [{**c, "details": "; ".join(f"{f['label']}: {w(f['before'])} → {w(f['after'])}" for f in c["fields"])}
            for c in d["changes"]]


@router.get("/townships/{name}/diff")
def diff(history: History, name: str, frm: Annotated[dt.date, Query(alias="from", description="旧版本所在日期")],
         to: Annotated[dt.date, Query(description="新版本所在日期")], format: Format = "json"):
    """Items added, removed, moved between 基本/配合/收回, or changed (lead, cooperating units, basis, content)
    between the versions in force on two dates; matched by content, not by row number."""
    result = history.diff(name, frm.isoformat(), to.isoformat())
    return respond(format, lambda: result, lambda: _diff_rows(result), export.DIFF, f"{name}-清单变化")


class RowIn(BaseModel):
    part: Literal["basic", "cooperative", "taken_back"]
    name: Name = Field(min_length=1)
    domain: Short = ""
    content: Text = ""
    post: Org = Field("", description="责任科室(岗位)")
    lead_dept: Org = Field("", description="配合事项的牵头部门")
    cooperating: Short = ""
    receiver: Org = Field("", description="收回事项的承接部门")
    basis: Text = Field("", description="法律依据, as written in a list")
    township_duty: Text = ""
    county_duty: Text = ""
    work_mode: Short = ""


MAX_ROWS = 200  # items one request may add or remove: a whole new list is an upload, not a request


class RequestIn(BaseModel):
    township: Org
    kind: Literal["add", "remove", "move", "split", "merge", "reword"]
    reason_type: Literal["law_change", "policy", "practice", "citizens", "assessment"]
    reason: Text = Field(min_length=1, max_length=2000)
    evidence: Text = Field("", max_length=2000, description="依据材料: 法律修订、文件、12345 记录 …")
    remove: list[Org] = Field(default_factory=list, max_length=MAX_ROWS, description="现行清单中被取消/调整的事项编号")
    add: list[RowIn] = Field(default_factory=list, max_length=MAX_ROWS, description="新增或调整后的事项")
    draft: bool = False


class ReviewIn(BaseModel):
    step: Literal["bianban", "legal"]
    decision: Decision
    comment: Text = Field("", max_length=2000)


class ApplyIn(BaseModel):
    date: dt.date | None = Field(None, description="新版本日期 (默认今天)")


@router.post("/requests", status_code=201)
def propose(requests: Requests, who: Who, body: RequestIn) -> dict[str, Any]:
    """A township (for itself) or a county department proposes a change of a list."""
    return requests.propose(who, body.township, body.kind, body.reason_type, body.reason, body.evidence, body.remove,
                            [r.model_dump() for r in body.add], draft=body.draft)


@router.get("/requests")
def find_requests(requests: Requests, township: str | None = None, status: str | None = None, limit: Limit = 100,
                  offset: Offset = 0, format: Format = "json"):
    return respond(format, lambda: requests.find(township, status, limit, offset),
                   lambda: requests.find(township, status, EXPORT_ALL, 0)["items"], export.REQUESTS, "调整申请")


@router.get("/requests/queue")
def queue(requests: Requests, who: Who, format: Format = "json"):
    """What waits for the caller's review step (编办 or 司法局), or, for admin, everything waiting."""
    return respond(format, lambda: requests.queue(who), lambda: requests.queue(who), export.REQUESTS, "待审核申请")


@router.get("/requests/overdue")
def overdue(requests: Requests, today: dt.date | None = None, format: Format = "json"):
    """Requests past their 清理 deadline and not yet published or rejected, per township and department."""
    day = (today or dt.date.today()).isoformat()
    return respond(format, lambda: requests.overdue(day), lambda: requests.overdue(day)["items"], export.REQUESTS,
                   "逾期未清理")


@router.get("/requests/{request_id}")
def get_request(requests: Requests, audit: Audit, request_id: str) -> dict[str, Any]:
    """A request with its reviews and its history in the audit log."""
    return {**requests.get(request_id), "history": audit.entries(None, request_id, 1000, 0)["items"]}


@router.post("/requests/{request_id}/submit")
def submit(requests: Requests, who: Who, request_id: str) -> dict[str, Any]:
    return requests.submit(who, request_id)


@router.post("/requests/{request_id}/reviews")
def review(requests: Requests, who: Who, request_id: str, body: ReviewIn) -> dict[str, Any]:
    """The 编办 review, then the 司法局 legal review (合法性审核); each reviewer decides only their step."""
    return requests.review(who, request_id, body.step, body.decision, body.comment)


@router.post("/requests/{request_id}/apply")
def apply(request: Request, requests: Requests, who: Who, request_id: str,
          body: Annotated[ApplyIn | None, Body()] = None) -> dict[str, Any]:
    """Publish an approved request as the township's new list version (the same atomic switch as an upload)."""
    from dutygraph.api.deps import forget_lists

    date = (body.date if body and body.date else dt.date.today()).isoformat()
    out = requests.apply(who, request_id, date, request.app.state.extractor)
    forget_lists(request)
    return out


class DraftsIn(BaseModel):
    law: str
    frm: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    months: int = Field(2, ge=1, le=24, description="清理期限: 新版本施行后几个月")


@router.post("/requests/from-law-change", status_code=201)
def drafts(requests: Requests, impact: Impact, who: Who, body: DraftsIn) -> list[dict[str, Any]]:
    """Draft requests for every item a law change touches, pre-filled with the old and new article and due
    `months` after the new version's date."""
    worklist = impact.amendment(body.law, iso(body.frm), iso(body.to))
    return requests.drafts_from_impact(who, worklist, worklist["to"], body.months)


class AdmissionIn(BaseModel):
    title: Name = Field(min_length=1)
    text: Text = ""
    townships: list[Org] | None = Field(None, max_length=1000, description="默认: 所有乡镇(街道)")
    department: Org | None = Field(None, description="admin 代部门申请时填写")


class DecisionIn(BaseModel):
    decision: Decision
    comment: Text = Field("", max_length=2000)


@router.post("/admissions", status_code=201)
def apply_admission(admissions: AdmissionsDep, matcher: ItemMatcher, suggestions: Suggestions, who: Who,
                    body: AdmissionIn) -> dict[str, Any]:
    """A county department asks to give townships a new task: checked against each township's list and the law."""
    return admissions.apply(who, body.title, body.text, body.townships, matcher, suggestions.index, body.department)


def _admission_rows(rows: list[dict]) -> list[dict]:
    return [{**a, "summary": a["check"].get("summary", "")} for a in rows]


@router.get("/admissions")
def find_admissions(admissions: AdmissionsDep, department: str | None = None, status: str | None = None,
                    format: Format = "json"):
    rows = admissions.find(department, status)
    return respond(format, lambda: rows, lambda: _admission_rows(rows), export.ADMISSIONS, "准入申请")


@router.get("/admissions/catalogue")
def admission_catalogue(admissions: AdmissionsDep, format: Format = "json"):
    """The 准入 reference catalogue: duties that must stay with county departments."""
    rows = admissions.catalogue()
    return respond(format, lambda: rows, lambda: rows, export.RESERVED, "准入参考目录")


@router.post("/admissions/catalogue")
def load_admission_catalogue(
    request: Request,
    admissions: AdmissionsDep,
    who: Who,
    file: Annotated[UploadFile, File(description="事项名称, 保留部门, 依据, 说明 (.xlsx/.csv/.docx)")],
) -> dict[str, int]:
    """Replace the reference catalogue (编办 or admin); a file with a bad row changes nothing."""
    from dutygraph.ingest.reserved import read_reserved

    with uploads.saved([file], upload_limit(request), "目录.xlsx") as (path,):
        rows = read_reserved(path)
    return {"loaded": admissions.load_catalogue(who, rows, file.filename or "upload")}


@router.get("/admissions/{admission_id}")
def get_admission(admissions: AdmissionsDep, admission_id: str) -> dict[str, Any]:
    return admissions.get(admission_id)


@router.post("/admissions/{admission_id}/decision")
def decide(admissions: AdmissionsDep, who: Who, admission_id: str, body: DecisionIn) -> dict[str, Any]:
    return admissions.decide(who, admission_id, body.decision, body.comment)


@router.get("/audit")
def audit_log(audit: Audit, action: str | None = None, target: str | None = None, limit: Limit = 100,
              offset: Offset = 0, format: Format = "json"):
    """The append-only log of every write: who, when, what, before/after ids."""
    return respond(format, lambda: audit.entries(action, target, limit, offset),
                   lambda: audit.entries(action, target, EXPORT_ALL, 0)["items"], export.AUDIT, "操作日志")
