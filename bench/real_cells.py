"""Real legal-basis cells: per-provision precision / recall / F1, per kind, and the cells the parser gets wrong.

    .venv/bin/python -m bench.real_cells [--cells ../shared/data/lists/real_basis_cells.jsonl]
                                         [--laws ../shared/data/laws-full]

The cells are third-party text copied from published government lists (their `source` on each line): read from
../shared, never committed. Each cited title is resolved against the titles of the law corpus (the first `# `
line of each LawRefBook file), as `dutygraph basis` resolves it against the graph; a provision is right when
(official title, 条, 款, 项) equals the careful legal reading in `expect`. A title the corpus does not hold is
compared as cited.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from bench.basis import prf

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def corpus_titles(folder: Path) -> list[dict[str, str]]:
    titles = {}
    for f in folder.rglob("*.md"):
        if f.name == "_index.md":
            continue
        with f.open(encoding="utf-8") as fh:
            first = fh.readline().strip()
        if first.startswith("# "):
            t = first[2:].strip()
            titles[t] = {"id": t, "title": t, "short_title": t.removeprefix("中华人民共和国")}
    return list(titles.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cells", type=Path, default=SHARED / "lists" / "real_basis_cells.jsonl")
    ap.add_argument("--laws", type=Path, default=SHARED / "laws-full")
    args = ap.parse_args()
    if not args.cells.is_file():
        print(f"no real cells at {args.cells}: this bench needs ../shared beside the clone")
        return
    from dutygraph.ingest.basis import parse_basis
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.titles import TitleResolver

    laws = corpus_titles(args.laws) if args.laws.is_dir() else []
    titles = TitleResolver(laws, [])
    ex = Extractor(tuple(t for law in laws for t in (law["title"], law["short_title"])))
    cells = [json.loads(line) for line in args.cells.read_text(encoding="utf-8").splitlines() if line.strip()]
    total = [0, 0, 0]
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    wrong = []
    for c in cells:
        expected = Counter((e["law"], e["article"], e["paragraph"], e["item"]) for e in c["expect"])
        got = Counter((p["law"], p["article"], p["paragraph"], p["point"])
                      for p in parse_basis(c["text"], ex, titles, {}))
        tp = sum((expected & got).values())
        fp, fn = sum(got.values()) - tp, sum(expected.values()) - tp
        for acc in (total, kinds[c.get("kind", "").split(" (")[0]]):
            acc[0] += tp
            acc[1] += fp
            acc[2] += fn
        if fp or fn:
            wrong.append((c["id"], sorted(expected - got), sorted(got - expected), c.get("note", "")))
    p, r, f1 = prf(*total)
    print(f"{len(cells)} real cells, {total[0] + total[2]} expected provisions, {len(laws)} corpus titles: "
          f"precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    for kind, acc in sorted(kinds.items()):
        kp, kr, kf = prf(*acc)
        print(f"  {kind or '(none)':16} P {kp:.2f} R {kr:.2f} F1 {kf:.2f} ({acc[0] + acc[2]} provisions)")
    for cid, missed, extra, note in wrong:
        print(f"  wrong {cid}: missed {missed} extra {extra} {note[:80]}")


if __name__ == "__main__":
    main()
