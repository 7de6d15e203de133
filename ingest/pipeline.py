"""Pipelines that span loaders: one place for "load laws, then re-resolve the lists' citations"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dutygraph.graph.store import GraphStore
from dutygraph.ingest.laws import LawIngestReport, ingest_laws
from dutygraph.ingest.lists import ListReport


def load_laws(store: GraphStore, paths: list[Path], *,
              progress: Callable[[int, int], None] | None = None) -> tuple[LawIngestReport, ListReport | None]:
    """Load law texts; where any version is new, resolve the current lists' citations again, because a
    number may now point to another article (superseded numbering) or a law may now be in the corpus."""
    report = ingest_laws(store, paths, progress=progress)
    if not report.loaded:
        return report, None
    cited = store.query("lists.current_cited_items")
    if not cited:
        return report, None
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.lists import reresolve_citations
    from dutygraph.ingest.resolve import LawIndex

    index = LawIndex.load(store)
    return report, reresolve_citations(store, Extractor(tuple(index.titles)), index, cited)


def load_sample(store: GraphStore, law_paths: list[Path], books: Path, *, scale: int = 1) -> list[ListReport]:
    """Laws, then the 宜兴 sample generated from them, into one graph: the setup of the demo, the benches
    and the tests alike."""
    from dutygraph.ingest.lists import ingest_sample
    from dutygraph.ingest.sample import SAMPLE_DATE, UNITS, generate

    load_laws(store, law_paths)
    generate(store, books, scale=scale)
    return ingest_sample(store, books, UNITS, SAMPLE_DATE)
