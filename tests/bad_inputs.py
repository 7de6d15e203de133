"""A corpus of bad list files, written at run time (nothing binary is committed): each case is a file a user
might really upload, and the error a reader must give for it. Used by tests/test_bad_inputs.py."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

HEADER = ["序号", "事项名称", "具体工作内容", "法律依据"]
Case = tuple[str, Callable[[Path], Path]]


def _xlsx(path: Path, rows: list[list], sheet: str = "基本履职事项", extra: Callable | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    if extra:
        extra(wb, ws)
    wb.save(path)
    return path


def _csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return make


def _zip_bomb(path: Path) -> Path:
    """A valid-looking xlsx whose one sheet part decompresses 1000:1 (a few MB of zeros)."""
    good = _xlsx(path.with_suffix(".tmp.xlsx"), [HEADER, [1, "巡查", "", ""]])
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                data = data.replace(b"</worksheet>", b"<!--" + b"0" * (30 << 20) + b"--></worksheet>")
            out.writestr(info.filename, data)
    good.unlink()
    return path


def cases() -> list[Case]:
    ok_row = [1, "巡查", "网格巡查", ""]
    out: list[Case] = [
        ("empty.xlsx", _bytes(b"")),
        ("empty.csv", _bytes(b"")),
        ("random.xlsx", _bytes(os.urandom(4096))),
        ("random.docx", _bytes(os.urandom(4096))),
        ("text-named.xlsx", _bytes("序号,事项名称\n1,巡查\n".encode())),
        ("notes.txt", _bytes("序号,事项名称\n1,巡查\n".encode())),
        ("image.png", _bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))),
        ("nul.csv", _bytes("序号,事项名称\n1,巡\x00查\n".encode())),
        ("latin1.csv", _bytes("no,name\n1,caf\xe9\n".encode("latin-1") + b"\xff\xfe\xfa")),
        ("no-header.csv", lambda p: _csv(p, [["1", "巡查"], ["2", "排查"]])),
        ("only-header.csv", lambda p: _csv(p, [HEADER])),
        ("empty-name.csv", lambda p: _csv(p, [HEADER, ["1", "", "内容", ""]])),
        ("huge-cell.csv", lambda p: _csv(p, [HEADER, ["1", "巡查" * 20_000, "", ""]])),
        ("ten-mb-cell.csv", lambda p: _csv(p, [HEADER, ["1", "x" * (10 << 20), "", ""]])),
        ("too-many-columns.csv", lambda p: _csv(p, [HEADER + [f"c{i}" for i in range(300)], ok_row])),
        ("unclosed-quote.csv", _bytes('序号,事项名称\n1,"巡查\n2,排查\n'.encode())),
        ("no-header.xlsx", lambda p: _xlsx(p, [[1, "巡查"], [2, "排查"]])),
        ("only-header.xlsx", lambda p: _xlsx(p, [HEADER])),
        ("empty-sheet.xlsx", lambda p: _xlsx(p, [])),
        ("empty-name.xlsx", lambda p: _xlsx(p, [HEADER, [1, None, "内容", ""]])),
        ("huge-cell.xlsx", lambda p: _xlsx(p, [HEADER, [1, "巡" * 32_767, "", ""]],
                                            extra=lambda wb, ws: ws.cell(2, 3, "查" * 32_767))),
        ("far-cell.xlsx", lambda p: _xlsx(p, [HEADER, ok_row], extra=lambda wb, ws: ws.cell(1048576, 16384, "x"))),
        ("far-row.xlsx", lambda p: _xlsx(p, [HEADER, ok_row], extra=lambda wb, ws: ws.cell(100_000, 2, "x"))),
        ("far-column.xlsx", lambda p: _xlsx(p, [HEADER, ok_row], extra=lambda wb, ws: ws.cell(2, 500, "x"))),
        ("cooperative-without-lead.xlsx", lambda p: _xlsx(p, [["序号", "事项名称", "配合职责"], [1, "巡查", "配合"]],
                                                          sheet="配合履职事项")),
        ("taken-back-without-receiver.xlsx", lambda p: _xlsx(p, [["序号", "事项名称"], [1, "处罚"]],
                                                             sheet="上级部门收回事项")),
        ("zip-bomb.xlsx", _zip_bomb),
        ("truncated.xlsx", lambda p: _bytes(_xlsx(p, [HEADER, ok_row]).read_bytes()[:700])(p)),
        ("empty-zip.xlsx", lambda p: (zipfile.ZipFile(p, "w").close(), p)[1]),
        ("zip-without-workbook.xlsx", lambda p: _zipped(p, {"hello.txt": b"hi"})),
        ("bad-xml.xlsx", lambda p: _replace_part(_xlsx(p, [HEADER, ok_row]), "xl/worksheets/sheet1.xml", b"<worksheet")),
        ("nul-in-xml.xlsx", lambda p: _replace_part(_xlsx(p, [HEADER, ok_row]), "xl/worksheets/sheet1.xml",
                                                     None, lambda d: d.replace(b"</worksheet>", b"\x00</worksheet>"))),
        ("empty.docx", lambda p: _docx(p, [])),
        ("docx-no-table.docx", lambda p: _docx(p, None)),
        ("docx-no-header.docx", lambda p: _docx(p, [["1", "巡查"], ["2", "排查"]])),
        ("docx-empty-name.docx", lambda p: _docx(p, [["序号", "事项名称"], ["1", ""]])),
        ("docx-nul.docx", lambda p: _docx(p, [["序号", "事项名称"], ["1", "巡查"]], nul=True)),
        ("directory.xlsx", lambda p: (p.mkdir(), p)[1]),
    ]
    # header-only and nameless variants of every header synonym a real list uses for the name column
    for i, name_header in enumerate(("事项名称", "履职事项", "权力名称", "职权名称", "项目名称")):
        out.append((f"header-only-{i}.csv", lambda p, h=name_header: _csv(p, [["序号", h]])))
        out.append((f"blank-name-{i}.xlsx", lambda p, h=name_header: _xlsx(p, [["序号", h], [1, "  "]])))
    # encodings that are neither UTF-8 nor GB18030
    for enc in ("utf-16", "utf-32", "utf-16-be"):
        out.append((f"enc-{enc}.csv", lambda p, e=enc: _bytes("序号,事项名称\n1,巡查\n".encode(e) + b"\xff")(p)))
    return out


def _zipped(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _replace_part(path: Path, part: str, data: bytes | None, edit: Callable[[bytes], bytes] | None = None) -> Path:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts[part] = data if data is not None else edit(parts[part])  # type: ignore[misc]
    return _zipped(path, parts)


def _docx(path: Path, rows: list[list[str]] | None, nul: bool = False) -> Path:
    import docx

    d = docx.Document()
    if rows is None:
        d.add_paragraph("本文件没有表格。")
    elif rows:
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                t.cell(i, j).text = v
    d.save(path)
    if nul:
        return _replace_part(path, "word/document.xml", None, lambda b: b.replace("巡查".encode(), "巡\x00查".encode()))
    return path
