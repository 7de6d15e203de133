"""Assessment indicators checked against the lists: each indicator, for each township it grades, is judged like a
task sent down (services/delegation.judge): graded on a 配合 duty as if the township led it (lead_shift), on a
duty taken back by a county department (taken_back), or on something off its list (off_list) — the abuse
supervisors name: off-list work pushed down through assessment scores. The matched items are the evidence; the
report groups flags by the department that set the indicator."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dutygraph.graph.errors import InputError
from dutygraph.graph.vocabulary import FLAGGED
from dutygraph.ingest.delegation import Task
from dutygraph.ingest.indicators import Indicator
from dutygraph.services.delegation import Matcher, canonical_sender, judge


def check(indicators: list[Indicator], matcher: Matcher) -> list[dict[str, Any]]:
    """One verdict per indicator and township it grades, or an InputError (file, sheet, row, column) first."""
    known = sorted(matcher.by_town)
    for ind in indicators:
        unknown = [t for t in ind.assessed if t not in matcher.by_town]
        if unknown:
            raise InputError(f"未知的乡镇(街道): {'、'.join(unknown)} (unknown township)", file=ind.file,
                             sheet=ind.sheet, row=ind.row, column="考核对象")
    out = []
    for ind in indicators:
        task = Task(ind.indicator, ind.standard or ind.indicator, ind.department, file=ind.file, row=ind.row)
        sender = canonical_sender(ind.department)
        for town in ind.assessed or known:
            v = judge(task, town, matcher.match(task.full_text, town, sender=sender)).as_json()
            out.append({"id": ind.id, "indicator": ind.indicator, "standard": ind.standard, "points": ind.points,
                        "kind": ind.kind, "department": ind.department or "(未注明)", "township": town,
                        "verdict": v["verdict"], "flagged": v["verdict"] in FLAGGED, "evidence": v["evidence"],
                        "matches": v["matches"], "row": ind.row})
    return out


def report(checked: list[dict[str, Any]]) -> dict[str, Any]:
    """Per department that set indicators: how many gradings, how many flagged and of which kind."""
    by_dept: dict[str, Counter[str]] = {}
    for c in checked:
        by_dept.setdefault(c["department"], Counter())[c["verdict"]] += 1
    departments = sorted(
        ({"department": d, "total": sum(n.values()), "flagged": sum(n[v] for v in FLAGGED),
          **{v: n[v] for v in FLAGGED}} for d, n in by_dept.items()),
        key=lambda x: (-x["flagged"], x["department"]))
    return {"total": len(checked), "flagged": sum(c["flagged"] for c in checked),
            "by_verdict": dict(Counter(c["verdict"] for c in checked)), "by_department": departments,
            "flags": [c for c in checked if c["flagged"]]}
