"""What a server that died mid-work left behind, put right when the next one starts: list versions never
switched to (an ingest or a publish killed before its switch), requests left 发布中, record uploads never
committed. Each step only touches work older than a few minutes, which no live process can still be doing.
And the departments' kept overviews a graph from an earlier release (or a switch that died before its refresh)
lacks: they are recomputed (read live until then, never wrong)."""

from __future__ import annotations

import datetime as dt
import logging

from dutygraph.graph.store import GraphStore
from dutygraph.ingest.analytics import refresh_overviews
from dutygraph.ingest.lists import remove_leftovers
from dutygraph.services.lifecycle import ChangeRequests
from dutygraph.services.records import sweep_uploads

log = logging.getLogger("dutygraph.recovery")


def recover(store: GraphStore, after_s: int = 300) -> dict[str, int]:
    older = dt.timedelta(seconds=after_s)
    requests = ChangeRequests(store).recover_stuck(older)
    lists = remove_leftovers(store, older)
    uploads = sweep_uploads(store, older)
    overviews = refresh_overviews(store)
    if requests or lists or uploads:
        log.warning("start-up recovery: %d requests back to approved, %d unactivated lists removed, %d uncommitted "
                    "record uploads removed", len(requests), lists, uploads)
    return {"requests": len(requests), "lists": lists, "uploads": uploads, "overviews": overviews}
