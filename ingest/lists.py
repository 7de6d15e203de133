"""Duty-list ingestion: read → extract → resolve → load as a new list version → switch → clean up.

A township's new list is written beside the current one (current=false), with its analytics, and made
current by one statement that also moves the cross-township analytics (ingest/analytics.py). Earlier
versions are kept as history. A failed or interrupted ingest leaves the previous version current and
queryable; a version that was never switched to is removed later (remove_leftovers).
Ids are content hashes: an item whose row did not change keeps its id and its node across versions, and
loading the same files again changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import multiprocessing as mp
import re
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dutygraph.graph.errors import DutyGraphError, InputError
from dutygraph.graph.store import GraphStore
from dutygraph.graph.text import norm, wording_id
from dutygraph.graph.vocabulary import PART_SHORT
from dutygraph.ingest import analytics
from dutygraph.ingest.analytics import Facts
from dutygraph.ingest.extract import Extractor, OrgMention
from dutygraph.ingest.readers import MAX_ITEMS, Row, read_list_file
from dutygraph.ingest.resolve import LawIndex

# the statement that links an item to an organisation, by role and kind of organisation, and a citation to
# what it resolved to: names enumerated here (never composed), checked against queries/ by a test
ORG_LINKS: dict[tuple[str, str], str] = {
    ("led_by", "post"): "lists.link_led_by_post",
    ("led_by", "department"): "lists.link_led_by_department",
    ("cooperated_by", "post"): "lists.link_cooperated_by_post",
    ("cooperated_by", "department"): "lists.link_cooperated_by_department",
    ("cooperated_by", "agency"): "lists.link_cooperated_by_agency",
}
ROLE_OF_LINK: dict[str, tuple[str, str]] = {q: (role.upper(), kind.capitalize()) for (role, kind), q in
                                            ORG_LINKS.items()} | {"lists.link_taken_back_by": ("TAKEN_BACK_BY",
                                                                                            "Department")}
CITATION_LINKS: dict[str, str] = {
    "Article": "lists.link_citation_article",
    "Paragraph": "lists.link_citation_paragraph",
    "Point": "lists.link_citation_point",
    "LawVersion": "lists.link_citation_version",
}


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


@dataclass
class ListReport:
    township: str
    date: str
    list_id: str = ""
    status: str = ""  # loaded | unchanged
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    items: dict[str, int] = field(default_factory=dict)
    citations: dict[str, int] = field(default_factory=dict)
    no_basis: int = 0
    vague_bases: int = 0
    unknown_organisations: list[dict] = field(default_factory=list)
    flagged_citations: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def resolution_rate(self) -> float:
        total = sum(self.citations.values())
        return self.citations.get("resolved", 0) / total if total else 0.0

    def summary(self) -> str:
        c = self.citations
        return (f"{self.township} {self.date}: {self.status}; rows {self.rows_read}; items "
                f"{self.items}; citations {sum(c.values())} (resolved {c.get('resolved', 0)}, law-only "
                f"{c.get('law_only', 0)}, unresolved {c.get('unresolved', 0)}, unknown law "
                f"{c.get('unknown_law', 0)}, suspicious {c.get('suspicious', 0)}); no basis {self.no_basis}; "
                f"vague {self.vague_bases}; unknown organisations {len(self.unknown_organisations)}; "
                f"{self.seconds:.1f}s")

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "resolution_rate": round(self.resolution_rate, 4)},
                          ensure_ascii=False, indent=2)


@dataclass
class Plan:
    """Everything one list version writes, computed before the first write."""

    items: list[dict] = field(default_factory=list)
    departments: dict[str, dict] = field(default_factory=dict)
    posts: dict[str, dict] = field(default_factory=dict)
    agencies: dict[str, dict] = field(default_factory=dict)
    links: dict[str, list[dict]] = field(default_factory=dict)
    citations: list[dict] = field(default_factory=list)
    citation_links: dict[str, list[dict]] = field(default_factory=dict)

    def link(self, query: str, row: dict) -> None:
        self.links.setdefault(query, []).append(row)

    @functools.cached_property
    def facts(self) -> list[Facts]:
        """The plan as the analytics read it (the same shape as analytics.facts_of_list reads the graph);
        computed once, after planning, for both the version's own analytics and the switch."""
        by_id = {i["id"]: Facts(i["id"], i["norm_name"], i["name"], i["part"], i["basis_status"])
                 for i in self.items}
        for query, rows in self.links.items():
            role, label = ROLE_OF_LINK[query]
            for r in rows:
                f = by_id[r["item"]]
                if role == "LED_BY":
                    f.leads.append(label)
                if label == "Department":
                    f.departments.append((role, r["target"]))
        for c in self.citations:
            by_id[c["item_id"]].cites.append((c["status"], c["version_id"], c["law_title"], c["article"]))
        return list(by_id.values())

    def cited(self) -> list[str]:
        return sorted({r["target"] for rows in self.citation_links.values() for r in rows})

    def roles(self) -> dict[str, list[str]]:
        """Per item, its role edges as "REL|Label|name" (DutyItem.roles): who leads, cooperates or took it back."""
        names = {**{k: v["name"] for k, v in self.posts.items()}, **{k: v["name"] for k, v in self.agencies.items()},
                 **{k: v["name"] for k, v in self.departments.items()}}
        out: dict[str, list[str]] = {}
        for query, rows in sorted(self.links.items()):
            role, label = ROLE_OF_LINK[query]
            for r in rows:
                out.setdefault(r["item"], []).append(f"{role}|{label}|{names.get(r['target'], r['target'])}")
        return {k: sorted(set(v)) for k, v in out.items()}


class ListLoader:
    def __init__(self, store: GraphStore, extractor: Extractor, index: LawIndex) -> None:
        self.store, self.extractor, self.index = store, extractor, index

    # --- organisations ------------------------------------------------------------------------------

    def _org_target(self, plan: Plan, m: OrgMention, township_id: str) -> tuple[str, str]:
        org = m.org
        if org.kind == "department":
            plan.departments[org.id] = {"id": org.id, "name": org.id, "aliases": list(org.aliases),
                                        "kind": "listed"}
            return "department", org.id
        if org.kind == "agency":
            aid = f"{township_id}/{org.id}"
            if org.dispatched_by:
                d = self.extractor.gazetteer.orgs[org.dispatched_by]
                plan.departments[d.id] = {"id": d.id, "name": d.id, "aliases": list(d.aliases), "kind": "listed"}
            plan.agencies[aid] = {"id": aid, "name": f"{township_id}{org.id}", "kind": org.id,
                                  "township_id": township_id, "dispatched_by": org.dispatched_by}
            return "agency", aid
        pid = f"{township_id}/{org.id}"
        plan.posts[pid] = {"id": pid, "name": org.id, "township_id": township_id, "kind": "listed"}
        return "post", pid

    def _orgs(self, plan: Plan, report: ListReport, row: Row, column: str, township_id: str,
              prefer: tuple[str, ...]) -> list[tuple[str, str]]:
        text = row.get(column)
        mentions, unknown = self.extractor.organisations(text, prefer)
        targets = [self._org_target(plan, m, township_id) for m in mentions]
        for name in unknown:  # kept as written, reported, never dropped
            cell = row.cells[column]
            report.unknown_organisations.append({"name": name, "file": row.file, "sheet": row.sheet,
                                                 "row": row.row, "column": cell.column})
            if prefer[0] == "post":
                pid = f"{township_id}/{name}"
                plan.posts[pid] = {"id": pid, "name": name, "township_id": township_id, "kind": "unlisted"}
                targets.append(("post", pid))
            else:
                plan.departments[name] = {"id": name, "name": name, "aliases": [], "kind": "unlisted"}
                targets.append(("department", name))
        return targets

    # --- plan ---------------------------------------------------------------------------------------

    def plan(self, rows: list[Row], township_id: str, list_id: str, date: str, report: ListReport) -> Plan:
        plan = Plan()
        seen: Counter[str] = Counter()
        for row in rows:
            part = "basic" if row.part == "power" else row.part
            name = row.get("name")
            if row.get("subitem"):
                name = f"{name}({row.get('subitem')})"
            nn = norm(name)
            seen[f"{part}|{nn}"] += 1
            key = _hash(township_id, part, nn, seen[f"{part}|{nn}"])
            # the row's content, not its position: an unchanged row keeps its item across list versions
            digest = _hash(part, *sorted((k, str(c.value)) for k, c in row.cells.items()))
            item_id = _hash(key, digest)
            basis = row.get("basis")
            duty_text = " ".join(filter(None, (name, row.get("content"), row.get("township_duty"),
                                               row.get("county_duty"))))
            refs = self.extractor.citations(basis)
            vague = self.extractor.vague(basis) if basis else []
            status = "cited" if refs else ("vague" if vague or basis else "none")
            report.no_basis += status == "none"
            report.vague_bases += status == "vague"
            plan.items.append({
                "id": item_id, "township_id": township_id, "key": key, "digest": digest,
                "part": part,
                "seq": row.get("seq"), "name": name, "norm_name": nn, "domain": row.get("domain"),
                "subdomain": row.get("subdomain"), "content": row.get("content"),
                "county_duty": row.get("county_duty"), "township_duty": row.get("township_duty"),
                "work_mode": row.get("work_mode"), "power_type": row.get("power_type"), "basis_raw": basis,
                "basis_status": status, "vague": vague, "remark": row.get("remark"),
                "source_file": Path(row.file).name, "source_sheet": row.sheet, "source_row": row.row,
                "wording": wording_id(name, part, row.get("content"))})
            self._item_orgs(plan, report, row, part, item_id, township_id)
            where = {"file": Path(row.file).name, "sheet": row.sheet, "row": row.row}
            self.plan_citations(plan, report, item_id, name, refs, date, duty_text, where)
        return plan

    def plan_citations(self, plan: Plan, report: ListReport, item_id: str, name: str, refs: list, date: str,
                       duty_text: str, where: dict) -> None:
        for k, ref in enumerate(refs):
            res = self.index.resolve(ref, date, duty_text)
            cid = f"{item_id}:{k}"
            report.citations[res.status] = report.citations.get(res.status, 0) + 1
            plan.citations.append({"id": cid, "item_id": item_id, "raw": ref.raw, "law_title": res.law,
                                   "article": ref.article, "paragraph": ref.paragraph, "point": ref.point,
                                   "status": res.status, "note": res.note, "suggested": res.suggested,
                                   "version_id": res.version_id})
            if res.target_id:
                link = {"id": cid, "target": res.target_id}
                plan.citation_links.setdefault(CITATION_LINKS[res.target_kind], []).append(link)
            if res.status not in ("resolved", "law_only"):
                report.flagged_citations.append({"item": name, "raw": ref.raw, "status": res.status,
                                                 "note": res.note, **where})

    def write_citations(self, plan: Plan) -> None:
        self.store.write("lists.upsert_citations", plan.citations)
        for query, rows in sorted(plan.citation_links.items()):
            self.store.write(query, rows)

    def _item_orgs(self, plan: Plan, report: ListReport, row: Row, part: str, item_id: str, tid: str) -> None:
        dept_first = ("department", "agency", "post")
        if part == "cooperative":
            for kind, target in self._orgs(plan, report, row, "lead_dept", tid, dept_first):
                plan.link(ORG_LINKS["led_by" if kind != "agency" else "cooperated_by", kind],
                          {"item": item_id, "target": target})
        if part == "taken_back":
            for kind, target in self._orgs(plan, report, row, "receiver", tid, dept_first):
                if kind == "department":
                    plan.link("lists.link_taken_back_by", {"item": item_id, "target": target,
                                                           "work_mode": row.get("work_mode")})
                else:
                    plan.link(ORG_LINKS["cooperated_by", kind], {"item": item_id, "target": target})
        for kind, target in self._orgs(plan, report, row, "post", tid, ("post", "agency", "department")):
            lead = part == "basic" and kind == "post"
            plan.link(ORG_LINKS["led_by" if lead else "cooperated_by", kind], {"item": item_id, "target": target})
        for kind, target in self._orgs(plan, report, row, "cooperating", tid, ("agency", "department", "post")):
            plan.link(ORG_LINKS["cooperated_by", kind], {"item": item_id, "target": target})

    # --- write --------------------------------------------------------------------------------------

    def write(self, plan: Plan, township_id: str, list_id: str, date: str, source: str,
              kept: Sequence[str] = ()) -> list[Facts]:
        """The new version — its planned items and the `kept` items of the version it follows — and its own
        analytics; nothing a reader sees until activate(), which takes the facts returned."""
        s = self.store
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        s.execute("lists.create_list", township_id=township_id, id=list_id, date=date, source=source,
                  loaded_at=now, item_count=len(plan.items) + len(kept))
        s.write("lists.upsert_departments", plan.departments.values())
        s.write("lists.upsert_posts", plan.posts.values())
        s.write("lists.upsert_agencies", plan.agencies.values())
        flags = analytics.flags_of(plan.facts, self.index.version_status)
        roles = plan.roles()
        s.write("lists.upsert_items", ({**item, "flags": flags.get(item["id"], []), "roles": roles.get(item["id"], [])}
                                       for item in plan.items), list_id=list_id, now=now)
        for query, rows in sorted(plan.links.items()):
            s.write(query, rows)
        self.write_citations(plan)
        if not kept:
            analytics.write_list_analytics(s, list_id, plan.facts, self.index.version_status, plan.cited(), flags)
            return plan.facts
        # kept items are already in the graph: the version's analytics are read back whole, once
        s.write("history.link_items", [{"id": i} for i in kept], list_id=list_id)
        return analytics.refresh_lists(s, [list_id])[list_id]

    def activate(self, facts: list[Facts], township_id: str, list_id: str) -> None:
        """Make the new version (whose items are `facts`) current, moving the consistency tallies from the old
        version to it: one statement, refused if another ingest switched the township meanwhile."""
        current = [r["id"] for r in self.store.query("lists.list_state", township_id=township_id) if r["current"]]
        analytics.switch(self.store, [analytics.switch_of(self.store, township_id, list_id, facts, current)], _now())


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def remove_list(store: GraphStore, list_id: str) -> None:
    """Delete a list version that was never current, with the items no other version holds, in batches
    (never one huge DETACH DELETE)."""
    while store.execute("lists.delete_unshared_items_batch", list_id=list_id, limit=2000)[0]["deleted"]:
        pass
    store.execute("lists.delete_list", list_id=list_id)
    store.execute("lists.delete_unworn_wordings")


def read_rows(files: list[Path]) -> list[Row]:
    rows: list[Row] = []
    for f in files:
        for table in read_list_file(f):
            rows.extend(table.rows)
            if len(rows) > MAX_ITEMS:
                raise InputError(f"事项过多: 超过 {MAX_ITEMS} 行, 不像一个乡镇的清单 (too many rows for one list)",
                                 file=str(f), sheet=table.sheet)
    return rows


def ensure_township(store: GraphStore, name: str, **props: str) -> str:
    found = store.query("lists.find_township", name=name)
    if found:
        return found[0]["id"]
    store.write("lists.upsert_townships", [{"id": name, "name": name, "code": props.get("code", ""),
                                            "kind": props.get("kind", ""), "county": props.get("county", "")}])
    return name


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST = dt.date(1990, 1, 1)  # before any 权责清单; a 0001-01-01 is a typo, not a list
MAX_TOWNSHIP = 40  # the longest real names (…街道办事处, …经济开发区管理委员会) are about 20 characters
BAD_NAME = re.compile(r"[/\\<>\x00-\x1f\x7f]")


def check_date(date: str) -> str:
    """A list's date as stored: ISO YYYY-MM-DD only (as-of queries compare dates as text), and plausible."""
    if not ISO_DATE.match(date or ""):
        raise InputError(f"日期格式应为 YYYY-MM-DD: {date!r} (date must be YYYY-MM-DD)")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError as e:
        raise InputError(f"不存在的日期: {date!r} (no such date)") from e
    latest = dt.date.today() + dt.timedelta(days=366)
    if not EARLIEST <= day <= latest:
        raise InputError(f"日期 {date} 不在 {EARLIEST} 至 {latest} 之间 (implausible list date)")
    return date


def check_not_before_current(township: str, date: str, versions: list[dict]) -> None:
    """A new version dated before the current one is refused: it would become current while "in force on" a later
    date still answers the newer version. History is history; an earlier list is not published after a later."""
    current = [v["date"] for v in versions if v["current"]]
    if current and date < current[0]:
        raise InputError(f"「{township}」新版本日期 {date} 早于现行版本日期 {current[0]}, 不能发布 "
                         "(a new version may not be dated before the current one)")


def check_township(name: str) -> str:
    """A township's name: what people write, bounded, and never something that reads as a path or markup."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise InputError("缺少乡镇名称 (--township is required)")
    if len(name) > MAX_TOWNSHIP:
        raise InputError(f"乡镇名称过长: {len(name)} 个字符, 上限 {MAX_TOWNSHIP} (township name too long)")
    if BAD_NAME.search(name) or name in (".", ".."):
        raise InputError(f"乡镇名称含有不允许的字符 (/ \\ < > 或控制字符): {name!r} (invalid township name)")
    return name


@dataclass
class Prepared:
    """A list read, extracted and resolved: everything its load writes, computed, nothing written yet."""

    report: ListReport
    files: list[Path]
    township_id: str
    list_id: str
    date: str
    plan: Plan


def prepare_list(store: GraphStore, files: list[Path], township: str, date: str, *, extractor: Extractor,
                 index: LawIndex) -> Prepared:
    """Read → extract → resolve; only reads the graph (the township's id, articles of laws cited), so it can
    run while another list is being written."""
    t0 = time.perf_counter()
    township, date = check_township(township), check_date(date)
    report = ListReport(township, date, files=[str(f) for f in files])
    rows = read_rows(files)  # every InputError is raised here, before anything is written
    report.rows_read = len(rows)
    report.items = dict(Counter(PART_SHORT["basic" if r.part == "power" else r.part] for r in rows))
    digest = _hash(*(f"{r.part}|{r.row}|{sorted((k, c.value) for k, c in r.cells.items())}" for r in rows))
    found = store.query("lists.find_township", name=township)
    township_id = found[0]["id"] if found else township  # ensure_township's id when it creates it
    list_id = _hash(township_id, date, digest)
    plan = ListLoader(store, extractor, index).plan(rows, township_id, list_id, date, report)
    report.list_id = list_id
    report.seconds = time.perf_counter() - t0
    return Prepared(report, files, township_id, list_id, date, plan)


def write_list(store: GraphStore, p: Prepared, *, extractor: Extractor, index: LawIndex) -> analytics.Switch | None:
    """Write a prepared list as a new version, not yet current, and return the switch that makes it current;
    None (report: unchanged) when it is current already."""
    t0 = time.perf_counter()
    township_id = ensure_township(store, p.report.township)
    if township_id != p.township_id:  # the plan's ids were made with the id the township had when prepared
        raise analytics.ConcurrentSwitch(f"乡镇 {p.report.township} 在准备期间被另一次导入改动, 请重试 "
                                         "(the township changed while its list was prepared: retry)")
    rows = store.query("lists.list_state", township_id=township_id)
    state = {r["id"]: r["current"] for r in rows}
    switch = None
    if not state.get(p.list_id):
        check_not_before_current(p.report.township, p.date, rows)
    if state.get(p.list_id):
        p.report.status = "unchanged"
    else:
        loader = ListLoader(store, extractor, index)
        facts = loader.write(p.plan, township_id, p.list_id, p.date, ";".join(Path(f).name for f in p.files))
        current = [i for i, is_current in state.items() if is_current]  # read above, before the write
        switch = analytics.switch_of(store, township_id, p.list_id, facts, current)
    p.report.seconds += time.perf_counter() - t0
    return switch


def switch_lists(store: GraphStore, group: Sequence[tuple[Prepared, analytics.Switch]], *,
                 refresh: bool = True) -> None:
    """Make written lists current, their analytics with them, in one statement (and the departments' kept
    overviews after it, unless `refresh` is off)."""
    if not group:
        return
    t0 = time.perf_counter()
    analytics.switch(store, [s for _, s in group], _now(), refresh=refresh)
    for p, _ in group:
        p.report.status = "loaded"
        p.report.seconds += (time.perf_counter() - t0) / len(group)


def commit_list(store: GraphStore, p: Prepared, *, extractor: Extractor, index: LawIndex,
                persist: bool = True) -> ListReport:
    """Write a prepared list as a new version and switch to it (or nothing, when it is current already)."""
    with store.one_generation():
        switch = write_list(store, p, extractor=extractor, index=index)
        if switch is not None:
            switch_lists(store, [(p, switch)])
    if switch is not None and persist:
        store.persist()
    return p.report


def ingest_list(store: GraphStore, files: list[Path], township: str, date: str, *, extractor: Extractor,
                index: LawIndex, persist: bool = True) -> ListReport:
    """Load one township's list. `persist=False` leaves the SAVE to a caller that loads many lists."""
    prepared = prepare_list(store, files, township, date, extractor=extractor, index=index)
    return commit_list(store, prepared, extractor=extractor, index=index, persist=persist)


# Written lists are made current SWITCH_GROUP at a time, in one statement: the cross-township tallies of a
# county's near-identical lists are moved once for the group instead of once per list (at 100× that statement
# was a third of a list's database time)
SWITCH_GROUP = 16
AHEAD = 3  # lists prepared ahead of the one being written (each plan is a few MB at most)
# what the preparing process works with, set in it when it starts (inherited through the fork, never pickled)
_AHEAD: tuple[GraphStore, Extractor, LawIndex] | None = None


def _inherit(store: GraphStore, extractor: Extractor, index: LawIndex) -> None:
    global _AHEAD
    _AHEAD = (store, extractor, index)


def _prepare_ahead(files: list[Path], township: str, date: str) -> Prepared:
    assert _AHEAD is not None
    store, extractor, index = _AHEAD
    return prepare_list(store, files, township, date, extractor=extractor, index=index)


@contextlib.contextmanager
def _preparer(store: GraphStore, extractor: Extractor,
              index: LawIndex) -> Iterator[Callable[[tuple[list[Path], str, str]], Future[Prepared]]]:
    """Where the next lists are prepared. A forked process where the store survives a fork (FalkorDB's client
    opens new connections in the child), so parsing runs on the second core with no lock shared with the
    writer; a thread otherwise (Neo4j's driver must not be forked; its server works on its own cores)."""
    if store.fork_safe and "fork" in mp.get_all_start_methods():
        with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"), initializer=_inherit,
                                 initargs=(store, extractor, index)) as pool:
            yield lambda job: pool.submit(_prepare_ahead, *job)
    else:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as threads:
            yield lambda job: threads.submit(prepare_list, store, *job, extractor=extractor, index=index)


class _BatchWriter:
    """Writes prepared lists in order and makes them current SWITCH_GROUP at a time."""

    def __init__(self, store: GraphStore, extractor: Extractor, index: LawIndex,
                 progress: Callable[[str], None] | None) -> None:
        self.store, self.extractor, self.index, self.progress = store, extractor, index, progress
        self.group: list[tuple[Prepared, analytics.Switch]] = []
        self.reports: list[ListReport] = []

    def add(self, prepared: Prepared) -> None:
        if len(self.group) >= SWITCH_GROUP or any(p.township_id == prepared.township_id for p, _ in self.group):
            self.switch()  # a township's next list is computed against the one switched before it
        with self.store.one_generation():
            switch = write_list(self.store, prepared, extractor=self.extractor, index=self.index)
        self.reports.append(prepared.report)
        if switch is None:
            self._done(prepared)
        else:
            self.group.append((prepared, switch))

    def switch(self) -> None:
        with self.store.one_generation():
            # the departments' overviews once per batch (ingest_lists), not per group: 1.5 s each at 100×
            switch_lists(self.store, self.group, refresh=False)
        for p, _ in self.group:
            self._done(p)
        self.group.clear()

    def _done(self, p: Prepared) -> None:
        if self.progress:
            self.progress(p.report.township)


def ingest_lists(store: GraphStore, batch: Sequence[tuple[list[Path], str, str]], *, extractor: Extractor,
                 index: LawIndex, progress: Callable[[str], None] | None = None) -> list[ListReport]:
    """Many lists, each (files, township, date), in order. The next list is read, extracted and resolved in a
    second process while this one is written, so parsing overlaps the database's work. Written lists become
    current in groups (SWITCH_GROUP), each group one statement with its analytics: a reader sees every list of
    a group old or every one new. A bad file stops the batch there, with the lists before it loaded, as
    loading them one after another would."""
    writer = _BatchWriter(store, extractor, index, progress)
    with _preparer(store, extractor, index) as prepare:
        # a few lists queued ahead, so the preparing process never waits for the writer
        pending = deque(prepare(job) for job in batch[:AHEAD])
        queued = len(pending)
        try:
            while pending:
                prepared = pending.popleft().result()
                if queued < len(batch):
                    pending.append(prepare(batch[queued]))
                    queued += 1
                writer.add(prepared)
        except BaseException:
            # the lists written before a bad file (or a failure) are loaded, as one after another would be; if
            # that fails too they stay unswitched versions, never served and removed later
            with contextlib.suppress(DutyGraphError):
                writer.switch()
                analytics.refresh_overviews(store)
            raise
        writer.switch()
        analytics.refresh_overviews(store)
    if batch:
        store.persist()  # once for the whole batch: a SAVE of a large graph takes a while
    return writer.reports


def remove_leftovers(store: GraphStore, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """List versions of ingests killed before their switch (never current): never served, removed at start-up.
    Versions younger than `older_than` may belong to an ingest still running in another process."""
    before = (dt.datetime.now(dt.UTC) - older_than).isoformat(timespec="seconds")
    lists = [r["id"] for r in store.query("lists.leftover_lists", before=before)]
    for list_id in lists:
        remove_list(store, list_id)
    if lists:
        store.persist()
    return len(lists)


def load_townships(store: GraphStore, units_csv: Path, county: str = "宜兴市") -> dict[str, dict]:
    """Township units (name, statistical code) from a CSV such as yixing_units_2023.csv."""
    import csv

    with units_csv.open(encoding="utf-8") as f:
        units = {u["name"]: u for u in csv.DictReader(f)}
    kinds = (("街道", "街道"), ("镇", "镇"))
    store.write("lists.upsert_townships", [
        {"id": name, "name": name, "code": u["code"], "county": county,
         "kind": next((k for suffix, k in kinds if name.endswith(suffix)), "功能区")} for name, u in units.items()])
    return units


def ingest_sample(store: GraphStore, folder: Path, units_csv: Path, date: str, *,
                  progress: Callable[[str], None] | None = None) -> list[ListReport]:
    """Every `<code>_<township>_履职事项清单.xlsx` in `folder`, each as its township's current list."""
    from dutygraph.ingest.extract import Extractor

    books = sorted(folder.glob("*_履职事项清单.xlsx"))
    if not books:
        raise InputError(f"没有样例清单 (no sample workbooks): run `dutygraph sample --out {folder}`", file=str(folder))
    load_townships(store, units_csv)
    index = LawIndex.load(store)
    extractor = Extractor(tuple(index.titles))
    batch = [([book], book.name.split("_")[1], date) for book in books]
    return ingest_lists(store, batch, extractor=extractor, index=index, progress=progress)


def totals(reports: list[ListReport]) -> dict[str, float]:
    out: Counter[str] = Counter()
    for r in reports:
        out.update(r.citations)
        out["items"] += r.rows_read
        out["no_basis"] += r.no_basis
        out["vague"] += r.vague_bases
        out["unknown_orgs"] += len(r.unknown_organisations)
    out["citations"] = sum(out[k] for k in ("resolved", "law_only", "unresolved", "unknown_law", "suspicious"))
    return dict(out)


def reresolve_citations(store: GraphStore, extractor: Extractor, index: LawIndex,
                        items: list[dict] | None = None) -> ListReport:
    """Resolve every current item's citations again, against the laws now in the graph (after a law's new
    version was ingested): numbers whose text moved become superseded numbering, with the new article."""
    report = ListReport("*", "*")
    loader = ListLoader(store, extractor, index)
    items = store.query("lists.current_cited_items") if items is None else items
    for batch_start in range(0, len(items), 2000):
        batch = items[batch_start:batch_start + 2000]
        plan = Plan()
        for it in batch:
            refs = extractor.citations(it["basis_raw"] or "")
            duty = " ".join(filter(None, (it["name"], it["content"], it["township_duty"], it["county_duty"])))
            loader.plan_citations(plan, report, it["id"], it["name"], refs, it["date"], duty,
                                  {"township": it["township"]})
        store.write("lists.delete_citations_of_items", [{"id": it["id"]} for it in batch])
        loader.write_citations(plan)
    report.rows_read = len(items)
    # what the citations now resolve to moves flags and counts (superseded, unresolved) of the current lists
    analytics.refresh_lists(store, [r["id"] for r in store.query("lists.current_lists")])
    store.persist()
    return report
