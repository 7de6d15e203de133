"""Laws: titles, versions, articles and the text of a version. Named queries in, pydantic-ready dicts out;
routes, pages and the CLI use this service, never a driver."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from dutygraph.graph.errors import NotFound
from dutygraph.graph.rules import version_in_force
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.numerals import NUMERAL, cn_to_int
from dutygraph.ingest.titles import cached_titles


def assemble_paragraphs(rows: list[dict]) -> list[dict]:
    """Rows of (paragraph, point) from laws.article → [{number, text, points: [...]}] in order."""
    paragraphs: dict[int, dict] = {}
    for r in rows:
        if r["paragraph"] is None:
            continue
        para = paragraphs.setdefault(
            r["paragraph"], {"number": r["paragraph"], "text": r["paragraph_text"], "points": []}
        )
        if r["point"] is not None:
            para["points"].append({"number": r["point"], "text": r["point_text"]})
    return [paragraphs[k] for k in sorted(paragraphs)]


# a law's title (in 《》 or not), then 第X条 in Chinese or Arabic numerals, and nothing else
CITATION = re.compile(rf"^《?([^《》\s第]{{2,60}}?)》?\s*第({NUMERAL})条$")


class LawService:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def corpus(self) -> list[dict[str, Any]]:
        """Where the loaded law texts come from: versions per source format, the latest version date."""
        return self.store.cached(("laws.corpus",), lambda: self.store.query("laws.corpus"))

    def counts(self) -> dict[str, int]:
        return self.store.label_counts()

    def laws(self, q: str = "", limit: int = 50) -> list[dict[str, Any]]:
        if not q.strip():
            return self.store.query("laws.list_laws")
        found = cached_titles(self.store)[0].match(q.strip())
        ids = [found.law_id] if found.law_id else list(found.candidates)
        rows = self.store.query("laws.search_laws", q=q.strip(), ids=ids, limit=limit)
        # the resolver's answer first (信息公开条例 → 中华人民共和国政府信息公开条例), then shortest titles
        return sorted(rows, key=lambda r: (r["title"] not in ids, len(r["title"]), r["title"]))

    def find_law(self, law: str) -> dict[str, Any]:
        """A law by full or short title; otherwise through the title resolver (alias, traditional, fuzzy)."""
        rows = self.store.query("laws.find_law", law=law.strip())
        if not rows:
            found = cached_titles(self.store)[0].match(law.strip())
            if found.law_id:
                rows = self.store.query("laws.law_by_id", id=found.law_id)
        if not rows:
            raise NotFound(f"没有找到法律「{law}」(law not found); 可用全称或简称, 如 安全生产法")
        return rows[0]

    def citation(self, q: str) -> dict[str, Any] | None:
        """What a lawyer types into a search box, "消防法 第三十一条" / "《安全生产法》第9条": the law (by any title
        the resolver knows) and the article number, when the law exists and the current version has the article."""
        m = CITATION.match(unicodedata.normalize("NFKC", q).strip())
        if not m:
            return None
        try:
            law, number = self.find_law(m.group(1).strip("《》<> ")), cn_to_int(m.group(2))
        except (NotFound, ValueError):
            return None
        if not self.store.query("laws.article_exists", law_id=law["id"], number=number)[0]["n"]:
            return None
        return {"title": law["title"], "article": number, "law_id": law["id"]}

    def versions(self, law_id: str) -> list[dict[str, Any]]:
        """Every version of a law, oldest first."""
        return self.store.query("laws.law_versions", law_id=law_id)

    def version_in_force(self, law_id: str, date: str | None) -> dict[str, Any]:
        found = version_in_force(self.versions(law_id), date)
        if found is None:
            raise NotFound(f"「{law_id}」在 {date} 尚无生效版本 (no version in force on that date)")
        return found

    def article(self, law: str, number: int, date: str | None) -> dict[str, Any]:
        found = self.find_law(law)
        version = self.version_in_force(found["id"], date)
        rows = self.store.query("laws.article", version_id=version["id"], number=number)
        if not rows:
            raise NotFound(f"「{found['title']}」({version['date']} 版) 没有第 {number} 条 (article not found)")
        head = {k: rows[0][k] for k in ("label", "number", "part", "chapter", "section", "text")}
        return {
            "law": found["title"],
            "version": version["date"],
            "status": version["status"],
            **head,
            "paragraphs": assemble_paragraphs(rows),
        }

    def text(self, law: str, date: str | None) -> dict[str, Any]:
        """A whole version for reading: the law, its versions, the chosen one, its articles with 款 and headings."""
        found = self.find_law(law)
        versions = self.versions(found["id"])
        chosen = self.version_in_force(found["id"], date)
        articles: dict[int, dict] = {}
        for x in self.store.query("laws.version_text", id=chosen["id"]):
            a = articles.setdefault(x["number"], {"number": x["number"], "label": x["label"], "paragraphs": []})
            if x["paragraph"] is not None:
                a["paragraphs"].append({"text": x["paragraph_text"], "points": []})
        heads = {x["number"]: x for x in self.store.query("laws.article_heads", id=chosen["id"])}
        citing = self.citing(found["title"], chosen["id"])
        toc: list[dict[str, Any]] = []
        for n, a in articles.items():
            a.update(chapter=heads.get(n, {}).get("chapter"), section=heads.get(n, {}).get("section"),
                     citing=citing.get(n, []))
            if a["chapter"] and (not toc or toc[-1]["chapter"] != a["chapter"]):
                toc.append({"chapter": a["chapter"], "number": n, "cited": 0})
            if toc:
                toc[-1]["cited"] += len(a["citing"])
        return {"law": found, "versions": versions, "version": chosen, "articles": list(articles.values()),
                "toc": toc}

    def article_history(self, law: str, number: int, date: str | None) -> dict[str, Any]:
        """法规变迁 of one article: its text in every version of the law (found through the content alignment, so
        a renumbered article is followed), each marked 新增 / 修改 / 未变 / 无对应条文 against the version before."""
        art = self.article(law, number, date)
        found = self.find_law(law)
        versions = self.versions(found["id"])
        chosen = next(v for v in versions if v["date"] == art["version"])
        aid = f"{chosen['id']}#{art['label']}"
        timeline, before = [], None
        for v in versions:
            if v["id"] == chosen["id"]:
                here = {"label": art["label"], "number": art["number"], "text": art["text"]}
            else:
                rows = self.store.query("laws.article_counterpart", id=aid, version_id=v["id"])
                here = rows[0] if rows else None
            text = here["text"] if here else None
            change = ("无对应条文" if text is None else "新增" if before is None else
                      "未变" if text == before else "修改")
            timeline.append({"date": v["date"], "status": v["status"], "label": here["label"] if here else "",
                             "number": here["number"] if here else None, "text": text, "change": change,
                             "current": v["id"] == chosen["id"]})
            before = text
        return {"law": found, "article": art, "timeline": timeline,
                "citing": self.citing(found["title"], chosen["id"]).get(art["number"], [])}

    def citing(self, title: str, version_id: str) -> dict[int, list[dict[str, Any]]]:
        """Per article number, the duties citing it (its 款 and 项 included): name, part and in how many
        townships, the most widely listed first."""
        merged: dict[tuple[int, str, str], int] = {}
        for r in self.store.query("laws.citing_items", title=title, id=version_id):
            key = (r["number"], r["part"], r["name"])
            merged[key] = max(merged.get(key, 0), r["townships"])
        out: dict[int, list[dict[str, Any]]] = {}
        for (number, part, name), towns in merged.items():
            out.setdefault(number, []).append({"name": name, "part": part, "townships": towns})
        for rows in out.values():
            rows.sort(key=lambda r: (-r["townships"], r["part"], r["name"]))
        return out
