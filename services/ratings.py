"""双向考评: townships rate the county departments they work with (报到, 配合) and the dispatched agencies they host;
a department sees its ratings across townships, with its 报到 timeliness measured from the records beside them."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from dutygraph.graph.errors import InputError
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.handover import RatingRow
from dutygraph.services.lifecycle import AuditLog, Forbidden, Principal, _now


class Ratings:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.audit = AuditLog(store)

    def rate(self, who: Principal, rows: list[RatingRow], source: str) -> int:
        """A township rates only for itself, and an agency only where it is stationed; a rating of the same
        target in the same period replaces the earlier one."""
        out = []
        for r in rows:
            if who.role not in ("admin", "cli") and not (who.role == "township" and who.org == r.township):
                raise Forbidden(f"{who.name} 只能以本乡镇(街道)名义评价 (a township rates for itself)")
            if r.target_kind == "agency":
                hosted = {a["name"] for a in self.store.query("after.agencies", township=r.township)}
                if r.target not in hosted:
                    raise InputError(f"「{r.target}」不是派驻{r.township}的机构 (an agency is rated by its host)",
                                     file=r.file, sheet=r.sheet, row=r.row, column="被评价单位")
            rid = hashlib.sha1(f"{r.township}\x1f{r.target}\x1f{r.period}".encode()).hexdigest()[:16]
            out.append({"id": rid, "township": r.township, "target": r.target, "target_kind": r.target_kind,
                        "period": r.period, "reporting": r.reporting, "cooperation": r.cooperation,
                        "comment": r.comment, "created_at": _now(), "rater": who.name})
        self.store.write("after.upsert_ratings", out)
        self.audit.record(who, "rating.submit", source, detail=f"{len(out)} 条评价")
        self.store.persist()
        return len(out)

    def report(self, who: Principal, period: str | None = None) -> dict[str, Any]:
        """Per rated unit: mean 报到 and 配合 scores, how many townships rated, their comments, and the 报到
        timeliness from the records; a department sees only its own."""
        target = who.org if who.role == "department" else None
        rows = self.store.query("after.ratings", target=target, period=period)
        response = {r["unit"]: r for r in self.store.query("after.department_response", period=period)}
        units: dict[str, dict[str, Any]] = defaultdict(lambda: {"reporting": [], "cooperation": [], "comments": []})
        for r in rows:
            u = units[r["target"]]
            u["kind"] = r["target_kind"]
            u["reporting"].append(r["reporting"])
            u["cooperation"].append(r["cooperation"])
            if r["comment"]:
                u["comments"].append(f"{r['township']}: {r['comment']}")
        out = []
        for name, u in sorted(units.items()):
            rec = response.get(name, {})
            hours = rec.get("response_hours")
            out.append({"unit": name, "kind": "派驻机构" if u["kind"] == "agency" else "县级部门",
                        "townships": len(u["reporting"]),
                        "reporting": round(sum(u["reporting"]) / len(u["reporting"]), 2),
                        "cooperation": round(sum(u["cooperation"]) / len(u["cooperation"]), 2),
                        "records": rec.get("records", 0), "response_hours": round(hours, 1) if hours else None,
                        "comments": u["comments"]})
        return {"period": period, "units": out, "ratings": rows}
