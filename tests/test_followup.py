"""After publication: a late handover is flagged, a taken-back duty still pushed down is reported with its
evidence, the evaluation's counts equal the records, a department edits only its own plans and a township rates
only for itself — on both backends."""

import datetime as dt

import pytest
from dutygraph.graph.errors import InputError
from dutygraph.ingest.handover import read_plans, read_ratings
from dutygraph.ingest.records import Record
from dutygraph.services import evaluation, records
from dutygraph.services.delegation import Matcher, check, store_verdicts
from dutygraph.services.handover import Handovers
from dutygraph.services.lifecycle import Forbidden, Principal
from dutygraph.services.ratings import Ratings
from openpyxl import Workbook

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

pytestmark = pytest.mark.integration
TAKEN = "对未如实记录安全生产教育和培训情况的行政处罚"  # the taken-back item of tests/test_lists.workbook
DEPT = "市应急管理局"
ADMIN = Principal("admin", None, "管理员")


def sheet(path, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def loaded(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "周铁镇.xlsx"), "周铁镇", "2025-06-30")])
    return store


def test_a_late_handover_is_flagged_and_a_department_edits_only_its_own(loaded, tmp_path):
    past = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    path = sheet(tmp_path / "交接.xlsx", ["乡镇(街道)", "事项名称", "承接部门", "计划完成时间", "资料目录"],
                 [["周铁镇", TAKEN, DEPT, past, "执法案卷（已移交）\n在办案件清单（未移交）"]])
    service = Handovers(loaded)
    with pytest.raises(Forbidden):
        service.load(Principal("department", "市住房和城乡建设局", "住建局"), read_plans(path), "交接.xlsx")
    service.load(Principal("department", DEPT, DEPT), read_plans(path), "交接.xlsx")
    (plan,) = service.dashboard()["overdue"]
    assert plan["item_name"] == TAKEN and plan["files"] == {"执法案卷": "已移交", "在办案件清单": "未移交"}
    with pytest.raises(Forbidden):
        service.update(Principal("department", "市住房和城乡建设局", "住建局"), plan["id"], "", "", {}, "")
    service.update(Principal("department", DEPT, DEPT), plan["id"], past, dt.date.today().isoformat(),
                   {"执法案卷": "已移交", "在办案件清单": "已移交"}, "移交清单已签字")
    assert service.dashboard()["overdue"] == [] and service.plans()[0]["status"] == "done"
    bad = sheet(tmp_path / "错.xlsx", ["乡镇(街道)", "事项名称", "承接部门", "计划完成时间"],
                [["周铁镇", "网格化服务管理", DEPT, past]])  # a basic item, not taken back
    with pytest.raises(InputError) as e:
        service.load(ADMIN, read_plans(bad), "错.xlsx")
    assert "错.xlsx" in str(e.value) and "第 2 行" in str(e.value) and "不是" in str(e.value)


def test_a_taken_back_duty_still_pushed_down_is_reported_with_its_evidence(loaded):
    from dutygraph.ingest.delegation import Task
    from dutygraph.ingest.extract import get_gazetteer

    matcher = Matcher.load(loaded)
    task = Task("安全培训检查", "请各镇对未如实记录安全生产教育和培训情况的单位依法处罚", DEPT, ["周铁镇"], "2026-03-01")
    verdicts = check([task], matcher, "周铁镇")
    assert verdicts[0].verdict == "taken_back"
    store_verdicts(loaded, verdicts, get_gazetteer())
    rec = Record("R1", "2026-03-02 09:00", "周铁镇", "有企业未如实记录安全生产教育和培训情况，镇里要处罚", "", "周铁镇",
                 "", "", "x.xlsx", "", 2)
    routed = records.route([rec], matcher)
    assert routed[0]["route"] == "wrong_side"
    records.keep(loaded, routed, "x.xlsx")
    pushed = Handovers(loaded).dashboard("周铁镇")["pushed"]
    assert [(t["sender"], t["item"]) for t in pushed["tasks"]] == [(DEPT, TAKEN)]
    assert [(r["sent_to"], r["item"]) for r in pushed["records"]] == [("周铁镇", TAKEN)]


def test_evaluation_counts_equal_the_records(loaded):
    matcher = Matcher.load(loaded)
    texts = ["网格员好久没来巡查", "网格巡查不到位", "危险化学品企业安全检查没人管", "乡村振兴项目进度慢"]
    recs = [Record(f"E{k}", f"2025-0{k + 1}-01 09:00", "周铁镇", t, "", "周铁镇", "", "", "e.xlsx", "", k + 2,
                   satisfaction=("满意" if k % 2 else "不满意")) for k, t in enumerate(texts)]
    routed = records.route(recs, matcher)
    records.keep(loaded, routed, "e.xlsx")
    report = evaluation.evaluate(loaded, "周铁镇", "2025")
    counted = {i["id"]: i["records"] for i in report["items"] if i["records"]}
    expected: dict[str, int] = {}
    for r in routed:
        if r["item_id"]:
            expected[r["item_id"]] = expected.get(r["item_id"], 0) + 1
    assert counted == expected and report["totals"]["records"] == sum(expected.values())
    assert evaluation.evaluate(loaded, "周铁镇", "2024")["totals"]["records"] == 0  # another period
    assert report["dormant"] and all(i["uses"] == 0 for i in report["dormant"])
    assert evaluation.docx_bytes(report)[:2] == b"PK"


def test_a_township_rates_only_for_itself(loaded, tmp_path):
    path = sheet(tmp_path / "评价.xlsx", ["评价乡镇", "被评价单位", "报到及时", "配合履职", "意见", "期间"],
                 [["周铁镇", DEPT, 2, 3, "报到慢", "2025"]])
    service = Ratings(loaded)
    with pytest.raises(Forbidden):
        service.rate(Principal("township", "和桥镇", "和桥镇"), read_ratings(path), "评价.xlsx")
    service.rate(Principal("township", "周铁镇", "周铁镇"), read_ratings(path), "评价.xlsx")
    report = service.report(Principal("department", DEPT, DEPT), "2025")
    assert [(u["unit"], u["reporting"], u["cooperation"]) for u in report["units"]] == [(DEPT, 2.0, 3.0)]
    assert service.report(Principal("department", "市住房和城乡建设局", "住建局"), "2025")["units"] == []
    bad = sheet(tmp_path / "分.xlsx", ["评价乡镇", "被评价单位", "报到及时", "配合履职"], [["周铁镇", DEPT, 7, 3]])
    with pytest.raises(InputError) as e:
        read_ratings(bad)
    assert "1–5" in str(e.value) and "第 2 行" in str(e.value)
