"""The county departments' handover plans for taken-back duties (收回事项交接方案) and the townships' ratings of
departments and dispatched agencies (双向考评), read from xlsx, csv or a Word table by header synonyms. Dates are
checked here; whether a plan's item is taken back on the township's list is checked by services/handover.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.ingest.readers import record_tables

PLAN_HEADERS: dict[str, tuple[str, ...]] = {
    "township": ("乡镇(街道)", "乡镇", "镇街", "乡镇（街道）"),
    "item": ("事项名称", "收回事项", "事项"),
    "department": ("承接部门", "收回部门", "责任部门", "县级部门"),
    "office": ("责任科室", "承办科室", "责任处室"),
    "plan_date": ("计划完成时间", "时间节点", "计划时间", "计划交接时间"),
    "handover_date": ("交接时间", "实际交接时间", "移交时间"),
    "done_date": ("完成时间", "办结时间", "交接完成时间"),
    "steps": ("交接程序", "交接步骤", "工作程序"),
    "files": ("资料目录", "移交资料", "资料清单"),
    "evidence": ("佐证材料", "证明材料", "附件"),
}
RATING_HEADERS: dict[str, tuple[str, ...]] = {
    "township": ("评价乡镇", "乡镇(街道)", "乡镇", "镇街"),
    "target": ("被评价单位", "部门", "县级部门", "派驻机构", "单位"),
    "kind": ("类型", "单位类型"),
    "reporting": ("报到及时", "报到", "报到及时性"),
    "cooperation": ("配合履职", "配合", "配合事项履职"),
    "comment": ("意见", "评价意见", "说明"),
    "period": ("期间", "年度", "考评期间"),
}
FILE_STATES = ("已移交", "未移交", "部分移交")


@dataclass(frozen=True)
class PlanRow:
    township: str
    item: str
    department: str
    office: str
    plan_date: str
    handover_date: str
    done_date: str
    steps: list[str]
    files: dict[str, str]  # file name → 已移交 / 未移交 / 部分移交
    evidence: str
    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class RatingRow:
    township: str
    target: str
    target_kind: str  # department | agency
    reporting: int
    cooperation: int
    comment: str
    period: str
    file: str
    sheet: str
    row: int


def _date(value: str, where: dict, column: str) -> str:
    if not value:
        return ""
    text = value.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})[-年](\d{1,2})[-月](\d{1,2})日?", text)
    try:
        if not m:
            raise ValueError(text)
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise InputError(f"“{column}”不是日期: {value!r} (expected YYYY-MM-DD)", **where, column=column) from None


def _files(cell: str) -> dict[str, str]:
    """资料目录 as departments write it: one file per line (or ；), its state after a colon or in brackets;
    a file without a state is 未移交."""
    out = {}
    for part in filter(None, (p.strip() for p in re.split(r"[\n；;]", cell))):
        m = re.match(r"(.+?)\s*[:：(（]\s*(已移交|未移交|部分移交)\s*[)）]?$", part)
        out[m[1].strip() if m else part] = m[2] if m else "未移交"
    return out


def read_plans(path: Path) -> list[PlanRow]:
    lookup = {h: f for f, hs in PLAN_HEADERS.items() for h in hs}
    out = []
    for t in record_tables(path, lookup, ("item",)):
        for field in ("township", "department", "plan_date"):
            if field not in t.columns:
                raise InputError(f"没有找到“{PLAN_HEADERS[field][0]}”列", file=t.file, sheet=t.sheet, row=1)
        for row, v in t.rows:
            where = {"file": t.file, "sheet": t.sheet, "row": row}
            for field in ("township", "item", "department", "plan_date"):
                if not v.get(field):
                    raise InputError(f"“{t.column(field)}”为空", **where, column=t.column(field))
            out.append(PlanRow(v["township"], v["item"], v["department"], v.get("office", ""),
                               _date(v["plan_date"], where, t.column("plan_date")),
                               _date(v.get("handover_date", ""), where, t.column("handover_date")),
                               _date(v.get("done_date", ""), where, t.column("done_date")),
                               [s.strip() for s in re.split(r"[\n；;→]", v.get("steps", "")) if s.strip()],
                               _files(v.get("files", "")), v.get("evidence", ""), Path(t.file).name, t.sheet, row))
    if not out:
        raise InputError("文件中没有交接方案 (no plans)", file=str(path))
    return out


def _score(value: str, where: dict, column: str) -> int:
    try:
        n = int(float(value))
    except ValueError:
        n = 0
    if not 1 <= n <= 5:
        raise InputError(f"“{column}”应为 1–5 分, 实为 {value!r}", **where, column=column)
    return n


def read_ratings(path: Path) -> list[RatingRow]:
    lookup = {h: f for f, hs in RATING_HEADERS.items() for h in hs}
    out = []
    for t in record_tables(path, lookup, ("target",)):
        for row, v in t.rows:
            where = {"file": t.file, "sheet": t.sheet, "row": row}
            for field in ("township", "target", "reporting", "cooperation"):
                if not v.get(field):
                    raise InputError(f"“{t.column(field)}”为空", **where, column=t.column(field))
            kind = "agency" if "派驻" in v.get("kind", "") else "department"
            out.append(RatingRow(v["township"], v["target"], kind,
                                 _score(v["reporting"], where, t.column("reporting")),
                                 _score(v["cooperation"], where, t.column("cooperation")), v.get("comment", ""),
                                 v.get("period", "") or str(dt.date.today().year), Path(t.file).name, t.sheet, row))
    if not out:
        raise InputError("文件中没有评价 (no ratings)", file=str(path))
    return out
