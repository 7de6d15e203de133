"""The graph model, declared once: node labels, relationship types and their properties.

Everything that writes Cypher takes labels and types from here (never from input); the schema DDL,
the lint declarations for Neo4j's parser and graph/SCHEMA.md are generated from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dutygraph.graph.vocabulary import LIST_COUNTS


@dataclass(frozen=True)
class NodeSpec:
    label: str
    doc: str
    properties: tuple[str, ...]
    key: str = "id"
    indexed: tuple[str, ...] = ()  # properties looked up besides the key
    fulltext: tuple[str, ...] = ()  # properties searched as Chinese text
    derived: bool = False  # materialised analytics (ingest/analytics.py): rebuilt from the rest
    browsable: bool = True  # shown by the graph explorer (workflow records have their own pages)


@dataclass(frozen=True)
class RelSpec:
    type: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    doc: str
    properties: tuple[str, ...] = field(default=())


TOWNSHIP = NodeSpec("Township", "乡镇/街道/功能区 (township-level unit)",
                    ("id", "name", "code", "kind", "county"), indexed=("name",))
DUTY_LIST = NodeSpec("DutyList", "一个乡镇某日期发布的履职事项清单版本; current=true 为现行版本, "
                     "activated_at 非空为曾经发布的历史版本; n_* 为写入时计算的统计 (counts computed when written)",
                     ("id", "township_id", "township_name", "date", "current", "source", "loaded_at", "item_count",
                      "activated_at", "cited", "item_roles", *LIST_COUNTS),
                     indexed=("township_id", "current"))
DUTY_ITEM = NodeSpec(
    "DutyItem", "履职事项 (duty item) of one list part: basic 基本 / cooperative 配合 / taken_back 收回",
    ("id", "township_id", "key", "digest", "part", "seq", "name", "norm_name", "domain", "subdomain",
     "content", "county_duty", "township_duty", "work_mode", "power_type", "basis_raw",
     "basis_status", "vague", "remark", "source_file", "source_sheet", "source_row", "firstseen",
     "lastupdated", "flags", "rejected", "roles"),
    # roles: "LED_BY|Post|name" strings, a copy of the item's LED_BY/COOPERATED_BY/TAKEN_BACK_BY edges written with
    # them (an item's edges never change: its id hashes its row), so a law's impact reads 1,833 items' roles
    # with their citations instead of a second statement (null on items written before: read from the edges).
    # no index on part: with three values it only misleads the planner into scanning every item. No full-text
    # index: FalkorDB rebuilds it at every start (7.4 s of a 7.7 s start at 10×, 70k items), and substring
    # search with every term required finds what it found
    # an unchanged item is one node shared by the list versions that hold it (its id hashes its content)
    indexed=("norm_name", "township_id", "key"))
DEPARTMENT = NodeSpec("Department", "县(市)级部门 (county-level department); overview_*: its answer's head over the "
                      "current lists (townships, items by role, first rows), kept by ingest/analytics.py after "
                      "every list switch and valid while overview_epoch is the ListEpoch's n",
                      ("id", "name", "aliases", "kind", "overview_epoch", "overview_townships", "overview_sums",
                       "overview_rows", "overview_heads"), indexed=("name",), fulltext=("name",))
POST = NodeSpec("Post", "乡镇内设机构或岗位 (township office / post)",
                ("id", "name", "township_id", "kind"), indexed=("name", "township_id"))
AGENCY = NodeSpec("Agency", "派驻机构 (dispatched agency: 派出所, 市场监管所 …)",
                  ("id", "name", "kind", "township_id"), indexed=("name",))
LAW = NodeSpec("Law", "法律/行政法规/司法解释/部门规章/地方性法规 (a law, across its versions); level 效力层级",
               ("id", "title", "short_title", "category", "status", "level", "region", "issuer"),
               indexed=("title", "short_title"),
               fulltext=("title",))
LAW_VERSION = NodeSpec(
    "LawVersion", "法律的一个版本 (text as adopted/amended on date); status current|superseded|repealed",
    ("id", "law_id", "title", "date", "status", "source_file", "source_format", "history",
     "content_hash", "article_count", "decree", "shape", "township_paragraphs"),
    indexed=("law_id", "date"))
ARTICLE = NodeSpec("Article", "条 (article) of a law version; in a document without 条, a numbered section (一、)",
                   ("id", "version_id", "number", "label", "part", "chapter", "section", "text"),
                   # no full-text index on article text: with the whole corpus (80k articles) FalkorDB spends
                   # 15 s rebuilding it at every start, and substring search finds what it would
                   indexed=("version_id", "number"))
PARAGRAPH = NodeSpec("Paragraph", "款 (paragraph) of an article", ("id", "article_id", "number", "text"))
POINT = NodeSpec("Point", "项 (item) of a paragraph", ("id", "paragraph_id", "number", "text"))
CITATION = NodeSpec(
    "Citation", "法律依据引用 as written in a list row, with its resolution status",
    ("id", "item_id", "raw", "law_title", "article", "paragraph", "point", "status", "note",
     "suggested", "version_id", "decided_by", "decided_at"),
    indexed=("item_id", "status", "law_title"))
TASK = NodeSpec("Task", "上级下达给乡镇的任务 (a task sent to a township), with its verdict",
                ("id", "title", "text", "sender", "date", "deadline", "verdict", "score", "evidence", "township",
                 "auto_verdict", "reviewer", "reviewed_at", "note", "lock"),
                indexed=("verdict", "date"))

CHANGE_REQUEST = NodeSpec(
    "ChangeRequest", "清单调整申请: kind add|remove|move|split|merge|reword, reason_type, evidence; payload (JSON) "
    "holds the items removed and the rows added; status draft → submitted → bianban_approved → approved → applied "
    "| rejected",
    ("id", "township_id", "kind", "reason_type", "reason", "evidence", "payload", "status", "proposer", "org",
     "created_at", "deadline", "law", "applied_list_id", "status_at", "lock"),
    indexed=("township_id", "status"), browsable=False)
REVIEW = NodeSpec("Review", "一个审核步骤的意见 (step bianban|legal): reviewer, decision, comment, date",
                  ("id", "step", "reviewer", "org", "decision", "comment", "date"), browsable=False)
ADMISSION = NodeSpec("Admission", "事项准入申请: a county department asks to give townships a task; check (JSON) "
                     "holds the automatic review per township",
                     ("id", "department", "title", "text", "townships", "status", "check", "applicant", "created_at",
                      "reviewer", "comment", "decided_at", "lock"), indexed=("department", "status"),
                     browsable=False)
AUDIT_ENTRY = NodeSpec("AuditEntry", "操作日志 (append-only): who, role, when, action, target, before/after ids",
                       ("id", "at", "who", "role", "org", "action", "target", "before", "after", "detail"),
                       indexed=("at", "action"), browsable=False)
RESERVED_DUTY = NodeSpec("ReservedDuty", "准入参考目录: a duty that must stay with a county department (loaded from a "
                         "file; an application to give it to townships is flagged)",
                         ("id", "name", "department", "basis", "note", "source"), browsable=False)
RECORD = NodeSpec("Record", "12345 热线 / 吹哨 工单 routed by the list: route routed|wrong_side|unmatched, the part "
                  "of the matched item, who should handle it, response and closing hours; pending = the upload still "
                  "being written (invisible until its last statement clears it)",
                  ("id", "time", "township", "text", "category", "sent_to", "sent_side", "route", "part", "handler",
                   "score", "evidence", "response_hours", "closing_hours", "source", "pending", "external_id",
                   "satisfaction"),
                  indexed=("township", "route", "pending"), browsable=False)
DUTY_KEY = NodeSpec("DutyKey", "同名事项 across townships (normalised name): consistency, maintained at each list "
                    "switch from its tallies", ("key", "name", "towns", "spread", "gaps", "parts", "departments",
                                                "bases"), key="key", indexed=("spread",), derived=True)
GENERATION = NodeSpec("Generation", "one node: a number raised after every write, so each process knows whether "
                      "the results it keeps (graph/memo.py) still describe the graph (Neo4j; FalkorDB keeps it "
                      "in two keys beside the graph)", ("id", "epoch", "n"),
                      browsable=False)
LIST_EPOCH = NodeSpec("ListEpoch", "one node: a number raised in the statement that switches lists (and when a "
                      "list's departments or a township's name are written again), so a department's kept overview "
                      "is used only while it describes the current lists", ("id", "n"), derived=True,
                      browsable=False)
WORDING = NodeSpec("Wording", "one item text (name, part, content) and the items across lists that carry it, written "
                   "with the items: what the substring search scans (a county's townships publish much the same "
                   "items: 353 wordings for the 70,656 items of the 10× graph)", ("id", "name", "part", "content"),
                   browsable=False)
TALLY = NodeSpec("Tally", "how many current lists give a DutyKey one value (dim town|part|dept|basis|name)",
                 ("id", "key", "dim", "value", "n"), derived=True)

HANDOVER_PLAN = NodeSpec(
    "HandoverPlan", "收回事项的交接方案: the county department and office taking a duty back, dates (plan, handed "
    "over, "
    "completed), procedure steps, the file list (files: JSON name → state), status planned | in_progress | "
    "handed_over | done (overdue is computed against today)",
    ("id", "township", "item_id", "item_name", "department", "office", "plan_date", "handover_date", "done_date",
     "steps", "files", "status", "evidence", "source", "updated_at", "updated_by"),
    indexed=("township", "department"), browsable=False)
RATING = NodeSpec(
    "Rating", "双向考评: a township rates a county department (报到, 配合) or a dispatched agency it hosts, per "
    "period, "
    "scores 1–5 with a comment",
    ("id", "township", "target", "target_kind", "period", "reporting", "cooperation", "comment", "created_at",
     "rater"),
    indexed=("township", "target"), browsable=False)
SWEEP_ENTRY = NodeSpec(
    "SweepEntry", "起底摸排的原始条目: one official's entry of what the office does, with its provenance (file, "
    "sheet, row); id from its content",
    ("id", "township", "seq", "text", "source", "post", "reporter", "date", "file", "sheet", "row", "loaded_at"),
    indexed=("township",), browsable=False)
DRAFT_ROUND = NodeSpec(
    "DraftRound", "编制中的清单草案的一轮 (三上三下): items (JSON) are the proposed duties with their decisions, "
    "set_aside (JSON) the entries set aside; status open → closed (the next round made) | published",
    ("id", "township", "round", "items", "set_aside", "status", "created_at", "created_by", "note", "list_id",
     "lock"),
    indexed=("township",), browsable=False)
DRAFT_COMMENT = NodeSpec(
    "DraftComment", "一轮草案中对某一事项的意见: reviewer kind (镇村干部, 专家学者, 两代表一委员, 服务对象, 市级部门, "
    "司法局, 保密审查), who, the item's key, the text",
    ("id", "round_id", "item_key", "kind", "reviewer", "text", "created_at"), indexed=("round_id",),
    browsable=False)

# records of the work done with the lists, which no answer kept per process reads (tests/test_memo.py checks the
# kept services' statements): a write of only these leaves the kept answers (graph/catalog.py, Query.domain)
WORKFLOW_LABELS: tuple[str, ...] = ("Record", "Task", "AuditEntry", "ChangeRequest", "Review", "Admission",
                                    "SweepEntry", "DraftRound", "DraftComment", "HandoverPlan", "Rating")

NODES: tuple[NodeSpec, ...] = (TOWNSHIP, DUTY_LIST, DUTY_ITEM, DEPARTMENT, POST, AGENCY, LAW,
                               LAW_VERSION, ARTICLE, PARAGRAPH, POINT, CITATION, TASK, CHANGE_REQUEST, REVIEW,
                               ADMISSION, AUDIT_ENTRY, RESERVED_DUTY, RECORD, DUTY_KEY, TALLY, WORDING, GENERATION,
                               LIST_EPOCH, SWEEP_ENTRY, DRAFT_ROUND, DRAFT_COMMENT, HANDOVER_PLAN, RATING)

RELS: tuple[RelSpec, ...] = (
    RelSpec("HAS_LIST", ("Township",), ("DutyList",), "乡镇发布的清单版本"),
    RelSpec("HAS_ITEM", ("DutyList",), ("DutyItem",), "清单包含的事项"),
    RelSpec("LED_BY", ("DutyItem",), ("Post", "Department"), "牵头/主责: a township post for 基本, "
            "the county department for 配合"),
    RelSpec("COOPERATED_BY", ("DutyItem",), ("Post", "Department", "Agency"), "配合/协助"),
    RelSpec("TAKEN_BACK_BY", ("DutyItem",), ("Department",), "收回事项的承接部门", ("work_mode",)),
    RelSpec("POST_OF", ("Post",), ("Township",), "内设机构/岗位所属乡镇"),
    RelSpec("STATIONED_IN", ("Agency",), ("Township",), "派驻机构驻在乡镇"),
    RelSpec("DISPATCHED_BY", ("Agency",), ("Department",), "派驻机构的派出部门"),
    RelSpec("HAS_BASIS", ("DutyItem",), ("Citation",), "事项的法律依据引用"),
    RelSpec("REFERS_TO", ("Citation",), ("Article", "Paragraph", "Point", "LawVersion"),
            "引用解析到的条/款/项 of the version in force on the list date (LawVersion: law cited without article)"),
    RelSpec("HAS_VERSION", ("Law",), ("LawVersion",), "法律的版本"),
    RelSpec("HAS_ARTICLE", ("LawVersion",), ("Article",), "版本中的条"),
    RelSpec("HAS_PARAGRAPH", ("Article",), ("Paragraph",), "条中的款"),
    RelSpec("HAS_POINT", ("Paragraph",), ("Point",), "款中的项"),
    RelSpec("SUCCEEDED_BY", ("LawVersion", "Article", "Paragraph"), ("LawVersion", "Article", "Paragraph"),
            "版本承继 (old → new, also across titles when a law is replaced); for articles the "
            "content alignment", ("change", "score", "kind")),
    RelSpec("AMENDS", ("LawVersion",), ("Law",), "修正案/修正决定 amends the law (date: adopted)", ("date",)),
    RelSpec("SENT_BY", ("Task",), ("Department",), "任务发文单位"),
    RelSpec("SENT_TO", ("Task",), ("Township",), "任务接收乡镇"),
    RelSpec("MATCHES", ("Task",), ("DutyItem",), "任务匹配到的清单事项", ("score", "rank")),
    RelSpec("INVOLVES", ("DutyList",), ("Department",), "清单中由该部门牵头/配合/承接的事项数 (written with the list)",
            ("role", "n")),
    RelSpec("HAS_TALLY", ("DutyKey",), ("Tally",), "同名事项的计数"),
    RelSpec("WORDED", ("DutyItem",), ("Wording",), "事项的文字 (shared by the copies of one text)"),
    RelSpec("REQUESTED_FOR", ("ChangeRequest",), ("Township",), "申请调整的乡镇清单"),
    RelSpec("HAS_REVIEW", ("ChangeRequest", "Admission"), ("Review",), "审核步骤"),
    RelSpec("APPLIED_AS", ("ChangeRequest",), ("DutyList",), "批准后发布的新版本"),
    RelSpec("ADMISSION_FOR", ("Admission",), ("Township",), "准入申请涉及的乡镇"),
    RelSpec("ROUTED_TO", ("Record",), ("DutyItem",), "工单匹配到的清单事项 (by the delegation matcher)", ("score",)),
)

LABELS = tuple(n.label for n in NODES)
BROWSABLE = tuple(n.label for n in NODES if n.browsable and not n.derived)
REL_TYPES = tuple(r.type for r in RELS)
PROPERTY_KEYS = tuple(sorted({p for n in NODES for p in n.properties} | {p for r in RELS for p in r.properties}))


def node(label: str) -> NodeSpec:
    for spec in NODES:
        if spec.label == label:
            return spec
    raise KeyError(label)


def schema_markdown() -> str:
    """The schema document (graph/SCHEMA.md), generated so it cannot drift from the code."""
    lines = ["# DutyGraph schema", "", "Generated by `dutygraph schema` from graph/model.py.", "",
             "## Nodes", "", "| label | meaning | key | indexed | full-text | properties |",
             "|---|---|---|---|---|---|"]
    for n in NODES:
        lines.append(f"| {n.label} | {n.doc} | {n.key} | {', '.join(n.indexed)} | "
                     f"{', '.join(n.fulltext)} | {', '.join(n.properties)} |")
    lines += ["", "## Relationships", "", "| type | from | to | meaning | properties |", "|---|---|---|---|---|"]
    for r in RELS:
        lines.append(f"| {r.type} | {', '.join(r.source)} | {', '.join(r.target)} | {r.doc} | "
                     f"{', '.join(r.properties)} |")
    return "\n".join(lines) + "\n"
