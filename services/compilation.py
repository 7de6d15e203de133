"""A township's list in compilation: its raw sweep, the merge proposal as round 1, the 三上三下 rounds with the
reviewers' comments and the 编办's decisions (in the page or through an Excel round trip), and publishing the
last round as the list's first version. Every write is audited; the algorithm lives in services/compile.py."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from dutygraph.graph.errors import Conflict, InputError, NotFound
from dutygraph.graph.store import GraphStore
from dutygraph.graph.vocabulary import PARTS
from dutygraph.ingest.sweep import Entry
from dutygraph.services import compile as merger
from dutygraph.services.lifecycle import AuditLog, Forbidden, Principal, _now, entry

REVIEWER_KINDS = (
    "镇村干部",
    "专家学者",
    "两代表一委员",
    "服务对象",
    "市级部门用语审核",
    "司法局合法性审查",
    "保密审查",
)
ACTIONS = {"采纳": "accept", "改名": "rename", "调整类别": "move", "拆分": "split", "合并到": "merge", "不列入": "drop"}
PART_BY_NAME = {**{n: k for k, n in PARTS.items()}, "基本": "basic", "配合": "cooperative", "收回": "taken_back"}
EXPORT_COLUMNS = (
    "编号",
    "事项名称",
    "领域",
    "建议类别",
    "依据原则",
    "理由",
    "合并的条目(序号)",
    "条目内容",
    "法律依据建议",
    "共性/特色",
    "处理",
    "新名称",
    "新类别",
    "合并到(编号)",
    "拆分(序号分组, 用 | 分隔)",
    "意见",
)


def _may_compile(who: Principal) -> None:
    if not who.may("bianban", "cli"):
        raise Forbidden(f"{who.name} 不能编制清单 (the 编办 compiles lists)")


class Compilation:
    def __init__(self, store: GraphStore, cache: Path | None = None) -> None:
        """`cache`: where the entries' and the county's sentence vectors are kept (an .npz beside the database)."""
        self.store, self.cache = store, cache
        self.audit = AuditLog(store)

    # --- the sweep ---------------------------------------------------------------------------------------

    def load(self, who: Principal, entries: list[Entry], township: str, source: str) -> dict[str, int]:
        """Keep a file's entries (idempotent by content: the same file twice adds nothing)."""
        if who.role == "township" and who.org != township:
            raise Forbidden(f"{who.name} 只能为本乡镇(街道)录入摸排条目 (a township loads its own sweep)")
        if who.role not in ("township", "bianban", "admin", "cli"):
            raise Forbidden(f"{who.name} 不能录入摸排条目")
        known = {e.id for e in self.entries(township)}  # one read: what is new is what it does not hold
        added = len({e.id for e in entries} - known)
        self.store.write("compile.upsert_entries", [{**e.as_row(), "loaded_at": _now()} for e in entries])
        self.audit.record(who, "sweep.load", township, detail=f"{source}: {len(entries)} 条, 新增 {added} 条")
        self.store.persist()
        return {"read": len(entries), "added": added}

    def entries(self, township: str) -> list[Entry]:
        return [Entry(**r) for r in self.store.query("compile.entries", township=township)]

    def townships(self) -> list[dict[str, Any]]:
        return self.store.query("compile.townships")

    # --- the merge proposal -------------------------------------------------------------------------------

    def reference(self, township: str, cache: Path | None = None) -> merger.Reference:
        rows = [r for r in self.store.query("compile.reference") if r["township"] != township]
        return merger.Reference(rows, cache or self.cache)

    def propose(self, township: str, provisions: Any = None, cache: Path | None = None) -> dict[str, Any]:
        cache = cache or self.cache
        entries = self.entries(township)
        if not entries:
            raise NotFound(f"「{township}」还没有摸排条目 (no sweep entries)")
        from dutygraph.services.lifecycle import Admissions

        catalogue = Admissions(self.store).catalogue()
        return merger.merge(entries, self.reference(township, cache), catalogue, provisions, cache=cache)

    # --- rounds -------------------------------------------------------------------------------------------

    def rounds(self, township: str) -> list[dict[str, Any]]:
        out = []
        for r in self.store.query("compile.rounds", township=township):
            out.append({**r, "items": json.loads(r["items"]), "set_aside": json.loads(r["set_aside"])})
        return out

    def current(self, township: str) -> dict[str, Any]:
        rounds = self.rounds(township)
        if not rounds:
            raise NotFound(f"「{township}」还没有草案 (no draft round)")
        return rounds[-1]

    def _create(
        self, who: Principal, township: str, number: int, items: list[dict], set_aside: list[dict], note: str
    ) -> dict[str, Any]:
        rid = f"{township}#{number}"
        (row,) = self.store.execute(
            "compile.create_round",
            id=rid,
            township=township,
            round=number,
            items=json.dumps(items, ensure_ascii=False),
            set_aside=json.dumps(set_aside, ensure_ascii=False),
            at=_now(),
            who=who.name,
            note=note,
        )
        if not row["created"]:
            raise Conflict(f"第 {number} 轮草案已由他人生成, 请刷新 (made meanwhile: reload)")
        if number > 1:
            self.store.execute("compile.close_round", township=township, round=number - 1)
        self.audit.record(
            who,
            "draft.round",
            rid,
            after=str(number),
            detail=f"{township} 第 {number} 轮: {len(items)} 项 {note}".strip(),
        )
        self.store.persist()
        return self.current(township)

    def start(self, who: Principal, township: str, provisions: Any = None, cache: Path | None = None) -> dict[str, Any]:
        """Round 1: the merge proposal as the first draft (一上)."""
        _may_compile(who)
        if self.rounds(township):
            raise Conflict(f"「{township}」已有草案, 请在现有轮次上继续 (a draft exists)")
        proposal = self.propose(township, provisions, cache)
        items = [{**i, "decision": "", "changes": ""} for i in proposal["items"]]
        return self._create(who, township, 1, items, proposal["set_aside"], "整合归并建议")

    def comment(self, who: Principal, township: str, item_key: str, kind: str, text: str) -> None:
        if kind not in REVIEWER_KINDS:
            raise InputError(f"意见类别应为: {'、'.join(REVIEWER_KINDS)}", column="kind")
        if not text.strip():
            raise InputError("意见不能为空", column="text")
        if who.role == "reader":
            raise Forbidden(f"{who.name} 只能查看 (a reader does not comment)")
        r = self.current(township)
        if item_key and item_key not in {i["key"] for i in r["items"]}:
            raise InputError(f"草案中没有事项 {item_key}", column="item_key")
        import uuid

        if not self.store.execute(
            "compile.add_comment",
            id=uuid.uuid4().hex,
            round_id=r["id"],
            item_key=item_key,
            kind=kind,
            reviewer=who.name,
            text=text.strip(),
            at=_now(),
        ):
            raise Conflict("本轮草案已关闭, 请在最新一轮提意见 (the round is closed)")
        self.audit.record(who, "draft.comment", r["id"], detail=f"{kind}: {text.strip()[:60]}")

    def comments(self, round_id: str) -> list[dict[str, Any]]:
        return self.store.query("compile.comments", round_id=round_id)

    def next_round(
        self, who: Principal, township: str, decisions: dict[str, dict[str, str]], note: str
    ) -> dict[str, Any]:
        """The next round (二上, 三上 …): the current items with the decisions applied, each change said."""
        _may_compile(who)
        r = self.current(township)
        if r["status"] != "open":
            raise Conflict("最新一轮已发布, 不能再调整 (published)")
        items = apply_decisions(r["items"], decisions)
        return self._create(who, township, r["round"] + 1, items, r["set_aside"], note)

    def publish(self, who: Principal, township: str, date: str, extractor: Any, index: Any) -> dict[str, Any]:
        """The last round becomes the township's first list version (the same load and switch as an upload)."""
        from dutygraph.ingest.lists import check_date, ingest_list

        _may_compile(who)
        date = check_date(date)
        r = self.current(township)
        if r["status"] != "open":
            raise Conflict("该草案已发布 (already published)")
        keep = [i for i in r["items"] if i.get("decision") != "drop"]
        if not keep:
            raise InputError("草案中没有事项可以发布 (nothing to publish)")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{township}-第{r['round']}轮.xlsx"
            path.write_bytes(list_workbook(keep))
            report = ingest_list(self.store, [path], township, date, extractor=extractor, index=index)
        if not self.store.execute(
            "compile.published",
            id=r["id"],
            list_id=report.list_id,
            audit=entry(
                who,
                "draft.publish",
                r["id"],
                str(r["round"]),
                report.list_id,
                f"{township} 第一版清单 {date}: {len(keep)} 项",
            ),
        ):
            raise Conflict("该草案已由他人发布 (published meanwhile)")
        self.store.persist()
        return {
            "township": township,
            "round": r["round"],
            "list_id": report.list_id,
            "items": len(keep),
            "status": report.status,
        }


def apply_decisions(items: list[dict[str, Any]], decisions: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """accept / rename / move / split / merge / drop, each applied to a copy and said in `changes`."""
    by_key = {i["key"]: dict(i, decision="", changes="") for i in items}
    unknown = [k for k in decisions if k not in by_key]
    if unknown:
        raise InputError(f"草案中没有这些编号: {'、'.join(unknown)}", column="编号")
    out: dict[str, dict[str, Any]] = {}
    for key, item in by_key.items():
        d = decisions.get(key, {})
        action = d.get("action", "")
        if action == "drop":
            item["decision"], item["changes"] = "drop", f"不列入: {d.get('comment', '')}".rstrip(": ")
        elif action == "rename":
            if not d.get("name"):
                raise InputError(f"{key} 改名须填写新名称", column="新名称")
            item["changes"], item["name"] = f"改名: {item['name']} → {d['name']}", d["name"]
        elif action == "move":
            part = d.get("part", "")
            if part not in PARTS:
                raise InputError(f"{key} 调整类别须填写新类别 (基本/配合/收回)", column="新类别")
            item["changes"], item["part"] = f"调整类别: {PARTS[item['part']]} → {PARTS[part]}", part
            item["principle"], item["why"] = "人工决定", d.get("comment") or item["why"]
        elif action == "accept":
            item["decision"] = "accept"
        if action == "split":
            groups = [
                [x.strip() for x in g.replace("，", ",").split(",") if x.strip()] for g in d.get("split", "").split("|")
            ]
            groups = [g for g in groups if g]
            if len(groups) < 2 or not set().union(*map(set, groups)) <= set(item["members"]):
                raise InputError(f"{key} 拆分须把本项的条目序号分成至少两组, 用 | 分隔", column="拆分")
            for n, g in enumerate(groups, 1):
                out[f"{key}-{n}"] = {
                    **item,
                    "key": f"{key}-{n}",
                    "members": g,
                    "name": f"{item['name']}({n})",
                    "changes": f"由 {key} 拆分",
                }
            continue
        if action == "merge":
            target = d.get("into", "")
            if target not in by_key or target == key:
                raise InputError(f"{key} 合并到的编号不存在: {target}", column="合并到(编号)")
            by_key[target]["members"] = by_key[target]["members"] + item["members"]
            by_key[target]["changes"] = (by_key[target]["changes"] + f" 并入 {key}").strip()
            continue
        out[key] = item
    return list(out.values())


def diff_rounds(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """What changed from one round to the next, per item, with the reason the round recorded."""
    before = {i["key"]: i for i in old["items"]}
    after = {i["key"]: i for i in new["items"]}
    out = []
    for key, i in after.items():
        o = before.get(key)
        if o is None:
            out.append({"key": key, "name": i["name"], "change": "新增", "detail": i.get("changes", "")})
        elif i.get("decision") == "drop" and o.get("decision") != "drop":
            out.append({"key": key, "name": i["name"], "change": "不列入", "detail": i.get("changes", "")})
        elif (o["name"], o["part"], o["members"]) != (i["name"], i["part"], i["members"]):
            out.append({"key": key, "name": i["name"], "change": "调整", "detail": i.get("changes", "")})
    out += [
        {"key": k, "name": o["name"], "change": "删除", "detail": "合并或拆分"}
        for k, o in before.items()
        if k not in after
    ]
    return out


def list_workbook(items: list[dict[str, Any]]) -> bytes:
    """The published layout (one sheet per part) of a draft's items, read back by the list loader."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {}
    heads = {
        "basic": ["序号", "领域", "事项名称", "责任科室", "法律依据"],
        "cooperative": ["序号", "领域", "事项名称", "责任科室", "法律依据"],
        "taken_back": ["序号", "领域", "事项名称", "承接部门", "法律依据"],
    }
    for part, title in PARTS.items():
        sheets[part] = wb.create_sheet(title)
        sheets[part].append(heads[part])
    for item in items:
        ws = sheets[item["part"]]
        posts = "、".join(item.get("posts") or [])
        ws.append(
            [
                ws.max_row,
                item.get("domain") or "",
                item["name"],
                "" if item["part"] == "taken_back" else posts,
                "；".join(item.get("basis") or []),
            ]
        )
    for part in list(sheets):
        if sheets[part].max_row == 1:
            wb.remove(sheets[part])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def proposal_rows(r: dict[str, Any], entries: dict[str, Entry]) -> list[list[Any]]:
    """The round as the 编办's workbook: one row per proposed duty, members listed, decision columns empty."""
    rows = []
    for i in r["items"]:
        texts = [entries[m].text for m in i["entry_ids"] if m in entries] if i.get("entry_ids") else []
        rows.append(
            [
                i["key"],
                i["name"],
                i.get("domain", ""),
                PARTS[i["part"]],
                i.get("principle", ""),
                i["why"],
                "、".join(i["members"]),
                "\n".join(texts),
                "；".join(i.get("basis") or []),
                "共性" if i.get("common") else "本镇特色",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    return rows


def proposal_workbook(r: dict[str, Any], entries: list[Entry]) -> bytes:
    """The 编办's workbook of a round: proposals with empty decision columns, and the entries set aside."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"第{r['round']}轮草案"
    ws.append(list(EXPORT_COLUMNS))
    for row in proposal_rows(r, {e.id: e for e in entries}):
        ws.append(row)
    for c in ws[1]:
        c.font = Font(bold=True)
    for col, width in zip(
        "ABCDEFGHIJKLMNOP", (8, 30, 12, 14, 10, 50, 16, 60, 40, 10, 10, 20, 10, 12, 20, 30), strict=True
    ):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    aside = wb.create_sheet("暂不列入的条目")
    aside.append(["序号", "工作内容", "理由"])
    for x in r["set_aside"]:
        aside.append([x["id"], x["text"], x["reason"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_decisions(path: Path) -> dict[str, dict[str, str]]:
    """The edited workbook's decisions: key → {action, name, part, into, split, comment}; a bad value names its
    row and column."""
    from dutygraph.ingest.readers import grids

    sheet, grid, _ = next(iter(grids(path)))
    head = [str(x).strip() for x in grid[0]]
    missing = [c for c in ("编号", "处理") if c not in head]
    if missing:
        raise InputError(
            f"没有找到列: {'、'.join(missing)} (not the exported workbook)", file=path.name, sheet=sheet, row=1
        )
    col = {c: head.index(c) for c in EXPORT_COLUMNS if c in head}

    def cell(row: list, name: str) -> str:
        j = col.get(name)
        return str(row[j]).strip() if j is not None and j < len(row) and row[j] is not None else ""

    out: dict[str, dict[str, str]] = {}
    for n, row in enumerate(grid[1:], 2):
        key, action = cell(row, "编号"), cell(row, "处理")
        if not key or not action:
            continue
        if action not in ACTIONS:
            raise InputError(
                f"“处理”应为 {'、'.join(ACTIONS)} 之一, 实为「{action}」",
                file=path.name,
                sheet=sheet,
                row=n,
                column="处理",
            )
        part = cell(row, "新类别")
        if part and part not in PART_BY_NAME:
            raise InputError(
                f"“新类别”应为 基本/配合/收回, 实为「{part}」", file=path.name, sheet=sheet, row=n, column="新类别"
            )
        out[key] = {
            "action": ACTIONS[action],
            "name": cell(row, "新名称"),
            "part": PART_BY_NAME.get(part, ""),
            "into": cell(row, "合并到(编号)"),
            "split": cell(row, "拆分(序号分组, 用 | 分隔)"),
            "comment": cell(row, "意见"),
        }
    return out
