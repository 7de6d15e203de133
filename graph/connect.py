"""Open the store the settings ask for: embedded FalkorDB (default), external FalkorDB, or Neo4j."""

from __future__ import annotations

from dutygraph.graph.settings import Settings, get_settings
from dutygraph.graph.store import GraphStore


def open_store(settings: Settings | None = None, *, schema: bool = True) -> GraphStore:
    s = settings or get_settings()
    store: GraphStore
    if s.backend == "neo4j":
        from dutygraph.graph.neo4j_backend import Neo4jStore

        if s.neo4j_uri == "local":  # Neo4j Community from Maven Central, started here (no Docker needed)
            from dutygraph.graph.neo4j_local import shared

            uri, password, dbms = shared(s.data_dir)
            store = Neo4jStore(uri=uri, user="neo4j", password=password, batch_size=s.batch_size)
            store.local = dbms  # stopped when the store closes, if this process started it
        else:
            store = Neo4jStore(uri=s.neo4j_uri, user=s.neo4j_user, password=s.neo4j_password,
                               database=s.neo4j_database, batch_size=s.batch_size)
    else:
        from dutygraph.graph.falkordb_backend import EmbeddedServer, FalkorDBStore

        if s.falkordb_url:
            store = FalkorDBStore(graph_name=s.graph_name, url=s.falkordb_url, batch_size=s.batch_size,
                                  read_timeout_ms=s.read_timeout_s * 1000)
        else:
            server = EmbeddedServer(s.data_dir)
            sock = server.start()
            store = FalkorDBStore(graph_name=s.graph_name, socket=sock, server=server, batch_size=s.batch_size,
                                  read_timeout_ms=s.read_timeout_s * 1000)
    store.memo.max_entries = s.memo_entries
    if schema:
        store.ensure_schema()
        store.upgrade()
    return store
