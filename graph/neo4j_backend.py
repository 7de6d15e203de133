"""Neo4j 5 backend through the official driver (production). Managed transactions, one driver per process."""

from __future__ import annotations

from typing import Any

import neo4j
from dutygraph.graph import dialect
from dutygraph.graph.errors import InputError, StoreError
from dutygraph.graph.model import node
from dutygraph.graph.store import GraphStore, Row
from dutygraph.graph.text import control_in
from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable


def _plain(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return dict(value)
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [dict(n) for n in value.nodes], "edges": [dict(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Neo4jStore(GraphStore):
    backend = "neo4j"

    def __init__(self, *, uri: str, user: str, password: str, database: str = "neo4j",
                 batch_size: int = 2000, driver: neo4j.Driver | None = None) -> None:
        super().__init__(batch_size)
        self.database = database
        self.local: Any = None  # a LocalNeo4j (graph/neo4j_local.py) this store started and stops
        try:
            # notifications off: Neo4j warns about every label or property not yet in the graph (an empty graph
            # before its first ingest), which is our normal case, not a mistake
            self.driver = driver or GraphDatabase.driver(uri, auth=(user, password),
                                                         notifications_min_severity="OFF")
            self.driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError, ValueError) as e:
            raise StoreError(f"cannot reach Neo4j at {uri}: {e}") from e

    def run_cypher(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        bad = control_in(params or {})
        if bad:  # the same last line as FalkorDB's: what one backend refuses, the other does not store
            raise InputError(f"文本含有控制字符 {bad}, 不能写入 (a control character in a parameter)")

        def work(tx: neo4j.ManagedTransaction) -> list[Row]:
            result = tx.run(cypher, params or {})
            return [{k: _plain(v) for k, v in rec.items()} for rec in result]

        try:
            with self.driver.session(database=self.database) as session:
                return session.execute_write(work) if write else session.execute_read(work)
        except Neo4jError as e:
            raise StoreError(f"Neo4j rejected the query: {e.message}\n{cypher[:300]}") from e
        except (ServiceUnavailable, OSError) as e:
            raise StoreError(f"Neo4j connection failed: {e}") from e

    def ensure_schema(self) -> None:
        for text in (*dialect.NEO4J_OBSOLETE, *dialect.neo4j_ddl()):
            self.run_cypher(text, write=True)

    def fulltext_search(self, label: str, text: str, limit: int) -> list[Row]:
        terms = dialect.fulltext_terms(text)
        if not terms:
            return []
        return self.run_cypher(dialect.neo4j_fulltext(node(label)), {"q": terms, "limit": limit})

    def close(self) -> None:
        try:
            self.driver.close()
        finally:
            if self.local is not None:
                self.local.stop()
                self.local = None
