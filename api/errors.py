"""Errors become one JSON shape for the API, or a page (or the login form) for a browser."""

from __future__ import annotations

from dutygraph.api import pages
from dutygraph.graph.errors import Conflict, DutyGraphError, InputError, NotFound, StoreError
from dutygraph.services.lifecycle import Forbidden
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

PAGE_TITLES = {404: "没有找到", 422: "输入有误", 403: "没有权限", 503: "数据库暂时不可用"}


def _error(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
    """JSON for the API, a page (or the login form) for a browser."""
    if request.url.path.startswith("/api") or request.url.path in ("/docs", "/openapi.json"):
        return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)
    if status == 401:
        return RedirectResponse("/login", status_code=303)
    return pages.page(request, "error.html", status, title=PAGE_TITLES.get(status, "出错了"), message=message)


def install(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, e: NotFound):
        return _error(request, 404, "not_found", str(e))

    @app.exception_handler(Conflict)
    async def conflict(request: Request, e: Conflict):
        return _error(request, 409, "conflict", str(e))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, e: Forbidden):
        return _error(request, 403, "forbidden", str(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, e: StarletteHTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 413: "too_large"}.get(e.status_code, "error")
        return JSONResponse(
            {"error": code, "message": str(e.detail)}, status_code=e.status_code, headers=getattr(e, "headers", None)
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError):
        parts = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()]
        return _error(request, 422, "invalid_parameter", "参数错误: " + "; ".join(parts))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, e: InputError):
        return _error(request, 422, "invalid_input", str(e))

    @app.exception_handler(StoreError)
    async def store_down(request: Request, e: StoreError):
        return _error(request, 503, "database_error", f"数据库错误: {e}", {"Retry-After": "2"})

    @app.exception_handler(DutyGraphError)
    async def other(request: Request, e: DutyGraphError):
        return _error(request, 400, "error", str(e))
