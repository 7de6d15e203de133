"""`dutygraph basis` / POST /api/basis/parse: legal-basis text → one object per cited provision, in the
order of the cell, with the corpus law it was matched to and how."""

from __future__ import annotations

from dutygraph.ingest.extract import Extractor
from dutygraph.ingest.titles import TitleResolver


def parse_basis(text: str, extractor: Extractor, titles: TitleResolver, levels: dict[str, str]) -> list[dict]:
    out = []
    for ref in extractor.citations(text):
        m = titles.match(ref.law, ref.decree)
        # a notice that issued a measure: an article cited is the measure's (the notice has none); a notice cited
        # whole, without an article, is cited as itself
        official = m.official if ref.article is not None else ""
        out.append({**ref.as_json(), "cited": ref.law, "law": m.law_id or official or ref.law, "matched": m.law_id,
                    "how": m.method, "score": round(m.score, 3), "candidates": list(m.candidates),
                    "level": levels.get(m.law_id or "", ""), "decree": ref.decree})
    return out
