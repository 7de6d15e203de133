"""System: health."""

from __future__ import annotations

from dutygraph.api.deps import Laws, Store
from dutygraph.api.models import Health
from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["system"])


@router.get("/health", response_model=Health)
def health(service: Laws, store: Store) -> Health:
    return Health(backend=store.backend, counts=service.counts())
