"""Analytics that are a function of the lists and laws, computed when the data changes, not when it is read.

What is materialised, and where (README "Analytics at scale"):
- per item, `DutyItem.flags`: its orphan kinds and a broken one-lead rule;
- per list version, `DutyList.n_<flag>` / `n_<part>` counts, `DutyList.cited` (what it cites) and
  `(DutyList)-[:INVOLVES {role, n}]->(Department)`: written with the list before its switch, so the switch
  that makes a list current makes its analytics current with it;
- across townships, one `Tally` per (normalised name, dimension, value) counting the current lists that give
  the duty that value, and one `DutyKey` per name summarising them (consistency): the switch statement applies
  the difference between the old and the new list and re-summarises the names it touched, in one statement.
Law changes move citations, hence flags and counts: `refresh_lists` recomputes them for the lists given;
`rebuild` recomputes everything from the graph (after a restore, or to check the incremental path).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from dutygraph.graph.errors import DutyGraphError
from dutygraph.graph.rules import one_lead
from dutygraph.graph.store import GraphStore, chunks
from dutygraph.graph.vocabulary import ITEM_FLAGS, PARTS

ROLES = ("LED_BY", "COOPERATED_BY", "TAKEN_BACK_BY")


@dataclass
class Facts:
    """What the analytics need of one item, whether read from a write plan or from the graph."""

    id: str
    norm_name: str
    name: str
    part: str
    basis_status: str
    leads: list[str] = field(default_factory=list)  # labels of the LED_BY targets
    departments: list[tuple[str, str]] = field(default_factory=list)  # (role, department id)
    cites: list[tuple[str, str | None, str | None, int | None]] = field(default_factory=list)
    # (status, version id, law title, article)


def item_flags(f: Facts, version_status: Callable[[str | None], str | None]) -> list[str]:
    """The orphan kinds of one item (the same rules the orphan pages explain), in vocabulary order."""
    out = set()
    if f.basis_status == "none":
        out.add("no_basis")
    if f.basis_status == "vague":
        out.add("vague_basis")
    for status, vid, _, _ in f.cites:
        if status in ("unresolved", "unknown_law"):
            out.add("unresolved")
        if status == "suspicious" or version_status(vid) in ("superseded", "repealed"):
            out.add("superseded")
    if f.part == "basic" and not f.leads:
        out.add("no_lead")
    if f.part == "cooperative" and "Department" not in f.leads:
        out.add("no_lead_department")
    if f.part == "taken_back" and not any(role == "TAKEN_BACK_BY" for role, _ in f.departments):
        out.add("no_receiver")
    if f.part in ("basic", "cooperative") and not one_lead(f.part, len(f.leads)):
        out.add("lead_violation")
    return [k for k in ITEM_FLAGS if k in out]


def list_counts(facts: Iterable[Facts], flags: dict[str, list[str]]) -> dict[str, int]:
    counts = Counter()
    for f in facts:
        counts[f"n_{f.part}"] += 1
        counts.update(f"n_{k}" for k in flags[f.id])
    return {k: counts.get(k, 0) for k in (*(f"n_{k}" for k in ITEM_FLAGS), *(f"n_{p}" for p in PARTS))}


def involvement(facts: Iterable[Facts]) -> list[dict]:
    """(department, role) → how many items of the list: the department's 一对多 view, per township."""
    n = Counter((dept, role) for f in facts for role, dept in set(f.departments))
    return [{"department": d, "role": r, "n": c} for (d, r), c in sorted(n.items())]


def contributions(facts: Iterable[Facts]) -> set[tuple[str, str, str]]:
    """What one list contributes to consistency: per normalised name, the township once, and each part, lead
    or receiving department, cited law article and written name once (a township counts once per value)."""
    out: set[tuple[str, str, str]] = set()
    for f in facts:
        k = f.norm_name
        out.add((k, "town", ""))
        out.add((k, "part", f.part))
        out.add((k, "name", f.name))
        out.update((k, "dept", d) for role, d in f.departments if role in ("LED_BY", "TAKEN_BACK_BY"))
        out.update((k, "basis", f"{law} {art}") for _, _, law, art in f.cites if law and art is not None)
    return out


def tally_id(key: str, dim: str, value: str) -> str:
    return hashlib.sha1(f"{key}\x1f{dim}\x1f{value}".encode()).hexdigest()[:20]


def deltas(old: set[tuple[str, str, str]], new: set[tuple[str, str, str]]) -> tuple[list[dict], list[str]]:
    """The tally changes of replacing `old` by `new`, and the names whose summary must be recomputed."""
    rows = [{"id": tally_id(*t), "key": t[0], "dim": t[1], "value": t[2], "n": n}
            for ts, n in ((new - old, 1), (old - new, -1)) for t in sorted(ts)]
    return rows, sorted({r["key"] for r in rows})


def facts_of_list(store: GraphStore, list_id: str) -> list[Facts]:
    return [Facts(r["id"], r["norm_name"] or "", r["name"] or "", r["part"], r["basis_status"] or "none",
                  list(r["leads"]), [tuple(x) for x in r["departments"]],  # type: ignore[misc]
                  [tuple(x) for x in r["cites"]])  # type: ignore[misc]
            for r in store.query("analytics.list_facts", list_id=list_id)]


def version_statuses(store: GraphStore) -> Callable[[str | None], str | None]:
    statuses = {r["version_id"]: r["status"] for r in store.query("laws.index_versions")}
    return lambda vid: statuses.get(vid) if vid else None


def flags_of(facts: Iterable[Facts], status: Callable[[str | None], str | None]) -> dict[str, list[str]]:
    return {f.id: item_flags(f, status) for f in facts}


def write_list_analytics(store: GraphStore, list_id: str, facts: list[Facts],
                         status: Callable[[str | None], str | None], cited: list[str],
                         flags: dict[str, list[str]] | None = None) -> None:
    """Flags, counts, what the list cites and its departments: written on the list version itself. `flags`
    given: the items were written with them (a new list's items carry their flags from the start)."""
    if flags is None:
        flags = flags_of(facts, status)
        store.write("analytics.set_item_flags", [{"id": i, "flags": fl} for i, fl in flags.items()])
    store.execute("analytics.set_list_counts", id=list_id, counts=list_counts(facts, flags), cited=cited)
    store.execute("analytics.clear_involvement", id=list_id)
    store.write("analytics.set_involvement", involvement(facts), id=list_id)
    store.execute("analytics.bump_lists_epoch_if_current", id=list_id)


def refresh_lists(store: GraphStore, list_ids: Iterable[str]) -> dict[str, list[Facts]]:
    """Recompute flags and counts of these lists from the graph (after laws changed what citations mean, or
    items joined a version); the facts read, by list, for a caller that needs them next (a switch)."""
    status = version_statuses(store)
    out = {}
    for lid in list_ids:
        facts = facts_of_list(store, lid)
        cited = [r["id"] for r in store.query("analytics.list_cited", list_id=lid)]
        write_list_analytics(store, lid, facts, status, cited)
        out[lid] = facts
    refresh_overviews(store)
    return out


# what a department's answer shows first, kept on it after every switch (services/duties.py reads it): its
# first 300 (role, township) rows in township order (its first 100 townships: three roles a township at most)
# and each role's first 200 rows in page order (the items of pages ending at 200: a row holds one item or more)
OVERVIEW_ROWS = 300
OVERVIEW_HEAD = 200
# the roles a department has in a list (INVOLVES.role), in the order department_overview sums them (its page order)
INVOLVEMENT_ROLES = ("COOPERATED_BY", "LED_BY", "TAKEN_BACK_BY")
ROW_SEP = "\t"


def overview(store: GraphStore, department: str) -> tuple[int, list[int], list[str], list[str]]:
    """A department's overview over the current lists as it is kept: its number of townships, its items by
    role, its first OVERVIEW_ROWS rows in township order and each role's first OVERVIEW_HEAD rows."""
    found = store.query("analytics.department_overview", id=department, role=None, upto=1_000_000,
                        town_upto=OVERVIEW_ROWS)
    r = found[0] if found else {"townships": 0, "sums": [0, 0, 0], "township_rows": [], "segments": []}
    heads = [x for role in INVOLVEMENT_ROLES
             for x in [x for x in r["segments"] if x[0] == role][:OVERVIEW_HEAD]]
    return (int(r["townships"]), [int(n) for n in r["sums"]], [ROW_SEP.join(map(str, x)) for x in r["township_rows"]],
            [ROW_SEP.join(map(str, x)) for x in heads])


def refresh_overviews(store: GraphStore) -> int:
    """Recompute the kept overview of every department whose overview no longer describes the current lists
    (one statement each: 25 departments in ~0.6 s at 100×). The epoch is read before the overview is computed,
    so a switch landing in between leaves it outdated (read live), never wrong."""
    ids = [r["id"] for r in store.query("analytics.outdated_overviews")]
    for department in ids:
        epoch = store.query("analytics.lists_epoch")[0]["n"]
        townships, sums, rows, heads = overview(store, department)
        store.execute("analytics.set_department_overview", id=department, epoch=epoch, townships=townships,
                      sums=sums, rows=rows, heads=heads)
    return len(ids)


@dataclass
class Switch:
    """One township's new list, with what the switch to it changes in the cross-township tallies."""

    township_id: str
    list_id: str
    previous: list[str]  # the list current when the tallies were computed (none for a new township)
    tallies: list[dict]
    keys: list[str]


def switch_of(store: GraphStore, township_id: str, list_id: str, facts: list[Facts], current: list[str]) -> Switch:
    """What making `list_id` (whose items are `facts`) current changes: its contributions replace those of
    `current`, the township's current list (none for a new township)."""
    old = contributions(facts_of_list(store, current[0])) if current else set()
    tallies, keys = deltas(old, contributions(facts))
    return Switch(township_id, list_id, current, tallies, keys)


def apply(store: GraphStore, tallies: list[dict], keys: list[str], *, switches: Sequence[Switch] = (),
          now: str = "") -> dict:
    """Run the switch statement (analytics.apply): `switches` made current with `tallies` moved and `keys`
    re-summarised, all or nothing; with no switch, only tallies and summaries (the full rebuild)."""
    rows = store.execute("analytics.apply", tallies=tallies, keys=keys, now=now, switches=[
        {"township_id": s.township_id, "list_id": s.list_id, "previous": s.previous} for s in switches])
    if not rows:
        raise ConcurrentSwitch(f"乡镇 {', '.join(s.township_id for s in switches)} 的现行清单在计算期间已被另一次导入"
                               "替换, 请重试 (another ingest switched this township's list meanwhile: retry)")
    return rows[0]


def switch(store: GraphStore, switches: Sequence[Switch], now: str, *, refresh: bool = True) -> dict:
    """Make several townships' new lists current in one statement, their tally changes summed (a name that
    gains a township in each of them is moved once, by their number); then the departments' kept overviews,
    unless `refresh` is off (a batch refreshes them once, at its end: until then they are read live)."""
    total: Counter[tuple[str, str, str, str]] = Counter()
    for s in switches:
        for d in s.tallies:
            total[d["id"], d["key"], d["dim"], d["value"]] += d["n"]
    tallies = [{"id": i, "key": k, "dim": dim, "value": v, "n": n} for (i, k, dim, v), n in total.items() if n]
    keys = sorted({k for s in switches for k in s.keys})
    out = apply(store, tallies, keys, switches=switches, now=now)
    if refresh:
        refresh_overviews(store)
    return out


class ConcurrentSwitch(DutyGraphError):
    """The list current when the analytics were computed is no longer current."""


def rebuild(store: GraphStore) -> dict[str, int]:
    """Everything from scratch: every list's flags and counts, then the consistency tallies of current lists."""
    lists = store.query("analytics.all_lists")
    facts = refresh_lists(store, [r["id"] for r in lists])
    while store.execute("analytics.delete_tallies_batch", limit=5000)[0]["deleted"]:
        pass
    total: Counter[tuple[str, str, str]] = Counter()
    for r in lists:
        if r["current"]:
            total.update(contributions(facts[r["id"]]))
    rows = [{"id": tally_id(*t), "key": t[0], "dim": t[1], "value": t[2], "n": n} for t, n in sorted(total.items())]
    for batch in chunks(rows, 2000):
        apply(store, batch, [])
    keys = sorted({t[0] for t in total})
    for start in range(0, len(keys), 500):
        apply(store, [], keys[start:start + 500])
    refresh_overviews(store)
    store.persist()
    return {"lists": len(lists), "tallies": len(rows), "keys": len(keys)}


# the live statements the materialised analytics must agree with (names enumerated, checked by a test)
LIVE_COUNTS: dict[str, str] = {k: f"orphans.{'lead_violations' if k == 'lead_violation' else k}_count"
                               for k in ITEM_FLAGS}


def check(store: GraphStore) -> list[str]:
    """Differences between the materialised analytics and the same questions computed live (empty: agreed)."""
    problems = []
    current = [r["list"] for r in store.query("analytics.current_counts")]
    for flag, query in LIVE_COUNTS.items():
        live = store.query(query, township=None)[0]["total"]
        stored = sum(lst.get(f"n_{flag}") or 0 for lst in current)
        if live != stored:
            problems.append(f"{flag}: materialised {stored}, live {live}")

    def summary(r: dict) -> tuple:
        return (r["key"], r["name"], r["towns"], r["spread"], r["gaps"], tuple(sorted(r["parts"])),
                tuple(sorted(r["departments"] or [])), tuple(sorted(r["bases"] or [])))

    live_keys = {summary(r) for r in store.query("items.consistency", min_townships=1)}
    stored_keys = {summary(r) for r in store.query("analytics.consistency", min_townships=1, offset=0,
                                                   limit=10**9)}
    for row in sorted(live_keys ^ stored_keys)[:20]:
        problems.append(f"consistency {row[0]}: {'live only' if row in live_keys else 'materialised only'} {row}")
    for kept in store.query("analytics.fresh_overviews"):
        if overview(store, kept["id"]) != (kept["townships"], list(kept["sums"]), list(kept["rows"]),
                                           list(kept["heads"])):
            problems.append(f"department {kept['id']}: its kept overview is not the current lists'")
    return problems
