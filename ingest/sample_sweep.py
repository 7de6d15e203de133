"""A labelled raw sweep (constructed) for a township, generated from its sample list: each item written down by
one to three officials in their own ways (the name, the content, "负责…", "配合…开展…"), from each source kind,
plus entries that are not duties and county powers written as township work. The truth (which item each entry
describes, or none) is kept beside it. Deterministic for a seed.

Rules of the sample (README, "the compilation sample"): every entry of an item carries that item as its truth;
a set-aside entry has no item; parts are the item's part in the published sample list."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from dutygraph.ingest.sweep import SOURCES, Entry, entry_id

REPORTERS = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗"
# how an office writes one duty down (the sweep template's styles, domain knowledge)
STYLES = ("{name}", "负责{content}", "{content}", "做好{name}工作", "{name}：{content}", "协助做好{name}")
COOPERATIVE_STYLES = ("配合{lead}开展{name}", "协助{lead}做好{content}")
NOT_DUTIES = ("参加市里召开的{domain}工作会议", "按时报送{domain}月度工作总结", "完成领导交办的其他工作",
              "负责科室文件收发和归档", "参加{domain}业务培训", "负责本科室考勤")


def generate(items: list[dict[str, Any]], township: str, seed: int = 7, noise: float = 0.06
             ) -> tuple[list[Entry], dict[str, str | None]]:
    """(entries, truth): truth maps an entry id to its item id, or None for an entry that is not a duty."""
    rng = random.Random(f"{seed}-{township}")
    entries: list[Entry] = []
    truth: dict[str, str | None] = {}
    sources = list(SOURCES)

    def add(text: str, post: str, item: str | None) -> None:
        reporter = rng.choice(REPORTERS) + rng.choice("某")
        source = rng.choice(sources)
        eid = entry_id(township, text, post, reporter, source)
        if eid in truth:
            return
        seq = str(len(entries) + 1)
        entries.append(Entry(eid, township, seq, text, source, post, reporter, "2025-03-01", "sweep.xlsx",
                             post or "摸排", len(entries) + 2))
        truth[eid] = item

    for it in items:
        content = (it.get("content") or it["name"]).strip()
        fields = {"name": it["name"], "content": content, "lead": it.get("lead") or "上级部门"}
        styles = list(STYLES) + (list(COOPERATIVE_STYLES) if it["part"] == "cooperative" else [])
        for style in rng.sample(styles, rng.choice((1, 2, 2, 3))):
            add(style.format(**fields), it.get("post") or "", it["id"])
    domains = sorted({it.get("domain") or "综合" for it in items})
    for _ in range(max(3, int(noise * len(entries)))):
        add(rng.choice(NOT_DUTIES).format(domain=rng.choice(domains)), "党政办公室", None)
    rng.shuffle(entries)
    return entries, truth


def write_xlsx(entries: list[Entry], path: Path) -> Path:
    """The sweep as an office hands it in: 序号, 工作内容, 来源, 岗位, 填报人, 日期."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "摸排"
    ws.append(["序号", "工作内容", "来源", "岗位", "填报人", "日期"])
    for k, e in enumerate(entries, 1):
        ws.append([k, e.text, e.source, e.post, e.reporter, e.date])
    wb.save(path)
    return path
