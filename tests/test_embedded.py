"""The embedded FalkorDB: data survives a restart (append-only log), and a second process shares the server."""

from dutygraph.graph.connect import open_store


def test_restart_keeps_data(settings):
    store = open_store(settings)
    row = {"id": "x", "name": "丁蜀镇", "code": "1", "kind": "镇", "county": "宜兴市"}
    store.write("lists.upsert_townships", [row])
    store.persist()
    store.close()  # stops the server it started
    assert (settings.data_dir / "appendonlydir").is_dir()  # the append-only log holds every write
    store = open_store(settings)
    try:
        assert store.run_cypher("MATCH (t:Township) RETURN t.name AS n") == [{"n": "丁蜀镇"}]
    finally:
        store.close()


def test_second_process_reuses_running_server(settings):
    first = open_store(settings)
    second = open_store(settings)
    try:
        assert first.server.proc is not None and second.server.proc is None
        second.close()  # does not stop the server owned by `first`
        assert first.run_cypher("RETURN 1 AS one") == [{"one": 1}]
    finally:
        first.close()
