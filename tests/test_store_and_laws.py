from pathlib import Path

import pytest
from dutygraph.graph import catalog
from dutygraph.graph.errors import StoreError
from dutygraph.graph.model import schema_markdown
from dutygraph.graph.store import COUNTED, GraphStore
from dutygraph.ingest.laws import ingest_laws

from tests.conftest import HAVE_CURATED, LAWS

SCHEMA_DOC = Path(__file__).resolve().parent.parent / "graph" / "SCHEMA.md"


def test_store_returns_plain_values_and_batches_writes(store):
    rows = [{"id": f"t{i}", "name": f"镇{i}", "code": str(i), "kind": "镇", "county": "宜兴市"} for i in range(4500)]
    store.batch_size = 1000
    sent = store.write("lists.upsert_townships", rows)
    assert sent == 4500
    got = store.run_cypher("MATCH (t:Township {id: $id}) RETURN t, t.name AS name", {"id": "t42"})
    assert got == [{"t": rows[42], "name": "镇42"}]


def test_parameters_carry_quotes_and_newlines_safely(store):
    tricky = 'a"b\\c\n第一条 \'x\' } RETURN 1 //'
    store.write("lists.upsert_townships", [{"id": "q", "name": tricky, "code": "", "kind": "", "county": ""}])
    assert store.run_cypher("MATCH (t:Township {id: 'q'}) RETURN t.name AS n")[0]["n"] == tricky


def test_parameters_of_every_type_come_back_as_sent(store):
    import enum

    class Part(enum.StrEnum):
        basic = "basic"

    sent = {"s": "尾部反斜杠\\", "q": '"', "e": "", "i": -7, "f": 0.25, "tiny": 1e-7, "b": True, "no": False,
            "n": None, "list": [1, "二", None, [True]], "map": {"k": "v", "n": [1.5]}, "enum": Part.basic,
            "tuple": ("a", 2)}
    row = store.run_cypher("RETURN " + ", ".join(f"${k} AS {k}" for k in sent), sent)[0]
    assert row == {**sent, "enum": "basic", "tuple": ["a", 2]}


@pytest.mark.parametrize("bad", ["丁\x00蜀镇", "a\x01b", "\x7f", "x\x9fy"])
def test_control_characters_are_refused_never_dropped_or_sent(store, bad):
    """A NUL was once dropped silently (丁蜀镇\\0 stored as 丁蜀镇); U+0001 under a unique constraint crashes
    FalkorDB 4.16. Both are refused before anything is sent; tab and newline pass."""
    from dutygraph.graph.errors import InputError

    with pytest.raises(InputError, match="控制字符"):
        store.write("lists.upsert_townships", [{"id": bad, "name": bad, "code": "", "kind": "", "county": ""}])
    store.write("lists.upsert_townships", [{"id": "t", "name": "甲\t乙\n丙", "code": "", "kind": "", "county": ""}])
    assert [r["n"] for r in store.run_cypher("MATCH (t:Township) RETURN t.name AS n")] == ["甲\t乙\n丙"]


def test_fulltext_query_syntax_is_neutralised(store):
    store.write("laws.upsert_laws", [{"id": "某法", "title": "中华人民共和国某法", "short_title": "某法", "category": ""}])
    assert store.fulltext_search("Law", '"A-(*', 5) == []  # no syntax error from the search engine
    assert store.fulltext_search("Law", "--", 5) == []


def test_schema_is_idempotent_and_unique_keys_hold(store):
    store.ensure_schema()  # second time: no error
    store.write("lists.upsert_townships", [{"id": "u", "name": "x", "code": "", "kind": "", "county": ""}])
    with pytest.raises(StoreError):
        store.run_cypher("CREATE (:Township {id: 'u'})", write=True)


def test_unknown_query_name_is_a_clear_error(store):
    with pytest.raises(StoreError, match="no query named"):
        store.query("laws.nope")


def test_schema_document_matches_model():
    assert SCHEMA_DOC.read_text(encoding="utf-8") == schema_markdown(), "run: dutygraph schema > graph/SCHEMA.md"


def test_catalog_names_are_unique_and_non_empty():
    cat = catalog.catalog()
    assert len(cat) > 10 and all(q.text for q in cat.values())


def test_law_ingest_is_idempotent_and_derives_status(store):
    first = ingest_laws(store, [LAWS])
    assert not first.failed and len(first.loaded) == (72 if HAVE_CURATED else 2)
    counts = {r["label"]: r["n"] for r in store.query("admin.counts")}
    second = ingest_laws(store, [LAWS])
    assert second.loaded == [] and len(second.unchanged) == len(first.loaded)
    assert {r["label"]: r["n"] for r in store.query("admin.counts")} == counts
    assert counts["Article"] == first.articles
    # the health page's counts (FalkorDB: its kept label counts) are the portable union's, 0 for labels unused
    assert store.label_counts() == GraphStore.label_counts(store) == {**dict.fromkeys(COUNTED, 0), **counts}
    versions = {(r["title"], r["date"]): r["status"] for r in store.query("laws.all_versions")}
    assert versions[("中华人民共和国安全生产法", "2014-08-31")] == "superseded"
    assert versions[("中华人民共和国安全生产法", "2021-06-10")] == "current"
    if not HAVE_CURATED:  # the constructed corpus holds one law in two versions
        return
    assert versions[("信访条例", "2005-01-10")] == "repealed"
    assert versions[("信访工作条例", "2022-02-25")] == "current"
    laws = {law["title"]: law for law in store.query("laws.list_laws")}
    assert laws["信访条例"]["replaced_by"] == ["信访工作条例"]
    links = store.run_cypher("MATCH (a:LawVersion)-[s:SUCCEEDED_BY]->(b:LawVersion) "
                             "RETURN a.id AS a, b.id AS b, s.kind AS kind")
    assert {"a": "信访条例@2005-01-10", "b": "信访工作条例@2022-02-25", "kind": "replacement"} in links
    assert len([x for x in links if x["kind"] == "amendment"]) == 8


def test_changed_text_replaces_the_version(store, tmp_path: Path):
    f = tmp_path / "某法(2020-01-01).md"
    f.write_text("# 某法\n<!-- INFO END -->\n第一条 甲。\n第二条 乙。\n", encoding="utf-8")
    ingest_laws(store, [f])
    f.write_text("# 某法\n<!-- INFO END -->\n第一条 甲改。\n", encoding="utf-8")
    report = ingest_laws(store, [f])
    assert report.loaded == ["某法@2020-01-01"]
    arts = store.run_cypher("MATCH (:LawVersion)-[:HAS_ARTICLE]->(a:Article) RETURN a.text AS t")
    assert arts == [{"t": "甲改。"}]
    assert store.run_cypher("MATCH (p:Paragraph) RETURN count(p) AS n")[0]["n"] == 1


def test_unparseable_file_is_reported_and_the_rest_loads(store, tmp_path: Path):
    (tmp_path / "好法(2020-01-01).md").write_text("# 好法\n<!-- INFO END -->\n第一条 甲。\n", encoding="utf-8")
    (tmp_path / "坏法(2020-01-01).md").write_text("无标题\n", encoding="utf-8")
    report = ingest_laws(store, [tmp_path])
    assert report.loaded == ["好法@2020-01-01"]
    assert [(Path(e.file).name, e.line) for e in report.failed] == [("坏法(2020-01-01).md", 1)]
