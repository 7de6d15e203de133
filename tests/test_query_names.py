"""Every query name the code uses exists in queries/*.cypher, and every statement there is used.

Names are string literals of the form <file>.<statement> anywhere in the package, plus the tables that
enumerate names composed from the model and the vocabulary (orphan kinds, search kinds, explorer labels).
A typo fails here, not as a 503 at request time."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dutygraph.graph.catalog import catalog, queries_dir
from dutygraph.ingest.analytics import LIVE_COUNTS
from dutygraph.ingest.lists import CITATION_LINKS, ORG_LINKS
from dutygraph.services.duties import ORPHAN_QUERIES, SEARCH_QUERIES
from dutygraph.services.explorer import DEGREE_QUERIES, NEIGHBOUR_QUERIES, NODE_QUERIES

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("api", "graph", "ingest", "services")


def used_names() -> dict[str, str]:
    stems = {p.stem for p in queries_dir().glob("*.cypher")}
    # <file>.<statement>, but not a file name such as search.html or laws.db
    shape = re.compile(rf"^(?:{'|'.join(stems)})\.(?!(?:html|db|md|csv|json|cypher)$)[a-z0-9_]+$")
    found: dict[str, str] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            # a piece of an f-string is not a name: composed names are what this test forbids
            pieces = {id(c) for j in ast.walk(tree) if isinstance(j, ast.JoinedStr) for c in j.values}
            for node in ast.walk(tree):
                if id(node) not in pieces and isinstance(node, ast.Constant) and isinstance(node.value, str) and shape.match(node.value):
                    found[node.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    composed = [*ORPHAN_QUERIES.values(), *LIVE_COUNTS.values(), *SEARCH_QUERIES.values(),
                *NODE_QUERIES.values(), *NEIGHBOUR_QUERIES.values(), *DEGREE_QUERIES.values(), *ORG_LINKS.values(),
                *CITATION_LINKS.values()]
    found.update({n: "composed table" for n in composed})
    return found


def test_every_name_in_code_is_a_statement():
    missing = {n: where for n, where in used_names().items() if n not in catalog()}
    assert not missing, f"query names with no statement in queries/: {missing}"


def test_every_statement_is_used():
    unused = sorted(set(catalog()) - set(used_names()))
    assert not unused, f"statements nobody runs (remove them or use them): {unused}"


def test_catalog_is_package_data_not_a_sibling_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the catalog must not depend on the working directory
    catalog.cache_clear()
    assert "laws.find_law" in catalog()


def test_health_counts_every_label_of_the_model():
    # admin.counts spells one branch per label (a label scan each); a label added to the model must be counted
    from dutygraph.graph.model import LABELS

    counted = set(re.findall(r"MATCH \(n:(\w+)\) RETURN '(\w+)'", catalog()["admin.counts"].text))
    # the Generation (a node on Neo4j, keys beside the graph on FalkorDB) and the ListEpoch (which says whether
    # the departments' kept overviews are current) are bookkeeping: not counted as data
    assert {a for a, b in counted if a == b} == set(LABELS) - {"Generation", "ListEpoch"}


def test_the_province_flag_counts_spell_every_item_flag():
    # the province's orphan counts name each flag's count property: a flag added to the vocabulary must be read
    from dutygraph.graph.vocabulary import ITEM_FLAGS

    per_list = catalog()["analytics.current_flag_counts"].text
    assert set(re.findall(r"WHEN '(\w+)' THEN l\.n_(\w+)", per_list)) == {(f, f) for f in ITEM_FLAGS}
    totals = catalog()["analytics.current_flag_totals"].text
    assert set(re.findall(r"sum\(l\.n_(\w+)\) AS (\w+)", totals)) == {(f, f) for f in ITEM_FLAGS
                                                                   if f != "lead_violation"}
