"""The FastAPI application. The lifespan opens the store once per process and closes it on exit."""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.deps import get_repo, get_store
from api.models import ArticleOut, BasisRequest, CitedProvision, ErrorBody, Health, LawSummary
from api.repository import Repository
from graph.errors import DutyGraphError, InputError, NotFound, StoreError
from graph.settings import Settings, get_settings
from graph.store import GraphStore

STATIC = Path(__file__).resolve().parent / "static"
Repo = Annotated[Repository, Depends(get_repo)]
ERRORS = {404: {"model": ErrorBody, "description": "未找到 (not found)"},
          422: {"model": ErrorBody, "description": "参数错误 (invalid parameter)"}}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """`store` is injected by tests and by callers that own a store; otherwise the lifespan opens one."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        owned = store is None
        if owned:
            from graph.connect import open_store

            app.state.store = open_store(settings or get_settings())
        else:
            app.state.store = store
        try:
            from ingest.basis import TitleResolver
            from ingest.extract import Extractor

            # the spaCy pipeline is built once, at start-up, with the law titles in the graph
            app.state.titles = TitleResolver.load(app.state.store)
            app.state.extractor = Extractor(tuple(app.state.titles.titles))
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(title="DutyGraph 履职图谱 API", version="0.1.0", lifespan=lifespan,
                  description="乡镇(街道)履职事项清单与法律依据知识图谱。Township duty lists and their legal bases.")

    @app.exception_handler(NotFound)
    async def not_found(_: Request, e: NotFound) -> JSONResponse:
        return JSONResponse({"error": "not_found", "message": str(e)}, status_code=404)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, e: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()]
        return JSONResponse({"error": "invalid_parameter", "message": "参数错误: " + "; ".join(parts)},
                            status_code=422)

    @app.exception_handler(InputError)
    async def bad_input(_: Request, e: InputError) -> JSONResponse:
        return JSONResponse({"error": "invalid_input", "message": str(e)}, status_code=422)

    @app.exception_handler(StoreError)
    async def store_down(_: Request, e: StoreError) -> JSONResponse:
        return JSONResponse({"error": "database_error", "message": f"数据库错误: {e}"}, status_code=503)

    @app.exception_handler(DutyGraphError)
    async def other(_: Request, e: DutyGraphError) -> JSONResponse:
        return JSONResponse({"error": "error", "message": str(e)}, status_code=400)

    @app.get("/api/health", response_model=Health, tags=["system"])
    def health(repo: Repo, s: Annotated[GraphStore, Depends(get_store)]) -> Health:
        return Health(backend=s.backend, counts=repo.counts())

    @app.get("/api/laws", response_model=list[LawSummary], tags=["laws"])
    def laws(repo: Repo) -> list[dict]:
        """Every law with its versions (date, status) and, where replaced, its successor title."""
        return repo.laws()

    @app.get("/api/laws/{law}/articles/{number}", response_model=ArticleOut, responses=ERRORS, tags=["laws"])
    def article(repo: Repo, law: str, number: int,
                version: Annotated[dt.date | None, Query(description="版本: 该日期有效的版本 (YYYY-MM-DD)")] = None
                ) -> dict:
        """Article text with 款/项 in the version in force on `version` (default: the latest)."""
        return repo.article(law, number, version.isoformat() if version else None)

    @app.post("/api/basis/parse", response_model=list[list[CitedProvision]], responses=ERRORS, tags=["lists"])
    def basis_parse(request: Request, body: BasisRequest) -> list[list[dict]]:
        """For each text, the provisions it cites (a range or list gives one object per provision)."""
        from ingest.basis import parse_basis

        return [[{**c, "item": c["point"]} for c in parse_basis(t, request.app.state.extractor,
                                                                request.app.state.titles)]
                for t in body.texts]

    return app
