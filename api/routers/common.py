"""What the JSON routers share: their error responses, paging parameters and dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from dutygraph.api.models import ErrorBody
from fastapi import Query

ERRORS = {
    401: {"model": ErrorBody, "description": "需要令牌 (missing or invalid token)"},
    403: {"model": ErrorBody, "description": "权限不足 (role too low)"},
    404: {"model": ErrorBody, "description": "未找到 (not found)"},
    422: {"model": ErrorBody, "description": "参数错误 (invalid parameter)"},
}
Limit = Annotated[int, Query(ge=1, le=1000, description="page size")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]


def iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
