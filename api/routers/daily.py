"""The list in daily use: hotline / 吹哨 records routed by the list, assessment indicators checked against it.
Matching and judging live in services/records.py and services/indicators.py."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import ItemMatcher, Store, Who, upload_limit
from dutygraph.api.routers.common import ERRORS
from dutygraph.ingest.indicators import read_indicators
from dutygraph.ingest.records import read_records
from dutygraph.services import indicators, records, statements
from dutygraph.services.lifecycle import entry
from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS, tags=["daily use"])
Out = Literal["json", "xlsx"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.post("/records/route")
def route_records(request: Request, matcher: ItemMatcher,
                  file: Annotated[UploadFile, File(description="12345 / 吹哨 export: .xlsx, .csv or a .docx table")],
                  format: Out = "json") -> Any:
    """Each record matched to its township's items: who should handle it by the list (the township, the lead
    department with the township cooperating, the county department), wrong-side and unmatched records, and
    the 报到 statistics per township, receiving unit and item. Nothing is stored."""
    with uploads.saved([file], upload_limit(request), "工单.xlsx") as (path,):
        routed = records.route(read_records(path), matcher)
    stats = records.statistics(routed)
    if format == "xlsx":
        return export.xlsx_response(export.report_workbook(routed, stats), "工单分派")
    return {"records": routed, "statistics": stats}


@router.post("/records", dependencies=[Depends(auth.admin)])
def load_records(request: Request, store: Store, matcher: ItemMatcher, who: Who,
                 file: Annotated[UploadFile, File(description="12345 / 吹哨 export: .xlsx, .csv or a .docx table")]
                 ) -> dict[str, Any]:
    """Route the records and keep them for the 报到 statistics and the post workloads (admin). A file with a bad
    row keeps nothing."""
    with uploads.saved([file], upload_limit(request), "工单.xlsx") as (path,):
        routed = records.route(read_records(path), matcher)
    name = file.filename or "upload"
    new = records.keep(store, routed, name, entry(who, "hotline.upload", name, detail=f"{len(routed)} 条工单"))
    return {"kept": len(routed), "new": new, **records.statistics(routed)["by_route"]}


@router.get("/records/statistics")
def record_statistics(store: Store, township: str | None = None, format: Out = "json") -> Any:
    """报到 statistics of the kept records: per township and receiving unit (counts by list part, wrong side,
    unmatched, mean response and closing hours) and per item (how often it occurs)."""
    routed = records.stored(store, township)
    stats = records.statistics(routed)
    if format == "xlsx":
        return export.xlsx_response(export.report_workbook(routed, stats), "报到统计")
    return stats


@router.post("/indicators/check")
def check_indicators(request: Request, matcher: ItemMatcher,
                     file: Annotated[UploadFile, File(description="考核细则: .xlsx, .csv or a .docx table")],
                     format: Out = "json") -> Any:
    """Each indicator, for each township it grades, judged against that township's list: graded on leading a
    配合 duty (lead_shift), on a taken-back duty (taken_back) or on something off the list (off_list), with
    the matched items as evidence; flags per department that set the indicators. Nothing is stored."""
    with uploads.saved([file], upload_limit(request), "indicators.xlsx") as (path,):
        checked = indicators.check(read_indicators(path), matcher, budget=indicators.API_PAIRS)
    result = indicators.report(checked)
    if format == "xlsx":
        return export.xlsx_response(export.indicator_workbook(checked, result), "考核指标审查")
    return result


@router.get("/townships/{name}/statements")
def post_statements(store: Store, name: str) -> list[dict[str, Any]]:
    """岗位职责说明书 data: each post's lead and cooperating items with their bases, departments and workload."""
    return statements.statements(store, name)


@router.get("/townships/{name}/statements.zip")
def statements_zip(store: Store, name: str) -> Response:
    """The township's post duty statements, one Word document per post, in one zip."""
    return Response(statements.township_zip(store, name), media_type="application/zip",
                    headers=export.disposition(f"{name}-岗位职责说明书", "zip"))


@router.get("/townships/{name}/posts/{post}/statement.docx")
def statement_docx(store: Store, name: str, post: str) -> Response:
    """One post's duty statement as a Word document."""
    p = statements.post_statement(store, name, post)
    return Response(statements.docx_bytes(p), media_type=DOCX,
                    headers=export.disposition(f"{name}-{post}-岗位职责说明书", "docx"))
