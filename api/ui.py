"""The browser UI: server-rendered Jinja2 pages (autoescape on) over the same repositories as the API."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import jinja2
from dutygraph.api import auth
from dutygraph.graph.errors import NotFound
from dutygraph.graph.model import LABELS, REL_TYPES
from dutygraph.ingest.numerals import int_to_cn
from dutygraph.services.delegation import DelegationService
from dutygraph.services.delegation import service as delegation_service
from dutygraph.services.impact import ImpactService
from dutygraph.services.repository import ORPHAN_KINDS, DutyRepository
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"), autoescape=True
    )
)
NAMES = {
    "part_names": {"basic": "基本履职事项", "cooperative": "配合履职事项", "taken_back": "上级部门收回事项", None: ""},
    "orphan_names": {
        "no_basis": "没有法律依据",
        "vague_basis": "依据笼统",
        "unresolved": "引用无法解析",
        "superseded": "依据已修订/废止或旧条号",
        "no_lead": "没有责任岗位",
        "no_lead_department": "配合事项无牵头部门",
        "no_receiver": "收回事项无承接部门",
        "uncovered": "法定乡镇职责无事项引用",
    },
    "orphan_help": {
        "no_basis": "清单行没有写法律依据。",
        "vague_basis": "只写了“相关法律法规”之类, 没有具体条款。",
        "unresolved": "引用的法律不在图谱中, 或条/款/项不存在。",
        "superseded": "引用的条号属于旧版本(条文已移动), 或所引版本已被修订、废止。",
        "no_lead": "基本履职事项没有责任科室(岗位)。",
        "no_lead_department": "配合履职事项没有市级牵头部门。",
        "no_receiver": "上级部门收回事项没有承接部门。",
        "uncovered": "法律条文规定了乡镇(街道)的职责, 但没有任何事项引用它。",
    },
    "verdict_names": {
        "basic": "基本履职",
        "cooperative": "配合履职",
        "lead_shift": "配合变牵头",
        "taken_back": "收回事项下压",
        "off_list": "清单外事项",
        "uncertain": "待人工判断",
    },
    "status_names": {
        "resolved": "已解析",
        "law_only": "仅法律名",
        "unresolved": "无法解析",
        "unknown_law": "法律不在图谱",
        "suspicious": "疑似旧条号",
        "vague": "依据笼统",
    },
    "flag_names": {
        "unresolved": "无法解析",
        "superseded_numbering": "旧条号",
        "repealed": "已废止",
        "superseded_version": "版本已修订",
        "vague": "笼统",
    },
    "version_names": {"current": "现行有效", "superseded": "已被修订", "repealed": "已废止", None: ""},
    "change_names": {
        "unchanged": "未变",
        "renumbered": "条号变化",
        "amended": "修改",
        "split": "拆分",
        "merged": "合并",
        "deleted": "删除",
        "added": "新增",
        "missing": "旧版无此条",
        "repealed": "废止",
    },
    "kind_names": {"item": "事项", "law": "法律", "article": "条文", "department": "部门"},
    "role_names": {"LED_BY": "牵头", "COOPERATED_BY": "配合", "TAKEN_BACK_BY": "收回承接"},
    "basis_names": {"cited": "有依据", "vague": "笼统", "none": "无依据"},
}


def org_link(x: dict) -> Markup:
    name = escape(x.get("name") or x.get("id"))
    if x.get("label") == "Department":
        return Markup(f'<a href="/departments/{escape(x["id"])}">{name}</a>')
    if x.get("label") == "Post":
        town, _, post = x["id"].partition("/")
        return Markup(f'<a href="/townships/{escape(town)}/posts/{escape(post)}">{name}</a>')
    return Markup(name)


TEMPLATES.env.globals.update(NAMES, org_link=org_link)
TEMPLATES.env.filters["cn"] = int_to_cn
router = APIRouter(dependencies=[Depends(auth.reader)], include_in_schema=False)


def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)


def repo(request: Request) -> DutyRepository:
    return DutyRepository(request.app.state.store)


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    r = repo(request)
    delegation = DelegationService(request.app.state.store, None).report(None, None, None)
    return page(request, "home.html", townships=r.townships(), orphans=r.orphan_summary(None), delegation=delegation)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "", offset: Annotated[int, Query(ge=0)] = 0):
    result = repo(request).search(q, 50, offset) if q.strip() else {"total": 0, "limit": 50, "offset": 0, "items": []}
    return page(request, "search.html", q=q, result=result)


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item(request: Request, item_id: str):
    return page(request, "item.html", item=repo(request).item(item_id))


@router.get("/laws", response_class=HTMLResponse)
def laws(request: Request):
    return page(request, "laws.html", laws=repo(request).laws())


@router.get("/laws/{law}", response_class=HTMLResponse)
def law(request: Request, law: str, version: dt.date | None = None):
    r = repo(request)
    found = r.find_law(law)
    versions = request.app.state.store.query("laws.law_versions", law_id=found["id"])
    chosen = r.version_in_force(found["id"], version.isoformat() if version else None)
    rows = request.app.state.store.query("laws.version_text", id=chosen["id"])
    articles: dict[int, dict] = {}
    for x in rows:
        a = articles.setdefault(x["number"], {"number": x["number"], "label": x["label"], "paragraphs": []})
        if x["paragraph"] is not None:
            a["paragraphs"].append({"text": x["paragraph_text"], "points": []})
    chapters = {x["number"]: x for x in request.app.state.store.query("laws.article_heads", id=chosen["id"])}
    for n, a in articles.items():
        a.update(chapter=chapters.get(n, {}).get("chapter"), section=chapters.get(n, {}).get("section"))
    return page(
        request,
        "law.html",
        law=found,
        versions=versions,
        version=chosen,
        articles=list(articles.values()),
        today=dt.date.today().isoformat(),
    )


def segments(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Character-level diff of two article texts, for side-by-side highlighting."""
    a, b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            a.append(("eq", old[i1:i2]))
            b.append(("eq", new[j1:j2]))
        else:
            if i2 > i1:
                a.append(("del", old[i1:i2]))
            if j2 > j1:
                b.append(("ins", new[j1:j2]))
    return a, b


@router.get("/laws/{law}/diff", response_class=HTMLResponse)
def law_diff(
    request: Request, law: str, frm: Annotated[dt.date | None, Query(alias="from")] = None, to: dt.date | None = None
):
    diff = ImpactService(request.app.state.store).diff(
        law, frm.isoformat() if frm else None, to.isoformat() if to else None
    )
    pairs = diff.pop("pairs")
    for p in pairs:
        p["old_segments"], p["new_segments"] = segments(p.pop("old_text") or "", p.pop("new_text") or "")
    counts: dict[str, int] = {}
    for p in pairs:
        counts[p["change"]] = counts.get(p["change"], 0) + 1
    return page(request, "diff.html", diff=diff, pairs=pairs, counts=counts)


@router.get("/laws/{law}/impact", response_class=HTMLResponse)
def impact(
    request: Request,
    law: str,
    frm: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
    repeal: dt.date | None = None,
):
    service = ImpactService(request.app.state.store)
    if repeal:
        result = service.repeal(law, repeal.isoformat())
        query = urlencode({"repeal": repeal.isoformat()})
    else:
        result = service.amendment(law, frm.isoformat() if frm else None, to.isoformat() if to else None)
        query = urlencode({k: v for k, v in (("from", frm), ("to", to)) if v})
    return page(request, "impact.html", impact=result, law=law, query=query)


@router.get("/townships", response_class=HTMLResponse)
def townships(request: Request):
    return page(request, "townships.html", townships=repo(request).townships())


@router.get("/townships/{name}", response_class=HTMLResponse)
def township(request: Request, name: str):
    r = repo(request)
    return page(request, "township.html", t=r.township(name), items=r.township_items(name, None, 2000, 0)["items"])


@router.get("/townships/{name}/posts/{post}", response_class=HTMLResponse)
def post(request: Request, name: str, post: str):
    p = repo(request).post(name, post)
    return page(
        request,
        "items_page.html",
        heading=f"{p['township']} · {p['post']}",
        total=p["total"],
        items=[{**i, "township": p["township"]} for i in p["items"]],
        summary=None,
        export=f"/api/townships/{name}/posts/{post}?format=xlsx",
    )


@router.get("/departments/{name}", response_class=HTMLResponse)
def department(request: Request, name: str):
    d = repo(request).department(name, None, 5000, 0)
    return page(
        request,
        "items_page.html",
        heading=d["name"],
        total=d["total"],
        items=d["items"],
        summary=d["counts"],
        export=f"/api/departments/{d['name']}?format=xlsx",
    )


@router.get("/orphans", response_class=HTMLResponse)
def orphans(request: Request, kind: str = "no_basis", township: str = ""):
    if kind not in ORPHAN_KINDS:
        kind = "no_basis"
    r = repo(request)
    t = township or None
    return page(
        request,
        "orphans.html",
        kind=kind,
        township=township,
        townships=r.townships(),
        summary=r.orphan_summary(t),
        page=r.orphans(kind, t, 500, 0),
    )


@router.get("/consistency", response_class=HTMLResponse)
def consistency(request: Request, min_townships: Annotated[int, Query(ge=2)] = 2):
    result = repo(request).consistency(300, 0, min_townships)
    rows = result["items"]
    return page(request, "consistency.html", page=result, rows=rows, min_townships=min_townships)


def _delegation_page(request: Request, **ctx) -> HTMLResponse:
    service = delegation_service(request)
    return page(
        request,
        "delegation.html",
        townships=repo(request).townships(),
        report=service.report(None, None, None),
        form=ctx.pop("form", {}),
        **ctx,
    )


@router.get("/delegation", response_class=HTMLResponse)
def delegation(request: Request):
    return _delegation_page(request)


@router.post("/delegation", response_class=HTMLResponse)
def delegation_check(
    request: Request,
    township: Annotated[str, Form()],
    text: Annotated[str, Form()],
    sender: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
):
    from dutygraph.ingest.delegation import Task

    form = {"township": township, "text": text, "sender": sender, "title": title}
    (v,) = delegation_service(request).check(
        [Task(title, text, sender, [township], dt.date.today().isoformat())], township, True
    )
    return _delegation_page(request, form=form, verdict=v.as_json())


@router.post("/delegation/batch", response_class=HTMLResponse, dependencies=[Depends(auth.admin)])
def delegation_batch(request: Request, file: Annotated[UploadFile, File()], township: Annotated[str, Form()] = ""):
    import tempfile

    from dutygraph.ingest.delegation import read_tasks

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(file.filename or "tasks.xlsx").name
        path.write_bytes(file.file.read())
        tasks = read_tasks(path)
    verdicts = delegation_service(request).check(tasks, township or None, True)
    return _delegation_page(request, batch=[v.as_json() for v in verdicts])


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request, start: str = "Township:丁蜀镇"):
    return page(request, "graph.html", start=start, rel_types=REL_TYPES)


# --- graph data for the explorer (JSON) --------------------------------------------------------------

api = APIRouter(prefix="/api/graph", dependencies=[Depends(auth.reader)], tags=["graph"])


def _split(node: str) -> tuple[str, str]:
    label, _, key = node.partition(":")
    if label not in LABELS or not key:
        raise NotFound(f"节点应写作 标签:编号, 标签为 {', '.join(LABELS)} (node must be Label:id)")
    return label, key


def _href(label: str, key: str, props: dict) -> str | None:
    if label == "DutyItem":
        return f"/items/{key}"
    if label == "Township":
        return f"/townships/{key}"
    if label == "Department":
        return f"/departments/{key}"
    if label == "Law":
        return f"/laws/{key}"
    if label in ("LawVersion", "Article"):
        title, _, rest = key.partition("@")
        date = rest.split("#")[0]
        anchor = f"#a{props.get('number')}" if label == "Article" else ""
        return f"/laws/{title}?version={date}{anchor}"
    return None


@api.get("/node")
def node(request: Request, node: str) -> dict:
    """A node's properties (for the details panel). `node` is Label:id."""
    label, key = _split(node)
    rows = request.app.state.store.query(f"graph.node_{label.lower()}", id=key)
    if not rows:
        raise NotFound(f"没有节点 {node}")
    props = rows[0]["node"]
    return {"label": label, "id": key, "properties": props, "href": _href(label, key, props)}


@api.get("/neighbours")
def neighbours(
    request: Request, node: str, types: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 60
) -> dict:
    """A node's neighbours (both directions), optionally only along the given relationship types."""
    label, key = _split(node)
    store = request.app.state.store
    found = store.query(f"graph.node_{label.lower()}", id=key)
    if not found:
        raise NotFound(f"没有节点 {node}")
    wanted = [t for t in (types or "").split(",") if t in REL_TYPES] or None
    rows = store.query(f"graph.neighbours_{label.lower()}", id=key, types=wanted, limit=limit)
    props = found[0]["node"]
    name = props.get("name") or props.get("title") or props.get("label") or props.get("raw") or key
    return {"node": {"label": label, "id": key, "name": name}, "neighbours": rows}


login = APIRouter(include_in_schema=False)


@login.get("/login", response_class=HTMLResponse)
def login_form(request: Request):
    return page(request, "login.html")


@login.post("/login")
def login_submit(request: Request, token: Annotated[str, Form()]):
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie("dutygraph_token", token, httponly=True, samesite="strict")
    return resp
