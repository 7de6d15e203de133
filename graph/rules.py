"""Rules of the domain that more than one layer applies, stated once."""

from __future__ import annotations

from collections.abc import Sequence
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
