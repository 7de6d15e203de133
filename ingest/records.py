"""12345 hotline and 吹哨 records, read from an export (xlsx/csv/docx table): one record per row, headers by synonym.
Routing them by the list is services/records.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.ingest.readers import record_tables

# Headers as exports write them: 12345 work orders (工单号, 诉求内容, 承办单位, 签收/办结时间) and the 领导留言板 /
# 市民留言 pages that publish cases with their replies (留言时间, 留言内容, 回复单位, 办结日期; 来信时间, 来信内容).
RECORD_HEADERS = {
    "time": ("时间", "受理时间", "登记时间", "来电时间", "吹哨时间", "创建时间", "日期", "留言时间", "留言日期",
             "来信时间", "写信时间"),
    "township": ("乡镇", "镇街", "所属镇街", "所属乡镇", "乡镇(街道)", "镇(街道)", "属地", "吹哨镇街", "区域"),
    "text": ("内容", "诉求内容", "来电内容", "事件描述", "问题描述", "吹哨内容", "工单内容", "诉求描述", "留言内容",
             "来信内容", "信件内容"),
    "category": ("类别", "诉求类别", "事件类别", "问题类别", "分类", "留言类型", "信件类型"),
    "sent_to": ("派发单位", "承办单位", "交办单位", "报到部门", "处置单位", "责任单位", "派单对象", "回复单位",
                "回复部门", "答复单位", "办理单位"),
    "responded": ("响应时间", "签收时间", "报到时间", "首次响应时间"),
    "closed": ("办结时间", "结案时间", "完成时间", "处置完成时间", "办结日期", "回复时间", "答复时间"),
    "id": ("工单号", "编号", "事件编号", "序号", "信件编号"),
    "satisfaction": ("满意度", "回访结果", "满意度评价", "评价结果", "回访满意度", "群众评价"),
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
    external_id: str = ""  # the export's own number (工单编号), where it has one
    satisfaction: str = ""  # the 回访 result as exported: 满意 / 基本满意 / 不满意 (services/evaluation.py reads it)


def read_records(path: Path) -> list[Record]:
    out = []
    for t in record_tables(path, _LOOKUP, ("text",)):
        if "township" not in t.columns:
            raise InputError("没有找到“乡镇(街道)”列 (no township column)", file=t.file, sheet=t.sheet, row=1)
        for row, values in t.rows:
            for f in ("text", "township"):
                if not values.get(f):
                    raise InputError(f"“{t.column(f)}”为空 (empty {f})", file=t.file, sheet=t.sheet, row=row,
                                     column=t.column(f))
            out.append(Record(values.get("id") or f"{t.sheet or 'csv'}-{row}", values.get("time", ""),
                              values["township"], values["text"], values.get("category", ""),
                              values.get("sent_to", ""), values.get("responded", ""), values.get("closed", ""),
                              t.file, t.sheet, row, values.get("id", ""), values.get("satisfaction", "")))
    if not out:
        raise InputError("文件中没有记录 (no records)", file=str(path))
    return out
