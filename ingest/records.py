"""12345 hotline and 吹哨 records, read from an export (xlsx/csv): one record per row, headers by synonym.
Routing them by the list is services/records.py."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.ingest.readers import decode_csv, norm_header, sheet_grids

RECORD_HEADERS = {
    "time": ("时间", "受理时间", "登记时间", "来电时间", "吹哨时间", "创建时间", "日期"),
    "township": ("乡镇", "镇街", "所属镇街", "所属乡镇", "乡镇(街道)", "镇(街道)", "属地", "吹哨镇街", "区域"),
    "text": ("内容", "诉求内容", "来电内容", "事件描述", "问题描述", "吹哨内容", "工单内容", "诉求描述"),
    "category": ("类别", "诉求类别", "事件类别", "问题类别", "分类"),
    "sent_to": ("派发单位", "承办单位", "交办单位", "报到部门", "处置单位", "责任单位", "派单对象"),
    "responded": ("响应时间", "签收时间", "报到时间", "首次响应时间"),
    "closed": ("办结时间", "结案时间", "完成时间", "处置完成时间"),
    "id": ("工单号", "编号", "事件编号", "序号"),
}
_LOOKUP = {h: f for f, hs in RECORD_HEADERS.items() for h in hs}


@dataclass
class Record:
    id: str
    time: str
    township: str
    text: str
    category: str
    sent_to: str
    responded: str
    closed: str
    file: str
    sheet: str
    row: int


def _records(grid: list[list[str]], file: str, sheet: str = "") -> list[Record]:
    head = next((i for i, r in enumerate(grid[:10]) if "text" in {_LOOKUP.get(norm_header(v)) for v in r}), None)
    if head is None:
        raise InputError("没有找到表头: 需要“内容”(诉求内容/事件描述)列 (no record header)", file=file, sheet=sheet,
                         row=1)
    cols: dict[str, int] = {}
    for j, v in enumerate(grid[head]):
        f = _LOOKUP.get(norm_header(v))
        if f and f not in cols:
            cols[f] = j
    if "township" not in cols:
        raise InputError("没有找到“乡镇(街道)”列 (no township column)", file=file, sheet=sheet, row=head + 1)
    out = []
    for i in range(head + 1, len(grid)):
        row = grid[i]
        if not any(str(v).strip() for v in row):
            continue
        values = {f: str(row[j]).strip() for f, j in cols.items() if j < len(row) and row[j]}
        for f in ("text", "township"):
            if not values.get(f):
                raise InputError(f"“{grid[head][cols[f]]}”为空 (empty {f})", file=file, sheet=sheet, row=i + 1,
                                 column=grid[head][cols[f]])
        out.append(Record(values.get("id") or f"{sheet or 'csv'}-{i + 1}", values.get("time", ""),
                          values["township"], values["text"], values.get("category", ""), values.get("sent_to", ""),
                          values.get("responded", ""), values.get("closed", ""), file, sheet, i + 1))
    return out


def read_records(path: Path) -> list[Record]:
    if not path.exists():
        raise InputError("文件不存在 (no such file)", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        records = [r for sheet, grid in sheet_grids(path) for r in _records(grid, str(path), sheet)]
    elif suffix == ".csv":
        records = _records(list(csv.reader(io.StringIO(decode_csv(path.read_bytes(), str(path))))), str(path))
    else:
        raise InputError(f"不支持的文件类型 {suffix} (use .xlsx or .csv)", file=str(path))
    if not records:
        raise InputError("文件中没有记录 (no records)", file=str(path))
    return records
