"""Tasks sent to townships, read from a file: rows of a sheet (xlsx/csv) or the task sentences of a notice
(.docx/.txt). Matching them to list items and judging them is services/delegation.py."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.ingest.readers import RecordTable, decode_csv, record_tables

TASK_HEADERS = {
    "title": ("标题", "任务名称", "任务标题", "文件标题", "事项", "任务事项", "名称"),
    "text": ("内容", "任务内容", "工作内容", "具体要求", "工作要求", "具体内容", "正文"),
    "sender": ("发文单位", "交办单位", "发文部门", "来文单位", "下发单位", "发文机关", "交办部门"),
    "recipients": ("接收单位", "承办单位", "责任单位", "下发对象", "接收对象", "主送单位"),
    "date": ("日期", "发文日期", "交办日期", "下发日期"),
    "deadline": ("截止日期", "完成时限", "办结时限", "时限要求", "截止时间"),
}
_LOOKUP = {h: f for f, hs in TASK_HEADERS.items() for h in hs}
@dataclass
class Task:
    title: str
    text: str
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    date: str = ""
    deadline: str = ""
    file: str = ""
    row: int | None = None
    title_is_notice: bool = False  # a task split out of a notice: the notice title is shared, not matched

    @property
    def full_text(self) -> str:
        if self.title and not self.title_is_notice and self.title not in self.text:
            return f"{self.title}。{self.text}"
        return self.text


def _cn_date(text: str) -> str:
    m = re.search(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})", text)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


# --- reading ---------------------------------------------------------------------------------------


def _tasks(t: RecordTable) -> list[Task]:
    tasks = []
    for row, values in t.rows:
        title, text = values.get("title", ""), values.get("text", "")
        if not (title or text):
            raise InputError("任务的标题和内容都为空 (empty task)", file=t.file, sheet=t.sheet, row=row,
                             column=t.column("text" if "text" in t.columns else "title"))
        date = values.get("date", "")
        tasks.append(Task(title, text or title, values.get("sender", ""), _recipients(values.get("recipients", "")),
                          _cn_date(date) or date, values.get("deadline", ""), t.file, row))
    return tasks


def _recipients(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；\s]+", unicodedata.normalize("NFKC", text)) if p.strip()]


SENTENCE = re.compile(r"[^。；;！!\n]+[。；;！!]?")
ASKS = re.compile(r"请|要|须|负责|务必|于.{1,12}前|报送|开展|组织|落实|配合|协助|牵头")
ADDRESSEE = re.compile(r"各镇|镇\(街道\)|镇街|街道|乡镇")


def split_notice(text: str, *, file: str = "") -> list[Task]:
    """A notice → its tasks: sentences that ask the townships to do something."""
    t = unicodedata.normalize("NFKC", text)
    lines = [ln.strip() for ln in t.splitlines() if ln.strip()]
    if not lines:
        raise InputError("通知为空 (empty notice)", file=file)
    title = lines[0]
    m = re.match(r"(.+?)关于", title)
    sender = m.group(1) if m else ""
    tail = [ln for ln in lines[-4:] if not ASKS.search(ln)]
    date = next((_cn_date(ln) for ln in reversed(tail) if _cn_date(ln)), "")
    if not sender:
        sender = next((ln for ln in reversed(tail) if not _cn_date(ln) and len(ln) < 30), "")
    addressee = next((ln for ln in lines[1:4] if ln.endswith(":") and ADDRESSEE.search(ln)), "")
    recipients = _recipients(addressee.rstrip(":"))
    body = "\n".join(ln for ln in lines[1:] if ln != addressee and ln not in tail)
    tasks = []
    for s in SENTENCE.findall(body):
        s = re.sub(r"^[一二三四五六七八九十\d]+[、.]\s*", "", s.strip())
        if len(s) >= 8 and ASKS.search(s) and (ADDRESSEE.search(s) or ASKS.match(s) or recipients):
            deadline = re.search(r"于(.{1,12}?)前", s)
            tasks.append(
                Task(
                    f"{title}({len(tasks) + 1})",
                    s,
                    sender,
                    recipients,
                    date,
                    deadline.group(1) if deadline else "",
                    file,
                    None,
                    title_is_notice=True,
                )
            )
    if not tasks:
        raise InputError("通知中没有找到交办给镇(街道)的任务句 (no task sentence found)", file=file)
    return tasks


def read_tasks(path: Path) -> list[Task]:
    if not path.exists():
        raise InputError("文件不存在 (no such file)", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".csv"):
        tasks = [x for t in record_tables(path, _LOOKUP, ("text", "title")) for x in _tasks(t)]
    elif suffix == ".txt":
        tasks = split_notice(decode_csv(path.read_bytes(), str(path)), file=str(path))
    elif suffix == ".docx":
        import zipfile

        import docx

        try:
            d = docx.Document(str(path))
        except (zipfile.BadZipFile, KeyError, ValueError) as e:
            raise InputError(f"无法读取 Word 文件 (unreadable docx): {e}", file=str(path)) from e
        tasks = split_notice("\n".join(p.text for p in d.paragraphs), file=str(path))
    else:
        raise InputError(f"不支持的文件类型 {suffix} (use .xlsx, .csv, .docx or .txt)", file=str(path))
    if not tasks:
        raise InputError("文件中没有任务 (no tasks)", file=str(path))
    return tasks
