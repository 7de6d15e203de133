"""System: health. `live` says the process answers; `ready` that the database answers too."""

from __future__ import annotations

from dutygraph.api.deps import Laws, Store
from dutygraph.api.models import Health, Liveness, Readiness
from dutygraph.graph.errors import StoreError
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(prefix="/api", tags=["system"])


@router.get("/health", response_model=Health)
def health(service: Laws, store: Store) -> Health:
    return Health(backend=store.backend, counts=service.counts())


@router.get("/health/live", response_model=Liveness)
async def live() -> dict:  # no I/O: answered on the event loop, no thread hop
    """The process is up and answering (restart it if not)."""
    return {"status": "live"}


@router.get("/health/ready", response_model=Readiness, responses={503: {"model": Readiness}})
def ready(request: Request, store: Store):
    """The database answers: send traffic. 503 with Retry-After while the embedded database is restarted.
    `warming`: the item matcher is still being built at start-up (24 s at 100×): answers come, slower."""
    server = getattr(store, "server", None)
    restarts = server.restarts if server else 0
    builder = getattr(request.app.state, "warming", None)
    warming = builder is not None and builder.is_alive()
    try:
        store.run_cypher("RETURN 1 AS one")
    except StoreError as e:
        body = {"status": "unavailable", "backend": store.backend, "restarts": restarts, "warming": warming,
                "message": str(e)}
        return JSONResponse(body, status_code=503, headers={"Retry-After": "2"})
    return {"status": "ready", "backend": store.backend, "restarts": restarts, "warming": warming}
