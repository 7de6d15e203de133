"""An assessment indicator table (考核细则) generated at run time from the lists in the graph, each row labelled
with the verdict a supervisor gives — constructed, for the demo and bench/indicators.py.

Sound indicators grade a township on its own duties (基本) or on cooperating (配合); planted bad ones grade it on
leading a 配合 duty, on a duty taken back by a county department, or on something on no township list.
"""

from __future__ import annotations

import random
from pathlib import Path

from dutygraph.ingest.sample import write_sheet
from dutygraph.services.delegation import Matcher

HEADER = ["序号", "考核指标", "评分标准", "分值", "考核对象", "指标类型", "设定部门", "标注_结论"]
OFF_LIST = ("高速公路路面养护质量达标率", "三级医院门诊预约诊疗率", "民航航班正点率", "电网供电可靠率",
            "商业银行不良贷款率控制", "海关通关时效压缩", "高校毕业生留宜就业率", "国有企业营业收入增长率")
OWN_DEPT = "市委组织部"  # who sets the sound indicators on a township's own work


def generate(matcher: Matcher, n: int = 300, seed: int = 11) -> list[list[str]]:
    rng = random.Random(seed)
    towns = sorted(matcher.by_town)
    rows: list[list[str]] = []
    for k in range(1, n + 1):
        town = rng.choice(towns)
        docs = matcher.by_town[town]
        roll = rng.random()
        points = str(rng.choice((2, 3, 5)))
        if roll < 0.1:
            topic = rng.choice(OFF_LIST)
            rows.append([str(k), topic, f"{topic}达到年度目标得满分, 每降低1个百分点扣0.5分", points, town, "个性",
                         "市发展和改革委员会", "off_list"])
            continue
        part = "basic" if roll < 0.4 else "cooperative" if roll < 0.8 else "taken_back"
        pool = [d for d in docs if d.part == part and d.departments or d.part == part == "basic"]
        if not pool:
            continue
        d = rng.choice(pool)
        dept = d.departments[0] if d.departments else OWN_DEPT
        if part == "basic":
            rows.append([str(k), f"{d.name}工作", f"按要求完成{d.name}, 未完成的每项扣1分", points, town, "个性",
                         OWN_DEPT, "basic"])
        elif part == "cooperative" and rng.random() < 0.5:
            rows.append([str(k), f"配合做好{d.name}", f"积极配合{dept}开展{d.name}, 配合不力的扣1分", points, town,
                         "个性", dept, "cooperative"])
        elif part == "cooperative":
            rows.append([str(k), d.name, f"由镇(街道)牵头负责{d.name}, 组织执法检查, 完成率低于90%的扣2分",
                         points, town, "个性", dept, "lead_shift"])
        else:
            rows.append([str(k), f"{d.name}办结率", "依法查处并作出处罚, 案件办结率100%得满分", points, town, "个性",
                         dept, "taken_back"])
    return rows


def write(rows: list[list[str]], path: Path) -> Path:
    return write_sheet(path, "考核细则", HEADER, rows)
