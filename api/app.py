"""The FastAPI application: wiring only. The lifespan opens the store once per process; routers live in
api/routers (JSON) and api/pages.py (HTML); errors become one JSON shape, or a page for browsers."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from dutygraph.api import auth, compilepages, errors, followpages, pages, workpages
from dutygraph.api.middleware import SecurityHeaders
from dutygraph.api.routers import (
    compilation,
    daily,
    delegation,
    duties,
    followup,
    graph,
    impact,
    laws,
    lifecycle,
    lists,
    orphans,
    suggest,
    system,
)
from dutygraph.graph.settings import Settings, get_settings
from dutygraph.graph.store import GraphStore
from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
ROUTERS = (system, laws, duties, orphans, impact, lists, lifecycle, delegation, suggest, daily, graph, compilation,
           followup)


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
            if owned:  # a serving process: the item matcher is built before the first check asks for it
                from dutygraph.api.deps import warm

                app.state.warming = warm(app.state)
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

    errors.install(app)
    app.add_middleware(SecurityHeaders)
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(pages.login)
    app.include_router(pages.router)
    app.include_router(workpages.router)
    app.include_router(compilepages.router)
    app.include_router(followpages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
