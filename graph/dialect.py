"""The only place where FalkorDB and Neo4j differ: DDL and full-text search.

Labels and properties come from graph/model.py, never from input, so building DDL text here is safe.
"""

from __future__ import annotations

import re

from dutygraph.graph.model import NODES, NodeSpec


def fulltext_terms(text: str) -> str:
    """Words only: both RediSearch (FalkorDB) and Lucene (Neo4j) give operators to quotes, dashes, brackets …"""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


def _ft_name(spec: NodeSpec) -> str:
    return f"{spec.label.lower()}_fulltext"


# --- Neo4j 5 -------------------------------------------------------------------------------------

def neo4j_ddl() -> list[str]:
    out = []
    for n in NODES:
        out.append(f"CREATE CONSTRAINT {n.label.lower()}_{n.key} IF NOT EXISTS "
                   f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE")
        for p in n.indexed:
            out.append(f"CREATE INDEX {n.label.lower()}_{p} IF NOT EXISTS FOR (n:{n.label}) ON (n.{p})")
        if n.fulltext:
            props = ", ".join(f"n.{p}" for p in n.fulltext)
            out.append(f"CREATE FULLTEXT INDEX {_ft_name(n)} IF NOT EXISTS FOR (n:{n.label}) ON EACH [{props}] "
                       "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}")
    return out


def neo4j_fulltext(spec: NodeSpec) -> str:
    return (f"CALL db.index.fulltext.queryNodes('{_ft_name(spec)}', $q) YIELD node, score "
            "RETURN node, score ORDER BY score DESC LIMIT $limit")


# --- FalkorDB 4 ----------------------------------------------------------------------------------

def falkordb_range_indexes() -> list[str]:
    out = []
    for n in NODES:
        for p in (n.key, *n.indexed):
            out.append(f"CREATE INDEX FOR (n:{n.label}) ON (n.{p})")
    return out


def falkordb_fulltext_ddl() -> list[str]:
    out = []
    for n in NODES:
        if n.fulltext:
            props = ", ".join(f"'{p}'" for p in n.fulltext)
            out.append(f"CALL db.idx.fulltext.createNodeIndex({{label: '{n.label}', language: 'chinese'}}, {props})")
    return out


# full-text indexes of earlier releases, dropped when a store opens (FalkorDB rebuilds them at every start)
FALKORDB_OBSOLETE = ("CALL db.idx.fulltext.drop('DutyItem')", "CALL db.idx.fulltext.drop('Article')")
NEO4J_OBSOLETE = ("DROP INDEX dutyitem_fulltext IF EXISTS", "DROP INDEX article_fulltext IF EXISTS")


def falkordb_fulltext(spec: NodeSpec) -> str:
    return (f"CALL db.idx.fulltext.queryNodes('{spec.label}', $q) YIELD node, score "
            "RETURN node, score ORDER BY score DESC LIMIT $limit")


ALREADY_EXISTS = ("already indexed", "already exists", "constraint already")
