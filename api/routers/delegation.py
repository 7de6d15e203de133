"""越单摊派: tasks sent to townships checked against their lists; the supervisors' report."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import Delegation, DelegationReports, upload_limit
from dutygraph.api.export import Format, respond
from dutygraph.api.models import DelegationReport, TaskIn, VerdictOut
from dutygraph.api.routers.common import ERRORS, Org, iso
from dutygraph.ingest.delegation import Task, read_tasks
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

router = APIRouter(prefix="/api", responses=ERRORS)


@router.post("/delegation/check", response_model=VerdictOut, tags=["delegation"],
             dependencies=[Depends(auth.reader)])
def delegation_check(request: Request, service: Delegation, body: TaskIn) -> dict:
    """One task sent to one township: on the list (basic / cooperative), a 配合 item it is asked to lead
    (lead_shift), a taken-back item pushed back down (taken_back), off-list, or uncertain; with the matches.
    Storing the verdict for the report (`store`, the default) is a write and needs the admin role."""
    if body.store:
        auth.require(request, "admin")
    task = Task(body.title, body.text, body.sender, [body.township], iso(body.date) or "", body.deadline)
    (verdict,) = service.check([task], body.township, body.store)
    return verdict.as_json()


@router.post("/delegation/batch", response_model=list[VerdictOut], tags=["delegation"],
             dependencies=[Depends(auth.admin)])
def delegation_batch(
    request: Request,
    service: Delegation,
    file: Annotated[UploadFile, File(description=".xlsx/.csv rows or a .docx/.txt notice")],
    township: Annotated[Org | None, Form(description="recipient; default: the file's")] = None,
) -> list[dict]:
    """A file of tasks (or a notice split into task sentences): every verdict, stored for the report.
    Bad input (empty task, unknown township, unreadable file) stores nothing."""
    with uploads.saved([file], upload_limit(request), "tasks.xlsx") as (path,):
        return [v.as_json() for v in service.check(read_tasks(path), township or None, True)]


@router.get("/delegation/report", response_model=DelegationReport, tags=["delegation"],
            dependencies=[Depends(auth.reader)])
def delegation_report(
    service: DelegationReports,
    department: str | None = None,
    frm: Annotated[dt.date | None, Query(alias="from")] = None,
    to: Annotated[dt.date | None, Query()] = None,
    format: Format = "json",
):
    """Counts by verdict and by sending department, the worst offenders, and each flagged task with its
    evidence; `format=xlsx` for the flagged tasks."""
    report = service.report(department, iso(frm), iso(to))
    rows = [{**r, "admission_history": "; ".join(f"{a['title']}({a['status_cn']})" for a in r["admissions"])
             or "无准入申请"} for r in report["flagged"]]
    return respond(format, lambda: report, lambda: rows, export.FLAGGED_TASKS, "越单摊派-问题任务")
