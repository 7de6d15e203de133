"""The FastAPI application. The lifespan opens the store once per process and closes it on exit."""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Literal

from dutygraph.api import auth
from dutygraph.api.deps import get_duty_repo, get_repo, get_store
from dutygraph.api.export import export
from dutygraph.api.models import (
    ArticleOut,
    AsOfBasis,
    BasisRequest,
    CitedProvision,
    ConsistencyPage,
    DelegationReport,
    DepartmentOut,
    DiffOut,
    ErrorBody,
    Health,
    ImpactOut,
    ItemOut,
    ItemPage,
    LawSummary,
    LeadViolation,
    ListReportOut,
    OrphanPage,
    PostOut,
    SearchPage,
    TaskIn,
    TownshipOut,
    TownshipRow,
    VerdictOut,
)
from dutygraph.graph.errors import DutyGraphError, InputError, NotFound, StoreError
from dutygraph.graph.settings import Settings, get_settings
from dutygraph.graph.store import GraphStore
from dutygraph.services.delegation import service as delegation
from dutygraph.services.impact import WORKLIST, ImpactService
from dutygraph.services.repository import ORPHAN_KINDS, DutyRepository, Repository
from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

STATIC = Path(__file__).resolve().parent / "static"
Repo = Annotated[Repository, Depends(get_repo)]
Duty = Annotated[DutyRepository, Depends(get_duty_repo)]
ERRORS = {
    401: {"model": ErrorBody, "description": "需要令牌 (missing or invalid token)"},
    403: {"model": ErrorBody, "description": "权限不足 (role too low)"},
    404: {"model": ErrorBody, "description": "未找到 (not found)"},
    422: {"model": ErrorBody, "description": "参数错误 (invalid parameter)"},
}
Limit = Annotated[int, Query(ge=1, le=1000, description="page size")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Format = Annotated[
    Literal["json", "csv", "xlsx"], Query(description="json, or a csv/xlsx download with Chinese headers")
]
EXPORT_ALL = 100_000
ITEM_COLUMNS = {
    "id": "事项编号",
    "name": "事项名称",
    "township": "乡镇(街道)",
    "part": "清单类别",
    "domain": "领域",
    "role": "角色",
    "leads": "牵头(主责)",
    "basis_status": "依据情况",
}
ORPHAN_COLUMNS = {"id": "编号", "name": "事项名称", "township": "乡镇(街道)", "part": "清单类别", "reason": "原因"}


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """`store` is injected by tests and by callers that own a store; otherwise the lifespan opens one."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        owned = store is None
        if owned:
            from dutygraph.graph.connect import open_store

            app.state.store = open_store(settings or get_settings())
        else:
            app.state.store = store
        try:
            from dutygraph.ingest.extract import Extractor
            from dutygraph.ingest.titles import cached_titles

            # the spaCy pipeline is built once, at start-up, with the law titles in the graph
            app.state.tokens = auth.parse_tokens((settings or get_settings()).api_tokens)
            app.state.extractor = Extractor(cached_titles(app.state.store)[0].titles())
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="DutyGraph 履职图谱 API",
        version="0.1.0",
        lifespan=lifespan,
        description="乡镇(街道)履职事项清单与法律依据知识图谱。Township duty lists and their legal bases.",
    )

    def error(request: Request, status: int, code: str, message: str, headers: dict | None = None):
        if request.url.path.startswith("/api") or request.url.path in ("/docs", "/openapi.json"):
            return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)
        if status == 401:
            from fastapi.responses import RedirectResponse

            return RedirectResponse("/login", status_code=303)
        from dutygraph.api.ui import page

        titles = {404: "没有找到", 422: "输入有误", 403: "没有权限", 503: "数据库暂时不可用"}
        return page(request, "error.html", status, title=titles.get(status, "出错了"), message=message)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, e: NotFound):
        return error(request, 404, "not_found", str(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, e: StarletteHTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}.get(e.status_code, "error")
        return JSONResponse(
            {"error": code, "message": str(e.detail)}, status_code=e.status_code, headers=getattr(e, "headers", None)
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError):
        parts = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()]
        return error(request, 422, "invalid_parameter", "参数错误: " + "; ".join(parts))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, e: InputError):
        return error(request, 422, "invalid_input", str(e))

    @app.exception_handler(StoreError)
    async def store_down(request: Request, e: StoreError):
        return error(request, 503, "database_error", f"数据库错误: {e}")

    @app.exception_handler(DutyGraphError)
    async def other(request: Request, e: DutyGraphError):
        return error(request, 400, "error", str(e))

    api = APIRouter(prefix="/api", dependencies=[Depends(auth.reader)], responses=ERRORS)

    @app.get("/api/health", response_model=Health, tags=["system"])
    def health(repo: Repo, s: Annotated[GraphStore, Depends(get_store)]) -> Health:
        return Health(backend=s.backend, counts=repo.counts())

    @api.get("/laws", response_model=list[LawSummary], tags=["laws"])
    def laws(
        repo: Repo,
        q: Annotated[str, Query(max_length=100, description="标题检索: 全称、简称、别名或部分标题")] = "",
        limit: Limit = 50,
    ) -> list[dict]:
        """Every law with its versions (date, status), level and, where replaced, its successor title; with `q`
        the laws whose title matches (short titles and aliases resolved: 信息公开条例 → 政府信息公开条例)."""
        return repo.laws(q, limit)

    @api.get("/laws/{law}/articles/{number}", response_model=ArticleOut, tags=["laws"])
    def article(
        repo: Repo,
        law: str,
        number: int,
        version: Annotated[dt.date | None, Query(description="版本: 该日期有效的版本 (YYYY-MM-DD)")] = None,
    ) -> dict:
        """Article text with 款/项 in the version in force on `version` (default: the latest)."""
        return repo.article(law, number, version.isoformat() if version else None)

    @api.post("/basis/parse", response_model=list[list[CitedProvision]], tags=["lists"])
    def basis_parse(request: Request, body: BasisRequest) -> list[list[dict]]:
        """For each text, the provisions it cites (a range or list gives one object per provision)."""
        from dutygraph.ingest.basis import parse_basis
        from dutygraph.ingest.titles import cached_titles

        titles, levels = cached_titles(request.app.state.store)
        return [
            [{**c, "item": c["point"]} for c in parse_basis(t, request.app.state.extractor, titles, levels)]
            for t in body.texts
        ]

    @api.get("/items/{item_id}", response_model=ItemOut, tags=["responsibility"])
    def item(repo: Duty, item_id: str) -> dict:
        """Who leads and who cooperates on an item, at which post, and the legal-basis chain to the article text."""
        return repo.item(item_id)

    @api.get("/departments/{name}", response_model=DepartmentOut, tags=["responsibility"])
    def department(
        repo: Duty,
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
        if format != "json":
            d = repo.department(name, role, EXPORT_ALL, 0)
            return export(format, d["items"], ITEM_COLUMNS, f"{d['name']}-事项")
        return repo.department(name, role, limit, offset)

    @api.get("/townships", response_model=list[TownshipRow], tags=["responsibility"])
    def townships(repo: Duty, format: Format = "json"):
        """Every township with the size of its three lists."""
        rows = repo.townships()
        if format != "json":
            cols = {
                "name": "乡镇(街道)",
                "code": "区划代码",
                "kind": "类型",
                "list_date": "清单日期",
                "basic": "基本履职事项",
                "cooperative": "配合履职事项",
                "taken_back": "上级部门收回事项",
            }
            return export(format, rows, cols, "乡镇清单统计")
        return rows

    @api.get("/townships/{name}", response_model=TownshipOut, tags=["responsibility"])
    def township(repo: Duty, name: str) -> dict:
        """A township's three lists, counted by domain, and its posts with their item counts."""
        return repo.township(name)

    @api.get("/townships/{name}/items", response_model=ItemPage, tags=["responsibility"])
    def township_items(
        repo: Duty,
        name: str,
        limit: Limit = 100,
        offset: Offset = 0,
        format: Format = "json",
        part: Literal["basic", "cooperative", "taken_back"] | None = None,
    ):
        """A township's items, one list part or all."""
        if format != "json":
            rows = repo.township_items(name, part, EXPORT_ALL, 0)["items"]
            return export(format, [{**r, "township": name} for r in rows], ITEM_COLUMNS, f"{name}-履职事项")
        return repo.township_items(name, part, limit, offset)

    @api.get("/townships/{name}/posts/{post}", response_model=PostOut, tags=["responsibility"])
    def post(repo: Duty, name: str, post: str, format: Format = "json"):
        """A post's items: what its 岗位职责说明书 is written from."""
        result = repo.post(name, post)
        if format != "json":
            return export(format, result["items"], {**ITEM_COLUMNS, "content": "具体内容"}, f"{name}-{post}")
        return result

    @api.get(
        "/orphans",
        response_model=OrphanPage | dict[str, int],
        tags=["orphans"],
        responses={
            200: {
                "description": "a page of one kind, or (without kind) the total of each kind",
                "content": {
                    "application/json": {
                        "examples": {
                            "summary": {"value": {"no_basis": 1676, "vague_basis": 165}},
                            "kind": {
                                "value": {
                                    "kind": "no_basis",
                                    "total": 1,
                                    "items": [
                                        {
                                            "id": "…",
                                            "name": "网格化服务管理",
                                            "township": "丁蜀镇",
                                            "part": "basic",
                                            "reason": "没有法律依据",
                                        }
                                    ],
                                }
                            },
                        }
                    }
                },
            }
        },
    )
    def orphans(
        repo: Duty,
        kind: Literal[ORPHAN_KINDS] | None = None,  # type: ignore[valid-type]
        township: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
        format: Format = "json",
    ):
        """Orphaned duties: no basis, vague basis, unresolved citation, superseded/repealed basis, no lead,
        配合 without county lead department, 收回 without receiver, and statutory township duties nobody cites."""
        if kind is None:
            return repo.orphan_summary(township)
        if format != "json":
            page = repo.orphans(kind, township, EXPORT_ALL, 0)
            return export(format, page["items"], ORPHAN_COLUMNS, f"孤立事项-{kind}")
        return repo.orphans(kind, township, limit, offset)

    @api.get("/lead-violations", response_model=list[LeadViolation], tags=["orphans"])
    def lead_violations(repo: Duty, township: str | None = None, limit: Limit = 100, offset: Offset = 0):
        """Items that break the one-lead rule (0 or several leads)."""
        return repo.lead_violations(township, limit, offset)

    @api.get("/consistency", response_model=ConsistencyPage, tags=["orphans"])
    def consistency(
        repo: Duty,
        limit: Limit = 100,
        offset: Offset = 0,
        format: Format = "json",
        min_townships: Annotated[int, Query(ge=2)] = 2,
        variants: Annotated[bool, Query(description="include each township's variant")] = False,
    ):
        """The same duty (normalised name) listed with a different part, lead department or legal basis in
        different townships, ranked by spread."""
        if format != "json":
            rows = repo.consistency(EXPORT_ALL, 0, min_townships)["items"]
            cols = {
                "name": "事项名称",
                "townships": "乡镇数",
                "spread": "差异度",
                "gaps": "缺口",
                "parts": "清单类别",
                "departments": "牵头部门",
                "bases": "法律依据",
            }
            return export(format, rows, cols, "跨乡镇一致性")
        return repo.consistency(limit, offset, min_townships, variants)

    @api.get("/search", response_model=SearchPage, tags=["search"])
    def search(
        repo: Duty,
        q: Annotated[str, Query(min_length=1, max_length=100, examples=["安全生产"])],
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict:
        """Items, laws, articles and departments by Chinese text, ranked (exact, prefix, substring)."""
        return repo.search(q, limit, offset)

    @app.post(
        "/api/lists", response_model=ListReportOut, responses=ERRORS, tags=["lists"], dependencies=[Depends(auth.admin)]
    )
    def upload_list(
        request: Request,
        files: Annotated[list[UploadFile], File(description=".xlsx/.csv/.docx")],
        township: Annotated[str, Form(description="乡镇/街道名称")],
        date: Annotated[dt.date, Form(description="清单日期")],
    ) -> dict:
        """Load a township's list as its new current version (admin). Bad files: 422 naming file/sheet/row/column."""
        import tempfile

        from dutygraph.ingest.lists import ingest_list
        from dutygraph.ingest.resolve import LawIndex

        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for f in files:
                path = Path(tmp) / Path(f.filename or "list.xlsx").name
                path.write_bytes(f.file.read())
                paths.append(path)
            store = request.app.state.store
            report = ingest_list(
                store,
                paths,
                township,
                date.isoformat(),
                extractor=request.app.state.extractor,
                index=LawIndex.load(store),
            )
        request.app.state.matcher = None  # the delegation index must see the new list
        return {**report.__dict__, "files": [f.filename for f in files]}

    @api.get("/laws/{law}/impact", response_model=ImpactOut, response_model_by_alias=True, tags=["impact"])
    def impact(
        request: Request,
        law: str,
        frm: Annotated[dt.date | None, Query(alias="from", description="old version (in force on this date)")] = None,
        to: Annotated[dt.date | None, Query(description="new version (in force on this date)")] = None,
        repeal: Annotated[dt.date | None, Query(description="impact of repealing the law on this date")] = None,
        format: Format = "json",
    ):
        """Every current item whose basis cites a changed, renumbered or deleted article (or, with `repeal`, any
        article of the law), with the old and new text and the action a reviewer must take; grouped by township
        and department. `format=xlsx` gives the review worklist with columns for the decision."""
        service = ImpactService(request.app.state.store)
        if repeal:
            result = service.repeal(law, repeal.isoformat())
        else:
            result = service.amendment(law, frm.isoformat() if frm else None, to.isoformat() if to else None)
        if format != "json":
            return export(format, result["items"], WORKLIST, f"审核清单-{law}")
        return result

    @api.get("/laws/{law}/diff", response_model=DiffOut, tags=["impact"])
    def law_diff(
        request: Request,
        law: str,
        frm: Annotated[dt.date | None, Query(alias="from")] = None,
        to: Annotated[dt.date | None, Query()] = None,
    ) -> dict:
        """The stored content alignment between two versions: each old article with its successor and change."""
        return ImpactService(request.app.state.store).diff(
            law, frm.isoformat() if frm else None, to.isoformat() if to else None
        )

    @api.get("/items/{item_id}/basis", response_model=list[AsOfBasis], tags=["impact"])
    def basis_as_of(
        repo: Duty,
        item_id: str,
        as_of: Annotated[dt.date, Query(description="the date: which version was in force then")],
    ):
        """The legal basis of an item as of a date: each cited provision followed by content (the aligned
        succession) to the version in force on that date, or a note that nothing in force then corresponds."""
        return repo.basis_as_of(item_id, as_of.isoformat())

    @api.post("/delegation/check", response_model=VerdictOut, tags=["delegation"])
    def delegation_check(request: Request, body: TaskIn) -> dict:
        """One task sent to one township: on the list (basic / cooperative), a 配合 item it is asked to lead
        (lead_shift), a taken-back item pushed back down (taken_back), off-list, or uncertain; with the matches."""
        from dutygraph.ingest.delegation import Task

        task = Task(
            body.title,
            body.text,
            body.sender,
            [body.township],
            body.date.isoformat() if body.date else "",
            body.deadline,
        )
        (verdict,) = delegation(request).check([task], body.township, body.store)
        return verdict.as_json()

    @app.post(
        "/api/delegation/batch",
        response_model=list[VerdictOut],
        responses=ERRORS,
        tags=["delegation"],
        dependencies=[Depends(auth.admin)],
    )
    def delegation_batch(
        request: Request,
        file: Annotated[UploadFile, File(description=".xlsx/.csv rows or a .docx/.txt notice")],
        township: Annotated[str | None, Form(description="recipient; default: the file's")] = None,
    ) -> list[dict]:
        """A file of tasks (or a notice split into task sentences): every verdict, stored for the report.
        Bad input (empty task, unknown township, unreadable file) stores nothing."""
        import tempfile

        from dutygraph.ingest.delegation import read_tasks

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(file.filename or "tasks.xlsx").name
            path.write_bytes(file.file.read())
            tasks = read_tasks(path)
        return [v.as_json() for v in delegation(request).check(tasks, township or None, True)]

    @api.get("/delegation/report", response_model=DelegationReport, tags=["delegation"])
    def delegation_report(
        request: Request,
        department: str | None = None,
        frm: Annotated[dt.date | None, Query(alias="from")] = None,
        to: Annotated[dt.date | None, Query()] = None,
        format: Format = "json",
    ):
        """Counts by verdict and by sending department, the worst offenders, and each flagged task with its
        evidence; `format=xlsx` for the flagged tasks."""
        report = delegation(request).report(
            department, frm.isoformat() if frm else None, to.isoformat() if to else None
        )
        if format != "json":
            cols = {
                "date": "日期",
                "sender": "发文单位",
                "township": "接收乡镇",
                "title": "标题",
                "text": "内容",
                "verdict": "结论",
                "evidence": "依据",
                "matches": "匹配事项",
            }
            return export(format, report["flagged"], cols, "越单摊派-问题任务")
        return report

    app.include_router(api)
    from dutygraph.api import ui
    from fastapi.staticfiles import StaticFiles

    app.include_router(ui.api)
    app.include_router(ui.login)
    app.include_router(ui.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
