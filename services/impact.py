"""What a law's amendment, replacement or repeal touches: current items → a review worklist.

An item is touched when its citation resolves into the old version (a list made before the change), or
when it cites a number of the old version in a newer list (flagged superseded numbering). The old article
is followed to the new version along the stored content alignment (SUCCEEDED_BY), 款 by 款 where cited.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from dutygraph.graph.errors import InputError, NotFound
from dutygraph.graph.memo import kept
from dutygraph.graph.rules import version_in_force
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.numerals import int_to_cn
from dutygraph.services.laws import LawService

ACTIONS = {
    "unchanged": "无需修改 (unchanged)",
    "renumbered": "更新引用条号 (update the citation number)",
    "amended": "审查修改后的条文 (review the changed text)",
    "split": "条文已拆分: 审查并选择新的条号 (article split: review)",
    "merged": "条文已合并: 审查并更新条号 (article merged: review)",
    "deleted": "条文已删除: 寻找新的依据 (find a new basis)",
    "missing": "旧版也无此条: 核实引用 (the cited number is not in the old version either)",
    "repealed": "法律已废止: 寻找新的依据, 事项可能失效 (the duty may lapse)",
}


class ImpactService:
    def __init__(self, store: GraphStore, laws: LawService | None = None) -> None:
        self.store = store
        self.laws = laws or LawService(store)

    def _law(self, law: str) -> tuple[dict, list[dict]]:
        found = self.laws.find_law(law)
        return found, self.laws.versions(found["id"])

    def single_version(self, law: str) -> dict[str, Any] | None:
        """The law and its one version's date when it has only one (no amendment to compare), else None."""
        found, versions = self._law(law)
        if len(versions) >= 2:
            return None
        return {"title": found["title"], "versions": [v["date"] for v in versions]}

    def _version(self, versions: list[dict], date: str, what: str) -> dict:
        chosen = version_in_force(versions, date)
        if chosen is None:
            raise NotFound(f"{what} {date}: 该日期尚无版本 (no version on that date)")
        return chosen

    @kept
    def change(self, law: str, frm: str | None, to: str | None, repeal: str | None) -> dict[str, Any]:
        """The worklist of one change: repealing the law on `repeal`, or else amending it from → to."""
        return self.repeal(law, repeal) if repeal else self.amendment(law, frm, to)

    def change_page(self, law: str, frm: str | None, to: str | None, repeal: str | None, limit: int,
                    offset: int) -> dict[str, Any]:
        """The same, its summaries whole and a page of its rows (安全生产法 at 100×: 1,833 rows, each with the
        old and new article text: megabytes to serialise for a table nobody reads at once)."""
        whole = self.change(law, frm, to, repeal)
        return {**whole, "limit": limit, "offset": offset, "items": whole["items"][offset:offset + limit]}

    def _pair(self, law: str, frm: str | None, to: str | None) -> tuple[dict, list[dict], dict, dict]:
        """The law, its versions, and the two compared: those in force on `frm` and `to`, by default the last two."""
        found, versions = self._law(law)
        if len(versions) < 2:
            raise NotFound(f"「{found['title']}」只有一个版本, 无法对照 (only one version)")
        old = self._version(versions, frm, "from") if frm else versions[-2]
        new = self._version(versions, to, "to") if to else versions[-1]
        return found, versions, old, new

    def diff(self, law: str, frm: str | None, to: str | None) -> dict[str, Any]:
        """The stored alignment of two versions: each old article with its successor(s), plus the new articles."""
        found, _, old, new = self._pair(law, frm, to)
        pairs = []
        for r in self.store.query("laws.alignment", from_id=old["id"], to_id=new["id"]):
            change = "deleted" if r["new"] is None else next((c for c in r["changes"] if c != "unchanged"), "unchanged")
            pairs.append(
                {
                    "old": r["old"],
                    "new": r["new"],
                    "change": change,
                    "score": min(r["scores"] or [0.0]),
                    "old_text": r["old_text"],
                    "new_text": r["new_text"],
                }
            )
        matched = {p["new"] for p in pairs if p["new"]}
        for a in self.store.query("laws.version_text", id=new["id"]):
            if a["number"] not in matched:
                matched.add(a["number"])
                pairs.append(
                    {
                        "old": None,
                        "new": a["number"],
                        "change": "added",
                        "score": 0.0,
                        "old_text": None,
                        "new_text": a["text"],
                    }
                )
        pairs.sort(key=lambda p: (p["new"] or p["old"] or 0, p["old"] or 0))
        return {"law": found["title"], "old": old["date"], "new": new["date"], "pairs": pairs}

    def amendment(self, law: str, frm: str | None, to: str | None) -> dict[str, Any]:
        found, versions, old, new = self._pair(law, frm, to)
        if old["date"] >= new["date"]:
            raise InputError(f"from ({old['date']}) 必须早于 to ({new['date']})")
        later = [v["id"] for v in versions if old["date"] < v["date"] <= new["date"]]
        arts, paras = self._alignment(old["id"], new["id"])
        # articles kept word for word under their number need no review: their citations are not even read
        # (reading and parsing every citation of 安全生产法 at 10× was 170 ms of the 190)
        quiet = sorted(a for a, ts in arts.items()
                       if all(t["new"] == t["old"] and set(t["changes"]) <= {"unchanged"} for t in ts))
        cites = self.store.query("impact.citations_of_law", law=found["title"], version_ids=[old["id"], *later],
                                 old_id=old["id"], quiet=quiet)
        rows = self._map(cites, arts, paras)
        return self._summary(found["title"], old["date"], new["date"], rows)

    def repeal(self, law: str, date: str) -> dict[str, Any]:
        found, versions = self._law(law)
        successors = [
            s
            for s in self.store.query("laws.version_successions")
            if s["kind"] == "replacement" and s["old"] == versions[-1]["id"]
        ]
        cites = self.store.query("impact.citations_of_law", law=found["title"], version_ids=None, old_id=None,
                                 quiet=None)
        if successors:  # a replacement under a new title: follow the cross-title alignment
            rows = self._map(cites, *self._alignment(versions[-1]["id"], successors[0]["new"]), repealed=True)
            title = f"{found['title']} → {successors[0]['new_title']}"
        else:
            rows = self._map(cites, *self._alignment(versions[-1]["id"], None), repealed=True)
            title = found["title"]
        return self._summary(title, versions[-1]["date"], f"废止 {date}", rows)

    def _alignment(self, old_id: str, new_id: str | None) -> tuple[dict[int, list[dict]], dict]:
        """Each old article's successor(s), and where each old 款 went."""
        arts: dict[int, list[dict]] = {}
        paras: dict[tuple[int, int], tuple[int, int]] = {}
        if new_id:
            for r in self.store.query("laws.alignment", from_id=old_id, to_id=new_id):
                arts.setdefault(r["old"], []).append(r)
            for r in self.store.query("laws.paragraph_alignment", from_id=old_id, to_id=new_id):
                paras[(r["old"], r["old_paragraph"])] = (r["new"], r["new_paragraph"])
        else:  # no successor: no version matches "", so every old article comes back with new = null
            for r in self.store.query("laws.alignment", from_id=old_id, to_id=""):
                arts.setdefault(r["old"], []).append(r)
        return arts, paras

    @staticmethod
    def _roles(cites: list[dict]) -> dict[str, dict[str, list[str]]]:
        """Per cited item: `leads` (whoever leads), `posts` (township posts leading or cooperating) and
        `departments` (county departments leading, cooperating or taking it back), from the roles kept on the
        item (DutyItem.roles; a graph from before gets them at open)."""
        out: dict[str, dict[str, list[str]]] = {}
        for c in cites:
            if c["item_id"] in out:
                continue
            roles = out[c["item_id"]] = {"leads": [], "posts": [], "departments": []}
            for role in c["roles"] or []:
                rel, label, name = role.split("|", 2)
                if rel == "LED_BY":
                    roles["leads"].append(name)
                if label == "Post" and rel != "TAKEN_BACK_BY":
                    roles["posts"].append(name)
                if label == "Department":
                    roles["departments"].append(name)
        return out

    def _map(self, cites: list[dict], arts: dict[int, list[dict]], paras: dict, repealed: bool = False) -> list[dict]:
        rows = []
        roles = self._roles(cites)
        for c in cites:
            targets = arts.get(c["article"]) or []
            base = {
                "item_id": c["item_id"],
                "item": c["item"],
                "township": c["township"],
                "part": c["part"],
                "raw": c["raw"],
                "status": c["status"],  # suggested-accepted: a basis the legal office took from a suggestion
                "list_date": c["list_date"],
                **roles[c["item_id"]],
            }
            if not targets:
                rows.append(
                    {
                        **base,
                        "old_label": None,
                        "old_text": None,
                        "new_label": None,
                        "new_text": None,
                        "change": "repealed" if repealed else "missing",
                        "action": ACTIONS["repealed" if repealed else "missing"],
                    }
                )
                continue
            para_target = paras.get((c["article"], c["paragraph"])) if c["paragraph"] else None
            for t in targets:
                if repealed:
                    change = "repealed"
                elif t["new"] is None:
                    change = "deleted"
                else:
                    change = next((x for x in t["changes"] if x != "unchanged"), "unchanged")
                    if para_target and t["new"] != para_target[0]:
                        continue  # the cited 款 went to another successor article
                if change == "unchanged" and not repealed and (t["new"] == t["old"]):
                    continue
                if change == "unchanged":
                    change = "renumbered"
                new_label = t["new_label"]
                if para_target and t["new"] == para_target[0]:
                    new_label = f"{t['new_label']}第{int_to_cn(para_target[1])}款"
                old_label = t["old_label"] + (f"第{int_to_cn(c['paragraph'])}款" if c["paragraph"] else "")
                action = ACTIONS["repealed"] if repealed else ACTIONS[change]
                if repealed and t["new"] is not None:
                    action += f"; 新法对应{new_label}"
                rows.append(
                    {
                        **base,
                        "old_label": old_label,
                        "old_text": t["old_text"],
                        "new_label": new_label,
                        "new_text": t["new_text"],
                        "change": change,
                        "action": action,
                    }
                )
        return rows

    @staticmethod
    def _summary(law: str, frm: str, to: str, rows: list[dict]) -> dict[str, Any]:
        by_dept: Counter[str] = Counter()
        for r in rows:
            by_dept.update(set(r["departments"]) or {"(无部门)"})
        return {
            "law": law,
            "from": frm,
            "to": to,
            "total": len(rows),
            "items_touched": len({r["item_id"] for r in rows}),
            "by_township": dict(Counter(r["township"] for r in rows).most_common()),
            "by_department": dict(by_dept.most_common()),
            "by_change": dict(Counter(r["change"] for r in rows).most_common()),
            "items": rows,
        }
