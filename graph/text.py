"""Text helpers shared by ingestion and services: one name normaliser, one bigram function, one Dice score."""

from __future__ import annotations

import hashlib
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


# Control characters other than tab, newline and carriage return (C0, DEL, C1). FalkorDB 4.16 crashes (SIGSEGV in
# EnforceUniqueEntity) on a string holding \x01 in a property under a unique constraint, and no person types one:
# every string that reaches the graph passes this gate, refused with its place, never silently dropped.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# the longest text a field of each kind may hold (characters): a name is a line, a reason a paragraph
MAX_LEN = {"name": 200, "org": 100, "short": 500, "text": 5000, "long": 20000}


def control_char(value: str) -> str | None:
    """The first control character in `value` as U+XXXX, or None."""
    m = CONTROL.search(value)
    return f"U+{ord(m.group()):04X}" if m else None


def gate_problem(value: str, kind: str = "text") -> str | None:
    """What makes `value` unfit for the graph (a control character, too long), in Chinese, or None."""
    bad = control_char(value)
    if bad:
        return f"含有控制字符 {bad} (a control character is not allowed)"
    limit = MAX_LEN[kind]
    if len(value) > limit:
        return f"过长: {len(value)} 个字符, 上限 {limit} (longer than {limit} characters)"
    return None


def control_in(value: object) -> str | None:
    """The first control character anywhere in a parameter value (strings inside lists and maps too)."""
    if isinstance(value, str):
        return control_char(value)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for v in value:
            bad = control_in(v)
            if bad:
                return bad
    return None


# what a person cannot read in a page or an export: the English gloss the services add for API users ("… (no
# list item matches)") and internal hex ids ("调整申请 0dd55500bc6c")
# (a gloss is lower-case English words: "(no list item matches)", "(article split: review)"; a formula, a standard
# number "(GB 50016)" or a user's own text in brackets is left alone)
GLOSS = re.compile(r"\s*[(（][a-z][a-z0-9 ,:;'/.-]{5,}[)）]")
HEX_ID = re.compile(r"\s*\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12,40}\b")


def readable(text: str) -> str:
    """`text` without the English gloss and without internal ids."""
    return HEX_ID.sub("", GLOSS.sub("", text)).strip()


def wording_id(name: str | None, part: str | None, content: str | None) -> str:
    """The id of an item text (graph/model.py, Wording): the copies of one duty across lists share it."""
    return hashlib.sha1(f"{name or ''}\x1f{part or ''}\x1f{content or ''}".encode()).hexdigest()[:16]
