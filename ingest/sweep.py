"""The raw sweep (起底摸排) of a township: every official's entries of what they actually do, read from xlsx, csv
or a Word table by header synonyms. Each entry keeps where it came from (file, sheet, row) and gets an id from
its content, so loading the same file twice adds nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.ingest.readers import record_tables

SWEEP_HEADERS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "text": ("工作内容", "事项", "工作事项", "履职事项", "事项名称", "具体工作", "工作任务", "内容"),
    "source": ("来源", "事项来源", "依据来源", "出处"),
    "post": ("岗位", "科室", "岗位/科室", "责任科室", "所在科室", "站所", "部门"),
    "reporter": ("填报人", "填写人", "姓名", "经办人"),
    "date": ("日期", "填报日期", "填写日期"),
}
_LOOKUP = {h: f for f, hs in SWEEP_HEADERS.items() for h in hs}
# the source kinds of the pilot's sweep, with how offices write them (domain knowledge of the sweep templates)
SOURCES: dict[str, tuple[str, ...]] = {
    "三定规定": ("三定", "三定规定", "三定方案", "机构职能"),
    "工作报告": ("工作报告", "工作总结", "年度报告", "总结"),
    "权力清单": ("权力清单", "权责清单", "责任清单"),
    "12345热线": ("12345", "热线", "12345热线", "工单", "市民热线"),
    "考核细则": ("考核", "考核细则", "考核办法", "考核指标"),
    "工作通知": ("通知", "工作通知", "文件", "上级通知", "交办"),
    "岗位职责": ("岗位职责", "岗位说明", "职责"),
}


@dataclass(frozen=True)
class Entry:
    id: str
    township: str
    seq: str
    text: str
    source: str
    post: str
    reporter: str
    date: str
    file: str
    sheet: str
    row: int

    def as_row(self) -> dict[str, object]:
        return self.__dict__.copy()


def source_kind(written: str) -> str:
    """The source kind a sweep cell names ("12345 工单" → 12345热线); 其他 when it names none."""
    text = written.strip()
    for kind, words in SOURCES.items():
        if any(w in text for w in words):
            return kind
    return "其他"


def entry_id(township: str, text: str, post: str, reporter: str, source: str) -> str:
    return hashlib.sha1("\x1f".join((township, text, post, reporter, source)).encode()).hexdigest()[:16]


def read_sweep(path: Path, township: str) -> list[Entry]:
    """The entries of one sweep file; a file with an empty 工作内容 or no header is refused with its place (the
    readers refuse control characters and overlong cells), and nothing is read from it."""
    out: list[Entry] = []
    for t in record_tables(path, _LOOKUP, ("text",)):
        for row, values in t.rows:
            text = values.get("text", "").strip()
            if not text:
                raise InputError(f"“{t.column('text')}”为空 (empty duty text)", file=t.file, sheet=t.sheet,
                                 row=row, column=t.column("text"))
            post, reporter, source = values.get("post", ""), values.get("reporter", ""), source_kind(
                values.get("source", ""))
            out.append(Entry(entry_id(township, text, post, reporter, source), township, values.get("seq", str(row)),
                             text, source, post, reporter, values.get("date", ""), Path(t.file).name, t.sheet, row))
    if not out:
        raise InputError("文件中没有条目 (no entries)", file=str(path))
    return out
