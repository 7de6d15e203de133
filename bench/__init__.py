from __future__ import annotations

from pathlib import Path

from dutygraph.graph.connect import open_store
from dutygraph.graph.settings import Settings
from dutygraph.services.delegation import Matcher


def matcher_of(data_dir: Path) -> Matcher:
    """The task matcher over the lists of the graph in `data_dir` (what the matcher benches measure)."""
    with open_store(Settings(data_dir=data_dir)) as store:
        return Matcher.load(store)
