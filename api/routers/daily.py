"""The list in daily use: hotline / 吹哨 records routed by the list, assessment indicators checked against it.
Matching and judging live in services/records.py and services/indicators.py."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from dutygraph.api import auth, export, uploads
from dutygraph.api.deps import ItemMatcher, upload_limit
from dutygraph.api.routers.common import ERRORS
from dutygraph.ingest.indicators import read_indicators
from dutygraph.ingest.records import read_records
from dutygraph.services import indicators, records
from fastapi import APIRouter, Depends, File, Request, UploadFile

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS, tags=["daily use"])
Out = Literal["json", "xlsx"]


@router.post("/records/route")
def route_records(request: Request, matcher: ItemMatcher,
                  file: Annotated[UploadFile, File(description="12345 / 吹哨 export: .xlsx, .csv or a .docx table")],
                  format: Out = "json") -> Any:
    """Each record matched to its township's items: who should handle it by the list (the township, the lead
    department with the township cooperating, the county department), wrong-side and unmatched records, and
    the 报到 statistics per township, receiving unit and item. Nothing is stored."""
    with uploads.saved([file], upload_limit(request), "records.xlsx") as (path,):
        recs = read_records(path)
    routed = records.route(recs, matcher)
    stats = records.statistics(routed)
    if format == "xlsx":
        return export.xlsx_response(export.report_workbook(routed, stats), "工单分派")
    return {"records": routed, "statistics": stats}


@router.post("/indicators/check")
def check_indicators(request: Request, matcher: ItemMatcher,
                     file: Annotated[UploadFile, File(description="考核细则: .xlsx, .csv or a .docx table")],
                     format: Out = "json") -> Any:
    """Each indicator, for each township it grades, judged against that township's list: graded on leading a
    配合 duty (lead_shift), on a taken-back duty (taken_back) or on something off the list (off_list), with
    the matched items as evidence; flags per department that set the indicators. Nothing is stored."""
    with uploads.saved([file], upload_limit(request), "indicators.xlsx") as (path,):
        inds = read_indicators(path)
    checked = indicators.check(inds, matcher)
    result = indicators.report(checked)
    if format == "xlsx":
        return export.xlsx_response(export.indicator_workbook(checked, result), "考核指标审查")
    return result
