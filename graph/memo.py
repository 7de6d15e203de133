"""Results of reads kept per process for as long as the graph has not changed.

Every write through the store raises the graph's generation (one `Generation` node); a kept result is used only
while the generation it was computed at is still the graph's, so a reader never gets an answer older than the
last write it could have seen — whichever process (another worker, a CLI ingest) wrote. The generation is read
before the result is computed: a write landing in between leaves the result filed under the old generation,
where nobody asks for it again. A writer killed between its write and the raise (a SIGKILLed ingest) would leave
kept results stale, so they also expire after `ttl` seconds.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self, max_entries: int = 2048, ttl: float = 30.0) -> None:
        self.max_entries, self.ttl = max_entries, ttl
        self._kept: OrderedDict[Hashable, tuple[str, float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, generation: str, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] == generation and now - kept[1] < self.ttl:
                self._kept.move_to_end(key)
                self.hits += 1
                return kept[2]
        value = compute()  # outside the lock: two readers may compute the same thing once each
        with self._lock:
            self.misses += 1
            self._kept[key] = (generation, now, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self.max_entries:
                self._kept.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def kept(method: Callable[..., T]) -> Callable[..., T]:
    """A service method whose answer is a function of the graph: kept per process until the next write
    (`self.store.cached`). Its arguments are the key, with the method's own name; they must be hashable."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
        key = (method.__qualname__, args, tuple(sorted(kwargs.items())))
        return self.store.cached(key, lambda: method(self, *args, **kwargs))

    return wrapper
