"""The one way a route or page gets what it needs: services built over the process's store."""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.titles import CACHE_TTL
from dutygraph.services.compilation import Compilation
from dutygraph.services.delegation import DelegationService, Matcher
from dutygraph.services.duties import DutyService
from dutygraph.services.explorer import ExplorerService
from dutygraph.services.impact import ImpactService
from dutygraph.services.laws import LawService
from dutygraph.services.lifecycle import Admissions, AuditLog, ChangeRequests, ListHistory, Principal
from dutygraph.services.suggest import SuggestionIndex, SuggestionService
from fastapi import Depends, Request

# one lock per index: the item page's provision index (0.15 s at 10×) never waits behind the item matcher (6 s)
_BUILD: dict[str, threading.Lock] = {"matcher": threading.Lock(), "suggest_index": threading.Lock()}
log = logging.getLogger("dutygraph.deps")
T = TypeVar("T")


# The dependencies that only build an object are async: FastAPI runs a plain `def` dependency in its thread pool,
# one hop per dependency per request. Those that read the database (the item index) stay `def`.
async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def over_store(service: Callable[[GraphStore], T]) -> Callable[[Request], Awaitable[T]]:
    """The dependency that builds `service` over the process's store (services hold no other state)."""

    async def dependency(request: Request) -> T:
        return service(request.app.state.store)

    dependency.__name__ = f"get_{getattr(service, '__name__', 'service')}"
    return dependency


def upload_limit(request: Request) -> int:
    """The largest upload this app accepts, in bytes."""
    return request.app.state.settings.upload_limit_mb << 20


def get_delegation(request: Request) -> DelegationService:
    """With the item index (`get_matcher`)."""
    return DelegationService(request.app.state.store, get_matcher(request))


async def get_delegation_reports(request: Request) -> DelegationService:
    """Reading stored verdicts needs no item index."""
    return DelegationService(request.app.state.store, None)


def forget_lists(request: Request) -> None:
    """A list changed here: the item index is built again at once, not at the next check."""
    request.app.state.matcher = None


async def get_principal(request: Request) -> Principal:
    from dutygraph.api.auth import principal

    return principal(request)


def _current_lists(store: GraphStore) -> str:
    return hashlib.sha256("|".join(sorted(store.query("lists.current_ids")[0]["ids"])).encode()).hexdigest()


@dataclass
class _Built:
    value: Any
    fingerprint: str
    checked: float


def _fresh_in(state: Any, name: str, fingerprint: Callable[[], str], build: Callable[[], T]) -> T:
    """An index built on first use (once, even under concurrent requests) and built again when what it was
    built from changed. That also changes outside this process (a CLI ingest, another worker), so the
    fingerprint is read at most once a minute, as the title resolver does."""
    with _BUILD[name]:
        built: _Built | None = getattr(state, name, None)
        now = time.monotonic()
        if built is None or now - built.checked > CACHE_TTL:
            fp = fingerprint()
            if built is None or fp != built.fingerprint:
                built = _Built(build(), fp, now)
                settle_heap()
            built.checked = now
            setattr(state, name, built)
        return built.value


def settle_heap() -> None:
    """Keep the indexes' objects out of the garbage collector's full passes: at 100× the item matcher is 1.5
    million objects, and every full pass (one every few hundred requests that allocate) walked them all, 410 ms
    during which the process answered nothing. Frozen, a pass takes under a millisecond; the indexes are freed
    by reference counting when replaced. Once per build: the earlier freeze is undone first, so the garbage of
    the build it replaced is collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def get_matcher(request: Request) -> Matcher:
    """The item index of every township's current list; the items' sentence vectors are kept beside the database
    (embeddings.npz), so a restart reads them back instead of embedding a county again (17 s)."""
    return matcher_of(request.app.state)


def matcher_of(state: Any) -> Matcher:
    store, settings = state.store, state.settings
    return _fresh_in(state, "matcher", lambda: _current_lists(store),
                     lambda: Matcher.load(store, cache=settings.data_dir / "embeddings.npz"))


def warm(state: Any) -> threading.Thread:
    """Build the item matcher and the provision index in the background at start-up, so the first check does not
    wait for a county's sentence vectors, nor the first item page without a basis for the index (7.6 s at 10×);
    a request arriving meanwhile waits only for the rest of the build."""
    def build() -> None:
        try:
            suggestion_index_of(state)  # the small one first: item pages need it
            matcher_of(state)
        except DutyGraphError as e:  # the database went away meanwhile: the first request builds it
            log.warning("warm-up failed: %s", e)

    t = threading.Thread(target=build, name="matcher-warm-up", daemon=True)
    t.start()
    return t


def get_suggestions(request: Request) -> SuggestionService:
    """The provision index of the laws in force (from the cache beside the database when the laws are the
    same; the fingerprint reads 1,900 rows at national scale)."""
    return SuggestionService(request.app.state.store, suggestion_index_of(request.app.state))


def suggestion_index_of(state: Any) -> SuggestionIndex:
    store = state.store
    return _fresh_in(state, "suggest_index", lambda: SuggestionIndex.fingerprint_of(store),
                     lambda: SuggestionIndex.load(store, state.settings.data_dir))


async def get_compilation(request: Request) -> Compilation:
    state = request.app.state
    return Compilation(state.store, state.settings.data_dir / "sweep-vectors.npz")


Store = Annotated[GraphStore, Depends(get_store)]
History = Annotated[ListHistory, Depends(over_store(ListHistory))]
Requests = Annotated[ChangeRequests, Depends(over_store(ChangeRequests))]
AdmissionsDep = Annotated[Admissions, Depends(over_store(Admissions))]
Audit = Annotated[AuditLog, Depends(over_store(AuditLog))]
Who = Annotated[Principal, Depends(get_principal)]
ItemMatcher = Annotated[Matcher, Depends(get_matcher)]
Suggestions = Annotated[SuggestionService, Depends(get_suggestions)]
Laws = Annotated[LawService, Depends(over_store(LawService))]
Duties = Annotated[DutyService, Depends(over_store(DutyService))]
Impact = Annotated[ImpactService, Depends(over_store(ImpactService))]
Explorer = Annotated[ExplorerService, Depends(over_store(ExplorerService))]
Delegation = Annotated[DelegationService, Depends(get_delegation)]
DelegationReports = Annotated[DelegationService, Depends(get_delegation_reports)]
CompilationDep = Annotated[Compilation, Depends(get_compilation)]
