import shutil

import pytest
from dutygraph.graph import lint


@pytest.fixture(scope="module")
def node_ready():
    if not shutil.which("node") or not (lint.TOOL / "node_modules").is_dir():
        pytest.fail("node and tools/cypher-lint/node_modules are required (npm ci in tools/cypher-lint)")


def test_every_statement_passes_neo4j_parser(node_ready):
    code, results = lint.lint()
    bad = {r["name"]: r["errors"] for r in results if r["errors"]}
    assert code == 0 and not bad
    assert len(results) == len(lint.statements())


def test_parser_catches_a_syntax_error(node_ready, monkeypatch):
    monkeypatch.setattr(lint, "statements", lambda: [{"name": "bad", "text": "MATCH (n RETURN n", "params": []}])
    code, results = lint.lint()
    assert code == 1 and results[0]["errors"]


def test_every_statement_compiles_on_the_real_engine(store):
    # EXPLAIN compiles and plans each catalog statement on the real engine (each backend) without running it
    from dutygraph.graph import catalog

    for q in catalog.catalog().values():
        params = {p: 10 if p in ("limit", "offset", "skip", "upto", "town_upto") else None for p in lint.PARAM.findall(q.text)}
        if store.backend == "neo4j":
            store.run_cypher("EXPLAIN " + q.text, params, write=True)
        else:
            store.graph.explain(q.text, params)
