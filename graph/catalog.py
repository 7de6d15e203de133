"""The query catalog: every Cypher statement lives in queries/*.cypher under a `// name: x` header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from dutygraph.graph.errors import StoreError

_HEADER = re.compile(r"^//\s*name:\s*([a-z0-9_.]+)\s*$", re.MULTILINE)
_DOMAIN = re.compile(r"^\s*//\s*domain:\s*(\w+)\b", re.MULTILINE)
_LABEL = re.compile(r":([A-Z][A-Za-z]+)\b")


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    file: str
    line: int
    # what a write changes, for the answers kept per process (graph/memo.py): "graph" — the lists and laws every
    # kept answer is computed from — or "workflow" (requests, records, tasks, audit …, which no kept answer reads:
    # a write there leaves them all). A statement naming only workflow labels is "workflow"; one that also matches
    # graph nodes says so with a "// domain: workflow" line when it writes nothing a kept answer reads.
    domain: str = "graph"


def _domain(block: str, body: str) -> str:
    from dutygraph.graph.model import WORKFLOW_LABELS

    stated = _DOMAIN.search(block)
    if stated:
        return stated.group(1)
    labels = set(_LABEL.findall(body))
    return "workflow" if labels and labels <= set(WORKFLOW_LABELS) else "graph"


def queries_dir() -> Path:
    """The .cypher files are package data of dutygraph.queries: found wherever the package is installed."""
    return Path(str(resources.files("dutygraph.queries")))


def parse_file(path: Path) -> list[Query]:
    source = path.read_text(encoding="utf-8")
    heads = list(_HEADER.finditer(source))
    if not heads:
        raise StoreError(f"{path.name}: no '// name:' header")
    out = []
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(source)
        body = "\n".join(
            ln for ln in source[m.end():end].strip().splitlines() if not ln.lstrip().startswith("//")
        ).strip().rstrip(";")
        out.append(Query(f"{path.stem}.{m.group(1)}", body, path.name, source.count("\n", 0, m.start()) + 1,
                         _domain(source[m.end():end], body)))
    return out


@lru_cache(maxsize=1)
def catalog() -> dict[str, Query]:
    queries: dict[str, Query] = {}
    for path in sorted(queries_dir().glob("*.cypher")):
        for q in parse_file(path):
            if q.name in queries:
                raise StoreError(f"duplicate query name {q.name} in {path.name}")
            queries[q.name] = q
    return queries


def domain(name: str) -> str:
    return catalog()[name].domain if name in catalog() else "graph"


def get(name: str) -> str:
    try:
        return catalog()[name].text
    except KeyError as e:
        raise StoreError(f"no query named {name!r} in queries/*.cypher") from e
