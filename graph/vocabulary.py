"""The project's one vocabulary: every enumerated value the graph stores or the API returns, with its
Chinese label. Code, templates, exports and the query-name check all read these tables."""

from __future__ import annotations

import datetime as dt

# list parts: stored value → (the heading of the published list, the short word used in cells and reports)
PARTS: dict[str, str] = {"basic": "基本履职事项", "cooperative": "配合履职事项", "taken_back": "上级部门收回事项"}
PART_SHORT: dict[str, str] = {"basic": "基本", "cooperative": "配合", "taken_back": "收回"}

# orphan kinds, in the order the UI lists them; each has a query pair orphans.<kind> / orphans.<kind>_count
ORPHANS: dict[str, str] = {
    "no_basis": "没有法律依据",
    "vague_basis": "依据笼统",
    "unresolved": "引用无法解析",
    "superseded": "依据已修订/废止或旧条号",
    "no_lead": "没有责任岗位",
    "no_lead_department": "配合事项无牵头部门",
    "no_receiver": "收回事项无承接部门",
    "uncovered": "法定乡镇职责无事项引用",
}
ORPHAN_KINDS: tuple[str, ...] = tuple(ORPHANS)
ORPHAN_HELP: dict[str, str] = {
    "no_basis": "清单行没有写法律依据。",
    "vague_basis": "只写了“相关法律法规”之类, 没有具体条款。",
    "unresolved": "引用的法律不在图谱中, 或条/款/项不存在。",
    "superseded": "引用的条号属于旧版本(条文已移动), 或所引版本已被修订、废止。",
    "no_lead": "基本履职事项没有责任科室(岗位)。",
    "no_lead_department": "配合履职事项没有市级牵头部门。",
    "no_receiver": "上级部门收回事项没有承接部门。",
    "uncovered": "法律条文规定了乡镇(街道)的职责, 但没有任何事项引用它。",
}

# what a single item can be flagged with (DutyItem.flags, computed when its list is written): every orphan
# kind but `uncovered` (a property of the law, not of an item), and a broken one-lead rule
ITEM_FLAGS: tuple[str, ...] = tuple(k for k in ORPHAN_KINDS if k != "uncovered") + ("lead_violation",)
# per-list counts stored on DutyList (n_<flag>, n_<part>), summed over current lists for the province view
LIST_COUNTS: tuple[str, ...] = tuple(f"n_{k}" for k in (*ITEM_FLAGS, *PARTS))

# delegation verdicts for a task sent to a township; the flagged ones are 越单摊派
VERDICTS: dict[str, str] = {
    "basic": "基本履职",
    "cooperative": "配合履职",
    "lead_shift": "配合变牵头",
    "taken_back": "收回事项下压",
    "off_list": "清单外事项",
    "uncertain": "待人工判断",
}
FLAGGED: tuple[str, ...] = ("lead_shift", "taken_back", "off_list")
RECORD_ROUTES: dict[str, str] = {"routed": "按清单派发", "wrong_side": "派错一方", "unmatched": "清单外(待调整)"}

# citation status (Citation.status) and the flags of a basis in an item's chain
CITATION_STATUS: dict[str, str] = {
    "resolved": "已解析",
    "law_only": "仅法律名",
    "unresolved": "无法解析",
    "unknown_law": "法律不在图谱",
    "suspicious": "疑似旧条号",
    "vague": "依据笼统",
    "suggested-accepted": "采纳的建议依据",
}
BASIS_FLAGS: dict[str, str] = {
    "unresolved": "无法解析",
    "superseded_numbering": "旧条号",
    "repealed": "已废止",
    "superseded_version": "版本已修订",
    "vague": "笼统",
}
BASIS_STATE: dict[str, str] = {"cited": "有依据", "vague": "笼统", "none": "无依据", "suggested": "采纳建议依据"}

# law version status and the change of an article between two versions (SUCCEEDED_BY.change)
VERSION_STATUS: dict[str, str] = {"current": "现行有效", "superseded": "已被修订", "repealed": "已废止"}
CHANGES: dict[str, str] = {
    "unchanged": "未变",
    "renumbered": "条号变化",
    "amended": "修改",
    "split": "拆分",
    "merged": "合并",
    "deleted": "删除",
    "added": "新增",
    "missing": "旧版无此条",
    "repealed": "废止",
}

# who does what on an item (relationship types from items to organisations)
ROLES: dict[str, str] = {"LED_BY": "牵头", "COOPERATED_BY": "配合", "TAKEN_BACK_BY": "收回承接"}
SEARCH_KINDS: dict[str, str] = {"item": "事项", "law": "法律", "article": "条文", "department": "部门"}

# the list's life after publication (services/lifecycle.py)
DIFF_CHANGES: dict[str, str] = {"added": "新增", "removed": "删除", "moved": "调整类别", "changed": "内容变化"}
REQUEST_KINDS: dict[str, str] = {"add": "新增", "remove": "取消", "move": "调整类别", "split": "拆分", "merge": "合并",
                                 "reword": "修改表述"}
REASON_TYPES: dict[str, str] = {"law_change": "立改废释", "policy": "政策变化", "practice": "基层实践",
                                "citizens": "群众诉求", "assessment": "考核评估"}
REQUEST_STATUS: dict[str, str] = {"draft": "草稿(待提交)", "submitted": "待编办审核",
                                  "bianban_approved": "待合法性审核", "approved": "已批准(待发布)",
                                  "applying": "发布中", "applied": "已发布新版本", "rejected": "已退回"}
# the review steps in order: who decides, and the status each approval leads to
REVIEW_STEPS: dict[str, tuple[str, str, str]] = {
    "bianban": ("编办审核", "submitted", "bianban_approved"),
    "legal": ("司法局合法性审核", "bianban_approved", "approved"),
}
ADMISSION_STATUS: dict[str, str] = {"checked": "已自动审查, 待审核", "approved": "准入", "rejected": "不予准入"}
# who a token speaks for (DUTYGRAPH_API_TOKENS "token:role@organisation")
PRINCIPAL_ROLES: dict[str, str] = {"reader": "只读(监督)", "township": "乡镇(街道)", "department": "县级部门",
                                   "bianban": "编办审核人", "legal": "司法局审核人", "admin": "管理员",
                                   "cli": "命令行"}

# the audit log's actions as a person reads them (every action written by services/, ingest/ and the CLI)
AUDIT_ACTIONS: dict[str, str] = {
    "law.ingest": "导入法律文本", "list.upload": "上传清单", "list.sample": "载入样例清单",
    "data.reset": "清空数据", "data.restore": "恢复数据", "hotline.upload": "导入工单",
    "request.create": "提出调整申请", "request.submit": "提交申请", "request.review.bianban": "编办审核",
    "request.review.legal": "司法局合法性审核", "request.apply": "发布新版本", "request.recover": "发布中断后恢复",
    "admission.apply": "提出准入申请", "admission.decide": "准入审核", "admission.catalogue": "更新准入参考目录",
    "basis.accept": "采纳法律依据建议", "basis.reject": "不采纳法律依据建议", "task.decide": "人工判定任务",
    "sweep.load": "录入摸排条目", "draft.round": "生成清单草案", "draft.comment": "提出草案意见",
    "draft.publish": "草案发布为第一版清单", "handover.load": "导入交接方案", "handover.update": "更新交接进度",
    "rating.submit": "提交双向考评",
}

# node labels and relationship types as the graph explorer names them (one entry for each in graph/model.py)
LABEL_NAMES: dict[str, str] = {
    "Township": "乡镇(街道)",
    "DutyList": "清单",
    "DutyItem": "事项",
    "Department": "县级部门",
    "Post": "岗位",
    "Agency": "派驻机构",
    "Law": "法律",
    "LawVersion": "法律版本",
    "Article": "条",
    "Paragraph": "款",
    "Point": "项",
    "Citation": "依据引用",
    "Task": "下达任务",
    "ChangeRequest": "调整申请",
    "Review": "审核意见",
    "Admission": "准入申请",
    "AuditEntry": "操作日志",
    "Record": "热线/吹哨工单",
    "ReservedDuty": "准入参考目录事项",
    "DutyKey": "同名事项",
    "Tally": "计数",
}
REL_NAMES: dict[str, str] = {
    "HAS_LIST": "发布清单",
    "HAS_ITEM": "包含事项",
    "LED_BY": "牵头",
    "COOPERATED_BY": "配合",
    "TAKEN_BACK_BY": "收回承接",
    "POST_OF": "所属乡镇",
    "STATIONED_IN": "驻在",
    "DISPATCHED_BY": "派出部门",
    "HAS_BASIS": "法律依据",
    "REFERS_TO": "指向条文",
    "HAS_VERSION": "版本",
    "HAS_ARTICLE": "条",
    "HAS_PARAGRAPH": "款",
    "HAS_POINT": "项",
    "SUCCEEDED_BY": "修订后对应",
    "AMENDS": "修正",
    "SENT_BY": "发文单位",
    "SENT_TO": "接收乡镇",
    "MATCHES": "匹配事项",
    "INVOLVES": "涉及部门",
    "REQUESTED_FOR": "申请调整",
    "HAS_REVIEW": "审核",
    "APPLIED_AS": "发布为",
    "ADMISSION_FOR": "准入至",
    "ROUTED_TO": "工单匹配",
    "HAS_TALLY": "计数",
}


# every code above in its Chinese words, for a cell or field holding exactly one code (exports, the explorer's
# details); a list part reads as the part's name before any other meaning of the same code
VALUE_WORDS: dict[str, str] = {
    **ORPHANS, **ADMISSION_STATUS, **REQUEST_STATUS, **RECORD_ROUTES, **CHANGES, **VERSION_STATUS, **BASIS_STATE,
    **BASIS_FLAGS, **CITATION_STATUS, **VERDICTS, **ROLES, **AUDIT_ACTIONS, **PRINCIPAL_ROLES, **PARTS,
}


SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no DST since 1991: a fixed offset is exact


def local_time(value: str) -> str:
    """A stored ISO time as people in China read it, 2026-12-07 23:06 (UTC converted; no offset: as written);
    anything that is not a time comes back unchanged."""
    if "T" not in value:
        return value
    try:
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return (at.astimezone(SHANGHAI) if at.tzinfo else at).strftime("%Y-%m-%d %H:%M")


def in_words(value: object) -> str:
    """A stored value as a page or an export shows it: a code in its Chinese words, a time local, any other text
    without English glosses or internal ids (pages, exports and the graph explorer all go through here)."""
    from dutygraph.graph.text import readable

    if value is None:
        return ""
    text = str(value)
    if text in VALUE_WORDS:
        return VALUE_WORDS[text]
    shown = local_time(text)
    return shown if shown != text else readable(text)
