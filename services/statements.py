"""岗位职责说明书 (post duty statements): for each post of a township, the items it leads and cooperates on, the
legal basis of each, the departments it works with, and its workload (item count, and how often its items
occur in the kept hotline and 吹哨 records) — as Word documents (python-docx), one per post or a township's zip."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from dutygraph.graph.errors import NotFound
from dutygraph.graph.store import GraphStore
from dutygraph.graph.text import file_component
from dutygraph.graph.vocabulary import PART_SHORT


def statements(store: GraphStore, township: str) -> list[dict[str, Any]]:
    """Every post of the township's current list with its lead and cooperating items, by post name."""
    rows = store.query("statements.township_posts", township=township)
    if not rows:
        raise NotFound(f"「{township}」没有岗位事项 (no posts: unknown township or no current list)")
    counts = {r["id"]: r["records"] for r in store.query("records.item_counts", township=township)}
    posts: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = posts.setdefault(r["post"], {"township": township, "post": r["post"], "lead": [], "cooperate": [],
                                         "departments": set(), "records": 0})
        item = {**{k: r[k] for k in ("id", "name", "part", "domain", "content", "departments")},
                "bases": [b for b in r["bases"] if b] or ([r["basis_raw"]] if r["basis_raw"] else []),
                "records": counts.get(r["id"], 0)}
        p["lead" if r["role"] == "LED_BY" else "cooperate"].append(item)
        p["departments"].update(r["departments"])
        p["records"] += item["records"]
    for p in posts.values():
        p["departments"] = sorted(p["departments"])
        p["items"] = len(p["lead"]) + len(p["cooperate"])
    return [posts[k] for k in sorted(posts)]


def post_statement(store: GraphStore, township: str, post: str) -> dict[str, Any]:
    for p in statements(store, township):
        if p["post"] == post:
            return p
    raise NotFound(f"「{township}」没有岗位「{post}」(post not found)")


def _table(doc: Any, items: list[dict[str, Any]]) -> None:
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "事项", "类别", "法律依据", "协同部门", "工单数"), strict=True):
        cell.text = text
    for k, it in enumerate(items, 1):
        cells = table.add_row().cells
        values = (str(k), it["name"] + (f"\n{it['content']}" if it["content"] else ""), PART_SHORT.get(it["part"], ""),
                  "；".join(it["bases"]) or "无", "、".join(it["departments"]) or "—", str(it["records"]))
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def docx_bytes(p: dict[str, Any]) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_heading(f"{p['township']} {p['post']} 岗位职责说明书", level=0)
    doc.add_paragraph(f"依据现行履职事项清单生成, {dt.date.today().isoformat()}。")
    doc.add_heading("一、岗位概况", level=1)
    doc.add_paragraph(f"牵头(主责)事项 {len(p['lead'])} 项, 配合事项 {len(p['cooperate'])} 项, 共 {p['items']} 项; "
                      f"热线与吹哨工单涉及本岗位事项 {p['records']} 件。")
    for heading, items in (("二、牵头(主责)事项", p["lead"]), ("三、配合事项", p["cooperate"])):
        doc.add_heading(heading, level=1)
        if items:
            _table(doc, items)
        else:
            doc.add_paragraph("无")
    doc.add_heading("四、协同的县级部门", level=1)
    doc.add_paragraph("、".join(p["departments"]) or "无")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def filename(p: dict[str, Any]) -> str:
    return file_component(f"{p['township']}-{p['post']}-岗位职责说明书.docx", "岗位职责说明书.docx")


def township_zip(store: GraphStore, township: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in statements(store, township):
            z.writestr(filename(p), docx_bytes(p))
    return buf.getvalue()
