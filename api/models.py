"""Response models of the HTTP API (they are the OpenAPI schema)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    error: str = Field(examples=["not_found"])
    message: str = Field(examples=["没有找到法律「安全生产」(law not found)"])


class Health(BaseModel):
    status: str = "ok"
    backend: str = Field(examples=["falkordb"])
    counts: dict[str, int] = Field(examples=[{"Law": 64, "Article": 6475}])


class VersionSummary(BaseModel):
    date: str = Field(examples=["2021-06-10"])
    status: str | None = Field(examples=["current"])
    articles: int | None = None


class LawSummary(BaseModel):
    title: str = Field(examples=["中华人民共和国安全生产法"])
    short_title: str = Field(examples=["安全生产法"])
    category: str | None = None
    status: str | None = Field(default=None, examples=["current"])
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
    texts: list[str] = Field(min_length=1, max_length=1000,
                             examples=[["《安全生产法》第九条第二款、第十条", "相关法律法规"]])


class CitedProvision(BaseModel):
    law: str = Field(examples=["中华人民共和国安全生产法"], description="full title where the law is in the graph")
    article: int | None = Field(examples=[9], description="null where only the law is named")
    paragraph: int | None = Field(default=None, examples=[2], description="款")
    item: int | None = Field(default=None, examples=[None], description="项")
    raw: str = Field(examples=["《安全生产法》第九条第二款、第十条"])
