"""`dutygraph basis` / POST /api/basis/parse: legal-basis text → one object per cited provision."""

from __future__ import annotations

import re
import unicodedata

from graph.store import GraphStore
from ingest.extract import Extractor
from ingest.law_parser import short_title


class TitleResolver:
    """Full titles of the laws in the graph, looked up by full or short title as written."""

    def __init__(self, rows: list[dict]) -> None:
        self.titles: dict[str, str] = {}
        for r in rows:
            self.titles[r["title"]] = r["title"]
            self.titles.setdefault(r["short_title"] or short_title(r["title"]), r["title"])

    @classmethod
    def load(cls, store: GraphStore) -> TitleResolver:
        return cls(store.query("laws.titles"))

    def full(self, written: str) -> str:
        t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", written))
        return self.titles.get(t) or self.titles.get(short_title(t)) or t


def parse_basis(text: str, extractor: Extractor, titles: TitleResolver) -> list[dict]:
    return [{**ref.as_json(), "law": titles.full(ref.law)} for ref in extractor.citations(text)]
