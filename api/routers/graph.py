"""Graph explorer data (JSON)."""

from __future__ import annotations

from typing import Annotated

from dutygraph.api import auth
from dutygraph.api.deps import Explorer
from fastapi import APIRouter, Depends, Query

router = APIRouter(prefix="/api/graph", dependencies=[Depends(auth.reader)], tags=["graph"])


@router.get("/node")
def node(service: Explorer, node: str) -> dict:
    """A node's properties (for the details panel). `node` is Label:id."""
    return service.node(node)


@router.get("/neighbours")
def neighbours(
    service: Explorer, node: str, types: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 60
) -> dict:
    """A node's neighbours (both directions), optionally only along the given relationship types."""
    return service.neighbours(node, (types or "").split(",") if types else None, limit)
