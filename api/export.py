"""CSV and Excel export with Chinese headers (what users open in Excel/WPS): every `format=csv|xlsx` of the
API goes through `respond`, with its columns named here."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from dutygraph.graph import vocabulary as vocab
from fastapi import Query
from fastapi.responses import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_ALL = 100_000  # rows in one download: a province's worth of one kind
Format = Annotated[
    Literal["json", "csv", "xlsx"], Query(description="json, or a csv/xlsx download with Chinese headers")
]

ITEMS = {
    "name": "事项名称",
    "township": "乡镇(街道)",
    "part": "清单类别",
    "domain": "领域",
    "role": "角色",
    "leads": "牵头(主责)",
    "basis_status": "依据情况",
}
POST_ITEMS = {**ITEMS, "content": "具体内容"}
ORPHANS = {"name": "事项名称", "township": "乡镇(街道)", "part": "清单类别", "reason": "原因"}
TOWNSHIPS = {
    "name": "乡镇(街道)",
    "code": "区划代码",
    "kind": "类型",
    "list_date": "清单日期",
    "basic": "基本履职事项",
    "cooperative": "配合履职事项",
    "taken_back": "上级部门收回事项",
}
CONSISTENCY = {
    "name": "事项名称",
    "townships": "乡镇数",
    "spread": "差异度",
    "gaps": "缺口",
    "parts": "清单类别",
    "departments": "牵头部门",
    "bases": "法律依据",
}
FLAGGED_TASKS = {
    "date": "日期",
    "sender": "发文单位",
    "township": "接收乡镇",
    "title": "标题",
    "text": "内容",
    "verdict": "结论",
    "evidence": "依据",
    "matches": "匹配事项",
    "admission_history": "准入申请",
}
WORKLIST = {
    "township": "乡镇(街道)",
    "part": "清单类别",
    "item": "事项名称",
    "leads": "牵头(主责)",
    "posts": "责任岗位",
    "departments": "相关部门",
    "raw": "原依据",
    "status": "依据来源",
    "old_label": "原条号",
    "old_text": "原条文",
    "new_label": "新条号",
    "new_text": "新条文",
    "change": "变化",
    "action": "建议操作",
    "decision": "审核结论",
    "reviewer": "审核人",
    "reviewed_on": "审核日期",
}
RESERVED = {"name": "事项名称", "department": "保留部门", "basis": "依据", "note": "说明"}
SUGGESTIONS = {
    "township": "乡镇(街道)",
    "name": "事项名称",
    "part_cn": "清单类别",
    "rank": "建议序号",
    "reference": "建议依据",
    "text": "条文",
    "score": "得分",
    "why": "理由",
    "decision": "审核结论",
    "reviewer": "审核人",
}


def suggestion_rows(items: list[dict]) -> list[dict]:
    """The legal office's worklist: one row per item and suggestion, the decision columns left empty."""
    from dutygraph.graph.vocabulary import PARTS

    out = []
    for it in items:
        base = {"township": it["township"], "id": it["id"], "name": it["name"], "part_cn": PARTS.get(it["part"], "")}
        for k, s in enumerate(it["suggestions"] or [{}], 1):
            out.append({**base, "rank": k if s else "", "reference": s.get("reference", "（无建议）"),
                        "text": s.get("text", ""), "score": s.get("score", ""), "why": "；".join(s.get("why", [])),
                        "decision": "", "reviewer": ""})
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# a cell holding exactly one of the vocabulary's codes is written in its Chinese words (the API keeps the codes);
# a list part reads as the part's name before any other meaning of the same code
VALUE_WORDS = vocab.VALUE_WORDS


def _words(v: str) -> str:
    return vocab.in_words(v)


def _cell(v: object) -> object:
    if isinstance(v, list):
        v = "、".join(_words(str(x.get("name", x))) if isinstance(x, dict) else _words(str(x)) for x in v)
    elif isinstance(v, dict):
        v = "；".join(f"{k}:{x}" for k, x in v.items())
    if isinstance(v, str):
        v = _words(v)
    if isinstance(v, str) and v.startswith(FORMULA_START):
        # a text that Excel/WPS would run as a formula (=HYPERLINK(…)) is written as text
        return "'" + v
    return v


def table(rows: Iterable[dict], columns: dict[str, str]) -> list[list[object]]:
    return [list(columns.values())] + [[_cell(r.get(k)) for k in columns] for r in rows]


def disposition(filename: str, ext: str) -> dict[str, str]:
    """The header that makes a browser save `filename.ext` (UTF-8: Chinese names survive)."""
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}.{ext}"}


def _download(body: bytes, media: str, filename: str, ext: str) -> Response:
    return Response(body, media_type=media, headers=disposition(filename, ext))


def to_csv(rows: Iterable[dict], columns: dict[str, str], filename: str) -> Response:
    buf = io.StringIO()
    csv.writer(buf).writerows(table(rows, columns))
    # a BOM so that Excel opens UTF-8 as UTF-8
    return _download(("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", filename, "csv")


def workbook(sheets: Iterable[tuple[str, Iterable[dict], dict[str, str]]]) -> bytes:
    """An .xlsx of one sheet per (title, rows, columns): Chinese headers in bold, frozen, filtered, columns
    sized to their text and long text wrapped."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows, columns in sheets:
        ws = wb.create_sheet(title[:31])
        for r in table(rows, columns):
            ws.append(r)
        for c in ws[1]:
            c.font = Font(bold=True)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for col in ws.columns:
            width = max((len(str(c.value or "")) for c in col), default=8)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width * 1.6))
            if width > 40:
                for c in col[1:]:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(body: bytes, filename: str) -> Response:
    return _download(body, XLSX, filename, "xlsx")


def to_xlsx(rows: Iterable[dict], columns: dict[str, str], filename: str, sheet: str = "Sheet1") -> Response:
    return xlsx_response(workbook([(sheet, rows, columns)]), filename)


def export(fmt: str, rows: list[dict], columns: dict[str, str], filename: str) -> Response:
    return to_xlsx(rows, columns, filename, filename) if fmt == "xlsx" else to_csv(rows, columns, filename)


VERSIONS = {"date": "清单日期", "current": "现行", "source": "来源", "activated_at": "发布时间", "item_count": "事项数",
            "basic": "基本", "cooperative": "配合", "taken_back": "收回"}
DIFF = {"change_cn": "变化", "name": "事项名称", "part_from": "原类别", "part_to": "新类别", "details": "变化内容"}
REQUESTS = {"township": "乡镇(街道)", "kind_cn": "类型", "reason_type_cn": "理由类型",
            "reason": "理由", "evidence": "依据材料", "status_cn": "状态", "proposer": "申请人",
            "created_at": "提出时间", "deadline": "清理期限", "law": "相关法律"}
AUDIT = {"at": "时间", "who": "操作人", "role": "角色", "org": "单位", "action": "操作", "target": "对象",
         "before": "之前", "after": "之后", "detail": "说明"}
ADMISSIONS = {"department": "申请部门", "title": "任务", "status_cn": "状态",
              "summary": "自动审查结论", "applicant": "申请人", "created_at": "申请时间", "reviewer": "审核人",
              "comment": "审核意见"}


def respond(fmt: str, page: Callable[[], Any], everything: Callable[[], list[dict]], columns: dict[str, str],
            filename: Callable[[], str] | str) -> Any:
    """JSON: the page. csv/xlsx: every row (up to EXPORT_ALL) as a download with Chinese headers."""
    if fmt == "json":
        return page()
    rows = everything()
    return export(fmt, rows, columns, filename() if callable(filename) else filename)


ROUTED_COLUMNS = {"external_id": "工单号", "time": "受理时间", "township": "乡镇(街道)", "text": "诉求内容",
                  "sent_to": "承办单位", "route_cn": "分派结论", "item": "匹配事项", "part_cn": "清单类别",
                  "handler": "应由", "score": "相似度", "evidence": "依据",
                  "response_hours": "响应(小时)", "closing_hours": "办结(小时)"}
GROUP_COLUMNS = {"name": "单位", "total": "工单数", "basic": "基本", "cooperative": "配合", "taken_back": "收回",
                 "wrong_side": "派错一方", "unmatched": "清单外", "response_hours": "平均响应(小时)",
                 "closing_hours": "平均办结(小时)"}
ITEM_COLUMNS = {"township": "乡镇(街道)", "item": "事项", "part_cn": "清单类别", "count": "工单数"}


def report_workbook(routed: list[dict[str, Any]], stats: dict[str, Any]) -> bytes:
    """The routing report as one workbook: every record, then the statistics sheets (what users open in WPS)."""
    from dutygraph.graph.vocabulary import PARTS
    from dutygraph.services.records import ROUTES

    return workbook([
        ("工单分派", [{**r, "route_cn": ROUTES[r["route"]], "part_cn": PARTS.get(r["part"] or "", "")} for r in routed],
         ROUTED_COLUMNS),
        ("按乡镇", stats["by_township"], GROUP_COLUMNS),
        ("按承办单位", stats["by_department"], GROUP_COLUMNS),
        ("事项频次", [{**i, "part_cn": PARTS.get(i["part"], "")} for i in stats["items"]], ITEM_COLUMNS),
    ])


INDICATOR_COLUMNS = {"id": "序号", "indicator": "考核指标", "points": "分值", "township": "考核对象",
                     "department": "设定部门", "verdict_cn": "审查结论", "evidence": "依据", "matched": "匹配事项"}
INDICATOR_DEPARTMENTS = {"department": "设定部门", "total": "考核项次", "flagged": "问题项次",
                         "lead_shift": "配合事项要求牵头", "taken_back": "已收回事项", "off_list": "清单外事项"}


def indicator_workbook(checked: list[dict[str, Any]], result: dict[str, Any]) -> bytes:
    """The indicator review as one workbook: the flagged gradings, every grading, the departments."""
    from dutygraph.graph.vocabulary import VERDICTS

    rows = [{**c, "verdict_cn": VERDICTS[c["verdict"]], "matched": "；".join(m["name"] for m in c["matches"][:3])}
            for c in checked]
    return workbook([("问题指标", [r for r in rows if r["flagged"]], INDICATOR_COLUMNS),
                     ("全部审查", rows, INDICATOR_COLUMNS),
                     ("按设定部门", result["by_department"], INDICATOR_DEPARTMENTS)])

EVALUATION_ITEMS = {"name": "事项", "part_cn": "类别", "domain": "领域", "records": "工单", "tasks": "任务",
                    "uses": "履职次数", "closing_hours": "平均办结(小时)", "satisfaction": "满意率",
                    "answered": "回访数"}
EVALUATION_POSTS = {"post": "岗位", "items": "事项数", "uses": "履职次数", "overloaded": "负荷过重"}
HANDOVER = {"township": "乡镇(街道)", "item_name": "收回事项", "department": "承接部门", "office": "责任科室",
            "plan_date": "计划完成时间", "handover_date": "交接时间", "done_date": "完成时间", "status_cn": "状态",
            "files_done": "已移交资料数"}
RATINGS = {"unit": "被评价单位", "kind": "类型", "townships": "评价乡镇数", "reporting": "报到及时(平均分)",
           "cooperation": "配合履职(平均分)", "records": "工单数", "response_hours": "平均响应(小时)"}
