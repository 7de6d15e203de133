"""Hotline (12345) and 吹哨 records generated at run time from the lists in the graph, each labelled with the
item it is about and whether it was sent to the wrong side — constructed, for the demo and bench/records.py.

A record about an item puts its name (first clause, opening verb dropped) in a citizen's complaint frame; the
paraphrase is shallow, so the routing figures it gives flatter the matcher. Records about nothing on any list
(off-list topics below) and records of taken-back duties sent to the township (the abuse to catch) are planted.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

from dutygraph.ingest.sample import write_sheet
from dutygraph.services.delegation import Matcher

FRAMES = ("市民来电反映：{x}，希望有关部门尽快处理。", "{v}村民反映{x}，请核实处置。", "群众诉求：{x}，要求尽快解决。",
          "网格员上报：{v}发现{x}，需协调处置。", "{v}居民投诉{x}，多次反映未果。")
VILLAGES = ("东村", "西村", "南社区", "新街社区", "湖滨村", "桥头村")
OFF_LIST = ("小区电梯频繁故障困人", "快递包裹丢失要求赔偿", "手机信号差要求增设基站", "网购商品质量问题退货难",
            "银行卡被盗刷要求追回", "出租车拒载绕路", "航班延误要求赔偿", "游戏账号被盗", "物业费收费标准过高",
            "子女在外地学校入学积分咨询", "有线电视信号中断", "公交线路调整咨询")
HEADER = ["工单号", "受理时间", "所属镇街", "诉求内容", "诉求类别", "承办单位", "签收时间", "办结时间",
          "标注_事项编号", "标注_派发", "回访结果"]
# the 回访 results as 12345 exports write them, about as often as the published satisfaction rates run (a
# constructed share: most cases 满意)
SATISFACTION = ("满意",) * 7 + ("基本满意",) * 2 + ("不满意",)


def _describe(name: str) -> str:
    """The item's name as a citizen would put it: its first clause, without the list's opening verb."""
    text = re.sub(r"^(负责|做好|开展|组织|配合|协助|落实|加强)", "", re.split(r"[。；;]", name)[0])
    return text[:40] or name


def generate(matcher: Matcher, n: int = 600, seed: int = 7) -> list[list[str]]:
    """Rows of a records export (HEADER), the last two columns the labels."""
    rng = random.Random(seed)
    answers = random.Random(seed + 1)  # its own stream: the records themselves stay as they were generated before
    towns = sorted(matcher.by_town)
    start = dt.datetime(2025, 7, 1, 8, 0)
    rows = []
    for k in range(n):
        town = rng.choice(towns)
        t = start + dt.timedelta(hours=rng.randint(0, 24 * 150))
        responded = t + dt.timedelta(hours=rng.randint(1, 24))
        closed = responded + dt.timedelta(hours=rng.randint(4, 24 * 10))
        frame, village = rng.choice(FRAMES), rng.choice(VILLAGES)
        if rng.random() < 0.12:
            text, item_id, label, sent = frame.format(x=rng.choice(OFF_LIST), v=village), "", "unmatched", town
        else:
            doc = rng.choice(matcher.by_town[town])
            text = frame.format(x=_describe(doc.name), v=village)
            dept = doc.departments[0] if doc.departments else "县级部门"
            sent = town if doc.part == "basic" else dept
            label = "routed"
            if doc.part == "taken_back" and rng.random() < 0.35:  # the abuse: a taken-back duty's case
                sent, label = town, "wrong_side"
            item_id = doc.id
        rows.append([f"GD{k + 1:05d}", t.strftime("%Y-%m-%d %H:%M"), town, text, "", sent,
                     responded.strftime("%Y-%m-%d %H:%M"), closed.strftime("%Y-%m-%d %H:%M"), item_id, label,
                     answers.choice(SATISFACTION)])
    return rows


def write(rows: list[list[str]], path: Path) -> Path:
    return write_sheet(path, "12345工单", HEADER, rows)
