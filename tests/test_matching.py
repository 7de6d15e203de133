"""The matcher behind tasks, records, indicators and 准入 (services/delegation.Matcher): one code path, and the
verdict rules a supervisor relies on."""

from __future__ import annotations

import pytest
from dutygraph.ingest.delegation import Task
from dutygraph.services import delegation
from dutygraph.services.delegation import Matcher, check

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

pytestmark = pytest.mark.integration


@pytest.fixture
def matcher(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "zt.xlsx"), "周铁镇", "2025-06-30")])
    return Matcher.load(store)


@pytest.mark.parametrize("text", [
    "请各镇对辖区出租汽车开展安全检查，督促出租车企业落实安全责任。",  # a taxi is not 生产经营单位's inspection item
    "请各镇（街道）对辖区加油站开展成品油质量抽查。",
    "请各镇负责辖区网吧的执法检查。",
])
def test_another_object_with_the_same_verbs_is_never_on_the_list(matcher, text):
    (v,) = check([Task("", text, "市交通运输局")], matcher, "周铁镇")
    assert v.verdict in ("off_list", "uncertain"), (v.verdict, v.matches[0][0].name if v.matches else None)
    if v.verdict == "uncertain":  # the supervisor gets the candidates and why
        assert len(v.matches) == 3 and v.evidence


def test_a_paraphrased_task_about_a_listed_object_is_on_the_list(matcher):
    (v,) = check([Task("", "请各镇配合市应急局对辖区危险化学品企业开展安全检查，发现隐患及时报告。", "市应急管理局")],
                 matcher, "周铁镇")
    assert v.verdict == "cooperative" and v.matches[0][0].name == "危险化学品企业安全检查"


def test_every_consumer_goes_through_the_one_matcher(store, matcher, monkeypatch, tmp_path):
    """Tasks, records, indicators and 准入 applications all score items through Matcher.match."""
    from dutygraph.ingest.indicators import Indicator
    from dutygraph.ingest.records import Record
    from dutygraph.services import indicators, records
    from dutygraph.services.lifecycle import Admissions, Principal
    from dutygraph.services.suggest import SuggestionIndex

    calls: list[str] = []
    real = Matcher.match

    def counted(self, text, township, top=3, sender="", record=False):
        calls.append(text)
        return real(self, text, township, top, sender, record)

    monkeypatch.setattr(Matcher, "match", counted)
    check([Task("", "请各镇开展网格巡查", "")], matcher, "周铁镇")
    records.route([Record("1", "", "周铁镇", "网格员从来不上门", "", "周铁镇", "", "", "r", "", 2)], matcher)
    indicators.check([Indicator("1", "网格化服务管理考核", "按月巡查", "5", ["周铁镇"], "", "市委政法委员会",
                                "k.csv", "", 2)], matcher)
    Admissions(store).apply(Principal("admin", None, "管理员"), "网格巡查", "请各镇开展网格巡查", ["周铁镇"],
                            matcher, SuggestionIndex.build(store), department="市应急管理局")
    assert len(calls) == 4


def test_the_fusion_weights_come_from_the_fitting_bench():
    # the model is declared once, with as many weights as features (bench/fit_matcher.py prints them)
    assert len(delegation.WEIGHTS) == len(delegation.FEATURES)
    low, high = delegation.THRESHOLDS["hybrid"]
    assert 0 < low < high < 1
    assert len(delegation.RECORD_WEIGHTS) == len(delegation.FEATURES) and 0 < delegation.RECORD_CUT < 1


def test_a_licence_taken_back_and_pushed_down_again_is_flagged(store, tmp_path):
    """Most 收回 items are licences: a task asking the township to grant one again is taken_back, not off_list
    (the rule once looked only for enforcement words)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("基本履职事项")
    ws.append(["序号", "一级类别", "事项名称", "具体工作内容"])
    ws.append([1, "林业", "森林防火巡查", "组织护林员巡山，管控野外用火"])
    ws = wb.create_sheet("上级部门收回事项")
    ws.append(["序号", "事项名称", "承接部门"])
    ws.append([1, "林木采伐许可证核发", "县林业局"])
    wb.save(tmp_path / "lt.xlsx")
    load(store, SAFETY, [(tmp_path / "lt.xlsx", "柳塘镇", "2025-06-30")])
    (v,) = check([Task("", "即日起请各镇受理林木采伐申请，审核后核发采伐许可证。", "县林业局")], Matcher.load(store), "柳塘镇")
    assert (v.verdict, v.matches[0][0].name) == ("taken_back", "林木采伐许可证核发")
