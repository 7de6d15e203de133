"""Graph explorer data (JSON)."""

from __future__ import annotations

from typing import Annotated, Any

from dutygraph.api import auth
from dutygraph.api.deps import Duties, Explorer, Laws
from fastapi import APIRouter, Depends, Query

router = APIRouter(prefix="/api/graph", dependencies=[Depends(auth.reader)], tags=["graph"])


@router.get("/node")
def node(service: Explorer, node: str) -> dict:
    """A node's fields in Chinese (for the details panel), its page and its neighbours per type. `node` is
    Label:id."""
    return service.node(node)


@router.get("/neighbours")
def neighbours(
    service: Explorer, node: str, types: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 60,
    skip: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    """A node's neighbours (both directions), optionally only along the given relationship types; `shown` of
    `total`, and `skip` for the next ones."""
    return service.neighbours(node, (types or "").split(",") if types else None, limit, skip)


@router.get("/law-duties")
def law_duties(service: Explorer, law: str) -> dict:
    """Law → the articles duties cite → those duties, in one step (one node per duty name)."""
    return service.law_duties(law)


@router.get("/find")
def find(duties: Duties, laws: Laws, q: Annotated[str, Query(min_length=1, max_length=100)]) -> list[dict[str, Any]]:
    """Start by name: laws, articles ("消防法 第三十一条"), departments, townships and duties whose names contain
    the text, as explorer nodes."""
    out: list[dict[str, Any]] = []
    cited = laws.citation(q)
    if cited:
        art = laws.article(cited["title"], cited["article"], None)
        version = next(v for v in laws.versions(cited["law_id"]) if v["date"] == art["version"])
        out.append({"node": f"Article:{version['id']}#{art['label']}", "name": f"{cited['title']} {art['label']}",
                    "kind": "条"})
    out += [{"node": f"Township:{t['name']}", "name": t["name"], "kind": "乡镇(街道)"}
            for t in duties.townships() if q in t["name"]][:5]
    seen: set[str] = set()
    kinds = {"law": ("Law", "法律"), "department": ("Department", "部门"), "item": ("DutyItem", "事项"),
             "article": ("Article", "条")}
    for h in duties.search(q, 60, 0)["items"]:
        label, kind = kinds[h["kind"]]
        name = h["name"] if h["kind"] != "item" else f"{h['name']} ({h['township']})"
        if h["kind"] == "item" and h["name"] in seen:  # one suggestion per duty name
            continue
        seen.add(h["name"])
        out.append({"node": f"{label}:{h['id']}", "name": name, "kind": kind})
    return out[:15]
