"""The FastAPI application: wiring only. The lifespan opens the store once per process; routers live in
api/routers (JSON) and api/pages.py (HTML); errors become one JSON shape, or a page for browsers."""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from pathlib import Path

from dutygraph.api import auth, pages
from dutygraph.api.routers import (
    daily,
    delegation,
    duties,
    graph,
    impact,
    laws,
    lifecycle,
    lists,
    orphans,
    suggest,
    system,
)
from dutygraph.graph.errors import Conflict, DutyGraphError, InputError, NotFound, StoreError
from dutygraph.graph.settings import Settings, get_settings
from dutygraph.graph.store import DB_TIME, GraphStore
from dutygraph.services.lifecycle import Forbidden
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC = Path(__file__).resolve().parent / "static"
ROUTERS = (system, laws, duties, orphans, impact, lists, lifecycle, delegation, suggest, daily, graph)
PAGE_TITLES = {404: "没有找到", 422: "输入有误", 403: "没有权限", 503: "数据库暂时不可用"}


def _error(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
    """JSON for the API, a page (or the login form) for a browser."""
    if request.url.path.startswith("/api") or request.url.path in ("/docs", "/openapi.json"):
        return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)
    if status == 401:
        return RedirectResponse("/login", status_code=303)
    return pages.page(request, "error.html", status, title=PAGE_TITLES.get(status, "出错了"), message=message)


# Only our own files: vendored scripts and styles from /static, no inline script, no framing by other sites.
# Cytoscape sets element styles and draws PNG exports as data: URLs.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


# the Swagger UI page starts itself with one inline script
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


class SecurityHeaders:
    """The security headers, and where a request's time went (Server-Timing: browser devtools and
    bench/queries read it), on every response. A plain ASGI middleware: Starlette's `@app.middleware("http")`
    runs each request through an extra task and a response stream, which cost about as much as a kept answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        spent: list[float] = []
        token = DB_TIME.set(spent)  # the endpoint's context is a copy: it appends to this same list
        t0 = time.perf_counter()
        docs = scope["path"] == "/docs"

        async def start(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("Server-Timing", f'db;dur={sum(spent) * 1000:.2f};desc="{len(spent)} queries", '
                                                f"app;dur={(time.perf_counter() - t0) * 1000:.2f}")
                for k, v in HEADERS.items():
                    if k not in headers:
                        headers[k] = v
                if docs:
                    headers["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        try:
            await self.app(scope, receive, start)
        finally:
            DB_TIME.reset(token)


def _handlers(app: FastAPI) -> None:
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


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """`store` is injected by tests and by callers that own a store; otherwise the lifespan opens one."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        owned = store is None
        if owned:
            from dutygraph.graph.connect import open_store

            app.state.store = open_store(settings)
        else:
            app.state.store = store
        app.state.settings = settings
        server = getattr(app.state.store, "server", None)
        if owned and server is not None:
            server.supervise()  # the embedded database is started again if it dies
        try:
            from dutygraph.services.recovery import recover

            recover(app.state.store, settings.recover_after_s)
            from dutygraph.ingest.extract import Extractor
            from dutygraph.ingest.titles import cached_titles

            app.state.tokens = auth.parse_tokens(settings.api_tokens)
            # the spaCy pipeline is built once, at start-up, with the law titles in the graph
            app.state.extractor = Extractor(cached_titles(app.state.store)[0].titles())
            refresher = None
            if owned and settings.memo_entries and settings.memo_refresh:
                from dutygraph.graph.memo import Refresher

                refresher = Refresher(app.state.store, n=settings.memo_refresh).start()
            try:
                yield
            finally:
                if refresher is not None:
                    refresher.stop()
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="DutyGraph 履职图谱 API",
        version="0.1.0",
        lifespan=lifespan,
        description="乡镇(街道)履职事项清单与法律依据知识图谱。Township duty lists and their legal bases.",
        docs_url=None,  # served below from the vendored Swagger UI, not a CDN
        redoc_url=None,
    )

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(openapi_url="/openapi.json", title="DutyGraph API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css", swagger_favicon_url="")

    _handlers(app)
    app.add_middleware(SecurityHeaders)
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(pages.login)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
