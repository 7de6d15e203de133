"""The Neo4j backend against a real Neo4j 5: a testcontainer where a Docker daemon runs, else Neo4j Community from
Maven Central started by graph/neo4j_local.py. (Every integration test also runs on Neo4j through the `store`
fixture; these check what only the production setup does: the launcher, authentication, the driver settings.)"""

import pytest
from dutygraph.graph.errors import StoreError
from dutygraph.graph.neo4j_backend import Neo4jStore

from tests.conftest import LAWS

pytestmark = pytest.mark.neo4j


def _docker() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:  # any failure to reach a daemon means: no Docker here
        return False


@pytest.fixture(scope="module")
def neo4j_store(request):
    if _docker():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26-community") as c:
            store = Neo4jStore(uri=c.get_connection_url(), user="neo4j", password=c.password)
            store.wipe()
            store.ensure_schema()
            yield store
            store.close()
        return
    dbms = request.getfixturevalue("neo4j_dbms")
    store = Neo4jStore(uri=dbms.uri(0), user="neo4j", password=dbms.password)
    store.wipe()
    store.ensure_schema()
    yield store
    store.close()


def test_authentication_is_on_and_the_password_is_the_runs_own(neo4j_dbms):
    with pytest.raises(StoreError, match="cannot reach Neo4j"):
        Neo4jStore(uri=neo4j_dbms.uri(0), user="neo4j", password="neo4j")
    with pytest.raises(StoreError, match="cannot reach Neo4j"):
        Neo4jStore(uri=neo4j_dbms.uri(0), user="neo4j", password="")
    assert neo4j_dbms.uri(0).startswith("bolt://127.0.0.1:")  # loopback only


def test_law_ingest_and_article_lookup_on_neo4j(neo4j_store):
    from dutygraph.ingest.laws import ingest_laws
    from dutygraph.services.laws import LawService

    report = ingest_laws(neo4j_store, [LAWS])
    assert not report.failed
    art = LawService(neo4j_store).article("安全生产法", 9, "2021-06-10")
    assert art["paragraphs"][1]["text"].startswith("乡镇人民政府和街道办事处")
    assert ingest_laws(neo4j_store, [LAWS]).loaded == []


def test_schema_is_in_place_on_neo4j(neo4j_store):
    from dutygraph.graph.model import NODES

    constraints = {r["name"] for r in neo4j_store.run_cypher("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {f"{n.label.lower()}_{n.key}" for n in NODES} <= constraints
    indexes = {r["name"]: r["type"] for r in neo4j_store.run_cypher("SHOW INDEXES YIELD name, type RETURN name, type")}
    assert {f"{n.label.lower()}_fulltext" for n in NODES if n.fulltext} <= {k for k, t in indexes.items()
                                                                          if t == "FULLTEXT"}
    assert "dutyitem_fulltext" not in indexes  # an earlier release's index is dropped
