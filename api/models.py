"""Response models of the HTTP API (they are the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from dutygraph.graph.text import gate_problem
from pydantic import AfterValidator, BaseModel, Field


def _gated(kind: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        problem = gate_problem(value, kind)
        if problem:
            raise ValueError(problem)
        return value

    return check


# Every string a request body carries passes the text gate (graph/text.py): control characters refused, length
# bounded by what the field holds; pydantic names the field, the API answers 422.
Name = Annotated[str, AfterValidator(_gated("name"))]  # an item, a title
Org = Annotated[str, AfterValidator(_gated("org"))]  # a township, department or post
Short = Annotated[str, AfterValidator(_gated("short"))]
Text = Annotated[str, AfterValidator(_gated("text"))]  # a reason, a comment, a duty's content



class ErrorBody(BaseModel):
    error: str = Field(examples=["not_found"])
    message: str = Field(examples=["没有找到法律「安全生产」(law not found)"])


class Health(BaseModel):
    status: str = "ok"
    backend: str = Field(examples=["falkordb"])
    counts: dict[str, int] = Field(examples=[{"Law": 64, "Article": 6475}])


class Liveness(BaseModel):
    status: str = Field(examples=["live"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"], description="ready, or unavailable (with 503)")
    backend: str = Field(examples=["falkordb"])
    restarts: int = Field(0, description="times the embedded database was started again since this process began")
    warming: bool = Field(False, description="the item matcher is still being built at start-up (answers come, slower)")
    message: str = ""


class VersionSummary(BaseModel):
    date: str = Field(examples=["2021-06-10"])
    status: str | None = Field(examples=["current"])
    articles: int | None = None


class LawSummary(BaseModel):
    title: str = Field(examples=["中华人民共和国安全生产法"])
    short_title: str = Field(examples=["安全生产法"])
    category: str | None = None
    status: str | None = Field(default=None, examples=["current"])
    level: str | None = Field(default=None, examples=["法律"], description="效力层级")
    region: str | None = Field(default=None, description="地方性法规: 省份")
    issuer: str | None = Field(default=None, examples=["全国人民代表大会常务委员会"])
    versions: list[VersionSummary]
    replaced_by: list[str] = []


class PointOut(BaseModel):
    number: int
    text: str


class ParagraphOut(BaseModel):
    number: int
    text: str
    points: list[PointOut] = []


class ArticleOut(BaseModel):
    law: str = Field(examples=["中华人民共和国安全生产法"])
    version: str = Field(examples=["2021-06-10"])
    status: str | None = Field(examples=["current"])
    label: str = Field(examples=["第九条"])
    number: int = Field(examples=[9])
    part: str | None = None
    chapter: str | None = None
    section: str | None = None
    text: str
    paragraphs: list[ParagraphOut]


class BasisRequest(BaseModel):
    texts: list[str] = Field(
        min_length=1, max_length=1000, examples=[["《安全生产法》第九条第二款、第十条", "相关法律法规"]]
    )


class CitedProvision(BaseModel):
    law: str = Field(examples=["中华人民共和国安全生产法"], description="full title where the law is in the graph")
    cited: str = Field(default="", examples=["安全生产法"], description="the title as the cell writes it")
    matched: str | None = Field(default=None, description="the corpus law it matched, null if none")
    how: str = Field(default="none", examples=["short"],
                     description="exact | short | alias | traditional | decree | notice | fuzzy | ambiguous | none")
    score: float = Field(default=0.0, description="1 for exact/short/alias/decree; the similarity for fuzzy")
    candidates: list[str] = Field(default_factory=list, description="the laws an ambiguous title fits")
    level: str = Field(default="", examples=["法律"],
                       description="法律/行政法规/司法解释/部门规章/地方性法规/规范性文件")
    article: int | None = Field(examples=[9], description="null where only the law is named")
    paragraph: int | None = Field(default=None, examples=[2], description="款")
    item: int | None = Field(default=None, examples=[None], description="项")
    raw: str = Field(examples=["《安全生产法》第九条第二款、第十条"])


class OrgRef(BaseModel):
    id: str
    name: str | None = None
    label: str = Field(examples=["Department"], description="Department | Post | Agency")
    work_mode: str | None = None


class SuggestedArticle(BaseModel):
    label: str | None = None
    text: str | None = None


class BasisOut(BaseModel):
    raw: str = Field(examples=["《安全生产法》第九条第二款"])
    status: str = Field(examples=["resolved"], description="resolved|law_only|unresolved|unknown_law|suspicious|vague")
    note: str = ""
    law: str | None = Field(default=None, examples=["中华人民共和国安全生产法"])
    article: int | None = None
    paragraph: int | None = None
    point: int | None = None
    version: str | None = Field(default=None, examples=["2021-06-10"])
    version_status: str | None = None
    target: str | None = Field(default=None, examples=["Paragraph"])
    text: str | None = Field(default=None, description="text of the cited 条/款/项")
    article_text: str | None = None
    suggested: SuggestedArticle | None = None
    flags: list[str] = Field(default=[], examples=[["superseded_numbering"]])


class SourceRef(BaseModel):
    file: str | None = None
    sheet: str | None = None
    row: int | None = None


class ItemOut(BaseModel):
    id: str
    name: str = Field(examples=["生产经营单位安全生产状况监督检查"])
    township: str = Field(examples=["丁蜀镇"])
    part: str = Field(examples=["basic"])
    part_cn: str = Field(examples=["基本履职事项"])
    domain: str | None = None
    content: str | None = None
    county_duty: str | None = None
    township_duty: str | None = None
    work_mode: str | None = None
    power_type: str | None = None
    list_date: str | None = None
    current: bool | None = None
    basis_raw: str | None = None
    basis_status: str | None = None
    source: SourceRef
    lead: list[OrgRef]
    cooperating_departments: list[OrgRef]
    cooperating_posts: list[OrgRef]
    cooperating_agencies: list[OrgRef]
    basis: list[BasisOut]
    violations: list[str] = Field(description="exactly one lead per item is the rule; violations are listed here")


class ItemRow(BaseModel):
    id: str
    name: str
    township: str | None = None
    part: str | None = None
    domain: str | None = None
    role: str | None = Field(default=None, examples=["LED_BY"])
    basis_status: str | None = None
    leads: list[str] | None = None
    content: str | None = None


class ItemPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ItemRow]


class AgencyRow(BaseModel):
    id: str
    name: str
    township: str


class DepartmentOut(ItemPage):
    id: str = Field(examples=["市应急管理局"])
    name: str
    aliases: list[str] = Field(examples=[["市应急局"]])
    listed: bool = Field(description="false for a name the gazetteer does not know")
    counts: dict[str, int] = Field(examples=[{"LED_BY": 120, "TAKEN_BACK_BY": 300}])
    townships: dict[str, dict[str, int]] = Field(description="the first 100 townships by name, items by role")
    n_townships: int = Field(description="townships it has items in: all of them at /departments/{name}/townships")
    agencies: list[AgencyRow] = Field(description="the first 100 agencies it dispatches, by name")
    n_agencies: int


class DepartmentTownship(BaseModel):
    township: str
    counts: dict[str, int] = Field(examples=[{"LED_BY": 12, "TAKEN_BACK_BY": 30}])
    agencies: list[str] = Field(examples=[["丁蜀镇应急管理所"]])


class DepartmentTownships(BaseModel):
    id: str
    name: str
    total: int
    limit: int
    offset: int
    items: list[DepartmentTownship]


class PartCounts(BaseModel):
    total: int
    by_domain: dict[str, int]


class TownshipOut(BaseModel):
    id: str
    name: str = Field(examples=["丁蜀镇"])
    code: str | None = None
    kind: str | None = None
    list_id: str | None = None
    list_date: str | None = None
    parts: dict[str, PartCounts]
    posts: dict[str, dict[str, int]] = Field(description="post → {LED_BY: n, COOPERATED_BY: n}")


class TownshipRow(BaseModel):
    name: str
    code: str | None = None
    kind: str | None = None
    list_date: str | None = None
    basic: int
    cooperative: int
    taken_back: int


class PostOut(BaseModel):
    township: str
    post: str = Field(examples=["应急管理办公室"])
    total: int
    items: list[ItemRow]


class OrphanRow(BaseModel):
    id: str
    name: str
    township: str | None = None
    part: str | None = None
    reason: str


class OrphanPage(BaseModel):
    kind: str = Field(examples=["no_basis"])
    total: int
    items: list[OrphanRow]


class LeadViolation(BaseModel):
    id: str
    name: str
    township: str
    part: str
    leads: int


class ConsistencyVariant(BaseModel):
    township: str
    part: str
    departments: list[str]
    bases: list[str]


class ConsistencyRow(BaseModel):
    name: str
    townships: int
    spread: int = Field(description="how many of list part, lead department and legal basis differ (0–4)")
    gaps: int = Field(description="township–department and township–basis pairs missing for consistency")
    parts: list[str]
    departments: list[str]
    bases: list[str]
    variants: list[ConsistencyVariant] = Field(default=[], description="per township, with ?variants=true")


class ConsistencyPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ConsistencyRow]


class SearchHit(BaseModel):
    kind: str = Field(examples=["item"], description="law | department | item | article")
    id: str
    name: str
    rank: int
    township: str | None = None
    part: str | None = None
    law: str | None = None
    number: int | None = None
    snippet: str | None = None


class SearchPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[SearchHit]


class ListReportOut(BaseModel):
    township: str
    date: str
    list_id: str
    status: str
    rows_read: int
    items: dict[str, int]
    citations: dict[str, int]
    no_basis: int
    vague_bases: int
    unknown_organisations: list[dict]
    flagged_citations: list[dict]
    seconds: float


class ImpactRow(BaseModel):
    item_id: str
    item: str
    township: str
    part: str
    list_date: str | None = None
    leads: list[str]
    posts: list[str]
    departments: list[str]
    raw: str = Field(examples=["《中华人民共和国安全生产法》第八条第三款"])
    status: str | None = Field(default=None, description="the citation's status; suggested-accepted marks a basis "
                               "taken from a suggestion")
    old_label: str | None = Field(default=None, examples=["第八条第三款"])
    old_text: str | None = None
    new_label: str | None = Field(default=None, examples=["第九条第二款"])
    new_text: str | None = None
    change: str = Field(examples=["amended"], description="renumbered|amended|split|merged|deleted|missing|repealed")
    action: str = Field(examples=["审查修改后的条文 (review the changed text)"])


class ImpactOut(BaseModel):
    law: str
    from_: str = Field(alias="from", examples=["2014-08-31"])
    to: str = Field(examples=["2021-06-10"])
    total: int
    items_touched: int
    by_township: dict[str, int]
    by_department: dict[str, int]
    by_change: dict[str, int]
    limit: int = Field(description="rows of this page (the summaries count them all)")
    offset: int
    items: list[ImpactRow]

    model_config = {"populate_by_name": True}


class AlignedPair(BaseModel):
    old: int | None
    new: int | None
    change: str = Field(examples=["renumbered"])
    score: float
    old_text: str | None = None
    new_text: str | None = None


class DiffOut(BaseModel):
    law: str
    old: str
    new: str
    pairs: list[AlignedPair]


class AsOfBasis(BaseModel):
    raw: str
    law: str | None
    article: int | None
    version: str | None = Field(description="the version in force on the date")
    status: str | None = None
    text: str | None = None
    note: str = ""


class TaskIn(BaseModel):
    title: Name = Field(default="", examples=["危化品企业执法检查任务分解"])
    text: Text = Field(min_length=1,
                       examples=["各镇（街道）负责对辖区危险化学品企业开展执法检查，对违法行为立案查处。"])
    sender: Org = Field(default="", examples=["市安委办"])
    township: Org = Field(min_length=1, examples=["丁蜀镇"])
    date: dt.date | None = None
    deadline: str = ""
    store: bool = Field(default=True, description="keep the task and its verdict for the supervisors' report")


class TaskMatch(BaseModel):
    item_id: str
    name: str
    part: str
    score: float


class VerdictOut(BaseModel):
    title: str
    township: str
    verdict: str = Field(
        examples=["lead_shift"], description="basic | cooperative | lead_shift | taken_back | off_list | uncertain"
    )
    score: float
    evidence: str
    matches: list[TaskMatch]


class ReportTask(BaseModel):
    id: str
    title: str
    text: str
    sender: str
    sender_kind: str | None = None
    township: str | None = None
    date: str | None = None
    verdict: str
    score: float | None = None
    evidence: str | None = None
    matches: list[dict]
    admissions: list[dict] = Field(default_factory=list, description="the sender's 准入 applications that "
                                   "covered the township (id, title, status, created_at, matches_task)")
    admitted: bool = Field(False, description="an approved 准入 application matches the task")


class DelegationReport(BaseModel):
    total: int
    by_verdict: dict[str, int]
    by_department: dict[str, dict[str, int]]
    worst_offenders: list[dict]
    flagged: list[ReportTask]
