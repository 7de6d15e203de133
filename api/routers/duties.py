"""Responsibility: items, townships and their posts, county departments, search."""

from __future__ import annotations

from typing import Annotated, Literal

from dutygraph.api import auth, export
from dutygraph.api.deps import Duties
from dutygraph.api.export import EXPORT_ALL, Format, respond
from dutygraph.api.models import (
    DepartmentOut,
    DepartmentTownships,
    ItemOut,
    ItemPage,
    PostOut,
    SearchPage,
    TownshipOut,
    TownshipRow,
)
from dutygraph.api.routers.common import ERRORS, Limit, Offset, answer
from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS)
Part = Literal["basic", "cooperative", "taken_back"]


@router.get("/items/{item_id}", response_model=ItemOut, tags=["responsibility"])
async def item(service: Duties, item_id: str) -> Response:
    """Who leads and who cooperates on an item, at which post, and the legal-basis chain to the article text."""
    return await answer(service.item, item_id, model=ItemOut)


@router.get("/departments/{name}", response_model=DepartmentOut, tags=["responsibility"])
async def department(
    service: Duties,
    name: str,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = "json",
    role: Annotated[
        Literal["LED_BY", "COOPERATED_BY", "TAKEN_BACK_BY"] | None,
        Query(description="only items it leads / cooperates on / took back"),
    ] = None,
):
    """Every item a county department leads, cooperates on or took back, across townships (一对多).
    An alias such as 市应急局 resolves to its department."""
    if format == "json":
        return await answer(service.department, name, role, limit, offset, model=DepartmentOut)

    def download() -> Response:
        d = service.department(name, role, EXPORT_ALL, 0)
        return export.export(format, d["items"], export.ITEMS, f"{d['name']}-事项")

    return await run_in_threadpool(download)


@router.get("/departments/{name}/townships", response_model=DepartmentTownships, tags=["responsibility"])
async def department_townships(service: Duties, name: str, limit: Limit = 100, offset: Offset = 0):
    """The townships a department has items in, paged in name order: its items there by role and the agencies
    it stations there."""
    return await answer(service.department_townships, name, limit, offset, model=DepartmentTownships)


@router.get("/townships", response_model=list[TownshipRow], tags=["responsibility"])
def townships(service: Duties, format: Format = "json"):
    """Every township with the size of its three lists."""
    return respond(format, service.townships, service.townships, export.TOWNSHIPS, "乡镇清单统计")


@router.get("/townships/{name}", response_model=TownshipOut, tags=["responsibility"])
async def township(service: Duties, name: str) -> Response:
    """A township's three lists, counted by domain, and its posts with their item counts."""
    return await answer(service.township, name, model=TownshipOut)


@router.get("/townships/{name}/items", response_model=ItemPage, tags=["responsibility"])
def township_items(
    service: Duties,
    name: str,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = "json",
    part: Part | None = None,
):
    """A township's items, one list part or all."""
    return respond(
        format,
        lambda: service.township_items(name, part, limit, offset),
        lambda: [{**r, "township": name} for r in service.township_items(name, part, EXPORT_ALL, 0)["items"]],
        export.ITEMS,
        f"{name}-履职事项",
    )


@router.get("/townships/{name}/posts/{post}", response_model=PostOut, tags=["responsibility"])
def post(service: Duties, name: str, post: str, format: Format = "json"):
    """A post's items: what its 岗位职责说明书 is written from."""
    result = service.post(name, post)
    return respond(format, lambda: result, lambda: result["items"], export.POST_ITEMS, f"{name}-{post}")


@router.get("/search", response_model=SearchPage, tags=["search"])
async def search(
    service: Duties,
    q: Annotated[str, Query(min_length=1, max_length=100, examples=["安全生产"])],
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Items, laws, articles and departments by Chinese text, ranked (exact, prefix, substring)."""
    return await answer(service.search, q, limit, offset, model=SearchPage)
