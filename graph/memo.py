"""Results of reads kept per process for as long as the graph has not changed.

Every write through the store raises the graph's generation (one `Generation` node); a kept result is used only
while the generation it was computed at is still the graph's, so a reader never gets an answer older than the
last write it could have seen — whichever process (another worker, a CLI ingest) wrote. The generation is read
before the result is computed: a write landing in between leaves the result filed under the old generation,
where nobody asks for it again. A writer killed between its write and the raise (a SIGKILLed ingest) would leave
kept results stale, so they also expire after `ttl` seconds.

After a write the answers asked most recently are computed again in the background (`Refresher`), once the
writes have settled: an analytics page read after a list switch is answered from what was computed when the data
changed, not when it is read.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
MISS: Any = object()  # what peek() gives when nothing fresh is kept


def weight(value: Any) -> int:
    """Roughly how many rows an answer holds (its top-level lists and maps): what bounds the memory kept."""
    if isinstance(value, dict):
        return 1 + sum(len(v) for v in value.values() if isinstance(v, list | dict))
    return 1 + len(value) if isinstance(value, list) else 1


@dataclass(slots=True)
class _Entry:
    generation: str
    when: float
    value: Any
    compute: Callable[[], Any]
    rows: int
    rendered: bytes | None = None  # the answer as JSON, made once from `value` (api/routers/common.answer)


class Memo:
    def __init__(self, max_entries: int = 2048, ttl: float = 300.0, max_rows: int = 200_000) -> None:
        # 200,000 rows is about 200 MB per process: an impact worklist at 100× alone holds 8,000
        self.max_entries, self.ttl, self.max_rows = max_entries, ttl, max_rows
        self._kept: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._rows = 0
        self.hits = self.misses = 0

    def peek(self, generation: str, key: Hashable) -> Any:
        """The answer kept for `key` at `generation`, or MISS; computes nothing."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or kept.generation != generation or time.monotonic() - kept.when >= self.ttl:
                return MISS
            self._kept.move_to_end(key)
            self.hits += 1
            return kept.value

    def get(self, generation: str, key: Hashable, compute: Callable[[], T]) -> T:
        value = self.peek(generation, key)
        if value is not MISS:
            return value
        now = time.monotonic()
        value = compute()  # outside the lock: two readers may compute the same thing once each
        rows = weight(value)
        with self._lock:
            self.misses += 1
            old = self._kept.pop(key, None)
            self._rows += rows - (old.rows if old else 0)
            self._kept[key] = _Entry(generation, now, value, compute, rows)
            self._evict()
        return value

    def _evict(self) -> None:  # oldest first, down to the bounds; the caller holds the lock
        while self._kept and (len(self._kept) > self.max_entries or self._rows > self.max_rows):
            self._rows -= self._kept.popitem(last=False)[1].rows

    def rendered(self, key: Hashable, value: Any, render: Callable[[Any], bytes]) -> bytes:
        """render(value) — an answer's JSON — made once and kept with the entry for `key` while that entry still
        holds `value` (so it never outlives the answer it was made from); its bytes count towards the bound on
        what is kept (1 kB as one row)."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept.value is value and kept.rendered is not None:
                return kept.rendered
        out = render(value)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept.value is value and kept.rendered is None:
                kept.rendered = out
                kept.rows += len(out) // 1000
                self._rows += len(out) // 1000
                self._evict()
        return out

    def stale(self, generation: str, n: int) -> list[tuple[Hashable, Callable[[], Any]]]:
        """The `n` most recently used answers computed at another generation, most recent first."""
        with self._lock:
            out = [(k, e.compute) for k, e in reversed(self._kept.items()) if e.generation != generation]
        return out[:n]

    def forget(self, key: Hashable) -> None:
        with self._lock:
            old = self._kept.pop(key, None)
            self._rows -= old.rows if old else 0


def _key(qualname: str, args: tuple, kwargs: dict) -> Hashable:
    return (qualname, args, tuple(sorted(kwargs.items())))


def kept(method: Callable[..., T]) -> Callable[..., T]:
    """A service method whose answer is a function of the graph: kept per process until the next write
    (`self.store.cached`). Its arguments are the key, with the method's own name; they must be hashable."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
        return self.store.cached(_key(method.__qualname__, args, kwargs), lambda: method(self, *args, **kwargs))

    return wrapper


def key_of(bound: Callable[..., Any], *args: Any, **kwargs: Any) -> Hashable:
    """The key `bound(*args)`, a @kept method of a service, keeps its answer under."""
    return _key(bound.__qualname__, args, kwargs)


def peek(bound: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """What `bound(*args)`, a @kept method of a service, would answer from what this process keeps, or MISS.
    Cheap enough for an event loop only where the store's generation check is (FalkorDB: one key read);
    elsewhere always MISS, and the caller computes as usual."""
    store = bound.__self__.store  # type: ignore[attr-defined]
    if not store.memo.max_entries or not store.cheap_generation:
        return MISS
    return store.memo.peek(store.generation(), key_of(bound, *args, **kwargs))


class Refresher:
    """A thread computing again, after writes, the answers a process kept: it waits until the generation has
    stood still for `quiet` seconds (an ingest writes in many statements), then recomputes up to `n` answers,
    most recently used first, within `budget` seconds."""

    def __init__(self, store: Any, n: int = 128, quiet: float = 2.0, budget: float = 10.0,
                 interval: float = 0.5) -> None:
        self.store, self.n, self.quiet, self.budget, self.interval = store, n, quiet, budget, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memo-refresh", daemon=True)
        self.refreshed = 0

    def start(self) -> Refresher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.budget + 5)

    def _run(self) -> None:
        from dutygraph.graph.errors import DutyGraphError

        seen, since = None, time.monotonic()
        while not self._stop.wait(self.interval):
            try:
                generation = self.store.generation()
                if generation != seen:
                    seen, since = generation, time.monotonic()
                    continue
                if time.monotonic() - since < self.quiet:
                    continue
                self.refresh(generation)
            except DutyGraphError:  # the database restarting: the next round tries again
                continue

    def refresh(self, generation: str) -> None:
        from dutygraph.graph.errors import DutyGraphError

        deadline = time.monotonic() + self.budget
        for key, compute in self.store.memo.stale(generation, self.n):
            if self._stop.is_set() or time.monotonic() > deadline or self.store.generation() != generation:
                return  # written to again: wait for it to settle
            try:
                self.store.memo.get(generation, key, compute)
                self.refreshed += 1
            except DutyGraphError:  # the question has no answer any more (a township removed): forget it
                self.store.memo.forget(key)
