"""The list's life after publication: versions and their diff, change requests (调整申请) with the 编办 and
司法局 reviews, drafts from a law change with a 清理 deadline, 事项准入 applications, and the audit log.

Every write names who made it (a Principal), is checked against what that role may do for which
organisation, and is recorded in the append-only audit log. An approved request becomes a new list version
through the same atomic switch an upload uses (ingest/lists.py), so its analytics follow and its diff shows
exactly the requested change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from dutygraph.graph.errors import Conflict, DutyGraphError, InputError, NotFound
from dutygraph.graph.store import GraphStore
from dutygraph.graph.text import readable
from dutygraph.graph.vocabulary import (
    ADMISSION_STATUS,
    CHANGES,
    DIFF_CHANGES,
    PARTS,
    REASON_TYPES,
    REQUEST_KINDS,
    REQUEST_STATUS,
    REVIEW_STEPS,
)

# the fields of a proposed row, as the list readers name them (ingest/readers.py)
ROW_FIELDS = ("name", "domain", "content", "post", "lead_dept", "cooperating", "receiver", "basis", "township_duty",
              "county_duty", "work_mode")
DEFAULT_DEADLINE_MONTHS = 2  # several provinces require the 清理 within two months of the new text


@dataclass(frozen=True)
class Principal:
    role: str  # vocabulary.PRINCIPAL_ROLES
    org: str | None  # the township or department a township/department token speaks for
    name: str

    def may(self, *roles: str) -> bool:
        return self.role == "admin" or self.role in roles


def cli_principal() -> Principal:
    """Who writes from the command line: the operating-system user, role 命令行."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (a container)
        user = "unknown"
    return Principal("cli", None, user)


class Forbidden(DutyGraphError):
    """The principal may not do this (403)."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def add_months(date: str, months: int) -> str:
    d = dt.date.fromisoformat(date)
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last)).isoformat()


# --- audit --------------------------------------------------------------------------------------------


def entry(who: Principal, action: str, target: str, before: str | None = None, after: str | None = None,
          detail: str = "") -> dict[str, Any]:
    """An audit entry's fields, for audit.record or for a statement that writes its entry with its data."""
    return {"id": uuid.uuid4().hex, "at": _now(), "who": who.name, "role": who.role, "org": who.org,
            "action": action, "target": target, "before": before, "after": after, "detail": detail}


class AuditLog:
    """Append-only: the catalog has no statement that changes or deletes an AuditEntry."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def record(self, who: Principal, action: str, target: str, before: str | None = None,
               after: str | None = None, detail: str = "") -> None:
        self.store.execute("audit.record", **entry(who, action, target, before, after, detail))

    def entries(self, action: str | None, target: str | None, limit: int, offset: int) -> dict[str, Any]:
        total = self.store.query("audit.count", action=action, target=target)[0]["total"]
        rows = self.store.query("audit.entries", action=action, target=target, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": rows}


# --- versions and diff ----------------------------------------------------------------------------------


class ListHistory:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def _township(self, name: str) -> dict:
        found = self.store.query("lists.find_township", name=name.strip())
        if not found:
            raise NotFound(f"没有找到乡镇(街道)「{name}」(township not found)")
        return found[0]

    def township_names(self) -> list[str]:
        return sorted(r["name"] for r in self.store.query("analytics.townships"))

    def versions(self, township: str) -> list[dict[str, Any]]:
        """Every published version, newest first (a version never switched to is not one)."""
        t = self._township(township)
        return [{**r, **{p: r.get(f"n_{p}") or 0 for p in PARTS}}
                for r in self.store.query("history.versions", township_id=t["id"])]

    def as_of(self, township: str, date: str) -> dict[str, Any]:
        """The version in force on `date`: the latest published with a list date on or before it."""
        for v in self.versions(township):
            if v["date"] <= date:
                return v
        raise NotFound(f"「{township}」在 {date} 尚无已发布的清单 (no list published by then)")

    def items(self, list_id: str) -> list[dict[str, Any]]:
        return self.store.query("history.version_items", list_id=list_id)

    def diff(self, township: str, frm: str, to: str) -> dict[str, Any]:
        """What changed between the versions in force on `frm` and on `to`, matched by content: an unchanged
        item is the same node in both; a changed one has the same part and name; a moved one the same name in
        another part; the rest were added or removed."""
        a, b = self.as_of(township, frm), self.as_of(township, to)
        old, new = {i["id"]: i for i in self.items(a["id"])}, {i["id"]: i for i in self.items(b["id"])}
        gone = [old[i] for i in old if i not in new]
        came = {i: new[i] for i in new if i not in old}
        changes = []
        for o in sorted(gone, key=lambda x: (x["part"], x["seq_key"])):
            same = next((n for n in came.values() if n["key"] == o["key"]), None)
            if same is None:
                same = next((n for n in came.values() if n["norm_name"] == o["norm_name"]), None)
            if same is None:
                changes.append(_change("removed", o, None))
                continue
            del came[same["id"]]
            changes.append(_change("moved" if same["part"] != o["part"] else "changed", o, same))
        changes += [_change("added", None, n) for n in sorted(came.values(), key=lambda x: (x["part"], x["seq_key"]))]
        counts = {k: sum(c["change"] == k for c in changes) for k in DIFF_CHANGES}
        return {"township": township, "from": a, "to": b, "unchanged": len(set(old) & set(new)), "counts": counts,
                "changes": changes}


DIFF_FIELDS = {"name": "事项名称", "part": "类别", "content": "具体内容", "leads": "牵头/责任", "cooperating": "配合",
               "bases": "法律依据", "domain": "领域"}


def _change(kind: str, old: dict | None, new: dict | None) -> dict[str, Any]:
    ref = new or old or {}
    fields = []
    if old and new:
        for f, label in DIFF_FIELDS.items():
            before, after = old.get(f), new.get(f)
            if isinstance(before, list):
                before, after = "、".join(sorted(before)), "、".join(sorted(after or []))
            if (before or "") != (after or ""):
                fields.append({"field": f, "label": label, "before": before, "after": after})
    return {"change": kind, "change_cn": DIFF_CHANGES[kind], "name": ref.get("name"),
            "part_from": old["part"] if old else None, "part_to": new["part"] if new else None,
            "old_id": old["id"] if old else None, "new_id": new["id"] if new else None, "fields": fields}


# --- change requests --------------------------------------------------------------------------------------


SHAPES: dict[str, tuple[tuple[int, int | None], tuple[int, int | None]]] = {
    # kind: ((min, max) items removed, (min, max) rows added)
    "add": ((0, 0), (1, None)),
    "remove": ((1, None), (0, 0)),
    "move": ((1, 1), (1, 1)),
    "split": ((1, 1), (2, None)),
    "merge": ((2, None), (1, 1)),
    "reword": ((1, 1), (1, 1)),
}


def _count_words(bounds: tuple[int, int | None]) -> str:
    """(1, None) → "至少 1 项", (0, 0) → "0 项", (1, 1) → "1 项": what a form error says to a person."""
    lo, hi = bounds
    return f"至少 {lo} 项" if hi is None else (f"{lo} 项" if lo == hi else f"{lo}–{hi} 项")


def _count_ok(n: int, bounds: tuple[int, int | None]) -> bool:
    lo, hi = bounds
    return n >= lo and (hi is None or n <= hi)


class ChangeRequests:
    def __init__(self, store: GraphStore, audit: AuditLog | None = None) -> None:
        self.store = store
        self.audit = audit or AuditLog(store)
        self.history = ListHistory(store)

    # reading

    def _find(self, *, id: str | None = None, township: str | None = None, statuses: list[str] | None = None,
              today: str | None = None) -> list[dict[str, Any]]:
        rows = self.store.query("requests.find", id=id, township=township, statuses=statuses, today=today)
        return [_request_out(r) for r in rows]

    def get(self, request_id: str) -> dict[str, Any]:
        rows = self._find(id=request_id)
        if not rows:
            raise NotFound(f"没有找到调整申请 {request_id} (change request not found)")
        out = rows[0]
        out["removed_items"] = self.store.query("history.item_names", ids=out["remove"]) if out["remove"] else []
        return out

    def find(self, township: str | None, status: str | None, limit: int, offset: int) -> dict[str, Any]:
        rows = self._find(township=township, statuses=[status] if status else None)
        return {"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset:offset + limit]}

    def queue(self, who: Principal) -> list[dict[str, Any]]:
        """What waits for this reviewer's step (admin: both steps)."""
        waiting = {REVIEW_STEPS[s][1] for s in REVIEW_STEPS if who.may(s)}
        if who.may():
            waiting.add("approved")  # approved, to be published as a new version
        return self._find(statuses=sorted(waiting)) if waiting else []

    def overdue(self, today: str) -> dict[str, Any]:
        """Requests not yet applied or rejected whose 清理 deadline has passed, per township and department."""
        open_ = [s for s in REQUEST_STATUS if s not in ("applied", "rejected")]
        rows = sorted(self._find(statuses=open_, today=today), key=lambda r: (r["deadline"], r["township"]))
        by_township: Counter[str] = Counter(r["township"] for r in rows)
        by_department: Counter[str] = Counter(d for r in rows for d in r["departments"])
        return {"today": today, "total": len(rows), "by_township": dict(by_township),
                "by_department": dict(by_department), "items": rows}

    # writing

    def propose(self, who: Principal, township: str, kind: str, reason_type: str, reason: str, evidence: str,
                remove: list[str], add: list[dict[str, str]], *, draft: bool = False, law: str | None = None,
                deadline: str | None = None, prepared: bool = False) -> dict[str, Any]:
        """`prepared`: a draft the 编办 or 司法局 prepared from a law change, for the township to submit."""
        t = self.history._township(township)
        if not prepared and not who.may("township", "department"):
            raise Forbidden(f"{who.name} 不能提出调整申请 (only a township, a department or admin may propose)")
        if who.role == "township" and who.org != t["name"]:
            raise Forbidden(f"{who.name} 只能为本乡镇(街道)提出申请, 不能为「{t['name']}」"
                            "(a township proposes for itself)")
        if kind not in REQUEST_KINDS:
            raise InputError(f"未知的申请类型 {kind!r}: {', '.join(REQUEST_KINDS)}")
        if reason_type not in REASON_TYPES:
            raise InputError(f"未知的理由类型 {reason_type!r}: {', '.join(REASON_TYPES)}")
        removes, adds = SHAPES[kind]
        if not _count_ok(len(remove), removes) or not _count_ok(len(add), adds):
            raise InputError(f"「{REQUEST_KINDS[kind]}」申请应勾选现行事项 {_count_words(removes)}、填写新增事项 "
                             f"{_count_words(adds)}, 现勾选 {len(remove)} 项、填写 {len(add)} 项 "
                             "(wrong number of items for the kind)")
        current = {i["id"]: i for i in self._current_items(t["id"])}
        unknown = [i for i in remove if i not in current]
        if unknown:
            raise InputError(f"不是「{t['name']}」现行清单的事项: {', '.join(unknown)} (not on the current list)")
        rows = [_row(r, k) for k, r in enumerate(add, 1)]
        if kind == "move" and rows[0]["part"] == current[remove[0]]["part"]:
            raise InputError("调整类别的申请应改变事项的类别 (a move must change the part)")
        rid = uuid.uuid4().hex[:12]
        departments = sorted({d for i in remove for d in current[i]["departments"]}
                             | {r[f] for r in rows for f in ("lead_dept", "receiver") if r.get(f)})
        self.store.execute("requests.create", id=rid, township_id=t["id"], kind=kind, reason_type=reason_type,
                           reason=reason, evidence=evidence,
                           payload=json.dumps({"remove": remove, "add": rows, "departments": departments},
                                              ensure_ascii=False),
                           status="draft" if draft else "submitted", proposer=who.name, org=who.org, created_at=_now(),
                           deadline=deadline, law=law)
        self.audit.record(who, "request.create", rid, after=rid,
                          detail=f"{t['name']} {REQUEST_KINDS[kind]} ({REASON_TYPES[reason_type]})")
        return self.get(rid)

    def submit(self, who: Principal, request_id: str) -> dict[str, Any]:
        r = self.get(request_id)
        self._own(who, r)
        if r["status"] != "draft":
            raise InputError(f"只有草稿可以提交, 当前状态: {REQUEST_STATUS[r['status']]} (only a draft is submitted)")
        if not self.store.execute("requests.set_status", id=request_id, status="submitted", expected="draft",
                                  at=_now()):
            raise Conflict("申请状态已被他人改变, 请刷新 (changed meanwhile: reload)", current=self._status(request_id))
        self.audit.record(who, "request.submit", request_id)
        return self.get(request_id)

    def _status(self, request_id: str) -> str:
        return REQUEST_STATUS[self.get(request_id)["status"]]

    def recover_stuck(self, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> list[str]:
        """Requests left 发布中 by a server that died while publishing go back to 审核通过 (their unactivated
        list is removed by ingest/lists.remove_leftovers), with an audit entry each. Younger claims may belong to
        a publish still running in another process."""
        at = dt.datetime.now(dt.UTC)
        rows = self.store.execute("requests.stale_applying", before=(at - older_than).isoformat(timespec="seconds"),
                                  at=at.isoformat(timespec="seconds"))
        system = Principal("admin", None, "系统(启动检查)")
        for r in rows:
            detail = ("发布中断, 已恢复为审核通过, 可重新发布 (publish interrupted)" if r["status"] == "approved" else
                      "发布时中断, 但新版本已生效: 记为已发布 (the version was switched to before the interruption)")
            self.audit.record(system, "request.recover", r["id"], before="applying", after=r["status"], detail=detail)
        return [r["id"] for r in rows]

    def _own(self, who: Principal, r: dict) -> None:
        if who.role == "admin":
            return
        if who.role == "township" and who.org == r["township"]:
            return
        if who.role == "department" and who.org == r["org"]:
            return
        raise Forbidden(f"{who.name} 不能操作他人的申请 (not your request)")

    def review(self, who: Principal, request_id: str, step: str, decision: str, comment: str) -> dict[str, Any]:
        if step not in REVIEW_STEPS:
            raise InputError(f"未知的审核步骤 {step!r}: {', '.join(REVIEW_STEPS)}")
        if not who.may(step):
            raise Forbidden(f"{who.name} 不能做「{REVIEW_STEPS[step][0]}」(reviewers decide only their own step)")
        if decision not in ("approve", "reject"):
            raise InputError("decision 应为 approve 或 reject")
        if decision == "reject" and not comment.strip():
            raise InputError("退回申请须说明理由 (a rejection needs a comment)")
        r = self.get(request_id)
        _, waiting, approved = REVIEW_STEPS[step]
        if r["status"] != waiting:
            raise InputError(f"申请当前状态为「{REQUEST_STATUS[r['status']]}」, 不在「{REVIEW_STEPS[step][0]}」环节 "
                             "(not at this step)")
        status = approved if decision == "approve" else "rejected"
        # the decision, the status move and the audit entry in one statement, only from the status seen
        done = self.store.execute("requests.review", id=request_id, expected=waiting, status=status,
                                  review_id=uuid.uuid4().hex[:12], step=step, reviewer=who.name, org=who.org,
                                  decision=decision, comment=comment, date=_now(),
                                  audit=entry(who, f"request.review.{step}", request_id, waiting, status, comment))
        if not done:
            raise Conflict("申请状态已被他人改变, 请刷新 (changed meanwhile: reload)", current=self._status(request_id))
        return self.get(request_id)

    def apply(self, who: Principal, request_id: str, date: str, extractor: Any) -> dict[str, Any]:
        """Publish an approved request as the township's new list version (the same switch as an upload)."""
        from dutygraph.ingest.lists import check_date

        if not who.may("bianban"):
            raise Forbidden(f"{who.name} 不能发布新版本 (the 编办 publishes approved requests)")
        date = check_date(date)
        r = self.get(request_id)
        if r["status"] in ("applying", "applied"):
            raise Conflict("该申请正由他人发布或已发布, 请刷新 (being published by someone else: reload)",
                           current=REQUEST_STATUS[r["status"]])
        if r["status"] != "approved":
            raise InputError(f"只有两级审核都通过的申请可以发布, 当前: {REQUEST_STATUS[r['status']]} (not approved)")
        # claimed before any work: a second reviewer publishing the same request at the same moment is refused; a
        # claim whose server died is returned to approved at the next start (recover_stuck)
        if not self.store.execute("requests.set_status", id=request_id, status="applying", expected="approved",
                                  at=_now()):
            raise Conflict("该申请正由他人发布或已发布, 请刷新 (being published by someone else: reload)",
                           current=self._status(request_id))
        try:
            self._publish(who, r, date, extractor)
        except BaseException:
            self.store.execute("requests.set_status", id=request_id, status="approved", expected="applying",
                               at=_now())
            raise
        return self.get(request_id)

    def _publish(self, who: Principal, r: dict[str, Any], date: str, extractor: Any) -> tuple[str, str]:
        """The new version written and switched to, the request marked applied with its audit entry; (the version
        it replaced, the new one)."""
        from dutygraph.ingest.lists import ListLoader, ListReport, check_not_before_current
        from dutygraph.ingest.readers import Cell, Row
        from dutygraph.ingest.resolve import LawIndex

        request_id = r["id"]
        t = self.history._township(r["township"])
        current = [x for x in self.store.query("lists.list_state", township_id=t["id"]) if x["current"]]
        if not current:
            raise InputError(f"「{t['name']}」没有现行清单 (no current list)")
        old_id = current[0]["id"]
        check_not_before_current(t["name"], date, current)
        keep = [i["id"] for i in self._current_items(t["id"]) if i["id"] not in set(r["remove"])]
        rows = [Row(f"调整申请{request_id}", PARTS[a["part"]], k, a["part"],
                    {f: Cell(a[f], k, f) for f in ROW_FIELDS if a.get(f)}) for k, a in enumerate(r["add"], 1)]
        index = LawIndex.load(self.store)
        loader = ListLoader(self.store, extractor, index)
        report = ListReport(t["name"], date)
        plan = loader.plan(rows, t["id"], "", date, report)
        list_id = hashlib.sha1("\x1f".join([t["id"], date, *sorted(keep), *sorted(i["id"] for i in plan.items)])
                               .encode()).hexdigest()[:16]
        facts = loader.write(plan, t["id"], list_id, date, f"调整申请 {request_id}", kept=keep)
        loader.activate(facts, t["id"], list_id)
        self.store.execute("requests.applied", id=request_id, list_id=list_id,
                           audit=entry(who, "request.apply", request_id, old_id, list_id, f"{t['name']} 新版本 {date}"))
        self.store.persist()
        return old_id, list_id

    def _current_items(self, township_id: str) -> list[dict]:
        return self.store.query("history.current_items", township_id=township_id)

    def drafts_from_impact(self, who: Principal, impact: dict[str, Any], new_date: str,
                           months: int = DEFAULT_DEADLINE_MONTHS) -> list[dict[str, Any]]:
        """One draft request per item the law change touches (an impact worklist row that needs an action),
        pre-filled with the old and the new article, due `months` after the new version takes effect — or after
        today, when the change is entered after that deadline has passed (a 2021 amendment loaded in 2026 is not
        already overdue)."""
        if not who.may("bianban", "legal"):
            raise Forbidden(f"{who.name} 不能从法律修订生成申请 (编办, 司法局 or admin)")
        today = dt.date.today().isoformat()
        deadline = add_months(new_date, months)
        if deadline < today:
            deadline = add_months(today, months)
        first: dict[tuple[str, str | None], dict] = {}  # one draft per item and new article
        for r in impact["items"]:
            if r["change"] != "unchanged":
                first.setdefault((r["item_id"], r["new_label"]), r)
        todo = list(first.values())
        ids = sorted({r["item_id"] for r in todo})
        items = {r["id"]: r["row"] for r in self.store.query("history.item_rows", ids=ids)}
        out = []
        for row in todo:
            if row["item_id"] not in items:
                continue
            basis = f"《{impact['law']}》{row['new_label']}" if row["new_label"] else ""
            evidence = (f"《{impact['law']}》{impact['from']}→{impact['to']}: {row['old_label'] or row['raw']} → "
                        f"{row['new_label'] or '无对应条款'} ({CHANGES.get(row['change'], row['change'])}); "
                        f"{readable(row['action'])}")
            item = items[row["item_id"]]
            add = [{**item, "basis": basis or item.get("basis") or ""}]
            out.append(self.propose(who, row["township"], "reword", "law_change",
                                    f"法律修订后依据需要更新: {row['action']}", evidence, [row["item_id"]], add,
                                    draft=True, law=impact["law"], deadline=deadline, prepared=True))
        return out


def _row(r: dict[str, str], k: int) -> dict[str, str]:
    part = r.get("part") or ""
    if part not in PARTS:
        raise InputError(f"第 {k} 个新增事项的类别应为 {', '.join(PARTS)} (part)", row=k, column="part")
    if not (r.get("name") or "").strip():
        raise InputError(f"第 {k} 个新增事项缺少事项名称 (name is required)", row=k, column="name")
    unknown = set(r) - {"part", *ROW_FIELDS}
    if unknown:
        raise InputError(f"未知的字段: {', '.join(sorted(unknown))} (unknown fields)", row=k)
    return {"part": part, **{f: str(r[f]).strip() for f in ROW_FIELDS if r.get(f)}}


def _request_out(r: dict) -> dict[str, Any]:
    payload = json.loads(r["payload"] or "{}")
    reviews = sorted((x for x in r["reviews"] if x and x.get("step")), key=lambda x: x["date"])
    return {"id": r["id"], "township": r["township"], "kind": r["kind"], "kind_cn": REQUEST_KINDS[r["kind"]],
            "reason_type": r["reason_type"], "reason_type_cn": REASON_TYPES[r["reason_type"]], "reason": r["reason"],
            "evidence": r["evidence"], "status": r["status"], "status_cn": REQUEST_STATUS[r["status"]],
            "proposer": r["proposer"], "org": r["org"], "created_at": r["created_at"], "deadline": r["deadline"],
            "law": r["law"], "applied_list_id": r["applied_list_id"], "remove": payload.get("remove", []),
            "add": payload.get("add", []), "departments": payload.get("departments", []),
            "removed_items": [], "reviews": reviews}


# --- 事项准入 ------------------------------------------------------------------------------------------------


RESERVED_COVER = 0.6  # the share of a catalogue entry's name (bigrams) a task must contain to be that entry


class Admissions:
    """A county department asks to give townships a new task: checked automatically against each township's list
    (the delegation matcher) and against the law (a provision placing it on townships), then decided."""

    def __init__(self, store: GraphStore, audit: AuditLog | None = None) -> None:
        self.store = store
        self.audit = audit or AuditLog(store)

    def apply(self, who: Principal, title: str, text: str, townships: list[str] | None, matcher: Any,
              provisions: Any, department: str | None = None) -> dict[str, Any]:
        """`matcher` judges the task against each township's list (services/delegation.Matcher); `provisions`
        finds the provisions placing it on townships (services/suggest.SuggestionIndex)."""
        from dutygraph.ingest.delegation import Task
        from dutygraph.services.delegation import judge

        if not who.may("department"):
            raise Forbidden(f"{who.name} 不能提出准入申请 (a county department applies)")
        dept = who.org if who.role == "department" else (department or "")
        if who.role == "department" and department and department != who.org:
            raise Forbidden(f"{who.name} 只能以本部门名义申请 (a department applies in its own name)")
        if not dept or not (title or text).strip():
            raise InputError("准入申请需要部门、标题和内容 (department, title and text are required)")
        # a department's token names its own organisation (set by the admin); an admin naming one is checked
        found = who.role == "department" or self.store.query("items.find_department", name=dept.strip())
        if not found:  # an application in the name of a department the lists do not know is nobody's
            raise InputError(f"未知的县级部门「{dept}」: 清单中没有这个部门 (unknown department)", column="department")
        known = sorted(matcher.by_town)
        towns = townships or known
        unknown = [x for x in towns if x not in known]
        if unknown:
            raise InputError(f"未知的乡镇(街道): {'、'.join(unknown)} (unknown township)")
        task = Task(title=title, text=text, sender=dept)
        verdicts = [judge(task, town, matcher.match(task.full_text, town, sender=dept),
                          (matcher.low, matcher.high)).as_json() for town in towns]
        law = provisions.township_provisions(f"{title} {text}")
        reserved = self.reserved(f"{title} {text}")
        off = [v["township"] for v in verdicts if v["verdict"] in ("off_list", "lead_shift", "taken_back")]
        summary = f"{len(off)}/{len(verdicts)} 个乡镇(街道)清单不支持此任务" if off else "各乡镇清单均有相符事项"
        summary += "; 有法律条文规定乡镇职责" if law else "; 未找到规定乡镇职责的法律条文"
        if reserved:
            summary += f"; 属于准入参考目录中须由{reserved[0]['department']}行使的「{reserved[0]['name']}」"
        check = {"verdicts": verdicts, "law": law, "reserved": reserved, "flagged_townships": off,
                 "summary": summary}
        aid = uuid.uuid4().hex[:12]
        self.store.execute("admissions.create", id=aid, department=dept, title=title, text=text, townships=towns,
                           status="checked", check=json.dumps(check, ensure_ascii=False), applicant=who.name,
                           created_at=_now())
        self.audit.record(who, "admission.apply", aid, after="checked", detail=f"{dept}: {title}")
        return self.get(aid)

    def catalogue(self) -> list[dict[str, Any]]:
        return self.store.query("reserved.all")

    def load_catalogue(self, who: Principal, rows: list[dict[str, str]], source: str) -> int:
        """Replace the reference catalogue (the 编办 keeps it)."""
        from dutygraph.ingest.reserved import load_reserved

        if not who.may("bianban"):
            raise Forbidden(f"{who.name} 不能更新准入参考目录 (the 编办 keeps the catalogue)")
        n = load_reserved(self.store, rows)
        self.audit.record(who, "admission.catalogue", source, detail=f"{n} 项")
        return n

    def reserved(self, text: str) -> list[dict[str, Any]]:
        """Entries of the reference catalogue the task is: most of the entry's name in the task, and its object
        named (核发燃气经营许可证 is not 核发采伐许可证)."""
        from dutygraph.graph.text import norm
        from dutygraph.services.delegation import ACTIONS, grams, names_object
        from dutygraph.services.retrieval import words

        task, task_text = grams(text), norm(text)
        hits = []
        for r in self.catalogue():
            name = grams(r["name"])
            cover = len(name & task) / len(name) if name else 0.0
            if cover >= RESERVED_COVER and names_object(frozenset(words(r["name"])) - ACTIONS, task_text):
                hits.append({**r, "score": round(cover, 3)})
        return sorted(hits, key=lambda h: -h["score"])[:3]

    def decide(self, who: Principal, admission_id: str, decision: str, comment: str) -> dict[str, Any]:
        if not who.may("bianban"):
            raise Forbidden(f"{who.name} 不能审核准入申请 (the 编办 decides)")
        if decision not in ("approve", "reject"):
            raise InputError("decision 应为 approve 或 reject")
        a = self.get(admission_id)
        if a["status"] != "checked":
            raise Conflict(f"准入申请已{ADMISSION_STATUS[a['status']]} (already decided)",
                           current=ADMISSION_STATUS[a["status"]])
        status = "approved" if decision == "approve" else "rejected"
        # compare-and-set: of concurrent decisions, exactly one finds it still checked
        if not self.store.execute("admissions.decide", id=admission_id, status=status, reviewer=who.name,
                                  comment=comment, decided_at=_now(),
                                  audit=entry(who, "admission.decide", admission_id, "checked", status, comment)):
            now = self.get(admission_id)["status"]
            raise Conflict(f"准入申请已被他人{ADMISSION_STATUS[now]} (decided meanwhile)",
                           current=ADMISSION_STATUS[now])
        return self.get(admission_id)

    def get(self, admission_id: str) -> dict[str, Any]:
        rows = self.store.query("admissions.get", id=admission_id)
        if not rows:
            raise NotFound(f"没有找到准入申请 {admission_id} (admission not found)")
        return _admission_out(rows[0])

    def find(self, department: str | None, status: str | None) -> list[dict[str, Any]]:
        return [_admission_out(r) for r in self.store.query("admissions.find", department=department, status=status)]

    def history_for(self, department: str, township: str) -> list[dict[str, Any]]:
        """The department's applications that covered the township (what a 越单摊派 report shows beside it)."""
        return [a for a in self.find(department, None) if township in a["townships"]]


def _admission_out(r: dict) -> dict[str, Any]:
    return {**{k: r[k] for k in ("id", "department", "title", "text", "townships", "status", "applicant",
                                 "created_at", "reviewer", "comment", "decided_at")},
            "status_cn": ADMISSION_STATUS[r["status"]], "check": json.loads(r["check"] or "{}")}
