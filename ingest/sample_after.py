"""Constructed samples for after publication (rules in README, "samples after publication"): handover plans of
the taken-back items of a few sample townships — a third late (plan date passed, not completed), a third
handed over or completed, the rest under way — and ratings of the departments each township works with, with
one department rated poorly. Deterministic for a seed; dates relative to `today`."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from dutygraph.ingest.sample import write_sheet

PLAN_HEADER = ["乡镇(街道)", "事项名称", "承接部门", "责任科室", "计划完成时间", "交接时间", "完成时间", "交接程序",
               "资料目录"]
RATING_HEADER = ["评价乡镇", "被评价单位", "类型", "报到及时", "配合履职", "意见", "期间"]
STEPS = "制定方案；清点资料；双方签字移交；系统权限变更；对外公告"
FILES = ("执法案卷", "行政许可档案", "监管对象名录", "在办案件清单")


def plans(items: list[dict[str, Any]], today: dt.date, seed: int = 7) -> list[list[str]]:
    """One plan row per taken-back item (`items`: township, name, leads)."""
    rng = random.Random(seed)
    rows = []
    for k, i in enumerate(items):
        dept = next(iter(i["leads"]), "") or "县级部门"
        kind = k % 3
        plan = today + dt.timedelta(days=rng.randint(-90, -5) if kind == 0 else rng.randint(10, 120))
        handed = (plan - dt.timedelta(days=rng.randint(1, 20))) if kind == 1 else None
        done = (handed + dt.timedelta(days=3)) if handed and rng.random() < 0.5 else None
        files = "\n".join(f"{f}（{'已移交' if handed or rng.random() < 0.3 else '未移交'}）"
                          for f in rng.sample(FILES, 2))
        rows.append([i["township"], i["name"], dept, "法规科", plan.isoformat(),
                     handed.isoformat() if handed else "", done.isoformat() if done else "", STEPS, files])
    return rows


def ratings(pairs: list[tuple[str, str]], period: str, seed: int = 7) -> list[list[str]]:
    """(township, department) pairs rated; the first department in alphabetical order is rated poorly."""
    rng = random.Random(seed)
    poor = min((d for _, d in pairs), default="")
    rows = []
    for town, dept in pairs:
        low = dept == poor
        rows.append([town, dept, "县级部门", rng.randint(1, 2) if low else rng.randint(4, 5),
                     rng.randint(1, 3) if low else rng.randint(3, 5),
                     "报到不及时, 配合事项多次推给镇里" if low else "", period])
    return rows


def write(rows: list[list[str]], header: list[str], path: Path) -> Path:
    return write_sheet(path, path.stem, header, rows)
