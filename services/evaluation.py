"""清单执行评估: how a township's list worked in a period — per item how often it was exercised (12345 / 吹哨
records routed to it, tasks matched to it), how its cases closed and how satisfied people were; dormant items,
overloaded posts, and the change requests they suggest (opened as drafts in the request workflow on demand)."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from dutygraph.graph.errors import NotFound
from dutygraph.graph.store import GraphStore
from dutygraph.graph.vocabulary import PARTS
from dutygraph.services.lifecycle import ChangeRequests, Principal

SATISFIED = {"满意": 1.0, "非常满意": 1.0, "基本满意": 0.5, "不满意": 0.0, "非常不满意": 0.0}
OVERLOAD = 2.0  # a post carrying more than twice the township's mean uses per post is overloaded


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 1) if xs else None


def evaluate(store: GraphStore, township: str, period: str) -> dict[str, Any]:
    rows = store.query("after.item_use", township=township, period=period)
    if not rows:
        raise NotFound(f"「{township}」没有现行清单 (no current list)")
    items = []
    posts: dict[str, dict[str, Any]] = defaultdict(lambda: {"items": 0, "uses": 0})
    for r in rows:
        answers = [SATISFIED[s] for s in r["satisfaction"] if s in SATISFIED]
        uses = r["records"] + r["tasks"]
        item = {"id": r["id"], "name": r["name"], "part": r["part"], "part_cn": PARTS[r["part"]],
                "domain": r["domain"] or "", "records": r["records"], "tasks": r["tasks"], "uses": uses,
                "closing_hours": _mean([h for h in r["closing_hours"] if h is not None]),
                "satisfaction": round(sum(answers) / len(answers), 3) if answers else None,
                "answered": len(answers), "posts": r["posts"]}
        items.append(item)
        for p in r["posts"]:
            posts[p]["items"] += 1
            posts[p]["uses"] += uses
    mean_uses = sum(p["uses"] for p in posts.values()) / len(posts) if posts else 0.0
    post_rows = sorted(({"post": k, **v, "overloaded": bool(mean_uses) and v["uses"] > OVERLOAD * mean_uses}
                        for k, v in posts.items()), key=lambda p: -p["uses"])
    # dormant: a duty the township itself carries that nobody called on all period
    dormant = [i for i in items if i["part"] == "basic" and i["uses"] == 0]
    suggestions = [{"kind": "remove", "items": [i["id"]], "name": i["name"],
                    "reason": f"{period} 年度没有工单、没有任务: 核实是否仍需保留或并入相近事项"} for i in dormant[:20]]
    suggestions += [{"kind": "split", "items": [], "name": p["post"],
                     "reason": f"岗位「{p['post']}」承担 {p['items']} 个事项、{p['uses']} 次履职, 超过全镇岗位平均的 "
                               f"{OVERLOAD:g} 倍: 考虑调整分工"} for p in post_rows if p["overloaded"]]
    all_answers = [(i["satisfaction"], i["answered"]) for i in items if i["answered"]]
    return {"township": township, "period": period, "items": items, "posts": post_rows, "dormant": dormant,
            "suggestions": suggestions,
            "totals": {"items": len(items), "records": sum(i["records"] for i in items),
                       "tasks": sum(i["tasks"] for i in items), "dormant": len(dormant),
                       "satisfaction": round(sum(s * n for s, n in all_answers) / sum(n for _, n in all_answers), 3)
                       if all_answers else None}}


def open_drafts(store: GraphStore, who: Principal, report: dict[str, Any]) -> list[str]:
    """The evaluation's removal suggestions as draft change requests of the township (the township or the
    编办 submits them after checking)."""
    requests = ChangeRequests(store)
    out = []
    for s in report["suggestions"]:
        if s["kind"] == "remove" and s["items"]:
            r = requests.propose(who, report["township"], "remove", "practice", s["reason"],
                                 f"清单执行评估 {report['period']}", s["items"], [], draft=True, prepared=True)
            out.append(r["id"])
    return out


def docx_bytes(report: dict[str, Any]) -> bytes:
    """The evaluation report as a Word document (like the post duty statements)."""
    from docx import Document

    doc = Document()
    doc.add_heading(f"{report['township']} {report['period']} 年度履职事项清单执行评估报告", 0)
    t = report["totals"]
    sat = f"{t['satisfaction'] * 100:.1f}%" if t["satisfaction"] is not None else "无回访数据"
    doc.add_paragraph(f"清单事项 {t['items']} 项; 本期工单 {t['records']} 件、上级交办任务 {t['tasks']} 项; "
                      f"群众满意率 {sat}; 未被调用的基本履职事项 {t['dormant']} 项。")
    doc.add_heading("一、事项履职频次(前 30 项)", 1)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for c, h in zip(table.rows[0].cells, ("事项", "类别", "工单", "任务", "满意率"), strict=True):
        c.text = h
    for i in sorted(report["items"], key=lambda i: -i["uses"])[:30]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = i["name"], i["part_cn"]
        cells[2].text, cells[3].text = str(i["records"]), str(i["tasks"])
        cells[4].text = f"{i['satisfaction'] * 100:.0f}%" if i["satisfaction"] is not None else "—"
    doc.add_heading("二、岗位负荷", 1)
    for p in report["posts"]:
        heavy = " (负荷过重)" if p["overloaded"] else ""
        doc.add_paragraph(f"{p['post']}: {p['items']} 个事项, {p['uses']} 次履职{heavy}", style="List Bullet")
    doc.add_heading("三、调整建议", 1)
    for s in report["suggestions"] or [{"name": "无", "reason": "本期未发现需要调整的事项"}]:
        doc.add_paragraph(f"{s['name']}: {s['reason']}", style="List Number")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
