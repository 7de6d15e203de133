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
from dutygraph.services.delegation import Matcher, canonical_sender, judge, prepare

# Indicator × township judgements one web request may ask for: about 3 ms each, so at most ~6 s of a core. A table
# grading 3,000 indicators on 各镇 (21 townships) once held a core for 190 s from a reader's token; such a table is
# checked from the command line (dutygraph check-indicators), which has no limit, or uploaded in parts.
API_PAIRS = 2000


def check(indicators: list[Indicator], matcher: Matcher, budget: int | None = None) -> list[dict[str, Any]]:
    """One verdict per indicator and township it grades, or an InputError (file, sheet, row, column) first; with a
    `budget`, a table asking for more judgements than that is refused before any is made."""
    known = sorted(matcher.by_town)
    if budget is not None:
        pairs = sum(len(ind.assessed or known) for ind in indicators)
        if pairs > budget:
            raise InputError(f"{len(indicators)} 项指标共需判断 {pairs} 个「指标×乡镇」, 超过在线审查上限 {budget}: "
                             "请分表上传, 或用命令行 dutygraph check-indicators 审查整表 (too large for one request)",
                             file=indicators[0].file if indicators else "")
    for ind in indicators:
        unknown = [t for t in ind.assessed if t not in matcher.by_town]
        if unknown:
            raise InputError(f"未知的乡镇(街道): {'、'.join(unknown)} (unknown township)", file=ind.file,
                             sheet=ind.sheet, row=ind.row, column="考核对象")
    out = []
    if matcher.vectors is not None:
        prepare([Task(i.indicator, i.standard or i.indicator, i.department).full_text for i in indicators])
    for ind in indicators:
        task = Task(ind.indicator, ind.standard or ind.indicator, ind.department, file=ind.file, row=ind.row)
        sender = canonical_sender(ind.department)
        for town in ind.assessed or known:
            v = judge(task, town, matcher.match(task.full_text, town, sender=sender),
                      (matcher.low, matcher.high)).as_json()
            # a 个性 (township-specific) indicator grading a township whose list has nothing it fits
            unfit = "个性" in (ind.kind or "") and v["verdict"] in ("off_list", "uncertain")
            out.append({"id": ind.id, "indicator": ind.indicator, "standard": ind.standard, "points": ind.points,
                        "kind": ind.kind, "department": ind.department or "(未注明)", "township": town,
                        "verdict": v["verdict"], "flagged": v["verdict"] in FLAGGED, "unfit": unfit,
                        "evidence": ("个性指标不适用于该乡镇(街道): " if unfit else "") + v["evidence"],
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
            "unfit": sum(c.get("unfit", False) for c in checked),
            "by_verdict": dict(Counter(c["verdict"] for c in checked)), "by_department": departments,
            "flags": [c for c in checked if c["flagged"] or c.get("unfit")]}
