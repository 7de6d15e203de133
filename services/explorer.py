"""The graph explorer: a node's properties and its neighbours, addressed as Label:id."""

from __future__ import annotations

from typing import Any

from dutygraph.graph.errors import NotFound
from dutygraph.graph.model import BROWSABLE, REL_TYPES
from dutygraph.graph.store import GraphStore
from dutygraph.graph.vocabulary import LABEL_NAMES, REL_NAMES, in_words

# one statement per label, so the id lookup uses that label's index; labels come from the model, never input
NODE_QUERIES: dict[str, str] = {label: f"graph.node_{label.lower()}" for label in BROWSABLE}
NEIGHBOUR_QUERIES: dict[str, str] = {label: f"graph.neighbours_{label.lower()}" for label in BROWSABLE}
DEGREE_QUERIES: dict[str, str] = {label: f"graph.degree_{label.lower()}" for label in BROWSABLE}
# the details panel: the fields a person reads, in Chinese, in this order; ids, hashes and bookkeeping stay hidden
FIELDS: dict[str, str] = {
    "name": "名称", "title": "标题", "short_title": "简称", "label": "条号", "number": "序号", "date": "日期",
    "township_id": "乡镇(街道)", "part": "清单类别", "domain": "领域", "content": "具体内容",
    "county_duty": "上级部门职责", "township_duty": "镇街配合职责", "basis_raw": "清单所写依据",
    "basis_status": "依据情况", "status": "状态", "level": "效力级别", "kind": "类型", "code": "区划代码",
    "raw": "原文", "law_title": "法律", "article": "条", "paragraph": "款", "point": "项", "text": "条文",
    "chapter": "章", "section": "节", "sender": "发文单位", "verdict": "结论", "evidence": "依据说明",
    "current": "现行", "source": "来源", "item_count": "事项数",
}
# a small set of meaningful filters instead of one checkbox per relationship type
REL_GROUPS: dict[str, tuple[str, ...]] = {
    "清单与事项": ("HAS_LIST", "HAS_ITEM"),
    "牵头、配合、收回": ("LED_BY", "COOPERATED_BY", "TAKEN_BACK_BY"),
    "法律依据": ("HAS_BASIS", "REFERS_TO"),
    "法律结构与版本": ("HAS_VERSION", "HAS_ARTICLE", "HAS_PARAGRAPH", "HAS_POINT", "SUCCEEDED_BY", "AMENDS"),
    "机构": ("POST_OF", "STATIONED_IN", "DISPATCHED_BY", "INVOLVES"),
    "任务与工单": ("SENT_BY", "SENT_TO", "MATCHES", "ROUTED_TO"),
}


def split_node(node: str) -> tuple[str, str]:
    label, _, key = node.partition(":")
    if label not in BROWSABLE or not key:
        raise NotFound(f"节点应写作 标签:编号, 标签为 {', '.join(BROWSABLE)} (node must be Label:id)")
    return label, key


def href(label: str, key: str, props: dict) -> str | None:
    """The page that shows a node, where there is one."""
    if label == "DutyItem":
        return f"/items/{key}"
    if label == "Township":
        return f"/townships/{key}"
    if label == "Department":
        return f"/departments/{key}"
    if label == "Law":
        return f"/laws/{key}"
    if label in ("LawVersion", "Article"):
        title, _, rest = key.partition("@")
        date = rest.split("#")[0]
        anchor = f"#a{props.get('number')}" if label == "Article" else ""
        return f"/laws/{title}?version={date}{anchor}"
    return None


def display_name(label: str, key: str, props: dict) -> str:
    """What a person calls a node: a list is "丁蜀镇 2025-06-30 清单", not its hash."""
    if label == "DutyList":
        town = props.get("township_id") or ""
        return f"{town} {props.get('date') or ''} 清单".strip()
    return str(props.get("name") or props.get("title") or props.get("label") or props.get("raw") or key)


def _word(value: Any) -> Any:
    """A field's value in words; a list as one line, a flag as 是/否, a number as it is."""
    if isinstance(value, list):
        return "、".join(in_words(x) for x in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return in_words(value) if isinstance(value, str) else value


class ExplorerService:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def _props(self, label: str, key: str) -> dict[str, Any]:
        rows = self.store.query(NODE_QUERIES[label], id=key)
        if not rows:
            raise NotFound(f"没有节点 {label}:{key}")
        return rows[0]["node"]

    def node(self, node: str) -> dict[str, Any]:
        label, key = split_node(node)
        props = self._props(label, key)
        fields = [[cn, _word(props[k])] for k, cn in FIELDS.items()
                  if props.get(k) not in (None, "", []) and not (label == "Article" and k == "number")]
        return {"label": label, "label_cn": LABEL_NAMES[label], "id": key, "name": display_name(label, key, props),
                "properties": props, "fields": fields, "href": href(label, key, props),
                "degree": {REL_NAMES.get(t, t): n for t, n in self.degree(label, key).items()}}

    def degree(self, label: str, key: str) -> dict[str, int]:
        return {r["type"]: int(r["n"]) for r in self.store.query(DEGREE_QUERIES[label], id=key)}

    def neighbours(self, node: str, types: list[str] | None, limit: int, skip: int = 0) -> dict[str, Any]:
        label, key = split_node(node)
        props = self._props(label, key)
        wanted = [t for t in types or [] if t in REL_TYPES] or None
        rows = self.store.query(NEIGHBOUR_QUERIES[label], id=key, types=wanted, limit=limit, skip=skip)
        for r in rows:
            r["type_cn"] = REL_NAMES.get(r["type"], r["type"])
            r["label_cn"] = LABEL_NAMES.get(r["label"], r["label"])
        degree = self.degree(label, key)
        total = sum(n for t, n in degree.items() if wanted is None or t in wanted)
        return {"node": {"label": label, "label_cn": LABEL_NAMES[label], "id": key,
                         "name": display_name(label, key, props)}, "neighbours": rows,
                "shown": skip + len(rows), "total": total,
                "by_type": {REL_NAMES.get(t, t): n for t, n in degree.items()}}

    def law_duties(self, law_id: str, limit: int = 200) -> dict[str, Any]:
        """Law → the articles of its current version that duties cite → those duties (one node per duty name,
        with how many townships list it): the explorer's one step from a law to its duties."""
        props = self._props("Law", law_id)
        rows = self.store.query("graph.law_duties", id=law_id)
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for r in rows:
            k = (r["article_id"], r["name"])
            if k not in merged or merged[k]["townships"] < r["townships"]:
                merged[k] = r
        ordered = sorted(merged.values(), key=lambda r: (r["number"], -r["townships"], r["name"]))
        return {"node": {"label": "Law", "label_cn": LABEL_NAMES["Law"], "id": law_id,
                         "name": display_name("Law", law_id, props)},
                "rows": ordered[:limit], "shown": min(limit, len(ordered)), "total": len(ordered)}
