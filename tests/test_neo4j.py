"""The same store contract on a real Neo4j 5 (testcontainers); skipped with the reason where no Docker daemon runs."""

import pytest

from tests.conftest import LAWS


@pytest.fixture(scope="module")
def neo4j_store():
    try:
        import docker

        docker.from_env().ping()
    except Exception as e:  # any failure to reach the daemon means: no Docker here
        pytest.skip(f"Docker not available: {e}")
    from testcontainers.neo4j import Neo4jContainer

    from graph.neo4j_backend import Neo4jStore

    with Neo4jContainer("neo4j:5.26-community") as c:
        store = Neo4jStore(uri=c.get_connection_url(), user="neo4j", password=c.password)
        store.ensure_schema()
        yield store
        store.close()


@pytest.mark.neo4j
def test_law_ingest_and_article_lookup_on_neo4j(neo4j_store):
    from api.repository import Repository
    from ingest.laws import ingest_laws

    report = ingest_laws(neo4j_store, [LAWS])
    assert not report.failed
    art = Repository(neo4j_store).article("安全生产法", 9, "2021-06-10")
    assert art["paragraphs"][1]["text"].startswith("乡镇人民政府和街道办事处")
    assert ingest_laws(neo4j_store, [LAWS]).loaded == []
