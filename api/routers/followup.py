"""After publication: handover plans of taken-back duties (收得回、不落空), the list's execution evaluation,
two-way ratings of departments and dispatched agencies. The rules are in services/handover.py,
services/evaluation.py and services/ratings.py."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import Store, Who, upload_limit
from dutygraph.api.export import respond
from dutygraph.api.routers.common import ERRORS, Text
from dutygraph.ingest.handover import read_plans, read_ratings
from dutygraph.services import evaluation
from dutygraph.services.handover import Handovers
from dutygraph.services.ratings import Ratings
from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS, tags=["after publication"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/handover")
def handover(store: Store, township: str | None = None, department: str | None = None,
             format: Literal["json", "xlsx"] = "json") -> Any:
    """Handover progress, overdue plans, and taken-back duties still reaching townships with their evidence."""
    board = Handovers(store).dashboard(township, department)
    return respond(format, lambda: board, lambda: board["plans"], export.HANDOVER, "收回事项交接")


@router.post("/handover")
def load_handover(request: Request, store: Store, who: Who,
                  file: Annotated[UploadFile, File(description="交接方案 .xlsx/.csv/.docx")]) -> dict[str, int]:
    """A department's plans (only its own; admin any); a bad row writes nothing."""
    with uploads.saved([file], upload_limit(request), "交接方案.xlsx") as (path,):
        rows = read_plans(path)
    return {"loaded": Handovers(store).load(who, rows, file.filename or "upload")}


class PlanUpdate(BaseModel):
    handover_date: dt.date | None = None
    done_date: dt.date | None = None
    files: dict[str, Literal["已移交", "未移交", "部分移交"]] = Field(default_factory=dict, max_length=200)
    evidence: Text = ""


@router.post("/handover/{plan_id}")
def update_handover(store: Store, who: Who, plan_id: str, body: PlanUpdate) -> dict[str, str]:
    Handovers(store).update(who, plan_id, body.handover_date.isoformat() if body.handover_date else "",
                            body.done_date.isoformat() if body.done_date else "", dict(body.files), body.evidence)
    return {"status": "ok"}


@router.get("/evaluation/{township}")
def evaluate(store: Store, township: str, period: str = str(dt.date.today().year),
             format: Literal["json", "xlsx", "docx"] = "json") -> Any:
    """清单执行评估 of a township for a period (a year, or a month as 2025-06)."""
    report = evaluation.evaluate(store, township, period)
    if format == "docx":
        return Response(evaluation.docx_bytes(report), media_type=DOCX,
                        headers=export.disposition(f"{township}-{period}-清单执行评估", "docx"))
    if format == "xlsx":
        return export.xlsx_response(export.workbook([("事项", report["items"], export.EVALUATION_ITEMS),
                                                     ("岗位", report["posts"], export.EVALUATION_POSTS)]),
                                    f"{township}-{period}-清单执行评估")
    return report


@router.post("/evaluation/{township}/drafts", status_code=201)
def drafts(store: Store, who: Who, township: str, period: str = str(dt.date.today().year)) -> dict[str, list[str]]:
    """The evaluation's removal suggestions opened as draft change requests (编办 or admin)."""
    from dutygraph.services.lifecycle import Forbidden

    if not who.may("bianban"):
        raise Forbidden(f"{who.name} 不能据评估开调整申请草稿")
    return {"requests": evaluation.open_drafts(store, who, evaluation.evaluate(store, township, period))}


@router.get("/ratings")
def ratings(store: Store, who: Who, period: str | None = None, format: Literal["json", "xlsx"] = "json") -> Any:
    """Ratings per department and agency (a department sees only its own), with 报到 timeliness from records."""
    report = Ratings(store).report(who, period)
    return respond(format, lambda: report, lambda: report["units"], export.RATINGS, "双向考评")


@router.post("/ratings")
def rate(request: Request, store: Store, who: Who,
         file: Annotated[UploadFile, File(description="评价乡镇, 被评价单位, 类型, 报到及时, 配合履职, 意见, 期间")]
         ) -> dict[str, int]:
    """A township's ratings (only for itself; an agency only where it is stationed)."""
    with uploads.saved([file], upload_limit(request), "双向考评.xlsx") as (path,):
        rows = read_ratings(path)
    return {"rated": Ratings(store).rate(who, rows, file.filename or "upload")}
