"""The store port: what the rest of DutyGraph needs from a graph database, and nothing more."""

from __future__ import annotations

import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from dutygraph.graph import catalog
from dutygraph.graph.memo import Memo
from dutygraph.graph.model import LABELS
from dutygraph.graph.rules import township_paragraphs
from dutygraph.graph.text import wording_id

T = TypeVar("T")

Row = dict[str, Any]

# seconds spent in the database by the current request (the API's Server-Timing header and bench/queries read it)
DB_TIME: ContextVar[list[float] | None] = ContextVar("db_time", default=None)
# set inside GraphStore.one_generation(): the writes made there raise the generation once, at its end
_DEFERRED: ContextVar[list[bool] | None] = ContextVar("deferred_bump", default=None)


def chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


COUNTED = tuple(label for label in LABELS if label != "Generation")


class GraphStore(ABC):
    backend: str = ""
    fork_safe = False  # whether a forked process may read through this store (its client reconnects)
    cheap_generation = False  # whether generation() is quick enough to call on an event loop

    def __init__(self, batch_size: int = 2000) -> None:
        self.batch_size = batch_size
        self.memo = Memo()

    @abstractmethod
    def run_cypher(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        """Run one statement; rows come back as dicts of plain Python values (nodes as property maps)."""

    @staticmethod
    @contextmanager
    def timed() -> Iterator[None]:
        """Counts the block as database time of the current request (DB_TIME), if one is being timed."""
        spent = DB_TIME.get()
        t0 = time.perf_counter()
        try:
            yield
        finally:
            if spent is not None:
                spent.append(time.perf_counter() - t0)

    def _run(self, cypher: str, params: dict[str, Any], write: bool, domain: str = "graph") -> list[Row]:
        with self.timed():
            rows = self.run_cypher(cypher, params, write=write)
            # what every process keeps from earlier reads no longer describes the graph — unless the write was
            # of workflow records only (a request, a record, an audit entry), which no kept answer reads
            if write and domain == "graph":
                deferred = _DEFERRED.get()
                if deferred is None:
                    self._bump()
                else:
                    deferred.append(True)
            return rows

    def _bump(self) -> None:
        self.run_cypher(catalog.get("admin.bump_generation"), {"epoch": uuid.uuid4().hex}, write=True)

    @contextmanager
    def one_generation(self) -> Iterator[None]:
        """The writes inside raise the generation once, when the block ends (or fails): for a list load, whose
        writes stay invisible to readers until its last statement switches the version."""
        if _DEFERRED.get() is not None:  # nested: the outer block bumps
            yield
            return
        written: list[bool] = []
        token = _DEFERRED.set(written)
        try:
            yield
        finally:
            _DEFERRED.reset(token)
            if written:
                self._bump()

    def generation(self) -> str:
        """The graph's write generation, raised after every write (graph/memo.py)."""
        rows = self.query("admin.generation")
        return f"{rows[0]['epoch']}:{rows[0]['n']}" if rows else ""

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or what it returned before in this process if the graph has not been written since.
        The result is shared: callers must not change it. `key` names the question (a query name and its
        parameters), never a value built from the answer."""
        if not self.memo.max_entries:
            return compute()
        return self.memo.get(self.generation(), key, compute)

    def label_counts(self) -> dict[str, int]:
        """Nodes per schema label, 0 for a label never written (Neo4j answers each count of the union from its
        count store). The Generation is bookkeeping, not data: not counted."""
        found = {r["label"]: r["n"] for r in self.query("admin.counts")}
        return {label: found.get(label, 0) for label in COUNTED}

    def query(self, name: str, /, **params: Any) -> list[Row]:
        """Run a named read query from the catalog."""
        return self._run(catalog.get(name), params, False)

    def execute(self, name: str, /, **params: Any) -> list[Row]:
        """Run a named write query from the catalog."""
        return self._run(catalog.get(name), params, True, catalog.domain(name))

    def write(self, name: str, rows: Iterable[Row], /, **params: Any) -> int:
        """UNWIND $rows batches through a named write query; returns how many rows were sent."""
        text, domain = catalog.get(name), catalog.domain(name)
        total = 0
        for batch in chunks(rows, self.batch_size):
            self._run(text, {**params, "rows": batch}, True, domain)
            total += len(batch)
        return total

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create constraints and indexes idempotently (backend DDL lives in graph/dialect.py)."""

    def upgrade(self) -> int:
        """Bring a graph written by an earlier release up to this one's derived data: the wordings of items
        written before wordings were (the search reads items through them), the roles of items written before they
        carried them (a law's impact), the township name of lists written before they carried it (a department's
        pages), the township paragraphs of law versions written before
        they were marked (the statutory duties). Returns how many items, lists and versions it brought up."""
        done = 0
        if self.query("lists.worded_count")[0]["n"] < self.label_counts()["DutyItem"]:
            for lst in self.query("analytics.all_lists"):
                rows = self.query("lists.unworded_items", list_id=lst["id"])
                self.write("lists.word_items", [{**r, "wording": wording_id(r["name"], r["part"], r["content"])}
                                                for r in rows])
                done += len(rows)
        for lst in self.query("lists.lists_without_item_roles"):
            done += self.execute("lists.keep_item_roles", id=lst["id"])[0]["n"]
        unnamed = self.query("lists.unnamed_lists")[0]["n"]
        if unnamed:
            self.execute("lists.name_lists")
            done += unnamed
        for v in self.query("laws.unmarked_versions"):
            paragraphs = self.query("laws.version_paragraphs", id=v["id"])
            self.execute("laws.mark_township_paragraphs",
                         rows=[{"id": v["id"], "township_paragraphs": township_paragraphs(paragraphs)}])
            done += 1
        if done:
            self.persist()
        return done

    @abstractmethod
    def fulltext_search(self, label: str, text: str, limit: int) -> list[Row]:
        """Full-text search over a label's full-text properties; rows {node, score}."""

    def persist(self) -> None:
        """Make acknowledged writes durable (FalkorDB: SAVE). Neo4j commits are durable already."""
        return None

    def wipe(self) -> None:
        """Delete every node, in batches (tests and `dutygraph reset`)."""
        while self.execute("admin.delete_batch", limit=10000)[0]["deleted"]:
            pass

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
