"""Readers for duty-list files: .xlsx (openpyxl), .csv (UTF-8 or GBK/GB18030), .docx tables.

Each table becomes rows of canonical fields (header synonyms mapped, merged cells filled, leading
numbering stripped), every value keeping its provenance (file, sheet, row, column).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.graph.text import control_char
from dutygraph.graph.vocabulary import PARTS

# canonical field → header synonyms (layouts.md §B, §D), compared after NFKC and removing spaces
HEADERS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "项目编码"),
    "name": ("事项名称", "履职事项", "履职事项名称", "权力名称", "权力事项名称", "项目名称", "职权名称"),
    "subitem": ("子项", "子项名称"),
    "domain": ("一级类别", "领域", "类别", "所属领域", "事项类别", "一级类别(领域)"),
    "subdomain": ("二级类别", "子类别"),
    "content": ("具体工作内容", "履职内容", "工作内容", "事项内容", "具体内容", "责任事项", "责任事项内容",
                "责任内容", "主要内容"),
    "power_type": ("权力类型", "事项类型", "权力类别", "职权类别"),
    "basis": ("实施依据", "法律依据", "设定依据", "依据", "权力依据", "法定依据", "设定依据和实施依据"),
    "lead_dept": ("对应上级部门", "县级牵头部门", "县级牵头(主责)部门", "市级牵头(主责)部门", "牵头部门",
                  "主责部门", "市级部门", "县级部门", "上级部门", "牵头单位", "责任部门"),
    "county_duty": ("上级部门职责", "县级部门职责", "市级部门职责", "本部门职责", "部门职责"),
    "township_duty": ("镇街配合职责", "乡镇(街道)配合职责", "镇(街道)配合职责", "乡镇配合职责", "配合职责",
                      "乡镇(街道)职责"),
    "receiver": ("承接部门", "收回(承接)部门", "收回部门", "承接单位"),
    "work_mode": ("工作方式", "承接方式", "实施方式"),
    "post": ("责任科室", "承办科室", "承办机构", "内设机构", "办理机构", "责任科室(岗位)", "责任岗位",
             "责任机构", "承办岗位"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "配合科室", "派驻机构"),
    "accountability": ("追责情形", "问责情形", "责任追究情形", "追责情形及追责依据", "追责情形及依据"),
    "remark": ("备注", "说明"),
}
_LOOKUP = {h: f for f, hs in HEADERS.items() for h in hs}
REQUIRED = {"basic": ("name",), "cooperative": ("name", "lead_dept"), "taken_back": ("name", "receiver"),
            "power": ("name",)}
# Bounds on what one list file may hold, checked before the work they would cost: a township's list has a
# few hundred rows of some twenty columns; a county's merged workbook a few thousand.
MAX_FILE_BYTES = 50 << 20
MAX_UNZIPPED = 200 << 20  # all parts of an xlsx/docx together, decompressed
MAX_RATIO = 100  # decompressed/compressed for any part: more is a zip bomb, not a spreadsheet
MAX_ROWS = 20_000
MAX_COLS = 200
MAX_CELL = 32_767  # Excel's own limit on the characters of one cell
MAX_ITEMS = 50_000  # rows over all files of one list
NUMBERING = re.compile(
    r"^\s*(?:\d+\s*[、.．)）]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*、)\s*")


def norm_header(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


def strip_numbering(text: str) -> str:
    return NUMBERING.sub("", text, count=1).strip()


@dataclass
class Cell:
    value: str
    row: int
    column: str  # the header as written


@dataclass
class Row:
    file: str
    sheet: str
    row: int
    part: str
    cells: dict[str, Cell] = field(default_factory=dict)

    def get(self, name: str) -> str:
        c = self.cells.get(name)
        return c.value if c else ""


@dataclass
class Table:
    file: str
    sheet: str
    part: str
    header_row: int
    columns: dict[str, str]  # canonical field → header as written
    rows: list[Row]


def part_from_name(name: str) -> str | None:
    n = norm_header(name)
    if "收回" in n:
        return "taken_back"
    if "配合" in n or "协同" in n:
        return "cooperative"
    if "基本" in n:
        return "basic"
    if "权责" in n or "权力" in n:
        return "power"
    return None


def part_from_columns(cols: set[str]) -> str:
    if "receiver" in cols:
        return "taken_back"
    if "lead_dept" in cols and ("township_duty" in cols or "county_duty" in cols):
        return "cooperative"
    if "power_type" in cols or "accountability" in cols:
        return "power"
    return "basic"


def _find_header(grid: list[list[str]]) -> int:
    for i, row in enumerate(grid[:15]):
        fields = {_LOOKUP.get(norm_header(v)) for v in row}
        if "name" in fields and len(fields - {None}) >= 2:
            return i
        if "name" in fields and len([v for v in row if v.strip()]) == 1 and len(row) == 1:
            return i
    for i, row in enumerate(grid[:15]):
        if "name" in {_LOOKUP.get(norm_header(v)) for v in row}:
            return i
    return -1


def build_table(grid: list[list[str]], *, file: str, sheet: str, hint: str = "", row_offset: int = 1) -> Table | None:
    """grid: the sheet's cell texts (merged cells already filled). None for an empty sheet."""
    if not any(v.strip() for r in grid for v in r):
        if part_from_name(sheet) in PARTS:  # a sheet named as one of the three lists must hold rows
            raise InputError("工作表为空 (empty sheet)", file=file, sheet=sheet, row=row_offset)
        return None
    h = _find_header(grid)
    if h < 0:
        raise InputError("没有找到表头: 需要“事项名称”列 (no header row with an item-name column)",
                         file=file, sheet=sheet, row=row_offset, column="事项名称")
    columns: dict[str, int] = {}
    written: dict[str, str] = {}
    for j, v in enumerate(grid[h]):
        f = _LOOKUP.get(norm_header(v))
        if f and f not in columns:
            columns[f], written[f] = j, str(v).strip()
    part = part_from_name(sheet) or part_from_name(hint) or part_from_columns(set(columns))
    for req in REQUIRED[part]:
        if req not in columns:
            label = HEADERS[req][0]
            raise InputError(f"缺少必需列“{label}” (missing required column for {PARTS.get(part, part)})",
                             file=file, sheet=sheet, row=h + row_offset, column=label)
    rows: list[Row] = []
    for i in range(h + 1, len(grid)):
        values = grid[i]
        if not any(v.strip() for v in values):
            continue
        if norm_header(values[columns["name"]] if columns["name"] < len(values) else "") in HEADERS["name"]:
            continue  # a repeated header row (page breaks in exported lists)
        r = Row(file, sheet, i + row_offset, part)
        for f, j in columns.items():
            v = values[j].strip() if j < len(values) else ""
            if v:
                r.cells[f] = Cell(v, i + row_offset, written[f])
        name = r.get("name")
        if not name:
            raise InputError("事项名称为空 (empty item name)", file=file, sheet=sheet, row=i + row_offset,
                             column=written["name"])
        r.cells["name"].value = strip_numbering(re.sub(r"\s*\n\s*", "", name))
        rows.append(r)
    if not rows:
        raise InputError("表头下没有数据行 (header but no rows)", file=file, sheet=sheet, row=h + row_offset)
    return Table(file, sheet, part, h + row_offset, written, rows)


def column_letter(j: int) -> str:
    """0 → A, 27 → AB: how Excel names a column."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"文件过大: {size >> 20} MB, 上限 {MAX_FILE_BYTES >> 20} MB (file too large)", file=str(path))


def check_zip(path: Path) -> None:
    """An xlsx/docx is a zip: refuse one that would decompress to far more than any list before opening it."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(f"无法读取: 不是有效的 Excel/Word 文件 (unreadable: not an xlsx/docx zip): {e}",
                         file=str(path)) from e
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(1, i.compress_size) for i in infos), default=0)
    if total > MAX_UNZIPPED or worst > MAX_RATIO:
        raise InputError(f"文件解压后过大 ({total >> 20} MB, 压缩比 {worst:.0f}:1), 疑似压缩炸弹 "
                         "(decompresses too large: refused)", file=str(path))


def check_grid(grid: list[list[str]], *, file: str, sheet: str) -> None:
    """Cells too long for Excel, or holding a control character (NUL, U+0001 …: graph/text.py), are refused with
    their place."""
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if len(v) > MAX_CELL:
                raise InputError(f"单元格过长: {len(v)} 个字符, 上限 {MAX_CELL} (cell too long)", file=file,
                                 sheet=sheet, row=i + 1, column=column_letter(j))
            bad = control_char(v)
            if bad:
                raise InputError(f"单元格含有控制字符 {bad} (a control character in the cell)", file=file,
                                 sheet=sheet, row=i + 1, column=column_letter(j))


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _sheet_cells(wb, ws) -> tuple[dict[tuple[int, int], object], list]:
    """A sheet's non-empty cell values by (row, column), and its merged ranges, read by openpyxl's own
    streaming parser (shared strings, dates and cached formula values as load_workbook gives them) without
    building a Cell object and its style per cell: that was half the time of reading a list."""
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.worksheet.cell_range import CellRange

    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        cells = {(c["row"], c["column"]): c["value"] for _, row in parser.parse() for c in row
                 if c["value"] not in (None, "")}
    merged = [CellRange(m.ref) for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    return cells, merged


def xlsx_grids(path: Path) -> list[tuple[str, list[list[str]]]]:
    """Every sheet as (sheet name, grid of cell text), merged ranges filled, sizes checked."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_size(path)
    check_zip(path)
    out = []
    try:
        wb = load_workbook(path, data_only=True, read_only=True)
        try:
            sheets = [(ws.title, *_sheet_cells(wb, ws)) for ws in wb.worksheets]
        finally:
            wb.close()
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, SyntaxError,
            AttributeError, IndexError) as e:
        # openpyxl reports a corrupt part (bad XML, a NUL byte, a shared string out of range) as whichever of
        # these its parser raised; SyntaxError covers the XML parsers' ParseError
        raise InputError(f"无法读取 Excel 文件 (unreadable xlsx): {e}", file=str(path)) from e
    for title, cells, merged in sheets:
        # the extent of the cells that hold something: a stray far cell (XFD1048576) must not make us build
        # a grid of a million rows
        for r, c in cells:
            if r > MAX_ROWS or c > MAX_COLS:
                raise InputError(f"单元格超出清单范围 (上限 {MAX_ROWS} 行 × {MAX_COLS} 列): 请删除远处的内容 "
                                 "(a cell far outside any list)", file=str(path), sheet=title, row=r,
                                 column=column_letter(c - 1))
        rows = max((r for r, _ in cells), default=0)
        cols = max((c for _, c in cells), default=0)
        grid = [["" for _ in range(cols)] for _ in range(rows)]
        for (r, c), value in cells.items():
            grid[r - 1][c - 1] = _cell_text(value)
        for rng in merged:  # fill merged ranges with their top-left value, within the extent
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= rows and rng.min_col <= cols else ""
            for r in range(rng.min_row, min(rng.max_row, rows) + 1):
                for c in range(rng.min_col, min(rng.max_col, cols) + 1):
                    grid[r - 1][c - 1] = top
        check_grid(grid, file=str(path), sheet=title)
        out.append((title, grid))
    return out


def decode_csv(data: bytes, file: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise InputError("文本含有空字符 NUL: 不是 CSV 文本, 或已损坏 (NUL byte)", file=file, row=line)
        return text
    raise InputError("无法识别的文本编码: 需要 UTF-8 或 GBK/GB18030 (unknown encoding)", file=file)


def csv_grid(path: Path) -> list[list[str]]:
    """The rows of a CSV file (UTF-8 or GB18030), quotes strict, sizes checked."""
    check_size(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取文件: {e}", file=str(path)) from e
    text = decode_csv(data, str(path))
    # cells up to the file's size are read, then any longer than Excel allows is reported with its place
    csv.field_size_limit(max(MAX_FILE_BYTES, 131072))
    reader = csv.reader(io.StringIO(text), strict=True)  # an unclosed quote is an error, not one huge cell
    grid: list[list[str]] = []
    try:
        for row in reader:
            if len(grid) >= MAX_ROWS or len(row) > MAX_COLS:
                raise InputError(f"表格过大: 上限 {MAX_ROWS} 行 × {MAX_COLS} 列 (too many rows or columns)",
                                 file=str(path), row=reader.line_num)
            grid.append(row)
    except csv.Error as e:
        raise InputError(f"CSV 格式错误 (malformed CSV): {e}", file=str(path), row=reader.line_num) from e
    check_grid(grid, file=str(path), sheet="")
    return grid


def docx_grids(path: Path) -> list[tuple[str, list[list[str]], str]]:
    """Every table of a Word document as (表N, grid, the paragraph above it), sizes checked."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_size(path)
    check_zip(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError) as e:
        raise InputError(f"无法读取 Word 文件 (unreadable docx): {e}", file=str(path)) from e
    out = []
    heading = ""
    body = document.element.body
    t_index = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(child.itertext()).strip()
            if text:
                heading = text
        elif tag == "tbl":
            table = document.tables[t_index]
            t_index += 1
            # python-docx repeats a merged cell's text in every grid position it spans
            grid = [[cell.text for cell in row.cells] for row in table.rows]
            check_grid(grid, file=str(path), sheet=f"表{t_index}")
            out.append((f"表{t_index}", grid, heading))
    return out


def grids(path: Path) -> list[tuple[str, list[list[str]], str]]:
    """Any supported file's tables as (sheet, grid, hint): the sheets of a workbook, a CSV, the tables of a
    Word document (hint: the text that names the table, for telling list parts apart)."""
    if not path.exists():
        raise InputError("文件不存在 (no such file)", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return [(sheet, grid, path.stem) for sheet, grid in xlsx_grids(path)]
    if suffix == ".csv":
        return [("", csv_grid(path), path.stem)]
    if suffix == ".docx":
        return [(sheet, grid, f"{heading} {path.stem}") for sheet, grid, heading in docx_grids(path)]
    raise InputError(f"不支持的文件类型 {suffix} (use .xlsx, .csv or .docx)", file=str(path))


def read_list_file(path: Path) -> list[Table]:
    tables = [t for sheet, grid, hint in grids(path)
              if (t := build_table(grid, file=str(path), sheet=sheet, hint=hint))]
    if not tables:
        raise InputError("文件中没有任何数据行 (no data: empty file or sheets)", file=str(path))
    return tables


@dataclass
class RecordTable:
    """A row-per-record table (tasks, hotline records, assessment indicators) read by header synonyms."""

    file: str
    sheet: str
    header: list[str]
    columns: dict[str, int]  # field → column index
    rows: list[tuple[int, dict[str, str]]]  # (1-based row number, field → text)

    def column(self, field: str) -> str:
        """The header cell of a field, as the file writes it (for error messages)."""
        return self.header[self.columns[field]] if field in self.columns else field


def record_tables(path: Path, lookup: dict[str, str], needed: tuple[str, ...]) -> list[RecordTable]:
    """The tables of a file whose header (found in the first ten rows by its synonyms, `lookup`: header →
    field) has one of the fields `needed`; each with its non-empty rows. Empty sheets are skipped; a non-empty
    one without such a header is an error naming it."""
    out = []
    for sheet, grid, _ in grids(path):
        if not any(any(str(v).strip() for v in r) for r in grid):
            continue
        head = next((i for i, r in enumerate(grid[:10]) if set(needed) & {lookup.get(norm_header(v)) for v in r}),
                    None)
        if head is None:
            wanted = "、".join(h for h, f in lookup.items() if f in needed)
            raise InputError(f"没有找到表头: 需要“{wanted}”之一 (no header)", file=str(path), sheet=sheet, row=1)
        cols: dict[str, int] = {}
        for j, v in enumerate(grid[head]):
            f = lookup.get(norm_header(v))
            if f and f not in cols:
                cols[f] = j
        rows = [(i + 1, {f: str(grid[i][j]).strip() for f, j in cols.items() if j < len(grid[i]) and grid[i][j]})
                for i in range(head + 1, len(grid)) if any(str(v).strip() for v in grid[i])]
        out.append(RecordTable(str(path), sheet, list(grid[head]), cols, rows))
    return out
