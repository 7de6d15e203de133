"""What a law change touches: the review worklist, the version diff, a basis as of a date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from dutygraph.api import auth, export
from dutygraph.api.deps import Duties, Impact
from dutygraph.api.export import Format, respond
from dutygraph.api.models import AsOfBasis, DiffOut, ImpactOut
from dutygraph.api.routers.common import ERRORS, Limit, Offset, answer, iso
from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS)


@router.get("/laws/{law}/impact", response_model=ImpactOut, response_model_by_alias=True, tags=["impact"])
async def impact(
    service: Impact,
    law: str,
    frm: Annotated[dt.date | None, Query(alias="from", description="old version (in force on this date)")] = None,
    to: Annotated[dt.date | None, Query(description="new version (in force on this date)")] = None,
    repeal: Annotated[dt.date | None, Query(description="impact of repealing the law on this date")] = None,
    format: Format = "json",
    limit: Limit = 200,
    offset: Offset = 0,
):
    """Every current item whose basis cites a changed, renumbered or deleted article (or, with `repeal`, any
    article of the law), with the old and new text and the action a reviewer must take; grouped by township
    and department; the rows are paged (`limit`, `offset`), the summaries count them all. `format=xlsx` gives
    the whole review worklist with columns for the decision."""
    args = (law, iso(frm), iso(to), iso(repeal))
    if format == "json":
        return await answer(service.change_page, *args, limit, offset, model=ImpactOut)

    def download() -> Response:
        result = service.change(*args)
        return respond(format, lambda: result, lambda: result["items"], export.WORKLIST, f"审核清单-{law}")

    return await run_in_threadpool(download)


@router.get("/laws/{law}/diff", response_model=DiffOut, tags=["impact"])
def law_diff(
    service: Impact,
    law: str,
    frm: Annotated[dt.date | None, Query(alias="from")] = None,
    to: Annotated[dt.date | None, Query()] = None,
) -> dict:
    """The stored content alignment between two versions: each old article with its successor and change."""
    return service.diff(law, iso(frm), iso(to))


@router.get("/items/{item_id}/basis", response_model=list[AsOfBasis], tags=["impact"])
def basis_as_of(
    service: Duties,
    item_id: str,
    as_of: Annotated[dt.date, Query(description="the date: which version was in force then")],
):
    """The legal basis of an item as of a date: each cited provision followed by content (the aligned
    succession) to the version in force on that date, or a note that nothing in force then corresponds."""
    return service.basis_as_of(item_id, as_of.isoformat())
