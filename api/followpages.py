"""The pages after publication: 收回交接 (handover progress, overdue plans, taken-back duties still reaching
townships), 清单执行评估 per township and period, 双向考评 of departments and agencies — charts, tables, Excel
and Word exports, and the forms people use (a department updates its plan, a township rates)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from dutygraph.api import auth, uploads
from dutygraph.api.deps import History, Store, upload_limit
from dutygraph.api.pages import page
from dutygraph.api.routers.common import Org, Text
from dutygraph.graph.errors import InputError
from dutygraph.ingest.handover import RatingRow, read_plans
from dutygraph.services import evaluation
from dutygraph.services.handover import STATUS, Handovers
from dutygraph.services.ratings import Ratings
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

router = APIRouter(dependencies=[Depends(auth.reader)], include_in_schema=False)
ORDER = ("overdue", "planned", "in_progress", "handed_over", "done")


@router.get("/followup", response_class=HTMLResponse)
def handover_page(request: Request, store: Store, township: str | None = None, department: str | None = None):
    who = auth.principal(request)
    if who.role == "department" and not department:
        department = who.org  # a department opens on its own plans
    board = Handovers(store).dashboard(township or None, department or None)
    depts = list(board["by_department"])
    chart = {"handover": {"departments": depts, "series": [
        [STATUS[s], [board["by_department"][d].get(s, 0) for d in depts]] for s in ORDER]}}
    return page(request, "followup.html", board=board, chart_data=chart, status_names=STATUS, township=township,
                department=department, who=who)


@router.post("/followup/upload", response_class=HTMLResponse)
def upload_plans(request: Request, store: Store, file: Annotated[UploadFile, File()]):
    try:
        with uploads.saved([file], upload_limit(request), "交接方案.xlsx") as (path,):
            rows = read_plans(path)
        Handovers(store).load(auth.principal(request), rows, file.filename or "upload")
    except InputError as e:
        board = Handovers(store).dashboard()
        return page(request, "followup.html", 422, board=board, chart_data={}, status_names=STATUS,
                    township=None, department=None, who=auth.principal(request), error=str(e))
    return RedirectResponse("/followup", status_code=303)


@router.post("/followup/plans/{plan_id}")
async def update_plan(request: Request, store: Store, plan_id: str):
    form = await request.form()
    files = {str(k)[5:]: str(v) for k, v in form.items() if str(k).startswith("file:")}
    Handovers(store).update(auth.principal(request), plan_id, str(form.get("handover_date") or ""),
                            str(form.get("done_date") or ""), files, str(form.get("evidence") or ""))
    return RedirectResponse(f"/followup#p-{plan_id}", status_code=303)


@router.get("/followup/evaluation", response_class=HTMLResponse)
def evaluation_page(request: Request, store: Store, history: History, township: str = "",
                    period: str = str(dt.date.today().year)):
    report = evaluation.evaluate(store, township, period) if township else None
    chart = {}
    if report:
        top = sorted(report["items"], key=lambda i: -i["uses"])[:25]
        chart = {"evaluation": {"names": [i["name"][:14] for i in top], "records": [i["records"] for i in top],
                                "tasks": [i["tasks"] for i in top]}}
    return page(request, "evaluation.html", report=report, township=township, period=period,
                townships=history.township_names(), chart_data=chart,
                can_draft=auth.principal(request).may("bianban"))


@router.post("/followup/evaluation/drafts")
def evaluation_drafts(request: Request, store: Store, township: Annotated[Org, Form()],
                      period: Annotated[str, Form()]):
    who = auth.principal(request)
    if not who.may("bianban"):
        from dutygraph.services.lifecycle import Forbidden

        raise Forbidden(f"{who.name} 不能据评估开调整申请草稿")
    evaluation.open_drafts(store, who, evaluation.evaluate(store, township, period))
    return RedirectResponse("/requests?status=draft", status_code=303)


@router.get("/followup/ratings", response_class=HTMLResponse)
def ratings_page(request: Request, store: Store, history: History, period: str | None = None):
    who = auth.principal(request)
    report = Ratings(store).report(who, period or None)
    units = report["units"]
    chart = {"ratings": {"units": [u["unit"] for u in units], "reporting": [u["reporting"] for u in units],
                         "cooperation": [u["cooperation"] for u in units]}}
    return page(request, "ratings.html", report=report, chart_data=chart, who=who, period=period or "",
                year=str(dt.date.today().year))


@router.post("/followup/ratings")
def rate(request: Request, store: Store, target: Annotated[Org, Form()], reporting: Annotated[int, Form()],
         cooperation: Annotated[int, Form()], kind: Annotated[str, Form()] = "department",
         comment: Annotated[Text, Form()] = "", period: Annotated[str, Form()] = ""):
    """A township's rating of one unit, from the form (the township signed in rates for itself)."""
    who = auth.principal(request)
    township = who.org if who.role == "township" else ""
    if not township:
        from dutygraph.services.lifecycle import Forbidden

        raise Forbidden(f"{who.name} 不是乡镇(街道), 不能评价 (a township rates)")
    for name, score in (("报到及时", reporting), ("配合履职", cooperation)):
        if not 1 <= score <= 5:
            raise InputError(f"“{name}”应为 1–5 分", column=name)
    row = RatingRow(township, target, "agency" if kind == "agency" else "department", reporting, cooperation,
                    comment, period or str(dt.date.today().year), "表单", "", 0)
    Ratings(store).rate(who, [row], "表单")
    return RedirectResponse("/followup/ratings", status_code=303)
