"""`dutygraph basis` / POST /api/basis/parse: legal-basis text → one object per cited provision, in the
order of the cell, with the corpus law it was matched to and how."""

from __future__ import annotations

from dutygraph.ingest.extract import Extractor
from dutygraph.ingest.titles import TitleResolver


def parse_basis(text: str, extractor: Extractor, titles: TitleResolver, levels: dict[str, str]) -> list[dict]:
    out = []
    for ref in extractor.citations(text):
        m = titles.match(ref.law, ref.decree)
        out.append({**ref.as_json(), "cited": ref.law, "law": m.law_id or ref.law, "matched": m.law_id,
                    "how": m.method, "score": round(m.score, 3), "candidates": list(m.candidates),
                    "level": levels.get(m.law_id or "", ""), "decree": ref.decree})
    return out
