"""Assessment indicators checked against the lists through the API: a township graded on leading a 配合 duty, on a
taken-back duty or on something off its list is flagged with the matched item, per setting department; the
table may be a Word document; bad tables name the row and column. Hotline records route through the API too."""

import io

import docx
import pytest
from dutygraph.api.app import create_app
from dutygraph.graph.errors import InputError
from dutygraph.graph.settings import Settings
from dutygraph.ingest.indicators import read_indicators
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import load
from tests.test_lists import SAFETY, workbook

pytestmark = pytest.mark.integration
HEADER = ["序号", "考核指标", "评分标准", "分值", "考核对象", "设定部门"]
ROWS = [
    ["1", "危险化学品企业安全检查", "由镇(街道)牵头负责辖区危险化学品企业执法检查, 完成率低于90%的扣2分", "3", "周铁镇",
     "市应急管理局"],
    ["2", "安全生产教育培训违法行为查处", "依法查处未如实记录安全生产教育和培训情况的行为并作出处罚, 办结率100%",
     "2", "周铁镇", "市应急管理局"],
    ["3", "民航航班正点率", "航班正点率达到年度目标", "2", "周铁镇", "市发展和改革委员会"],
    ["4", "网格化服务管理", "网格巡查按要求完成, 未完成的每项扣1分", "2", "周铁镇", "市委政法委员会"],
]


@pytest.fixture
def api(store, tmp_path):
    load(store, SAFETY, [(workbook(tmp_path / "zt.xlsx"), "周铁镇", "2025-06-30")])
    with TestClient(create_app(Settings(), store=store)) as c:
        yield c


def word_table(path, rows):
    d = docx.Document()
    d.add_paragraph("2025年度镇(街道)综合考核细则")
    t = d.add_table(rows=0, cols=len(HEADER))
    for r in [HEADER, *rows]:
        cells = t.add_row().cells
        for c, v in zip(cells, r, strict=True):
            c.text = v
    d.save(path)
    return path


def test_indicators_that_push_work_down_are_flagged_with_their_item(api, tmp_path):
    path = word_table(tmp_path / "细则.docx", ROWS)
    r = api.post("/api/indicators/check", files={"file": ("细则.docx", path.read_bytes())})
    assert r.status_code == 200, r.text
    body = r.json()
    verdicts = {f["id"]: f for f in body["flags"]}
    assert verdicts["1"]["verdict"] == "lead_shift" and verdicts["1"]["matches"][0]["name"] == "危险化学品企业安全检查"
    assert verdicts["2"]["verdict"] == "taken_back" and "教育和培训" in verdicts["2"]["matches"][0]["name"]
    assert verdicts["3"]["verdict"] == "off_list"
    assert "4" not in verdicts  # the township's own duty is a fair indicator
    assert body["by_department"][0] == {"department": "市应急管理局", "total": 2, "flagged": 2, "lead_shift": 1,
                                        "taken_back": 1, "off_list": 0}
    xlsx = api.post("/api/indicators/check", params={"format": "xlsx"},
                    files={"file": ("细则.docx", path.read_bytes())})
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["问题指标", "全部审查", "按设定部门"] and wb["问题指标"].max_row == 4


def test_bad_indicator_tables_name_the_row_and_column(tmp_path):
    path = word_table(tmp_path / "bad.docx", [ROWS[0], ["2", "", "x", "2", "周铁镇", "市应急管理局"]])
    with pytest.raises(InputError) as e:
        read_indicators(path)
    assert (e.value.sheet, e.value.row, e.value.column) == ("表1", 3, "考核指标")
    path = word_table(tmp_path / "bad2.docx", [[*ROWS[0][:3], "五分", *ROWS[0][4:]]])
    with pytest.raises(InputError, match="分值") as e:
        read_indicators(path)
    assert e.value.row == 2 and e.value.column == "分值"


def test_records_route_through_the_api_as_json_and_excel(api):
    csv_text = ("工单号,受理时间,所属镇街,诉求内容,承办单位\n"
                "1,2025-07-01 08:00,周铁镇,群众反映某厂未如实记录安全生产教育和培训情况,周铁镇\n"
                "2,2025-07-02 08:00,周铁镇,快递包裹丢失要求赔偿,周铁镇\n")
    r = api.post("/api/records/route", files={"file": ("r.csv", csv_text.encode())})
    assert r.status_code == 200, r.text
    routes = {x["id"]: x["route"] for x in r.json()["records"]}
    assert routes == {"1": "wrong_side", "2": "unmatched"}
    xlsx = api.post("/api/records/route", params={"format": "xlsx"}, files={"file": ("r.csv", csv_text.encode())})
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["工单分派", "按乡镇", "按承办单位", "事项频次"]


def test_a_specific_indicator_that_does_not_fit_the_township_is_reported(api, tmp_path):
    """共性指标 + 个性指标: a township-specific (个性) indicator grading a township whose list has nothing it fits
    is reported as not fitting; a common one is judged as before."""
    header = [*HEADER, "指标类型"]
    rows = [["1", "民航航班正点率", "航班正点率达到年度目标", "2", "周铁镇", "市发展和改革委员会", "个性指标"],
            ["2", "网格化服务管理", "网格巡查按要求完成", "2", "周铁镇", "市委政法委员会", "共性指标"]]
    path = word_table(tmp_path / "细则.docx", [[*r[:6]] for r in rows])
    from docx import Document

    d = Document()
    t = d.add_table(rows=0, cols=len(header))
    for r in [header, *rows]:
        for c, v in zip(t.add_row().cells, r, strict=True):
            c.text = v
    d.save(path)
    body = api.post("/api/indicators/check", files={"file": ("细则.docx", path.read_bytes())}).json()
    flags = {f["id"]: f for f in body["flags"]}
    assert flags["1"]["unfit"] and flags["1"]["evidence"].startswith("个性指标不适用")
    assert "2" not in flags and body["unfit"] == 1
