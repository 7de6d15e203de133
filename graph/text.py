"""Text helpers shared by ingestion and services: one name normaliser, one bigram function, one Dice score."""

from __future__ import annotations

import re
import unicodedata

_DROP = {
    (True, True): re.compile(r"[\s\W_]+"),
    (False, True): re.compile(r"[\s\W\d_]+"),
    (False, False): re.compile(r"[\s\W\d_a-zA-Z]+"),
    (True, False): re.compile(r"[\s\W_a-zA-Z]+"),
}


def norm(text: str, *, digits: bool = True, latin: bool = True) -> str:
    """NFKC with spaces and punctuation removed: the form in which two spellings of a name are the same.
    `digits=False` / `latin=False` also drop numerals (article numbers, dates) and Latin letters, which
    carry no meaning when comparing what two Chinese texts are about."""
    return _DROP[digits, latin].sub("", unicodedata.normalize("NFKC", text))


def pairs(text: str) -> set[str]:
    """The character bigrams of `text` as given (Chinese has no spaces; bigrams are its cheapest words)."""
    return {text[i:i + 2] for i in range(len(text) - 1)}


def bigrams(text: str, *, digits: bool = True, latin: bool = True) -> set[str]:
    """Bigrams of the normalised text."""
    return pairs(norm(text, digits=digits, latin=latin))


def dice(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


_UNSAFE = re.compile(r"[^\w.\-\u3400-\u9fff（）()]+")


def file_component(name: str | None, fallback: str, max_len: int = 60) -> str:
    """A name that is safely one path component: the last part of what was given, characters other than
    letters, digits, Chinese, `.-()` replaced, no leading dot, the suffix kept; at most 60 characters (240
    bytes in UTF-8: file systems allow 255)."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = _UNSAFE.sub("_", base).strip("._") or fallback
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = suffix[:10]
    return (stem[: max_len - len(suffix) - 1] + ("." + suffix if suffix else "")) or fallback
