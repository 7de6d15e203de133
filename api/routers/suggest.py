"""Basis suggestions: the provisions an item without a legal basis could rest on, and the legal reviewer's
accept / reject. Ranking and who may decide live in services/suggest.py."""

from __future__ import annotations

from typing import Annotated, Literal

from dutygraph.api import auth, export
from dutygraph.api.deps import Suggestions, Who
from dutygraph.api.routers.common import ERRORS, Org, Short
from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS, tags=["suggestions"])
Part = Literal["basic", "cooperative", "taken_back"]


@router.get("/items/{item_id}/suggestions")
def item_suggestions(service: Suggestions, item_id: str, top: Annotated[int, Query(ge=1, le=20)] = 5) -> dict:
    """The provisions that could establish the item, best first: {law, article, paragraph, item, score, text,
    why}; `why` names the shared words and the rules (township subject, the lead department's law, a
    法律责任 article) that placed each. Suggestions a reviewer rejected are not offered again."""
    return service.for_item(item_id, top)


@router.get("/suggestions")
def suggestions(service: Suggestions, text: Annotated[str, Query(min_length=1, max_length=500)],
                part: Part | None = None, department: str = "", top: Annotated[int, Query(ge=1, le=20)] = 5):
    """Suggestions for a duty written freely (not yet in a list)."""
    return service.suggest(text, "", part, department, top)


class Provision(BaseModel):
    version_id: Org = Field(min_length=1)
    article: int = Field(ge=1, le=10000)
    paragraph: int | None = Field(None, ge=1, le=1000)
    item: int | None = Field(None, ge=1, le=1000, description="项")
    comment: Short = Field("", max_length=500)


@router.post("/items/{item_id}/suggestions/accept")
def accept(service: Suggestions, who: Who, item_id: str, body: Annotated[Provision, Body()]) -> dict:
    """The legal reviewer accepts a provision as the item's basis: stored as a citation with status
    `suggested-accepted` (who, when); the item leaves the no-basis orphans and enters that law's impact."""
    return service.accept(who, item_id, body.version_id, body.article, body.paragraph, body.item, body.comment)


@router.post("/items/{item_id}/suggestions/reject")
def reject(service: Suggestions, who: Who, item_id: str, body: Annotated[Provision, Body()]) -> dict:
    """The legal reviewer rejects a suggested article: it is not offered for this item again."""
    return service.reject(who, item_id, body.version_id, body.article, body.comment)


@router.get("/suggestions/worklist")
def worklist(service: Suggestions, township: str | None = None, top: Annotated[int, Query(ge=1, le=5)] = 3,
             format: Literal["json", "xlsx"] = "json"):
    """Every current item without a basis (of one township, or all) with its top suggestions: the legal
    office's worklist, as Excel with a 审核结论 column."""
    rows = service.worklist(township, top)
    if format == "json":
        return rows
    return export_worklist(rows, township)


def export_worklist(rows: list[dict], township: str | None) -> Response:
    return export.to_xlsx(export.suggestion_rows(rows), export.SUGGESTIONS, f"{township or '全部'}-建议依据",
                          sheet="建议依据")
