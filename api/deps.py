"""FastAPI wiring: one store per process (opened in the lifespan), repositories per request."""

from __future__ import annotations

from collections.abc import Iterator

from dutygraph.graph.store import GraphStore
from dutygraph.services.repository import DutyRepository, Repository
from fastapi import Request


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_repo(request: Request) -> Iterator[Repository]:
    yield Repository(request.app.state.store)


def get_duty_repo(request: Request) -> Iterator[DutyRepository]:
    yield DutyRepository(request.app.state.store)
