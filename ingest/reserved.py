"""The 准入 reference catalogue: duties that must stay with county departments, read from a table (xlsx/csv/docx)
and loaded whole in place of the previous one. The 准入 check flags an application that would give one to
townships (services/lifecycle.Admissions)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.readers import record_tables

RESERVED_HEADERS = {
    "name": ("事项名称", "事项", "名称", "职权名称", "权力事项名称"),
    "department": ("保留部门", "承接部门", "实施部门", "责任部门", "实施主体", "部门"),
    "basis": ("依据", "法律依据", "设定依据", "实施依据"),
    "note": ("说明", "备注"),
}
_LOOKUP = {h: f for f, hs in RESERVED_HEADERS.items() for h in hs}


def entry(name: str, department: str, basis: str, note: str, source: str) -> dict[str, str]:
    """One catalogue row, its id a hash of the duty and its department."""
    return {"id": hashlib.sha1(f"{name}\x1f{department}".encode()).hexdigest()[:16], "name": name,
            "department": department, "basis": basis, "note": note, "source": source}


def read_reserved(path: Path) -> list[dict[str, str]]:
    out = []
    for t in record_tables(path, _LOOKUP, ("name",)):
        if "department" not in t.columns:
            raise InputError("没有找到“保留部门”(承接部门/实施部门)列 (no department column)", file=t.file,
                             sheet=t.sheet, row=1)
        for row, v in t.rows:
            for f in ("name", "department"):
                if not v.get(f):
                    raise InputError(f"“{t.column(f)}”为空 (empty {f})", file=t.file, sheet=t.sheet, row=row,
                                     column=t.column(f))
            out.append(entry(v["name"], v["department"], v.get("basis", ""), v.get("note", ""), path.name))
    if not out:
        raise InputError("目录中没有事项 (no duties)", file=str(path))
    return out


def load_reserved(store: GraphStore, rows: list[dict[str, str]]) -> int:
    """Replace the catalogue: the file was read whole before the first delete. A duty listed twice for the same
    department is one entry (the first row's basis and note)."""
    first: dict[str, dict[str, str]] = {}
    for r in rows:
        first.setdefault(r["id"], r)
    rows = list(first.values())
    while store.execute("reserved.delete_batch", limit=5000)[0]["deleted"]:
        pass
    store.write("reserved.create", rows)
    store.persist()
    return len(rows)
