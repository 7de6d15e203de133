"""The workflow steps people take in the browser: review and publish change requests, decide 准入 applications,
record the verdict of a task the matcher left undecided, and upload lists, 12345 records, indicator tables and the
准入 catalogue. Each action calls the same service as its API route, with the same role checks (the signed-in
principal); located input errors are shown on the page that was filled in, with what was typed kept."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import (
    AdmissionsDep,
    Audit,
    DelegationReports,
    History,
    ItemMatcher,
    Requests,
    Store,
    Suggestions,
    forget_lists,
    upload_limit,
)
from dutygraph.api.pages import page, pager
from dutygraph.api.routers.common import Name, Org, Text
from dutygraph.graph.errors import InputError
from dutygraph.graph.vocabulary import PARTS, VERDICTS
from dutygraph.services.lifecycle import Forbidden, Principal, entry
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

router = APIRouter(dependencies=[Depends(auth.reader)], include_in_schema=False)


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- change requests: submit, review, publish ---------------------------------------------------------


@router.post("/requests/{request_id}/submit")
def request_submit(request: Request, requests: Requests, request_id: str):
    requests.submit(auth.principal(request), request_id)
    return _back(f"/requests/{request_id}")


@router.post("/requests/{request_id}/review")
def request_review(request: Request, requests: Requests, request_id: str,
                   step: Annotated[Literal["bianban", "legal"], Form()],
                   decision: Annotated[Literal["approve", "reject"], Form()],
                   comment: Annotated[Text, Form()] = ""):
    requests.review(auth.principal(request), request_id, step, decision, comment)
    return _back(f"/requests/{request_id}")


@router.post("/requests/{request_id}/publish")
def request_publish(request: Request, requests: Requests, request_id: str,
                    date: Annotated[dt.date | None, Form()] = None):
    requests.apply(auth.principal(request), request_id, (date or dt.date.today()).isoformat(),
                   request.app.state.extractor)
    forget_lists(request)
    return _back(f"/requests/{request_id}")


# --- 准入: apply, decide ------------------------------------------------------------------------------


@router.post("/admissions/new", response_class=HTMLResponse)
def admission_apply(request: Request, admissions: AdmissionsDep, matcher: ItemMatcher, suggestions: Suggestions,
                    title: Annotated[Name, Form()], text: Annotated[Text, Form()] = "",
                    department: Annotated[Org, Form()] = ""):
    a = admissions.apply(auth.principal(request), title, text, None, matcher, suggestions.index, department or None)
    return _back(f"/admissions#a-{a['id']}")


@router.post("/admissions/{admission_id}/decide")
def admission_decide(request: Request, admissions: AdmissionsDep, admission_id: str,
                     decision: Annotated[Literal["approve", "reject"], Form()],
                     comment: Annotated[Text, Form()] = ""):
    admissions.decide(auth.principal(request), admission_id, decision, comment)
    return _back(f"/admissions#a-{admission_id}")


# --- 待人工判断: the supervisor's queue ------------------------------------------------------------------


@router.get("/delegation/waiting", response_class=HTMLResponse)
def waiting(request: Request, reports: DelegationReports):
    choices = {k: n for k, n in VERDICTS.items() if k != "uncertain"}
    return page(request, "waiting.html", tasks=reports.waiting(), choices=choices,
                can_decide=auth.principal(request).may("bianban"))


@router.post("/delegation/waiting/{task_id}")
def waiting_decide(request: Request, reports: DelegationReports, task_id: str,
                   verdict: Annotated[str, Form()], note: Annotated[Text, Form()] = ""):
    reports.decide(auth.principal(request), task_id, verdict, note)
    return _back("/delegation/waiting")


# --- uploads ------------------------------------------------------------------------------------------

# the templates: one sheet per list part (as published lists do), each column under the first of the names its
# reader accepts (the readers also take the synonyms)
LIST_COLUMNS = {
    "basic": ("seq", "domain", "name", "content", "post", "basis"),
    "cooperative": ("seq", "domain", "name", "lead_dept", "county_duty", "township_duty", "post", "basis"),
    "taken_back": ("seq", "domain", "name", "receiver", "work_mode", "basis"),
}


def _template(kind: str) -> tuple[str, list[tuple[str, list, dict[str, str]]]]:
    from dutygraph.ingest.indicators import INDICATOR_HEADERS
    from dutygraph.ingest.readers import HEADERS
    from dutygraph.ingest.records import RECORD_HEADERS
    from dutygraph.ingest.reserved import RESERVED_HEADERS

    def sheet(title: str, headers: dict[str, tuple[str, ...]], fields: tuple[str, ...] | None = None):
        return (title, [], {f: headers[f][0] for f in fields or tuple(headers)})

    if kind == "list":
        return "履职事项清单模板", [sheet(PARTS[p], HEADERS, f) for p, f in LIST_COLUMNS.items()]
    if kind == "records":
        return "12345工单模板", [sheet("工单", RECORD_HEADERS)]
    if kind == "indicators":
        return "考核细则模板", [sheet("考核细则", INDICATOR_HEADERS)]
    return "准入参考目录模板", [sheet("准入参考目录", RESERVED_HEADERS)]


UPLOAD_TITLES = {"list": "上传乡镇(街道)清单", "records": "上传 12345 / 吹哨 工单", "indicators": "检查考核细则",
                 "catalogue": "更新准入参考目录"}


def _uploads(request: Request, history: History, status: int = 200, **ctx) -> HTMLResponse:
    who = auth.principal(request)
    return page(request, "uploads.html", status, townships=history.township_names(), titles=UPLOAD_TITLES,
                can_load=who.may(), can_keep_records=who.may("township"), today=dt.date.today().isoformat(), **ctx)


@router.get("/uploads", response_class=HTMLResponse)
def uploads_page(request: Request, history: History):
    return _uploads(request, history)


@router.get("/uploads/template/{kind}.xlsx")
def template(kind: Literal["list", "records", "indicators", "catalogue"]) -> Response:
    title, sheets = _template(kind)
    return export.xlsx_response(export.workbook(sheets), title)


@router.post("/uploads/list", response_class=HTMLResponse, dependencies=[Depends(auth.admin)])
def upload_list(request: Request, store: Store, history: History, audit: Audit,
                files: Annotated[list[UploadFile], File()], township: Annotated[Org, Form()],
                date: Annotated[str, Form()]):
    from dutygraph.ingest.lists import ingest_list
    from dutygraph.ingest.resolve import LawIndex

    form = {"township": township, "date": date}
    try:
        with uploads.saved(files, upload_limit(request)) as paths:
            report = ingest_list(store, paths, township, date, extractor=request.app.state.extractor,
                                 index=LawIndex.load(store))
    except InputError as e:  # the located error on the form, nothing written (ingest_list checks before writing)
        return _uploads(request, history, 422, failed="list", error=str(e), form=form)
    forget_lists(request)
    audit.record(auth.principal(request), "list.upload", report.list_id, after=report.list_id,
                 detail=f"{report.township} {report.date}: {report.status}, {report.rows_read} 行")
    return _uploads(request, history, done="list", report=report.__dict__, form=form)


def _own_records(who: Principal, rows: list) -> None:
    """A township keeps its own 12345 records; another township's record in its file is refused by row."""
    if who.role == "admin":
        return
    if who.role != "township":
        raise Forbidden(f"{who.name} 不能导入工单 (a township or the admin keeps records)")
    for r in rows:
        if r.township != who.org:
            raise InputError(f"工单属于「{r.township}」, 不是「{who.org}」 (another township's record)",
                             file=r.file, row=r.row, column="乡镇(街道)")


@router.post("/uploads/records", response_class=HTMLResponse)
def upload_records(request: Request, store: Store, history: History, matcher: ItemMatcher,
                   file: Annotated[UploadFile, File()]):
    from dutygraph.ingest.records import read_records
    from dutygraph.services import records

    who = auth.principal(request)
    try:
        with uploads.saved([file], upload_limit(request), "工单.xlsx") as (path,):
            rows = read_records(path)
            _own_records(who, rows)
            routed = records.route(rows, matcher)
    except InputError as e:
        return _uploads(request, history, 422, failed="records", error=str(e))
    name = file.filename or "upload"
    new = records.keep(store, routed, name, entry(who, "hotline.upload", name, detail=f"{len(routed)} 条工单"))
    stats = records.statistics(routed)
    return _uploads(request, history, done="records", routed=routed[:200], kept=len(routed), new=new, stats=stats)


@router.post("/uploads/indicators", response_class=HTMLResponse)
def upload_indicators(request: Request, history: History, matcher: ItemMatcher, file: Annotated[UploadFile, File()]):
    from dutygraph.ingest.indicators import read_indicators
    from dutygraph.services import indicators

    try:
        with uploads.saved([file], upload_limit(request), "indicators.xlsx") as (path,):
            checked = indicators.check(read_indicators(path), matcher, budget=indicators.API_PAIRS)
    except InputError as e:
        return _uploads(request, history, 422, failed="indicators", error=str(e))
    return _uploads(request, history, done="indicators", indicators=indicators.report(checked))


@router.post("/uploads/catalogue", response_class=HTMLResponse)
def upload_catalogue(request: Request, history: History, admissions: AdmissionsDep,
                     file: Annotated[UploadFile, File()]):
    from dutygraph.ingest.reserved import read_reserved

    try:
        with uploads.saved([file], upload_limit(request), "目录.xlsx") as (path,):
            rows = read_reserved(path)
    except InputError as e:
        return _uploads(request, history, 422, failed="catalogue", error=str(e))
    n = admissions.load_catalogue(auth.principal(request), rows, file.filename or "upload")
    return _uploads(request, history, done="catalogue", loaded=n)


# --- the legal office's worklist of basis suggestions --------------------------------------------------


WORKLIST_PAGE = 20  # duties suggested per page: each is a ranking over every article (about 2 ms at 10×)


@router.get("/suggestions", response_class=HTMLResponse)
def suggestion_worklist(request: Request, suggestions: Suggestions, history: History, township: str = "",
                        offset: Annotated[int, Query(ge=0)] = 0):
    """Every current duty without a basis with its top suggestion, one row per duty however many townships list
    it, the most widely listed first, a page at a time; each links to the duty's page where the provision is
    accepted once for all of them."""
    total, rows = suggestions.worklist_by_duty(township or None, limit=WORKLIST_PAGE, offset=offset)
    query = f"?township={township}&format=xlsx" if township else "?format=xlsx"
    return page(request, "worklist.html", rows=rows, township=township, total=total, offset=offset,
                limit=WORKLIST_PAGE, townships=history.township_names(), export=f"/api/suggestions/worklist{query}",
                paging=pager("/suggestions", township=township))
