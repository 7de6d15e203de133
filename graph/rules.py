"""Rules of the domain that more than one layer applies, stated once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any


def version_in_force(versions: Sequence[Any], date: str | None, *, date_of=lambda v: v["date"]) -> Any | None:
    """The version in force on `date` is the latest one adopted on or before it (ISO dates compare as text);
    without a date, the latest. None when the law had no version yet."""
    found = None
    for v in versions:
        d = date_of(v)
        if (date is None or d <= date) and (found is None or d >= date_of(found)):
            found = v
    return found


def one_lead(part: str, leads: int) -> bool:
    """基本 and 配合 items have exactly one lead (a township post, a county department); 收回 items are led by
    the receiving county department, checked separately (no_receiver)."""
    return part not in ("basic", "cooperative") or leads == 1


# A paragraph that places a duty on townships names their government (the statutory township duties the
# orphans page checks coverage of). Marked on each law version when it is written (LawVersion.township_paragraphs):
# finding them by scanning every paragraph's text took 190 ms over the national corpus's 133,709 paragraphs.
TOWNSHIP_DUTY = re.compile(r"乡镇人民政府|街道办事处|乡、镇人民政府|乡级人民政府|乡、民族乡、镇|乡（镇）人民政府"
                           r"|乡\(镇\)人民政府|乡镇党委")


def township_paragraphs(paragraphs: Iterable[dict[str, Any]]) -> list[str]:
    """The ids of the paragraphs (rows with id and text) that place a duty on townships."""
    return [p["id"] for p in paragraphs if TOWNSHIP_DUTY.search(p["text"] or "")]
