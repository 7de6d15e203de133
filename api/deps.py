"""The one way a route or page gets what it needs: services built over the process's store."""

from __future__ import annotations

import threading
from typing import Annotated

from dutygraph.graph.store import GraphStore
from dutygraph.services.delegation import DelegationService, Matcher
from dutygraph.services.duties import DutyService
from dutygraph.services.explorer import ExplorerService
from dutygraph.services.impact import ImpactService
from dutygraph.services.laws import LawService
from dutygraph.services.lifecycle import Admissions, AuditLog, ChangeRequests, ListHistory, Principal
from dutygraph.services.suggest import SuggestionIndex, SuggestionService
from fastapi import Depends, Request

_BUILD = threading.Lock()


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def upload_limit(request: Request) -> int:
    """The largest upload this app accepts, in bytes."""
    return request.app.state.settings.upload_limit_mb << 20


def get_laws(request: Request) -> LawService:
    return LawService(request.app.state.store)


def get_duties(request: Request) -> DutyService:
    return DutyService(request.app.state.store)


def get_impact(request: Request) -> ImpactService:
    return ImpactService(request.app.state.store)


def get_explorer(request: Request) -> ExplorerService:
    return ExplorerService(request.app.state.store)


def get_delegation(request: Request) -> DelegationService:
    """The item index is built on first use (once, even under concurrent requests) and dropped when a list
    is uploaded (`forget_lists`)."""
    return DelegationService(request.app.state.store, get_matcher(request))


def get_delegation_reports(request: Request) -> DelegationService:
    """Reading stored verdicts needs no item index."""
    return DelegationService(request.app.state.store, None)


def forget_lists(request: Request) -> None:
    """A list changed: what was built from the lists must be built again."""
    request.app.state.matcher = None


def get_history(request: Request) -> ListHistory:
    return ListHistory(request.app.state.store)


def get_requests(request: Request) -> ChangeRequests:
    return ChangeRequests(request.app.state.store)


def get_admissions(request: Request) -> Admissions:
    return Admissions(request.app.state.store)


def get_audit(request: Request) -> AuditLog:
    return AuditLog(request.app.state.store)


def get_principal(request: Request) -> Principal:
    from dutygraph.api.auth import principal

    return principal(request)


def get_matcher(request: Request) -> Matcher:
    with _BUILD:
        if getattr(request.app.state, "matcher", None) is None:
            request.app.state.matcher = Matcher.load(request.app.state.store)
        return request.app.state.matcher


def get_suggestions(request: Request) -> SuggestionService:
    """The provision index is built on first use (from the cache beside the database when the laws are the
    same) and rebuilt when the laws in the graph changed (the fingerprint, 1,900 rows at national scale)."""
    state, store = request.app.state, request.app.state.store
    with _BUILD:
        index = getattr(state, "suggest_index", None)
        if index is None or index.fingerprint != SuggestionIndex.fingerprint_of(store):
            state.suggest_index = SuggestionIndex.load(store, state.settings.data_dir)
        return SuggestionService(store, state.suggest_index)


Store = Annotated[GraphStore, Depends(get_store)]
History = Annotated[ListHistory, Depends(get_history)]
Requests = Annotated[ChangeRequests, Depends(get_requests)]
AdmissionsDep = Annotated[Admissions, Depends(get_admissions)]
Audit = Annotated[AuditLog, Depends(get_audit)]
Who = Annotated[Principal, Depends(get_principal)]
ItemMatcher = Annotated[Matcher, Depends(get_matcher)]
Suggestions = Annotated[SuggestionService, Depends(get_suggestions)]
Laws = Annotated[LawService, Depends(get_laws)]
Duties = Annotated[DutyService, Depends(get_duties)]
Impact = Annotated[ImpactService, Depends(get_impact)]
Explorer = Annotated[ExplorerService, Depends(get_explorer)]
Delegation = Annotated[DelegationService, Depends(get_delegation)]
DelegationReports = Annotated[DelegationService, Depends(get_delegation_reports)]
