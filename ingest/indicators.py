"""Assessment indicators (考核细则), read from a table (xlsx/csv, or a table in a .docx): one indicator per row,
headers by synonym. Checking them against the lists is services/indicators.py."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.ingest.readers import record_tables

INDICATOR_HEADERS = {
    "indicator": ("指标", "考核指标", "指标名称", "考核内容", "考核项目", "二级指标", "三级指标", "考核事项"),
    "standard": ("评分标准", "考核标准", "评分细则", "计分方法", "考核要求", "指标说明", "评分办法"),
    "points": ("分值", "分数", "权重", "标准分", "满分"),
    "assessed": ("考核对象", "被考核单位", "适用对象", "考核范围", "被考核对象"),
    "kind": ("指标类型", "类型", "共性/个性", "指标类别", "类别"),
    "department": ("设定部门", "牵头部门", "考核部门", "责任部门", "提出部门", "评分单位", "指标设定单位"),
    "id": ("序号", "编号"),
}
_LOOKUP = {h: f for f, hs in INDICATOR_HEADERS.items() for h in hs}
ALL_TOWNSHIPS = re.compile(r"^$|各镇|镇\(街道\)|镇街|各乡镇|全体|所有|全市")


@dataclass
class Indicator:
    id: str
    indicator: str
    standard: str
    points: str
    assessed: list[str]  # township names; empty: every township
    kind: str  # 共性 | 个性 | ""
    department: str
    file: str
    sheet: str
    row: int


def _assessed(text: str, kind: str) -> list[str]:
    s = unicodedata.normalize("NFKC", text).strip()
    if kind == "共性" or ALL_TOWNSHIPS.search(s):
        return []
    return [p for p in re.split(r"[、,，;；\s]+", s) if p]


def read_indicators(path: Path) -> list[Indicator]:
    out = []
    for t in record_tables(path, _LOOKUP, ("indicator",)):
        for row, v in t.rows:
            if not v.get("indicator"):
                raise InputError(f"“{t.column('indicator')}”为空 (empty indicator)", file=t.file, sheet=t.sheet,
                                 row=row, column=t.column("indicator"))
            points = v.get("points", "")
            if points and not re.fullmatch(r"\d+(?:\.\d+)?\s*分?", points):
                raise InputError(f"分值应为数字, 不是「{points}」(points must be a number)", file=t.file,
                                 sheet=t.sheet, row=row, column=t.column("points"))
            kind = "共性" if "共性" in v.get("kind", "") else "个性" if "个性" in v.get("kind", "") else ""
            out.append(Indicator(v.get("id") or f"{t.sheet or 'csv'}-{row}", v["indicator"], v.get("standard", ""),
                                 points, _assessed(v.get("assessed", ""), kind), kind, v.get("department", ""),
                                 t.file, t.sheet, row))
    if not out:
        raise InputError("文件中没有考核指标 (no indicators)", file=str(path))
    return out
