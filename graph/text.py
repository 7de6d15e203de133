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
