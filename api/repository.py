"""Read access for the API and UI: named queries in, pydantic-ready dicts out. Routes depend on this,
never on a driver."""

from __future__ import annotations

from typing import Any

from graph.errors import NotFound
from graph.store import GraphStore


def assemble_paragraphs(rows: list[dict]) -> list[dict]:
    """Rows of (paragraph, point) from laws.article → [{number, text, points: [...]}] in order."""
    paragraphs: dict[int, dict] = {}
    for r in rows:
        if r["paragraph"] is None:
            continue
        para = paragraphs.setdefault(r["paragraph"], {"number": r["paragraph"], "text": r["paragraph_text"],
                                                      "points": []})
        if r["point"] is not None:
            para["points"].append({"number": r["point"], "text": r["point_text"]})
    return [paragraphs[k] for k in sorted(paragraphs)]


class Repository:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def counts(self) -> dict[str, int]:
        return {r["label"]: r["n"] for r in self.store.query("admin.counts")}

    def laws(self) -> list[dict[str, Any]]:
        return self.store.query("laws.list_laws")

    def find_law(self, law: str) -> dict[str, Any]:
        rows = self.store.query("laws.find_law", law=law.strip())
        if not rows:
            raise NotFound(f"没有找到法律「{law}」(law not found); 可用全称或简称, 如 安全生产法")
        return rows[0]

    def version_in_force(self, law_id: str, date: str | None) -> dict[str, Any]:
        rows = self.store.query("laws.version_in_force", law_id=law_id, date=date)
        if not rows:
            raise NotFound(f"「{law_id}」在 {date} 尚无生效版本 (no version in force on that date)")
        return rows[0]

    def article(self, law: str, number: int, date: str | None) -> dict[str, Any]:
        found = self.find_law(law)
        version = self.version_in_force(found["id"], date)
        rows = self.store.query("laws.article", version_id=version["id"], number=number)
        if not rows:
            raise NotFound(f"「{found['title']}」({version['date']} 版) 没有第 {number} 条 (article not found)")
        head = {k: rows[0][k] for k in ("label", "number", "part", "chapter", "section", "text")}
        return {"law": found["title"], "version": version["date"], "status": version["status"],
                **head, "paragraphs": assemble_paragraphs(rows)}
