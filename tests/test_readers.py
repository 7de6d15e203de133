from pathlib import Path

import pytest
from dutygraph.graph.errors import InputError
from dutygraph.ingest.readers import read_list_file, strip_numbering
from openpyxl import Workbook


def _three_sheets(path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("基本履职事项")
    ws.append(["宜兴市某镇基本履职事项清单"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "一级类别", "事项名称", "具体工作内容", "责任科室"])
    ws.append([1, "应急管理", "1、安全生产\n监督检查", "第一行\n第二行", "安监办"])
    ws.append([2, None, "（二）应急演练", "演练", "应急管理办公室"])
    ws.merge_cells("B3:B4")
    ws = wb.create_sheet("配合履职事项")
    ws.append(["序号", "类别", "事项名称", "对应上级部门", "上级部门职责", "镇街配合职责"])
    ws.append([1, "自然资源", "违法用地巡查", "市资规局", "查处", "巡查报告"])
    ws = wb.create_sheet("上级部门收回事项")
    ws.append(["序号", "事项名称", "承接部门", "工作方式"])
    ws.append([1, "对某违法行为的行政处罚", "市应急局", "市级部门直接行使"])
    wb.create_sheet("Sheet3")  # an empty default sheet is ignored
    wb.save(path)
    return path


def test_xlsx_three_sheets_with_title_row_merged_cells_and_numbering(tmp_path: Path):
    tables = read_list_file(_three_sheets(tmp_path / "list.xlsx"))
    assert [t.part for t in tables] == ["basic", "cooperative", "taken_back"]
    basic = tables[0]
    assert basic.header_row == 2
    first, second = basic.rows
    assert first.get("name") == "安全生产监督检查" and second.get("name") == "应急演练"
    assert second.get("domain") == "应急管理"  # from the merged cell above
    assert first.get("content") == "第一行\n第二行"
    assert (first.row, first.cells["post"].column) == (3, "责任科室")
    assert tables[1].rows[0].get("lead_dept") == "市资规局"
    assert tables[2].rows[0].get("receiver") == "市应急局"


def test_gbk_csv_with_header_synonyms(tmp_path: Path):
    f = tmp_path / "权责清单.csv"
    text = "序号,权力类型,权力事项名称,实施依据,责任事项,追责情形\n1,行政确认,独生子女父母光荣证核发,《某条例》第三十九条,受理,不作为\n"
    f.write_bytes(text.encode("gbk"))
    (table,) = read_list_file(f)
    assert table.part == "power"
    row = table.rows[0]
    assert (row.get("name"), row.get("power_type"), row.get("basis")) == ("独生子女父母光荣证核发", "行政确认",
                                                                          "《某条例》第三十九条")


def test_docx_table(tmp_path: Path):
    import docx

    d = docx.Document()
    d.add_paragraph("配合履职事项清单")
    t = d.add_table(rows=2, cols=4)
    for i, h in enumerate(["序号", "事项名称", "对应上级部门", "镇街配合职责"]):
        t.cell(0, i).text = h
    for i, v in enumerate(["1", "食品安全监督检查", "市市场监管局", "配合检查"]):
        t.cell(1, i).text = v
    f = tmp_path / "list.docx"
    d.save(f)
    (table,) = read_list_file(f)
    assert table.part == "cooperative" and table.sheet == "表1"
    assert table.rows[0].get("lead_dept") == "市市场监管局"


def test_missing_required_column_names_file_sheet_row_column(tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "配合履职事项"
    ws.append(["序号", "事项名称", "镇街配合职责"])
    ws.append([1, "违法用地巡查", "巡查"])
    f = tmp_path / "bad.xlsx"
    wb.save(f)
    with pytest.raises(InputError) as e:
        read_list_file(f)
    assert (e.value.sheet, e.value.row, e.value.column) == ("配合履职事项", 1, "对应上级部门")
    assert "bad.xlsx" in str(e.value) and "对应上级部门" in str(e.value)


def test_empty_list_sheet_is_an_error(tmp_path: Path):
    wb = Workbook()
    wb.active.title = "基本履职事项"
    f = tmp_path / "empty.xlsx"
    wb.save(f)
    with pytest.raises(InputError, match="工作表为空") as e:
        read_list_file(f)
    assert e.value.sheet == "基本履职事项"


def test_unreadable_and_wrongly_encoded_files(tmp_path: Path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip file")
    with pytest.raises(InputError, match="无法读取"):
        read_list_file(junk)
    utf16 = tmp_path / "list.csv"
    utf16.write_bytes("序号,事项名称\n1,巡查\n".encode("utf-16"))
    with pytest.raises(InputError, match="编码"):
        read_list_file(utf16)
    pdf = tmp_path / "list.pdf"
    pdf.write_text("x")
    with pytest.raises(InputError, match="不支持"):
        read_list_file(pdf)


def test_empty_item_name_is_reported_with_its_cell(tmp_path: Path):
    f = tmp_path / "基本.csv"
    f.write_text("序号,事项名称,具体工作内容\n1,巡查,x\n2,,y\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_list_file(f)
    assert (e.value.row, e.value.column) == (3, "事项名称")


def test_strip_numbering():
    assert [strip_numbering(s) for s in ["1、甲", "2. 乙", "（三）丙", "四、丁", "5）戊", "十二项工作"]] == \
        ["甲", "乙", "丙", "丁", "戊", "十二项工作"]


def test_xlsx_cells_read_as_excel_shows_them(tmp_path: Path):
    """Dates (whatever their number format), whole numbers and booleans, as the streaming reader gives them."""
    import datetime as dt

    from dutygraph.ingest.readers import xlsx_grids

    wb = Workbook()
    ws = wb.active
    ws.title = "工单"
    ws.append(["受理时间", "日期", "件数", "比例", "办结"])
    ws.append([dt.datetime(2025, 3, 1, 9, 30), dt.date(2025, 3, 2), 12.0, 0.25, True])
    ws["B2"].number_format = "yyyy年m月d日"
    wb.save(tmp_path / "x.xlsx")
    assert xlsx_grids(tmp_path / "x.xlsx") == [("工单", [["受理时间", "日期", "件数", "比例", "办结"],
                                                          ["2025-03-01 09:30:00", "2025-03-02 00:00:00", "12",
                                                           "0.25", "True"]])]
