"""Materialised analytics (ingest/analytics.py): they follow each list switch, agree with the same questions
computed live, survive a refused switch, and a full rebuild gives what the incremental path gave."""

import pytest
from dutygraph.ingest import analytics
from dutygraph.ingest.lists import ingest_list
from dutygraph.services.duties import DutyService

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

pytestmark = pytest.mark.integration


def stored(store) -> set[tuple]:
    rows = store.run_cypher("MATCH (k:DutyKey) RETURN k.name AS name, k.towns AS towns, k.spread AS spread, "
                            "k.gaps AS gaps, k.parts AS parts, k.departments AS departments, k.bases AS bases")
    return {(r["name"], r["towns"], r["spread"], r["gaps"], tuple(sorted(r["parts"])),
             tuple(sorted(r["departments"])), tuple(sorted(r["bases"]))) for r in rows}


@pytest.fixture
def two(store, tmp_path):
    index, ex = load(store, SAFETY)
    for town in ("周铁镇", "和桥镇"):
        ingest_list(store, [workbook(tmp_path / f"{town}.xlsx")], town, "2025-06-30", extractor=ex, index=index)
    return store, index, ex


def test_analytics_follow_a_changed_list(two, tmp_path):
    store, index, ex = two
    duties = DutyService(store)
    assert analytics.check(store) == []
    assert duties.consistency(10, 0)["total"] == 0  # two identical lists: nothing inconsistent
    assert duties.orphan_summary(None)["no_lead"] == 2  # 网格化服务管理 in each township
    # 和桥镇's new version gives 网格化服务管理 a post and adds an item with no lead and a vague basis
    extra = [[5, "应急", "防汛防台", "巡查", "", "", "有关法律法规"]]
    changed = workbook(tmp_path / "new.xlsx", extra_basic=extra)
    ingest_list(store, [changed], "和桥镇", "2025-09-30", extractor=ex, index=index)
    assert analytics.check(store) == []
    summary = duties.orphan_summary(None)
    assert (summary["no_lead"], summary["vague_basis"]) == (3, 3)
    assert duties.orphan_summary("周铁镇")["no_lead"] == 1
    assert [i["name"] for i in duties.orphans("vague_basis", "和桥镇", 10, 0)["items"]] == ["矛盾纠纷排查", "防汛防台"]
    assert {(r["name"], r["leads"]) for r in duties.lead_violations("和桥镇", 10, 0)} == {
        ("网格化服务管理", 0), ("防汛防台", 0)}
    assert {t["name"]: t["basic"] for t in duties.townships()} == {"和桥镇": 5, "周铁镇": 4}
    # a name only one township has is in the summaries with one township, not in the consistency list
    assert ("防汛防台", 1, 0, 0, ("basic",), (), ()) in stored(store)
    # a full rebuild recomputes exactly what the switches maintained
    incremental = stored(store)
    analytics.rebuild(store)
    assert stored(store) == incremental and analytics.check(store) == []


def test_consistency_reports_a_duty_moved_in_one_township(two, tmp_path):
    store, index, ex = two
    book = workbook(tmp_path / "moved.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb["配合履职事项"]["D2"] = "市住房城乡建设局"  # another lead department for 危险化学品企业安全检查
    wb.save(book)
    ingest_list(store, [book], "和桥镇", "2025-09-30", extractor=ex, index=index)
    page = DutyService(store).consistency(10, 0, variants=True)
    assert page["total"] == 1
    (row,) = page["items"]
    assert row["name"] == "危险化学品企业安全检查" and row["spread"] == 1 and row["gaps"] == 2
    assert len(row["departments"]) == 2 and "市应急管理局" in row["departments"]
    assert {v["township"] for v in row["variants"]} == {"周铁镇", "和桥镇"}
    # back to the first version: the inconsistency disappears with it
    ingest_list(store, [workbook(tmp_path / "again.xlsx")], "和桥镇", "2025-10-30", extractor=ex, index=index)
    assert DutyService(store).consistency(10, 0)["total"] == 0 and analytics.check(store) == []


def test_a_switch_computed_against_a_list_no_longer_current_is_refused(two):
    store, _, _ = two
    current = [r["id"] for r in store.query("lists.list_state", township_id="和桥镇") if r["current"]]
    zhou = [r["id"] for r in store.query("lists.list_state", township_id="周铁镇") if r["current"]]
    before = stored(store)
    with pytest.raises(analytics.ConcurrentSwitch):  # one stale township refuses its whole group
        analytics.apply(store, [{"id": "x", "key": "k", "dim": "town", "value": "", "n": 1}], ["k"],
                        switches=[analytics.Switch("周铁镇", zhou[0], zhou, [], []),
                                  analytics.Switch("和桥镇", current[0], ["another"], [], [])], now="2025-01-01")
    assert stored(store) == before and analytics.check(store) == []
