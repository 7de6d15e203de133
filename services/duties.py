"""Duties: items with who leads and cooperates and their basis, organisations, orphans, consistency, search."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dutygraph.graph.errors import NotFound
from dutygraph.graph.memo import kept
from dutygraph.graph.rules import one_lead
from dutygraph.graph.store import GraphStore
from dutygraph.graph.vocabulary import ORPHAN_KINDS, PARTS
from dutygraph.ingest.analytics import INVOLVEMENT_ROLES, OVERVIEW_HEAD, OVERVIEW_ROWS, ROW_SEP
from dutygraph.services.laws import LawService

# the live statement behind each orphan count (`dutygraph analytics --check` compares the materialised counts
# with them) and behind each search kind: names enumerated here, checked against queries/ by a test
ORPHAN_QUERIES: dict[str, str] = {k: f"orphans.{k}_count" for k in ORPHAN_KINDS if k != "uncovered"}
ORPHAN_REASONS: dict[str, str] = {
    "no_basis": "没有法律依据",
    "no_lead": "没有责任科室(岗位)",
    "no_lead_department": "配合事项没有市级牵头部门",
    "no_receiver": "收回事项没有承接部门",
}
# (orphan kind, citation status) whose citation note is the reason given
NOTED = (("unresolved", "unresolved"), ("unresolved", "unknown_law"), ("superseded", "suspicious"))
SEARCH_QUERIES: dict[str, str] = {
    "law": "search.laws", "department": "search.departments", "item": "search.items", "article": "search.articles"
}


def citation_flags(c: dict, item_vague: bool) -> list[str]:
    flags = []
    if c["status"] in ("unresolved", "unknown_law"):
        flags.append("unresolved")
    if c["status"] == "suspicious":
        flags.append("superseded_numbering")
    if c["version_status"] == "repealed":
        flags.append("repealed")
    elif c["version_status"] == "superseded":
        flags.append("superseded_version")
    if item_vague:
        flags.append("vague")
    return flags


DEPARTMENT_TOWNSHIPS = 100  # townships and agencies a department's answer carries; the rest are paged
LIST_SIZE = 400  # items in a township's list, roughly (the sample's: 340): which side a department page is read from


def _row(kept: str) -> list:
    """A kept overview row "role\ttownship\tlist\tn" as the statement returns it."""
    role, township, list_id, n = kept.split(ROW_SEP)
    return [role, township, list_id, int(n)]


def _known_segments(heads: list[list], role: str | None) -> tuple[list[list], bool]:
    """The rows of a kept overview in page order (role, then township), of `role` only if given, as far as
    they are known: each role's first OVERVIEW_HEAD rows are kept, so the order is known up to the first role
    with more; and whether that is all of them."""
    out: list[list] = []
    for r in INVOLVEMENT_ROLES:
        if role is not None and r != role:
            continue
        head = [x for x in heads if x[0] == r]
        out += head
        if len(head) >= OVERVIEW_HEAD:
            return out, False
    return out, True


class DutyService:
    """Items, organisations, orphans, consistency and search."""

    def __init__(self, store: GraphStore, laws: LawService | None = None) -> None:
        self.store = store
        self.laws = laws or LawService(store)

    @kept
    def item(self, item_id: str) -> dict[str, Any]:
        rows = self.store.query("items.item", id=item_id)
        # an item only in a version never switched to was left by a killed ingest: not served
        if not rows:
            raise NotFound(f"没有找到事项 {item_id} (item not found)")
        r = rows[0]
        item = r["item"]
        basis = []
        for c in r["basis"]:
            article_text = None
            if c["target_label"] in ("Paragraph", "Point"):
                article_text = c["article_text"]
            elif c["target_label"] == "Article":
                article_text = c["target_text"]
            basis.append(
                {
                    "raw": c["raw"],
                    "status": c["status"],
                    "note": c["note"] or "",
                    "law": c["law"],
                    "article": c["article"],
                    "paragraph": c["paragraph"],
                    "point": c["point"],
                    "version": c["version_date"],
                    "version_status": c["version_status"],
                    "target": c["target_label"],
                    "text": c["target_text"],
                    "target_id": c["target_id"],
                    "version_id": c["version_id"],
                    "law_id": c["law_id"],
                    "article_text": article_text,
                    "suggested": (
                        {"label": c["suggested_label"], "text": c["suggested_text"]} if c["suggested_id"] else None
                    ),
                    "flags": citation_flags(c, False),
                }
            )
        if item.get("basis_status") == "vague":
            basis.append(
                {
                    "raw": item.get("basis_raw") or "",
                    "status": "vague",
                    "note": "依据笼统，未引用具体条款",
                    "law": None,
                    "article": None,
                    "paragraph": None,
                    "point": None,
                    "version": None,
                    "version_status": None,
                    "target": None,
                    "text": None,
                    "article_text": None,
                    "suggested": None,
                    "flags": ["vague"],
                }
            )
        part = item["part"]
        leads = r["leads"] or []
        if part == "taken_back":
            leads = r["taken_back_by"] or []
        violations = []
        if not one_lead(part, len(leads)):
            violations.append(f"应有且只有一个牵头(主责)单位, 实有 {len(leads)} 个 (exactly one lead expected)")
        if part == "cooperative" and not any(x["label"] == "Department" for x in leads):
            violations.append("配合事项没有市级牵头部门 (no county lead department)")
        if part == "taken_back" and not leads:
            violations.append("收回事项没有承接部门 (no receiving department)")
        coop = r["cooperating"] or []
        return {
            "id": item["id"],
            "name": item["name"],
            "township": r["township"],
            "part": part,
            "part_cn": PARTS[part],
            "domain": item.get("domain"),
            "content": item.get("content"),
            "county_duty": item.get("county_duty"),
            "township_duty": item.get("township_duty"),
            "work_mode": item.get("work_mode"),
            "power_type": item.get("power_type"),
            "list_date": r["list_date"],
            "current": r["current"],
            "basis_raw": item.get("basis_raw"),
            "basis_status": item.get("basis_status"),
            "source": {
                "file": item.get("source_file"),
                "sheet": item.get("source_sheet"),
                "row": item.get("source_row"),
            },
            "lead": leads,
            "cooperating_departments": [x for x in coop if x["label"] == "Department"],
            "cooperating_posts": [x for x in coop if x["label"] == "Post"],
            "cooperating_agencies": [x for x in coop if x["label"] == "Agency"],
            "basis": basis,
            "violations": violations,
        }

    def basis_as_of(self, item_id: str, date: str) -> list[dict[str, Any]]:
        """Each cited provision as of `date`, followed by content, not by number: the article of the version in
        force then that the aligned succession (SUCCEEDED_BY) leads to from the cited one — or a note that no
        provision in force then corresponds. A renumbered law therefore shows the provision that said the same
        thing (安全生产法 2014 第十七条 ↔ 2021 第二十条), not whatever had the same number."""
        out = []
        for b in self.item(item_id)["basis"]:
            row = {"raw": b["raw"], "law": b["law"], "article": b["article"], "version": None, "status": b["status"],
                   "text": None, "note": b["note"]}
            if not b.get("target_id") or b["article"] is None or not b.get("law_id"):
                out.append(row)
                continue
            cited = b["target_id"] if b["target"] == "Article" else b["target_id"].split(".")[0]
            try:
                version = self.laws.version_in_force(b["law_id"], date)
            except NotFound as e:
                out.append({**row, "status": None, "note": str(e)})
                continue
            if version["id"] == b["version_id"]:  # the cited version itself: item() holds the article text
                out.append({**row, "version": version["date"], "status": version["status"],
                            "text": b["article_text"], "note": ""})
                continue
            found = self.store.query("laws.article_counterpart", id=cited, version_id=version["id"])
            if not found:
                out.append({**row, "version": version["date"], "status": version["status"],
                            "note": f"{version['date']} 版中没有与所引条文内容对应的条款 "
                                    "(no provision in force then corresponds)"})
                continue
            a = found[0]
            out.append({**row, "article": a["number"], "version": version["date"], "status": version["status"],
                        "text": a["text"],
                        "note": f"按内容对应: 所引{b['version']}版第{b['article']}条 ↔ {version['date']}版{a['label']}"
                                " (followed by content)"})
        return out

    def _find_department(self, name: str) -> dict[str, Any]:
        found = self.store.query("items.find_department", name=name.strip())
        if not found:
            raise NotFound(f"没有找到部门「{name}」(department not found)")
        return found[0]

    def _overview(self, department_id: str, role: str | None = None, upto: int = 0,
                  town_upto: int = 0) -> tuple[dict[str, int], int, list[list], list[list]]:
        """Its items by role, its number of townships, and (role, township, list, n) rows: the first `upto` in
        page order (of `role` only, if given) and the first `town_upto` in township order. From the overview
        kept on the department when it describes the current lists and holds that many rows, else computed."""
        found = self.store.query("analytics.department_overview_kept", id=department_id)
        if found and found[0]["fresh"]:
            k = found[0]
            rows = [_row(x) for x in k["rows"]]
            segments = _known_segments([_row(x) for x in k["heads"]], role)
            if (town_upto <= len(rows) or len(rows) < OVERVIEW_ROWS) and (upto <= len(segments[0]) or segments[1]):
                by_role = {r: int(n) for r, n in zip(INVOLVEMENT_ROLES, k["sums"], strict=True) if n}
                return by_role, int(k["townships"]), segments[0][:upto], rows[:town_upto]
        rows = self.store.query("analytics.department_overview", id=department_id, role=role, upto=upto,
                                town_upto=town_upto)
        if not rows:
            return {}, 0, [], []
        r = rows[0]
        by_role = {k: int(n) for k, n in zip(INVOLVEMENT_ROLES, r["sums"], strict=True) if n}
        return by_role, r["townships"], r["segments"], r["township_rows"]

    @staticmethod
    def _townships_of(rows: list[list], offset: int, limit: int) -> dict[str, dict[str, int]]:
        """A page of the townships in `rows` (township order), with the department's items there by role."""
        townships: dict[str, dict[str, int]] = {}
        for role, township, _, n in rows:
            townships.setdefault(township, {})[role] = n
        return dict(list(townships.items())[offset:offset + limit])

    def _department_page(self, d: dict[str, Any], role: str | None, limit: int, offset: int,
                         townships: int = 0) -> tuple[dict[str, int], int, list[dict[str, Any]], list[list]]:
        """Its items by role, its number of townships, one page of its items in (role, township, name) order,
        and the rows of its first `townships` townships."""
        by_role, n_townships, rows, town_rows = self._overview(d["id"], role, offset + limit, 3 * townships)
        # the (role, list) segments the page spans
        segments, seen, skip = [], 0, None
        for r, _, list_id, n in rows:
            if offset < seen + n and seen < offset + limit:
                segments.append({"role": r, "list": list_id})
                skip = offset - seen if skip is None else skip
            seen += n
        items: list[dict] = []
        if segments and sum(by_role.values()) < LIST_SIZE * len(segments):
            # few of its items in each list: reading them from the department's side touches fewer items
            items = self.store.query("items.department_items_from_department", id=d["id"], skip=skip or 0,
                                     limit=limit, keys=[f"{g['role']}|{g['list']}" for g in segments])
        elif segments:
            items = self.store.query("items.department_items", id=d["id"], segments=segments, skip=skip or 0,
                                     limit=limit)
        return by_role, n_townships, items, town_rows

    @kept
    def department(self, name: str, role: str | None, limit: int, offset: int) -> dict[str, Any]:
        """Its items, a page of them, with its counts by role; the first DEPARTMENT_TOWNSHIPS townships and
        agencies with their numbers (at 100× a department is in 2,100 townships: `department_townships` pages
        them)."""
        d = self._find_department(name)
        by_role, n_townships, items, town_rows = self._department_page(d, role, limit, offset,
                                                                       DEPARTMENT_TOWNSHIPS)
        agencies = self._agencies(d["id"], None, DEPARTMENT_TOWNSHIPS)
        return {
            "id": d["id"],
            "name": d["name"],
            "aliases": d["aliases"] or [],
            "listed": d["kind"] != "unlisted",
            "counts": by_role,
            "townships": self._townships_of(town_rows, 0, DEPARTMENT_TOWNSHIPS),
            "n_townships": n_townships,
            "agencies": agencies["rows"],
            "n_agencies": agencies["total"],
            "total": by_role.get(role, 0) if role else sum(by_role.values()),
            "limit": limit,
            "offset": offset,
            "items": items,
        }

    @kept
    def department_items(self, name: str, limit: int, offset: int) -> dict[str, Any]:
        """What its page shows: a page of its items with its counts by role (not its townships and agencies)."""
        d = self._find_department(name)
        by_role, _, items, _ = self._department_page(d, None, limit, offset)
        return {"name": d["name"], "counts": by_role, "total": sum(by_role.values()), "items": items}

    def _agencies(self, department_id: str, towns: list[str] | None, limit: int | None) -> dict[str, Any]:
        """The first `limit` agencies it dispatches, or all stationed in `towns`; with their number (none: no row)."""
        rows = self.store.query("items.department_agencies", id=department_id, towns=towns, limit=limit)
        return rows[0] if rows else {"total": 0, "rows": []}

    @kept
    def department_townships(self, name: str, limit: int, offset: int) -> dict[str, Any]:
        """The townships it has items in, a page of them in name order, each with its items by role and the
        agencies it stations there."""
        d = self._find_department(name)
        _, n_townships, _, rows = self._overview(d["id"], town_upto=3 * (offset + limit))
        page = self._townships_of(rows, offset, limit)
        stationed: dict[str, list[str]] = {t: [] for t in page}
        if page:
            # every agency of the page's townships (a handful each)
            for a in self._agencies(d["id"], list(page), None)["rows"]:
                stationed[a["township"]].append(a["name"])
        return {"id": d["id"], "name": d["name"], "total": n_townships,
                "limit": limit, "offset": offset,
                "items": [{"township": t, "counts": c, "agencies": stationed[t]} for t, c in page.items()]}

    @kept
    def township(self, name: str) -> dict[str, Any]:
        found = self.store.query("items.find_township", name=name.strip())
        if not found:
            raise NotFound(f"没有找到乡镇(街道)「{name}」(township not found)")
        t = found[0]
        parts: dict[str, dict[str, Any]] = {p: {"total": 0, "by_domain": {}} for p in PARTS}
        for c in self.store.query("items.township_counts", id=t["id"]):
            p = parts[c["part"]]
            p["total"] += c["n"]
            p["by_domain"][c["domain"] or "未分类"] = c["n"]
        posts: dict[str, dict[str, int]] = {}
        for c in self.store.query("items.township_post_counts", id=t["id"]):
            posts.setdefault(c["post"], {})[c["role"]] = c["n"]
        return {**t, "parts": parts, "posts": posts}

    @kept
    def township_items(self, name: str, part: str | None, limit: int, offset: int) -> dict[str, Any]:
        t = self.township(name)
        total = self.store.query("items.township_items_count", id=t["id"], part=part)[0]["total"]
        items = self.store.query("items.township_items", id=t["id"], part=part, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @kept
    def post(self, township: str, post: str) -> dict[str, Any]:
        t = self.township(township)
        from dutygraph.ingest.extract import get_gazetteer

        names = get_gazetteer().names
        canonical = names[post][0].id if post in names else post
        post_id = f"{t['id']}/{canonical}"
        items = self.store.query("items.post_items", post_id=post_id)
        if not items:
            raise NotFound(f"「{township}」没有岗位「{post}」的事项 (post not found)")
        return {"township": t["name"], "post": canonical, "total": len(items), "items": items}

    @kept
    def townships(self) -> list[dict[str, Any]]:
        found = self.store.query("analytics.township_overview")
        rows = []
        for joined in found[0]["rows"] if found else []:
            code, kind, date, *counts, name = joined.split("|", len(PARTS) + 3)
            rows.append({"name": name, "code": code or None, "kind": kind or None, "list_date": date or None,
                         **{p: int(n) for p, n in zip(PARTS, counts, strict=True)}})
        return sorted(rows, key=lambda r: (r["code"] or "", r["name"]))

    # --- orphans: read from the counts and flags materialised when lists change (ingest/analytics.py) ---------

    def _current(self, township: str) -> list[dict[str, Any]]:
        """The township's current list with its materialised counts (the province's are summed in Cypher)."""
        return self.store.query("analytics.current_counts_of_township", township=township)

    @kept
    def _statutory(self) -> list[dict[str, Any]]:
        return self.store.query("orphans.statutory_provisions")

    def _flagged(self, kind: str, township: str | None, limit: int, offset: int) -> tuple[int, list[dict]]:
        """One page of the items flagged `kind`, in township order: the per-list counts say which lists the page
        spans, so only those lists' items are read."""
        if township is None:
            found = self.store.query("analytics.current_flag_counts", kind=kind)
            counts = [(lid, int(n)) for lid, _, n in (x.rpartition("|") for x in found[0]["lists"])] if found else []
        else:
            counts = [(r["list_id"], r["list"].get(f"n_{kind}") or 0) for r in self._current(township)]
        lists, total, skip = [], 0, None
        for list_id, n in counts:
            if n and total + n > offset and total < offset + limit:
                lists.append(list_id)
                if skip is None:
                    skip = offset - total
            total += n
        if not lists:
            return total, []
        rows = self.store.query("analytics.orphan_page", lists=lists, kind=kind, skip=skip or 0, limit=limit)
        return total, rows

    @kept
    def orphans(self, kind: str, township: str | None, limit: int, offset: int) -> dict[str, Any]:
        if kind == "uncovered":
            rows = self._uncovered(township)
            return {"kind": kind, "total": len(rows), "items": rows[offset : offset + limit]}
        total, rows = self._flagged(kind, township, limit, offset)
        status = self._version_status(rows) if kind == "superseded" else {}
        items = [{"id": r["id"], "name": r["name"], "township": r["township"], "part": r["part"],
                  "reason": self._reason(kind, r, status)} for r in rows]
        return {"kind": kind, "total": total, "items": items}

    def _version_status(self, rows: list[dict]) -> dict[str, str]:
        ids = sorted({c[3] for r in rows for c in r["cites"] if c[3]})
        return {v["id"]: v["status"] for v in self.store.query("laws.version_status", ids=ids)} if ids else {}

    @staticmethod
    def _reason(kind: str, r: dict, status: dict[str, str]) -> str:
        if kind in ORPHAN_REASONS:
            return ORPHAN_REASONS[kind]
        if kind == "vague_basis":
            return f"依据笼统: {r['basis_raw'] or ''}"
        notes = []
        for raw, note, st, vid in r["cites"]:
            if (kind, st) in NOTED:
                notes.append(f"{raw}: {note}")
            elif kind == "superseded" and status.get(vid) in ("superseded", "repealed"):
                notes.append(f"{raw}: 所引版本已{'废止' if status[vid] == 'repealed' else '被修订'}")
        return "; ".join(notes)

    @kept
    def orphan_summary(self, township: str | None) -> dict[str, int]:
        if township is None:
            sums = self.store.query("analytics.current_flag_totals")
            out = {k: int(sums[0][k] or 0) if sums else 0 for k in ORPHAN_KINDS if k != "uncovered"}
        else:
            current = self._current(township)
            out = {k: sum(r["list"].get(f"n_{k}") or 0 for r in current) for k in ORPHAN_KINDS if k != "uncovered"}
        out["uncovered"] = len(self._uncovered(township))
        return out

    def _uncovered(self, township: str | None) -> list[dict[str, Any]]:
        """Statutory township duties (paragraphs naming 乡镇/街道) that no current item cites: a citation of
        the article, the paragraph or one of its points covers it (what each list cites is stored with it)."""
        rows = (self.store.query("analytics.current_cited") if township is None
                else self.store.query("analytics.current_cited_of_township", township=township))
        cited = {c for r in rows for c in r["cited"] or []}
        cited_articles = {c.split(".")[0] for c in cited}
        # a cited 项 (…款id.3) covers its 款: every id's ancestors, once, not a scan of every id per paragraph
        within = {c.rsplit(".", k)[0] for c in cited for k in range(1, c.count(".") + 1)}
        out = []
        for p in self._statutory():
            if p["id"] in cited or p["article_id"] in cited or p["id"] in within:
                continue
            out.append(
                {
                    "id": p["id"],
                    "name": f"{p['law']} {p['label']}第{p['paragraph']}款",
                    "township": township,
                    "part": None,
                    "reason": ("同条其他款已被引用; " if p["article_id"] in cited_articles else "") + p["text"],
                }
            )
        return out

    @kept
    def lead_violations(self, township: str | None, limit: int, offset: int) -> list[dict[str, Any]]:
        _, rows = self._flagged("lead_violation", township, limit, offset)
        return [{"id": r["id"], "name": r["name"], "township": r["township"], "part": r["part"], "leads": r["leads"]}
                for r in rows]

    # --- consistency and search -------------------------------------------------------------------

    @kept
    def consistency(self, limit: int, offset: int, min_townships: int = 2, variants: bool = False) -> dict[str, Any]:
        """The same duty (normalised name) with a different list part, lead department or basis across townships,
        ranked by spread (how many of the three differ), then by gaps (missing township–value pairs).
        Read from the DutyKey summaries the list switches maintain."""
        total = self.store.query("analytics.consistency_count", min_townships=min_townships)[0]["total"]
        page = self.store.query("analytics.consistency", min_townships=min_townships, offset=offset, limit=limit)
        by_key: dict[str, list[dict]] = {}
        if variants and page:
            for v in self.store.query("items.consistency_variants", keys=[r["key"] for r in page]):
                by_key.setdefault(v["key"], []).append(
                    {
                        "township": v["township"],
                        "part": v["part"],
                        "departments": sorted(v["departments"] or []),
                        "bases": sorted(v["bases"] or []),
                    }
                )
        items = [
            {
                "name": r["name"],
                "townships": r["towns"],
                "spread": r["spread"],
                "gaps": r["gaps"],
                "parts": sorted(r["parts"]),
                "departments": sorted(r["departments"] or []),
                "bases": sorted(r["bases"] or []),
                "variants": by_key.get(r["key"], []),
            }
            for r in page
        ]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @kept
    def search(self, q: str, limit: int, offset: int,
               kinds: tuple[str, ...] = tuple(SEARCH_QUERIES)) -> dict[str, Any]:
        """Substring search (what people expect of Chinese text), every space-separated term required."""
        terms = q.split()
        if not terms:
            return {"total": 0, "limit": limit, "offset": offset, "items": []}
        first, rest = max(terms, key=len), terms
        cap = offset + limit + 200
        hits: dict[tuple[str, str], dict] = {}
        for kind in kinds:
            for r in self.store.query(SEARCH_QUERIES[kind], q=first, limit=cap):
                text = f"{r['name']} {r.get('text') or ''}"
                if len(rest) == 1 or all(t in text for t in rest):
                    hits[(kind, r["id"])] = self._hit(kind, r, q)
        ranked = sorted(hits.values(), key=self._order)
        return {"total": len(ranked), "limit": limit, "offset": offset, "items": ranked[offset : offset + limit]}

    def search_grouped(self, q: str, kind: str | None, township: str | None, part: str | None, limit: int,
                       offset: int) -> dict[str, Any]:
        """The search page's results: one row per duty however many townships list it ("21 个乡镇"), laws,
        departments and articles as they are; filtered by kind, township and part; paged over the rows."""
        terms = q.split()
        if not terms:
            return {"total": 0, "limit": limit, "offset": offset, "items": [], "kinds": {}}
        others = self.search(q, 5000, 0, kinds=("law", "department", "article"))["items"]
        groups = [{**self._hit("item", g, q), "townships": g["townships"]}
                  for g in self.store.query("search.item_groups", q=max(terms, key=len), terms=terms)]
        kinds = dict(Counter(h["kind"] for h in others))
        if groups:
            kinds["item"] = sum(len(g["townships"]) for g in groups)
        rows: list[dict[str, Any]] = []
        for h in sorted([*groups, *others], key=self._order):
            if kind and h["kind"] != kind:
                continue
            if h["kind"] == "item":
                if part and h["part"] != part:
                    continue
                if township:
                    h["townships"] = [t for t in h["townships"] if t["name"] == township]
                    if not h["townships"]:
                        continue
                rows.append(h)
            elif not township and not part:
                rows.append(h)
        return {"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset:offset + limit],
                "kinds": kinds}

    @staticmethod
    def _order(h: dict) -> tuple:
        # the exact name first, then names starting with it, then containing it; laws before departments, items
        # and articles; shorter names first
        return h["rank"], ("law", "department", "item", "article").index(h["kind"]), len(h["name"]), h["name"]

    @staticmethod
    def _hit(kind: str, r: dict, q: str) -> dict:
        name = r["name"]
        rank = 0 if name == q else 1 if name.startswith(q) else 2 if q in name else 3
        return {
            "kind": kind,
            "id": r["id"],
            "name": name,
            "rank": rank,
            "township": r.get("township"),
            "part": r.get("part"),
            "law": r.get("law"),
            "number": r.get("number"),
            "snippet": _snippet(r.get("text") or "", q.split()[0]),
        }


def _snippet(text: str, q: str, width: int = 40) -> str | None:
    i = text.find(q)
    if i < 0:
        return None
    return (
        ("…" if i > width else "")
        + text[max(0, i - width) : i + len(q) + width]
        + ("…" if i + width < len(text) else "")
    )
