"""Orphaned duties, lead violations and consistency across townships."""

from __future__ import annotations

from typing import Annotated, Literal

from dutygraph.api import auth, export
from dutygraph.api.deps import Duties
from dutygraph.api.export import EXPORT_ALL, Format, respond
from dutygraph.api.models import ConsistencyPage, LeadViolation, OrphanPage
from dutygraph.api.routers.common import ERRORS, Limit, Offset
from dutygraph.graph.vocabulary import ORPHAN_KINDS
from fastapi import APIRouter, Depends, Query

router = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS)
EXAMPLES = {
    "summary": {"value": {"no_basis": 1676, "vague_basis": 165}},
    "kind": {
        "value": {
            "kind": "no_basis",
            "total": 1,
            "items": [
                {"id": "…", "name": "网格化服务管理", "township": "丁蜀镇", "part": "basic", "reason": "没有法律依据"}
            ],
        }
    },
}


@router.get(
    "/orphans",
    response_model=OrphanPage | dict[str, int],
    tags=["orphans"],
    responses={
        200: {
            "description": "a page of one kind, or (without kind) the total of each kind",
            "content": {"application/json": {"examples": EXAMPLES}},
        }
    },
)
def orphans(
    service: Duties,
    kind: Literal[ORPHAN_KINDS] | None = None,  # type: ignore[valid-type]
    township: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = "json",
):
    """Orphaned duties: no basis, vague basis, unresolved citation, superseded/repealed basis, no lead,
    配合 without county lead department, 收回 without receiver, and statutory township duties nobody cites."""
    if kind is None:
        return service.orphan_summary(township)
    return respond(
        format,
        lambda: service.orphans(kind, township, limit, offset),
        lambda: service.orphans(kind, township, EXPORT_ALL, 0)["items"],
        export.ORPHANS,
        f"孤立事项-{kind}",
    )


@router.get("/lead-violations", response_model=list[LeadViolation], tags=["orphans"])
def lead_violations(service: Duties, township: str | None = None, limit: Limit = 100, offset: Offset = 0):
    """Items that break the one-lead rule (0 or several leads)."""
    return service.lead_violations(township, limit, offset)


@router.get("/consistency", response_model=ConsistencyPage, tags=["orphans"])
def consistency(
    service: Duties,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = "json",
    min_townships: Annotated[int, Query(ge=2)] = 2,
    variants: Annotated[bool, Query(description="include each township's variant")] = False,
):
    """The same duty (normalised name) listed with a different part, lead department or legal basis in
    different townships, ranked by spread."""
    return respond(
        format,
        lambda: service.consistency(limit, offset, min_townships, variants),
        lambda: service.consistency(EXPORT_ALL, 0, min_townships)["items"],
        export.CONSISTENCY,
        "跨乡镇一致性",
    )
