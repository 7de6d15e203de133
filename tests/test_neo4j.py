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
    from dutygraph.graph.neo4j_backend import Neo4jStore
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26-community") as c:
        store = Neo4jStore(uri=c.get_connection_url(), user="neo4j", password=c.password)
        store.ensure_schema()
        yield store
        store.close()


@pytest.mark.neo4j
def test_law_ingest_and_article_lookup_on_neo4j(neo4j_store):
    from dutygraph.ingest.laws import ingest_laws
    from dutygraph.services.laws import LawService

    report = ingest_laws(neo4j_store, [LAWS])
    assert not report.failed
    art = LawService(neo4j_store).article("安全生产法", 9, "2021-06-10")
    assert art["paragraphs"][1]["text"].startswith("乡镇人民政府和街道办事处")
    assert ingest_laws(neo4j_store, [LAWS]).loaded == []


@pytest.mark.neo4j
def test_list_ingest_and_queries_on_neo4j(neo4j_store, tmp_path):
    """The list loader, orphans, impact and delegation statements on Neo4j (the same .cypher files)."""
    from dutygraph.ingest.delegation import Task
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.lists import ingest_list
    from dutygraph.ingest.resolve import LawIndex
    from dutygraph.services.delegation import Matcher, check
    from dutygraph.services.duties import DutyService
    from dutygraph.services.impact import ImpactService

    from tests.test_query_api import planted

    index = LawIndex.load(neo4j_store)
    report = ingest_list(neo4j_store, [planted(tmp_path / "a.xlsx")], "周铁镇", "2025-06-30",
                         extractor=Extractor(tuple(index.titles)), index=index)
    assert report.status == "loaded"
    repo = DutyService(neo4j_store)
    summary = repo.orphan_summary(None)
    assert summary["no_lead"] == 1 and summary["superseded"] >= 1
    assert repo.department("市应急局", None, 10, 0)["id"] == "市应急管理局"
    assert ImpactService(neo4j_store).amendment("安全生产法", "2014-08-31", "2021-06-10")["total"] >= 1
    (v,) = check([Task("", "请各镇（街道）配合开展燃气安全检查", "")], Matcher.load(neo4j_store), "周铁镇")
    assert v.verdict in ("cooperative", "off_list", "uncertain")
