"""收得回、不落空: the handover plan of each taken-back duty tracked to done, late ones flagged, and the taken-back
duties still reaching the township (tasks judged taken_back, records of a taken-back duty sent to the township),
each with its evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from typing import Any

from dutygraph.graph.errors import InputError, NotFound
from dutygraph.graph.store import GraphStore
from dutygraph.graph.text import norm
from dutygraph.ingest.handover import FILE_STATES, PlanRow
from dutygraph.services.lifecycle import AuditLog, Forbidden, Principal, _now, entry

STATUS = {"planned": "计划中", "in_progress": "交接中", "handed_over": "已移交", "done": "已完成",
          "overdue": "逾期"}


def plan_status(p: dict[str, Any], files: dict[str, str], today: str) -> str:
    """done when completed; handed over when the handover date is in; overdue when the plan date has passed
    without completion; in progress when any file has moved; planned otherwise."""
    if p.get("done_date"):
        return "done"
    if p.get("plan_date") and p["plan_date"] < today:
        return "overdue"
    if p.get("handover_date"):
        return "handed_over"
    if any(s != "未移交" for s in files.values()):
        return "in_progress"
    return "planned"


def _may_edit(who: Principal, department: str) -> None:
    if who.role in ("admin", "cli"):
        return
    if who.role == "department" and who.org == department:
        return
    raise Forbidden(f"{who.name} 只能填报本部门的交接方案 (a department edits only its own plans)")


class Handovers:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.audit = AuditLog(store)

    def load(self, who: Principal, rows: list[PlanRow], source: str) -> int:
        """Plans from a department's workbook: every row's item must be taken back on its township's current
        list (by name), and a department loads only its own plans; a bad row writes nothing."""
        items: dict[str, dict[str, str]] = {}
        out = []
        for r in rows:
            _may_edit(who, r.department)
            if r.township not in items:
                items[r.township] = {norm(i["name"]): i["id"] for i in
                                     self.store.query("after.taken_back_items", township=r.township)}
            item_id = items[r.township].get(norm(r.item))
            if item_id is None:
                raise InputError(f"「{r.item}」不是{r.township}现行清单的上级部门收回事项 (not a taken-back item)",
                                 file=r.file, sheet=r.sheet, row=r.row, column="事项名称")
            plan = {"plan_date": r.plan_date, "handover_date": r.handover_date, "done_date": r.done_date}
            out.append({"id": hashlib.sha1(f"{r.township}\x1f{item_id}\x1f{r.department}".encode()).hexdigest()[:16],
                        "township": r.township, "item_id": item_id, "item_name": r.item, "department": r.department,
                        "office": r.office, **plan, "steps": json.dumps(r.steps, ensure_ascii=False),
                        "files": json.dumps(r.files, ensure_ascii=False),
                        "status": plan_status(plan, r.files, "9999-12-31"),  # stored without "overdue": that moves
                        "evidence": r.evidence, "source": source, "updated_at": _now(), "updated_by": who.name})
        self.store.write("after.upsert_plans", out)
        self.audit.record(who, "handover.load", source, detail=f"{len(out)} 个交接方案")
        self.store.persist()
        return len(out)

    def plans(self, township: str | None = None, department: str | None = None,
              today: str | None = None) -> list[dict[str, Any]]:
        day = today or dt.date.today().isoformat()
        rows = self.store.query("after.plans", township=township, department=department)
        for p in rows:
            p["files"] = json.loads(p["files"] or "{}")
            p["steps"] = json.loads(p["steps"] or "[]")
            p["status"] = plan_status(p, p["files"], day)
            p["status_cn"] = STATUS[p["status"]]
            p["files_done"] = sum(s == "已移交" for s in p["files"].values())
        return rows

    def update(self, who: Principal, plan_id: str, handover_date: str, done_date: str, files: dict[str, str],
               evidence: str) -> None:
        found = self.store.query("after.plan", id=plan_id)
        if not found:
            raise NotFound(f"没有交接方案 {plan_id}")
        _may_edit(who, found[0]["department"])
        bad = [s for s in files.values() if s not in FILE_STATES]
        if bad:
            raise InputError(f"资料状态应为 {'、'.join(FILE_STATES)}", column="资料目录")
        plan = {"handover_date": handover_date, "done_date": done_date}
        status = plan_status(plan, files, "9999-12-31")
        self.store.execute("after.update_plan", id=plan_id, status=status, handover_date=handover_date,
                           done_date=done_date, files=json.dumps(files, ensure_ascii=False), evidence=evidence,
                           at=_now(), who=who.name,
                           audit=entry(who, "handover.update", plan_id, found[0]["status"], status))

    def dashboard(self, township: str | None = None, department: str | None = None,
                  today: str | None = None) -> dict[str, Any]:
        """Handover progress per department and status, the overdue plans, and the taken-back duties still
        reaching townships (tasks, records) with their evidence."""
        plans = self.plans(township, department, today)
        by_dept: dict[str, Counter[str]] = {}
        for p in plans:
            by_dept.setdefault(p["department"], Counter())[p["status"]] += 1
        tasks = self.store.query("after.pushed_tasks", township=township)
        records = self.store.query("after.pushed_records", township=township)
        return {"plans": plans, "by_status": dict(Counter(p["status"] for p in plans)),
                "by_department": {d: dict(c) for d, c in sorted(by_dept.items())},
                "overdue": [p for p in plans if p["status"] == "overdue"],
                "pushed": {"tasks": tasks, "records": records}}
