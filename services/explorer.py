"""The graph explorer: a node's properties and its neighbours, addressed as Label:id."""

from __future__ import annotations

from typing import Any

from dutygraph.graph.errors import NotFound
from dutygraph.graph.model import BROWSABLE, REL_TYPES
from dutygraph.graph.store import GraphStore
from dutygraph.graph.vocabulary import LABEL_NAMES, REL_NAMES

# one statement per label, so the id lookup uses that label's index; labels come from the model, never input
NODE_QUERIES: dict[str, str] = {label: f"graph.node_{label.lower()}" for label in BROWSABLE}
NEIGHBOUR_QUERIES: dict[str, str] = {label: f"graph.neighbours_{label.lower()}" for label in BROWSABLE}


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
        return {"label": label, "label_cn": LABEL_NAMES[label], "id": key, "name": display_name(label, key, props),
                "properties": props, "href": href(label, key, props)}

    def neighbours(self, node: str, types: list[str] | None, limit: int) -> dict[str, Any]:
        label, key = split_node(node)
        props = self._props(label, key)
        wanted = [t for t in types or [] if t in REL_TYPES] or None
        rows = self.store.query(NEIGHBOUR_QUERIES[label], id=key, types=wanted, limit=limit)
        for r in rows:
            r["type_cn"] = REL_NAMES.get(r["type"], r["type"])
            r["label_cn"] = LABEL_NAMES.get(r["label"], r["label"])
        return {"node": {"label": label, "label_cn": LABEL_NAMES[label], "id": key,
                         "name": display_name(label, key, props)}, "neighbours": rows}
