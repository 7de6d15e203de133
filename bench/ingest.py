"""Ingest throughput: the 宜兴 sample (21 lists) and a synthetic scale-up, on a fresh embedded FalkorDB.

    .venv/bin/python -m bench.ingest [--scale 1 100] [--laws ../shared/data/laws]

Prints items/s per scale. The scale-up copies the 21 townships (宜城街道001 …) with the same generator. Then,
on the loaded graph: one township's changed list switched in (its analytics refreshed in the same switch), and
a full rebuild of the materialised analytics (`dutygraph analytics --rebuild`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from dutygraph.graph.connect import open_store
from dutygraph.graph.settings import Settings
from dutygraph.graph.store import GraphStore
from dutygraph.ingest import analytics
from dutygraph.ingest.laws import ingest_laws
from dutygraph.ingest.lists import ingest_list, ingest_sample, totals
from dutygraph.ingest.resolve import LawIndex
from dutygraph.ingest.sample import SAMPLE_DATE, UNITS, generate

ROOT = Path(__file__).resolve().parent.parent


def switch_one(store: GraphStore, books: Path) -> tuple[str, float, int]:
    """A township's next list version (its workbook with one more item), timed from read to switch."""
    from dutygraph.ingest.extract import Extractor
    from openpyxl import load_workbook

    book = sorted(books.glob("*_履职事项清单.xlsx"))[0]
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    ws.append([ws.max_row, "基层治理", "新增: 基层应急值守", "汛期和节假日应急值守", "", "", ""])
    changed = book.with_name("changed.xlsx")
    wb.save(changed)
    index = LawIndex.load(store)
    extractor = Extractor(tuple(index.titles))
    t = time.perf_counter()
    report = ingest_list(store, [changed], book.name.split("_")[1], "2026-01-01", extractor=extractor, index=index)
    return report.township, time.perf_counter() - t, sum(report.items.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, nargs="+", default=[1, 100])
    ap.add_argument("--laws", type=Path, default=ROOT.parent / "shared" / "data" / "laws")
    ap.add_argument("--keep", type=Path, help="keep the database of the last scale in this data dir")
    args = ap.parse_args()
    for scale in args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            books = Path(tmp) / "books"
            data_dir = args.keep if args.keep and scale == args.scale[-1] else Path(tmp) / "data"
            store = open_store(Settings(data_dir=data_dir))
            try:
                t1 = time.perf_counter()
                ingest_laws(store, [args.laws])
                laws = time.perf_counter() - t1
                t0 = time.perf_counter()
                generate(store, books, scale=scale)
                gen = time.perf_counter() - t0
                t2 = time.perf_counter()
                reports = ingest_sample(store, books, UNITS, SAMPLE_DATE)
                took = time.perf_counter() - t2
                t = totals(reports)
                print(f"scale {scale:>4}: {len(reports)} lists, {t['items']} items, {t['citations']} citations; "
                      f"generate {gen:.1f}s, laws {laws:.1f}s, lists {took:.1f}s = {t['items'] / took:.0f} items/s; "
                      f"resolved {t.get('resolved', 0) / max(t['citations'], 1):.1%}", flush=True)
                town, switch, n = switch_one(store, books)
                print(f"scale {scale:>4}: one township's next list ({town}, {n} items) read, written and switched "
                      f"with its analytics in {switch:.2f}s", flush=True)
                t3 = time.perf_counter()
                done = analytics.rebuild(store)
                print(f"scale {scale:>4}: analytics rebuilt in {time.perf_counter() - t3:.1f}s {done}", flush=True)
            finally:
                store.close()


if __name__ == "__main__":
    main()
