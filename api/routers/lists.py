"""Loading a township's list (admin)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from dutygraph.api import auth, uploads
from dutygraph.api.deps import Audit, Store, Who, forget_lists, upload_limit
from dutygraph.api.models import ListReportOut
from dutygraph.api.routers.common import ERRORS
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

router = APIRouter(prefix="/api", responses=ERRORS)


@router.post("/lists", response_model=ListReportOut, tags=["lists"], dependencies=[Depends(auth.admin)])
def upload_list(
    request: Request,
    store: Store,
    audit: Audit,
    who: Who,
    files: Annotated[list[UploadFile], File(description=".xlsx/.csv/.docx")],
    township: Annotated[str, Form(description="乡镇/街道名称")],
    date: Annotated[dt.date, Form(description="清单日期")],
) -> dict:
    """Load a township's list as its new current version (admin). Bad files: 422 naming file/sheet/row/column."""
    from dutygraph.ingest.lists import ingest_list
    from dutygraph.ingest.resolve import LawIndex

    with uploads.saved(files, upload_limit(request)) as paths:
        report = ingest_list(store, paths, township, date.isoformat(), extractor=request.app.state.extractor,
                             index=LawIndex.load(store))
    forget_lists(request)  # the delegation index must see the new list
    audit.record(who, "list.upload", report.list_id, after=report.list_id,
                 detail=f"{report.township} {report.date}: {report.status}, {report.rows_read} 行")
    return {**report.__dict__, "files": [f.filename for f in files]}
