import pytest
from dutygraph.api.app import create_app
from fastapi.testclient import TestClient

from tests.conftest import HAVE_CURATED, need_shared


@pytest.fixture(scope="module")
def client(laws_store):
    with TestClient(create_app(store=laws_store)) as c:
        yield c


def test_health_reports_backend_and_counts(client, laws_store):
    body = client.get("/api/health").json()
    versions = laws_store.run_cypher("MATCH (v:LawVersion) RETURN count(v) AS n")[0]["n"]
    assert body["backend"] == laws_store.backend and body["counts"]["LawVersion"] == versions == (
        72 if HAVE_CURATED else 379)


def test_article_in_force_on_a_date(client):
    r = client.get("/api/laws/中华人民共和国安全生产法/articles/9", params={"version": "2021-06-10"})
    assert r.status_code == 200
    body = r.json()
    assert body["version"] == "2021-06-10" and body["status"] == "current"
    assert body["paragraphs"][1]["text"].startswith("乡镇人民政府和街道办事处")
    old = client.get("/api/laws/安全生产法/articles/8", params={"version": "2020-01-01"}).json()
    assert old["version"] == "2014-08-31" and old["status"] == "superseded"
    assert [p["number"] for p in old["paragraphs"]] == [1, 2, 3]


def test_points_come_in_order(client):
    body = client.get("/api/laws/安全生产法/articles/21").json()
    assert [p["number"] for p in body["paragraphs"][0]["points"]] == [1, 2, 3, 4, 5, 6, 7]


def test_errors_are_json_with_a_message(client):
    r = client.get("/api/laws/不存在法/articles/1")
    assert r.status_code == 404 and "不存在法" in r.json()["message"]
    r = client.get("/api/laws/安全生产法/articles/999")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = client.get("/api/laws/安全生产法/articles/9", params={"version": "1990-01-01"})
    assert r.status_code == 404 and "1990-01-01" in r.json()["message"]
    r = client.get("/api/laws/安全生产法/articles/9", params={"version": "yesterday"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_parameter"


def test_law_list_has_versions_and_status(client):
    need_shared()
    laws = {law["short_title"]: law for law in client.get("/api/laws").json()}
    assert [v["date"] for v in laws["消防法"]["versions"]] == ["2019-04-23", "2021-04-29"]
    assert laws["信访条例"]["status"] == "repealed" and laws["信访条例"]["replaced_by"] == ["信访工作条例"]


def test_openapi_documents_errors(client):
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/laws/{law}/articles/{number}"]["get"]
    assert {"200", "404", "422"} <= set(op["responses"])


def test_basis_parse(client):
    r = client.post("/api/basis/parse", json={"texts": ["《安全生产法》第九条第二款、第十条", "相关法律法规"]})
    assert r.status_code == 200
    first, second = r.json()
    assert [(c["law"], c["article"], c["paragraph"], c["item"]) for c in first] == [
        ("中华人民共和国安全生产法", 9, 2, None), ("中华人民共和国安全生产法", 10, None, None)]
    assert second == []
    assert client.post("/api/basis/parse", json={"texts": []}).status_code == 422
