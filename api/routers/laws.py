"""Laws: titles, articles, and what a cell's legal basis cites."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from dutygraph.api import auth
from dutygraph.api.deps import Laws, Store
from dutygraph.api.models import ArticleOut, BasisRequest, CitedProvision, LawSummary
from dutygraph.api.routers.common import ERRORS, Limit, iso
from fastapi import APIRouter, Depends, Query, Request

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS)


@router.get("/laws", response_model=list[LawSummary], tags=["laws"])
def laws(
    service: Laws,
    q: Annotated[str, Query(max_length=100, description="标题检索: 全称、简称、别名或部分标题")] = "",
    limit: Limit = 50,
) -> list[dict]:
    """Every law with its versions (date, status), level and, where replaced, its successor title; with `q`
    the laws whose title matches (short titles and aliases resolved: 信息公开条例 → 政府信息公开条例)."""
    return service.laws(q, limit)


@router.get("/laws/{law}/articles/{number}", response_model=ArticleOut, tags=["laws"])
def article(
    service: Laws,
    law: str,
    number: int,
    version: Annotated[dt.date | None, Query(description="版本: 该日期有效的版本 (YYYY-MM-DD)")] = None,
) -> dict:
    """Article text with 款/项 in the version in force on `version` (default: the latest)."""
    return service.article(law, number, iso(version))


@router.post("/basis/parse", response_model=list[list[CitedProvision]], tags=["lists"])
def basis_parse(request: Request, store: Store, body: BasisRequest) -> list[list[dict]]:
    """For each text, the provisions it cites (a range or list gives one object per provision)."""
    from dutygraph.ingest.basis import parse_basis
    from dutygraph.ingest.titles import cached_titles

    titles, levels = cached_titles(store)
    return [
        [{**c, "item": c["point"]} for c in parse_basis(t, request.app.state.extractor, titles, levels)]
        for t in body.texts
    ]
