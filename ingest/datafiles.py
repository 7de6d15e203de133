"""The word lists and tables shipped in ingest/data: one place that knows where they are and how a list reads."""

from __future__ import annotations

import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def lines(name: str) -> list[str]:
    """A word list's entries: one per line, NFKC, blank lines and `#` comments left out."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [unicodedata.normalize("NFKC", s.strip()) for s in text.splitlines() if s.strip() and not s.startswith("#")]
