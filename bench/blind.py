"""The blind matching sets (bench/data/blind, each committed before the matcher change it judges): 40 tasks and 60
citizen records against a township whose list the matcher has never seen.

    .venv/bin/python -m bench.blind [--set liutang|qingxi|yunxi] [--laws PATH] [-v]

青溪镇 (qingxi) was the first such set; its figures were read after its run, so it is a tuning set now. 柳塘镇
(liutang) was written in session 10 before that session's first matcher changes and run once after them; 云溪街道
(yunxi), an urban 街道, was written in the same session before its second round of changes. Builds the township's
workbook from {set}_list.csv, loads it beside the laws into a temporary embedded FalkorDB, and
prints per verdict precision/recall, the wrong-accusation rate (lead_shift/taken_back resting on an item other than
the labelled one, or on a task that is not one), off_list recall, routing accuracy and the unmatched rate where
an item fits. Not for tuning: its figure is reported once, beside the tuning sets'.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from collections import Counter
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "bench" / "data" / "blind"
SETS = {"qingxi": "青溪镇", "liutang": "柳塘镇", "yunxi": "云溪街道"}
SHEETS = {"基本": ("基本履职事项", ["序号", "一级类别", "事项名称", "具体工作内容"]),
          "配合": ("配合履职事项", ["序号", "类别", "事项名称", "对应上级部门", "上级部门职责", "镇街配合职责"]),
          "收回": ("上级部门收回事项", ["序号", "类别", "事项名称", "承接部门"])}


def rows(name: str) -> list[dict[str, str]]:
    with (BLIND / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def workbook(path: Path, prefix: str) -> tuple[Path, dict[str, str]]:
    """青溪镇's list as a workbook in the 三张清单 layout; and item name by 序号 label (B1, P3, R7)."""
    wb = Workbook()
    wb.remove(wb.active)
    names = {}
    sheets = {part: wb.create_sheet(title) for part, (title, _) in SHEETS.items()}
    for part, (_, header) in SHEETS.items():
        sheets[part].append(header)
    for k, r in enumerate(rows(f"{prefix}_list.csv"), 1):
        names[r["序号"]] = r["事项名称"]
        cells = {"基本": [k, r["类别"], r["事项名称"], r["具体工作内容"]],
                 "配合": [k, r["类别"], r["事项名称"], r["县级牵头部门"], r["县级部门职责"], r["乡镇配合职责"]],
                 "收回": [k, r["类别"], r["事项名称"], r["承接部门"]]}[r["部分"]]
        sheets[r["部分"]].append(cells)
    wb.save(path)
    return path, names


def load(laws: Path, tmp: Path, prefix: str):
    from dutygraph.graph.connect import open_store
    from dutygraph.graph.settings import Settings
    from dutygraph.ingest.extract import Extractor
    from dutygraph.ingest.laws import ingest_laws
    from dutygraph.ingest.lists import ingest_list
    from dutygraph.ingest.resolve import LawIndex

    store = open_store(Settings(data_dir=tmp / "data"))
    ingest_laws(store, [laws])
    town = SETS[prefix]
    book, names = workbook(tmp / f"{town}.xlsx", prefix)
    index = LawIndex.load(store)
    ingest_list(store, [book], town, "2025-06-30", extractor=Extractor(tuple(index.titles)), index=index)
    return store, names


def tasks(matcher, names: dict[str, str], prefix: str, verbose: bool) -> dict[str, object]:
    from dutygraph.ingest.delegation import Task
    from dutygraph.services.delegation import check

    cases = rows(f"{prefix}_tasks.csv")
    verdicts = check([Task("", c["内容"], c["发文单位"]) for c in cases], matcher, SETS[prefix])
    confusion: Counter[tuple[str, str]] = Counter()
    wrong_accusations = 0
    for c, v in zip(cases, verdicts, strict=True):
        got = v.verdict
        item = v.matches[0][0].name if v.matches else None
        want_item = names.get(c["expected_item"]) if c["expected_item"] else None
        confusion[c["expected"], got] += 1
        # accusing the department (lead_shift / taken_back) on an item the task is not about, or when it is not one
        if got in ("lead_shift", "taken_back") and (got != c["expected"] or item != want_item):
            wrong_accusations += 1
        if verbose:
            print(f"{c['id']} want {c['expected']:11} {want_item or '':24} got {got:11} {item or ''}")
    kinds = sorted({k for pair in confusion for k in pair})
    per = {}
    for k in kinds:
        tp = confusion[k, k]
        p = tp / max(1, sum(n for (_, g), n in confusion.items() if g == k))
        r = tp / max(1, sum(n for (w, _), n in confusion.items() if w == k))
        per[k] = (round(p, 2), round(r, 2))
    return {"n": len(cases), "per_verdict(P,R)": per, "wrong_accusations": wrong_accusations,
            "wrong_accusation_rate": round(wrong_accusations / len(cases), 3),
            "off_list_recall": per.get("off_list", (0, 0))[1]}


def records(matcher, names: dict[str, str], prefix: str, verbose: bool) -> dict[str, object]:
    from dutygraph.ingest.records import Record
    from dutygraph.services.records import route

    cases = rows(f"{prefix}_records.csv")
    town = SETS[prefix]
    recs = [Record(c["id"], "", town, c["诉求内容"], "", town, "", "", f"{prefix}_records.csv", "", k)
            for k, c in enumerate(cases, 2)]
    right = unmatched_fit = fits = 0
    for c, got in zip(cases, route(recs, matcher), strict=True):
        want = {names[x] for x in c["expected"].split("|") if x != "none"}
        answer = got["item"] if got["route"] != "unmatched" else None
        ok = answer in want if want else answer is None
        right += ok
        if want:
            fits += 1
            unmatched_fit += answer is None
        if verbose:
            print(f"{c['id']} {'ok  ' if ok else 'MISS'} {got['score']:.2f} {answer or '-':24} want "
                  f"{'|'.join(sorted(want)) or 'none'}")
    return {"n": len(cases), "routed_right": right, "accuracy": round(right / len(cases), 2),
            "unmatched_where_an_item_fits": round(unmatched_fit / max(1, fits), 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    shared = ROOT.parent / "shared" / "data" / "laws"
    from dutygraph.ingest.law_sqlite import package_db

    ap.add_argument("--laws", type=Path, default=shared if shared.is_dir() else package_db())
    ap.add_argument("--set", choices=sorted(SETS), default="liutang",
                    help="liutang, qingxi: run once each and read since; yunxi: blind, run it only to judge a change")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    from dutygraph.services.delegation import Matcher

    with tempfile.TemporaryDirectory() as tmp:
        store, names = load(args.laws, Path(tmp), args.set)
        try:
            matcher = Matcher.load(store)
            print(f"{args.set} tasks  ", tasks(matcher, names, args.set, args.verbose))
            print(f"{args.set} records", records(matcher, names, args.set, args.verbose))
        finally:
            store.close()


if __name__ == "__main__":
    main()
