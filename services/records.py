"""12345 and 吹哨 records routed by the list: each record is matched to its township's items (the task matcher,
with its evidence) and gets who should handle it — the township itself (基本), the lead department with the
township cooperating (配合), the county department (收回). A record sent to the wrong side (a taken-back duty's
case sent to the township, a township's own duty sent to a department) is flagged; a record matching no item
is a candidate for the list's next adjustment. `statistics` gives the 报到 figures per department, township
and item."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections import Counter, defaultdict
from typing import Any

from dutygraph.graph.errors import InputError
from dutygraph.graph.store import GraphStore
from dutygraph.graph.vocabulary import RECORD_ROUTES
from dutygraph.ingest.datafiles import lines
from dutygraph.ingest.records import Record
from dutygraph.services import delegation
from dutygraph.services.delegation import Matcher
from dutygraph.services.lifecycle import cli_principal, entry

TOWNSHIP_UNIT = re.compile(r"(?:镇|乡|街道)(?:人民政府|办事处)?$")
DEPARTMENT_UNIT = re.compile(r"局|委|办公室|大队|中心|支队|所$|站$|公司")


def _citizen_terms() -> list[tuple[tuple[str, ...], str]]:
    out = []
    for line in lines("complaint_terms.txt"):
        if "=" in line:
            official, said = line.split("=", 1)
            out.append((tuple(said.split()), official.strip()))
    return out


CITIZEN_TERMS = _citizen_terms()


def in_list_words(text: str) -> str:
    """The record's text with the list's words for what it names added: citizens write 养猪场臭味 or 路面坑洼
    where lists write 畜禽养殖污染 or 农村公路养护, and the two share no characters."""
    added = [official for said, official in CITIZEN_TERMS if any(w in text for w in said)]
    return " ".join([text, *added])


ROUTES = RECORD_ROUTES


def side_of(unit: str) -> str:
    """township | department | "" (not said): which side of the list a record was sent to. A unit named as a
    township government is the township side; one named as a bureau, office or centre is a department even if
    a township's name is in it (周铁镇应急管理办公室 aside, which ends in 办公室 and is the township's own)."""
    u = unit.strip()
    if not u:
        return ""
    if TOWNSHIP_UNIT.search(u):
        return "township"
    if DEPARTMENT_UNIT.search(u):
        return "township" if re.match(r".{1,6}(?:镇|街道)", u) else "department"
    return "township" if re.search(r"镇|街道|社区|村", u) else "department"


def _time(s: str) -> dt.datetime | None:
    s = s.strip().replace("/", "-").replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(s[:19], fmt)
        except ValueError:
            continue
    return None


def _hours(start: str, end: str) -> float | None:
    a, b = _time(start), _time(end)
    return round((b - a).total_seconds() / 3600, 1) if a and b and b >= a else None


def route(records: list[Record], matcher: Matcher) -> list[dict[str, Any]]:
    """One routing per record, or an InputError (file, sheet, row, column) before any is returned."""
    known = set(matcher.by_town)
    for r in records:
        if r.township not in known:
            raise InputError(f"未知的乡镇(街道)「{r.township}」(unknown township)", file=r.file, sheet=r.sheet,
                             row=r.row, column="乡镇")
    out = []
    texts = [in_list_words(r.text) for r in records]
    if matcher.vectors is not None:
        delegation.prepare(texts)
    for r, text in zip(records, texts, strict=True):
        matches = matcher.match(text, r.township, top=3, record=True)
        best, score = matches[0] if matches else (None, 0.0)
        # a township-level unit is the township side whatever its name (功能区: 环科园, 阳羡旅游度假区)
        sent = "township" if r.sent_to.strip() in known else side_of(r.sent_to)
        row: dict[str, Any] = {"id": r.id, "external_id": r.external_id, "time": r.time, "township": r.township,
                               "text": r.text,
                               "category": r.category, "sent_to": r.sent_to, "sent_side": sent,
                               "score": round(score, 3), "item_id": None, "item": None, "part": None,
                               "handler": None, "side": None, "response_hours": _hours(r.time, r.responded),
                               "closing_hours": _hours(r.time, r.closed), "row": r.row,
                               "satisfaction": r.satisfaction}
        if best is None or score < matcher.record_cut:
            out.append({**row, "route": "unmatched", "evidence": "清单中没有相符的事项 (no list item matches)"})
            continue
        dept = "、".join(best.departments) or "县级部门"
        handler, side = {
            "basic": (f"{r.township}(基本履职)", "township"),
            "cooperative": (f"{dept}牵头, {r.township}配合", "department"),
            "taken_back": (f"{dept}(已收回)", "department"),
        }[best.part]
        wrong = (best.part == "taken_back" and sent == "township") or (best.part == "basic" and sent == "department")
        evidence = f"匹配「{best.name}」({score:.2f}): 应由{handler}处理"
        if wrong:
            evidence += f"; 却派给了{r.sent_to}"
        out.append({**row, "item_id": best.id, "item": best.name, "part": best.part, "handler": handler,
                    "side": side, "route": "wrong_side" if wrong else "routed", "evidence": evidence})
    return out


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 1) if xs else None


def statistics(routed: list[dict[str, Any]]) -> dict[str, Any]:
    """报到 statistics: per township and per department (the unit sent to), counts by list part, wrong-side
    routings, unmatched records, mean response and closing hours; per item, how often it occurs."""
    def group(key: str) -> list[dict]:
        rows: dict[str, list[dict]] = defaultdict(list)
        for r in routed:
            rows[r[key] or "(未注明)"].append(r)
        out = []
        for name, rs in sorted(rows.items()):
            parts = Counter(r["part"] for r in rs if r["part"])
            out.append({"name": name, "total": len(rs), "basic": parts["basic"], "cooperative": parts["cooperative"],
                        "taken_back": parts["taken_back"],
                        "wrong_side": sum(r["route"] == "wrong_side" for r in rs),
                        "unmatched": sum(r["route"] == "unmatched" for r in rs),
                        "response_hours": _mean([r["response_hours"] for r in rs if r["response_hours"] is not None]),
                        "closing_hours": _mean([r["closing_hours"] for r in rs if r["closing_hours"] is not None])})
        return out

    items = Counter((r["township"], r["item_id"], r["item"], r["part"]) for r in routed if r["item_id"])
    return {"total": len(routed), "by_route": dict(Counter(r["route"] for r in routed)),
            "by_township": group("township"), "by_department": group("sent_to"),
            "items": [{"township": t, "item_id": i, "item": n, "part": p, "count": c}
                      for (t, i, n, p), c in items.most_common()]}



STORED = ("time", "township", "text", "category", "sent_to", "sent_side", "route", "part", "handler", "score",
          "evidence", "response_hours", "closing_hours", "item_id", "satisfaction")


def record_id(r: dict[str, Any]) -> str:
    """A record is what it says, where and when, and the export's own number: the same record loaded again, from
    any file under any name, is the same node."""
    key = "\x1f".join((r["township"], r["time"], r["text"], r.get("external_id") or ""))
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def keep(store: GraphStore, routed: list[dict[str, Any]], source: str, audit: dict[str, Any] | None = None) -> int:
    """Store routed records (after route() has accepted the whole file), all or nothing: new records are written
    pending under this upload's id and made visible, with the upload's audit entry (`audit`, from
    lifecycle.entry), by one last statement. An upload killed before it is removed at start-up (sweep_uploads).
    Returns how many records of the file were new."""
    if audit is None:  # the command line's own upload
        audit = entry(cli_principal(), "hotline.upload", source, detail=f"{len(routed)} 条工单")
    upload = f"{_now()}-{uuid.uuid4().hex[:8]}"  # starts with its time: the sweep compares it with a cut-off
    rows = [{**{k: r[k] for k in STORED}, "source": source, "external_id": r.get("external_id") or "",
             "id": record_id(r)} for r in routed]
    store.write("records.upsert", rows, upload=upload)
    store.write("records.link", [r for r in rows if r["item_id"]])
    committed = store.execute("records.commit", upload=upload, audit=audit)[0]["committed"]
    store.persist()
    return committed


def sweep_uploads(store: GraphStore, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Records of uploads that never committed (the server died during them), removed in batches. Uploads
    younger than `older_than` may still be running in another process."""
    before = _now(dt.datetime.now(dt.UTC) - older_than)
    uploads = [r["upload"] for r in store.query("records.pending_uploads", before=before)]
    for upload in uploads:
        while store.execute("records.delete_pending_batch", upload=upload, limit=2000)[0]["deleted"]:
            pass
    if uploads:
        store.persist()
    return len(uploads)


def _now(at: dt.datetime | None = None) -> str:
    return (at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S")


def stored(store: GraphStore, township: str | None = None) -> list[dict[str, Any]]:
    """The stored records, in route()'s shape, for statistics()."""
    return store.query("records.routed", township=township)
