"""Hotline and 吹哨 records routed by the list: the side that should handle each, a taken-back duty's case sent
to the township flagged, a record about nothing on the list left unmatched, bad files named by row."""

import csv

import pytest
from dutygraph.graph.errors import InputError
from dutygraph.ingest.records import read_records
from dutygraph.services.delegation import Matcher
from dutygraph.services.records import route, statistics

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

pytestmark = pytest.mark.integration


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_records_are_routed_by_the_list_and_wrong_sides_flagged(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "zt.xlsx"), "周铁镇", "2025-06-30")])
    path = write_csv(tmp_path / "r.csv", [
        ["工单号", "受理时间", "所属镇街", "诉求内容", "承办单位", "签收时间", "办结时间"],
        ["1", "2025-07-01 08:00", "周铁镇", "群众反映某厂未如实记录安全生产教育和培训情况", "周铁镇", "2025-07-01 10:00",
         "2025-07-03 08:00"],
        ["2", "2025-07-02 08:00", "周铁镇", "村民反映危险化学品企业存在安全隐患，请检查", "市应急管理局", "", ""],
        ["3", "2025-07-02 09:00", "周铁镇", "快递包裹丢失要求赔偿", "周铁镇", "", ""],
    ])
    routed = {r["id"]: r for r in route(read_records(path), Matcher.load(store))}
    assert routed["1"]["route"] == "wrong_side" and routed["1"]["part"] == "taken_back"
    assert "市应急管理局" in routed["1"]["handler"] and routed["1"]["response_hours"] == 2.0
    assert routed["2"]["route"] == "routed" and routed["2"]["part"] == "cooperative"
    assert routed["3"]["route"] == "unmatched" and routed["3"]["item_id"] is None
    stats = statistics(list(routed.values()))
    town = next(t for t in stats["by_township"] if t["name"] == "周铁镇")
    assert (town["total"], town["wrong_side"], town["unmatched"], town["taken_back"]) == (3, 1, 1, 1)


def test_bad_record_files_name_the_row_and_column(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "zt.xlsx"), "周铁镇", "2025-06-30")])
    no_town = write_csv(tmp_path / "a.csv", [["诉求内容"], ["路灯不亮"]])
    with pytest.raises(InputError, match="乡镇"):
        read_records(no_town)
    empty = write_csv(tmp_path / "b.csv", [["所属镇街", "诉求内容"], ["周铁镇", "路灯不亮"], ["周铁镇", ""]])
    with pytest.raises(InputError) as e:
        read_records(empty)
    assert e.value.row == 3 and e.value.column == "诉求内容"
    unknown = write_csv(tmp_path / "c.csv", [["所属镇街", "诉求内容"], ["火星镇", "路灯不亮"]])
    with pytest.raises(InputError, match="火星镇") as e:
        route(read_records(unknown), Matcher.load(store))
    assert e.value.row == 2


@pytest.mark.parametrize(("text", "items"), [
    ("村道路面坑坑洼洼，一下雨全是积水，出行不便", {"农村公路日常养护"}),
    ("晚上有人在田里烧秸秆，浓烟呛得人睡不着", {"秸秆禁烧巡查", "大气污染防治督查"}),
    ("菜场门口小商贩占道摆摊，堵住了路", {"市容秩序巡查"}),
])
def test_citizen_wording_reaches_the_list_item(sample_store, text, items):
    # citizens do not write the list's words (坑洼 for 公路养护, 烧秸秆 for 禁烧): the citizen vocabulary bridges them
    from dutygraph.ingest.records import Record

    (r,) = route([Record("1", "", "周铁镇", text, "", "周铁镇", "", "", "t.csv", "", 2)], Matcher.load(sample_store))
    assert r["route"] == "routed" and r["item"] in items


def test_a_message_board_export_is_read(tmp_path):
    # the layout 领导留言板 pages publish: 留言时间, 留言内容, 回复单位, 办结日期 (the reply itself is not the case)
    path = write_csv(tmp_path / "board.csv", [
        ["信件编号", "所属镇街", "留言时间", "留言内容", "回复单位", "办结日期", "回复内容"],
        ["784390", "周铁镇", "2023-11-02", "田埂上天天露天焚烧，烟飘进房间", "周铁镇", "2023-11-06", "已安排巡查"],
    ])
    (r,) = read_records(path)
    assert (r.id, r.time, r.sent_to, r.closed) == ("784390", "2023-11-02", "周铁镇", "2023-11-06")
    assert r.text.startswith("田埂") and "巡查" not in r.text
