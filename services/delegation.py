"""Supervisors' view of 越单摊派: check tasks, store verdicts, report by sending department."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from dutygraph.graph.store import GraphStore
from dutygraph.ingest.delegation import FLAGGED, Matcher, Task, Verdict, check, store_verdicts
from dutygraph.ingest.extract import get_gazetteer


class DelegationService:
    def __init__(self, store: GraphStore, matcher: Matcher | None) -> None:
        """`matcher` may be None for the report alone."""
        self.store, self.matcher = store, matcher

    def check(self, tasks: list[Task], township: str | None, keep: bool) -> list[Verdict]:
        if self.matcher is None:
            raise ValueError("DelegationService.check needs a Matcher")
        verdicts = check(tasks, self.matcher, township)  # raises before anything is stored
        if keep:
            store_verdicts(self.store, verdicts, get_gazetteer())
        return verdicts

    def report(self, department: str | None, frm: str | None, to: str | None) -> dict[str, Any]:
        rows = self.store.query("delegation.report", department=department, **{"from": frm}, to=to)
        by_dept: dict[str, Counter[str]] = {}
        for r in rows:
            by_dept.setdefault(r["sender"], Counter())[r["verdict"]] += 1
        offenders = sorted(
            (
                {
                    "department": d,
                    "flagged": sum(c[v] for v in FLAGGED),
                    "total": sum(c.values()),
                    **{v: c[v] for v in FLAGGED},
                }
                for d, c in by_dept.items()
            ),
            key=lambda x: (-x["flagged"], x["department"]),
        )
        return {
            "total": len(rows),
            "by_verdict": dict(Counter(r["verdict"] for r in rows)),
            "by_department": {d: dict(c) for d, c in sorted(by_dept.items())},
            "worst_offenders": [o for o in offenders if o["flagged"]][:20],
            "flagged": [r for r in rows if r["verdict"] in FLAGGED],
        }


_BUILD = threading.Lock()


def service(request) -> DelegationService:
    """The app's service: the item index is built on first use (once, even under concurrent requests) and
    dropped when a list is uploaded."""
    with _BUILD:
        if getattr(request.app.state, "matcher", None) is None:
            request.app.state.matcher = Matcher.load(request.app.state.store)
        matcher = request.app.state.matcher
    return DelegationService(request.app.state.store, matcher)
