"""越单摊派 check: tasks sent to townships, matched against the recipient township's current list.

A task is read from a row (xlsx/csv) or split out of a notice (.docx/.txt), matched to the township's items
by IDF-weighted character bigrams (how much of the item's name, and of the task's own words, the other
covers), and given a verdict: basic, cooperative, lead_shift (a 配合 item the township is asked to lead),
taken_back (a 收回 item pushed back down), off_list, or uncertain (a weak best match, for a person).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.graph.store import GraphStore
from dutygraph.ingest.extract import Gazetteer
from dutygraph.ingest.readers import decode_csv, norm_header

DATA = Path(__file__).resolve().parent / "data"
TASK_HEADERS = {
    "title": ("标题", "任务名称", "任务标题", "文件标题", "事项", "任务事项", "名称"),
    "text": ("内容", "任务内容", "工作内容", "具体要求", "工作要求", "具体内容", "正文"),
    "sender": ("发文单位", "交办单位", "发文部门", "来文单位", "下发单位", "发文机关", "交办部门"),
    "recipients": ("接收单位", "承办单位", "责任单位", "下发对象", "接收对象", "主送单位"),
    "date": ("日期", "发文日期", "交办日期", "下发日期"),
    "deadline": ("截止日期", "完成时限", "办结时限", "时限要求", "截止时间"),
}
_LOOKUP = {h: f for f, hs in TASK_HEADERS.items() for h in hs}
LEAD = re.compile(
    r"牵头|负责(?!配合|协助)|组织实施|具体实施|主导|主体责任|依法查处|立案查处|实施(?:行政)?处罚|作出处罚|"
    r"予以处罚|处以罚款|罚款|吊销|执法检查|行政执法"
)
COOPERATE = re.compile(r"配合|协助|协同|协查|参与|提供.{0,6}(?:信息|线索|资料)|发现.{0,8}报告|及时报告|报告线索")
ENFORCE = re.compile(r"处罚|罚款|查处|吊销|没收|执法|责令|强制")
SENDER_BOOST = 0.1  # a department sending a task about an item it leads or received is a strong hint
TASK_FORCE = re.compile(r"专班|指挥部|领导小组|工作组|联席会议|临时机构|专项机制|委员会办公室|办公室")
VERDICTS = ("basic", "cooperative", "lead_shift", "taken_back", "off_list", "uncertain")
FLAGGED = ("lead_shift", "taken_back", "off_list")
# thresholds tuned on the tuning half of bench/data/delegation_tasks.csv (see bench/delegation.py)
LOW, HIGH = 0.18, 0.24


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


def _boilerplate() -> list[str]:
    lines = (DATA / "task_boilerplate.txt").read_text(encoding="utf-8").splitlines()
    return [unicodedata.normalize("NFKC", s.strip()) for s in lines if s.strip() and not s.startswith("#")]


def grams(text: str) -> set[str]:
    t = re.sub(r"[\s\W\d_a-zA-Z]+", "", unicodedata.normalize("NFKC", text))
    return {t[i : i + 2] for i in range(len(t) - 1)}


def _cn_date(text: str) -> str:
    m = re.search(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})", text)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


# --- reading ---------------------------------------------------------------------------------------


def _rows_to_tasks(grid: list[list[str]], file: str, sheet: str = "") -> list[Task]:
    head = next(
        (i for i, r in enumerate(grid[:10]) if {_LOOKUP.get(norm_header(v)) for v in r} & {"text", "title"}), None
    )
    if head is None:
        raise InputError("没有找到表头: 需要“标题”或“内容”列 (no task header)", file=file, sheet=sheet, row=1)
    cols = {}
    for j, v in enumerate(grid[head]):
        f = _LOOKUP.get(norm_header(v))
        if f and f not in cols:
            cols[f] = j
    tasks = []
    for i in range(head + 1, len(grid)):
        row = grid[i]
        if not any(str(v).strip() for v in row):
            continue
        values = {f: str(row[j]).strip() for f, j in cols.items() if j < len(row) and row[j]}
        def get(f: str, values: dict[str, str] = values) -> str:
            return values.get(f, "")

        title, text = get("title"), get("text")
        if not (title or text):
            raise InputError(
                "任务的标题和内容都为空 (empty task)",
                file=file,
                sheet=sheet,
                row=i + 1,
                column=grid[head][cols.get("text", cols.get("title", 0))],
            )
        tasks.append(
            Task(
                title,
                text or title,
                get("sender"),
                _recipients(get("recipients")),
                _cn_date(get("date")) or get("date"),
                get("deadline"),
                file,
                i + 1,
            )
        )
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
    if suffix in (".xlsx", ".xlsm"):
        import zipfile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            wb = load_workbook(path, data_only=True, read_only=True)
        except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
            raise InputError(f"无法读取 Excel 文件 (unreadable xlsx): {e}", file=str(path)) from e
        tasks = []
        for ws in wb.worksheets:
            grid = [[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(values_only=True)]
            if any(any(v.strip() for v in r) for r in grid):
                tasks += _rows_to_tasks(grid, str(path), ws.title)
    elif suffix == ".csv":
        grid = list(csv.reader(io.StringIO(decode_csv(path.read_bytes(), str(path)))))
        tasks = _rows_to_tasks(grid, str(path))
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


# --- matching --------------------------------------------------------------------------------------


@dataclass
class ItemDoc:
    id: str
    name: str
    part: str
    township: str
    departments: list[str]
    name_grams: set[str]
    all_grams: set[str]


class Matcher:
    """An index of every township's current items, built once from the graph."""

    def __init__(self, rows: list[dict]) -> None:
        self.by_town: dict[str, list[ItemDoc]] = {}
        df: Counter[str] = Counter()
        for r in rows:
            text = " ".join(filter(None, (r["name"], r["content"], r["township_duty"])))
            doc = ItemDoc(
                r["id"],
                r["name"],
                r["part"],
                r["township"],
                [d for d in r["departments"] if d],
                grams(r["name"]),
                grams(text),
            )
            self.by_town.setdefault(r["township"], []).append(doc)
            df.update(doc.all_grams)
        n = max(1, len(rows))
        self.idf = {g: math.log((n + 1) / (c + 1)) + 0.5 for g, c in df.items()}
        self.default_idf = math.log(n + 1) + 0.5
        self.noise = set().union(*(grams(b) for b in _boilerplate()))

    @classmethod
    def load(cls, store: GraphStore) -> Matcher:
        return cls(store.query("delegation.items"))

    def w(self, gs: set[str]) -> float:
        return sum(self.idf.get(g, self.default_idf) for g in gs)

    def match(self, text: str, township: str, top: int = 3, sender: str = "") -> list[tuple[ItemDoc, float]]:
        # a task force's name often names the field (大气污染防治攻坚指挥部), so it is matched too
        task = grams(f"{text} {sender}" if TASK_FORCE.search(sender) else text) - self.noise
        if not task:
            return []
        wt = self.w(task)
        scored = []
        for doc in self.by_town.get(township, []):
            name = doc.name_grams - self.noise or doc.name_grams
            s_name = self.w(name & task) / self.w(name) if name else 0.0
            s_task = self.w(task & doc.all_grams) / wt
            boost = SENDER_BOOST if s_name > 0 and sender and sender in doc.departments else 0.0
            scored.append((doc, 0.6 * s_name + 0.4 * s_task + boost))
        scored.sort(key=lambda x: (-x[1], x[0].name))
        return scored[:top]


@dataclass
class Verdict:
    task: Task
    township: str
    verdict: str
    score: float
    matches: list[tuple[ItemDoc, float]]
    evidence: str

    def as_json(self) -> dict:
        return {
            "title": self.task.title,
            "township": self.township,
            "verdict": self.verdict,
            "score": round(self.score, 3),
            "evidence": self.evidence,
            "matches": [
                {"item_id": d.id, "name": d.name, "part": d.part, "score": round(s, 3)} for d, s in self.matches
            ],
        }


def judge(task: Task, township: str, matches: list[tuple[ItemDoc, float]]) -> Verdict:
    text = task.full_text
    leads, coops = LEAD.findall(text), COOPERATE.findall(text)
    if not ENFORCE.search(text):
        # a 收回 item is pushed back down only when the task asks for the enforcement it was taken back for
        matches = [m for m in matches if m[0].part != "taken_back"]
    best, score = matches[0] if matches else (None, 0.0)
    if best is None or score < LOW:
        return Verdict(task, township, "off_list", score, matches, "清单中没有相符的事项 (no list item matches)")
    if score < HIGH:
        return Verdict(
            task,
            township,
            "uncertain",
            score,
            matches,
            f"最接近的事项「{best.name}」相似度不高, 需人工判断 (weak match)",
        )
    if best.part == "taken_back":
        dept = "、".join(best.departments) or "上级部门"
        return Verdict(
            task,
            township,
            "taken_back",
            score,
            matches,
            f"「{best.name}」已由{dept}收回, 不应再交给镇(街道) (taken back, pushed back down)",
        )
    if best.part == "cooperative":
        if leads and not coops:
            return Verdict(
                task,
                township,
                "lead_shift",
                score,
                matches,
                f"「{best.name}」是配合事项, 任务却要求镇(街道)牵头/实施 ({'、'.join(sorted(set(leads)))})",
            )
        return Verdict(task, township, "cooperative", score, matches, f"配合履职事项「{best.name}」")
    return Verdict(task, township, "basic", score, matches, f"基本履职事项「{best.name}」")


# --- checking and storing --------------------------------------------------------------------------


def resolve_recipients(task: Task, township: str | None, known: set[str]) -> list[str]:
    if township:
        names = [township]
    elif any(re.search(r"各镇|镇\(街道\)|镇街|各乡镇", r) for r in task.recipients):
        names = sorted(known)
    else:
        names = task.recipients
    if not names:
        raise InputError("任务没有接收单位 (no recipient township): use --township", file=task.file, row=task.row)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(f"未知的乡镇(街道): {'、'.join(unknown)} (unknown township)", file=task.file, row=task.row)
    return names


def check(tasks: list[Task], matcher: Matcher, township: str | None = None) -> list[Verdict]:
    """All verdicts, or an InputError before any is returned (so nothing is stored for bad input)."""
    known = set(matcher.by_town)
    out = []
    for t in tasks:
        if not t.full_text.strip():
            raise InputError("任务内容为空 (empty task)", file=t.file, row=t.row)
        for town in resolve_recipients(t, township, known):
            out.append(judge(t, town, matcher.match(t.full_text, town, sender=canonical_sender(t.sender))))
    return out


def canonical_sender(sender: str) -> str:
    from dutygraph.ingest.extract import get_gazetteer

    names = get_gazetteer().names
    s = unicodedata.normalize("NFKC", sender.strip())
    for candidate in (s, re.sub(r"^宜兴市(?!人民武装部)", "市", s)):  # 宜兴市应急管理局 → 市应急管理局
        if candidate in names:
            return names[candidate][0].id
    return s


def store_verdicts(store: GraphStore, verdicts: list[Verdict], gazetteer: Gazetteer) -> None:
    senders: dict[str, dict] = {}
    tasks, links, matches = [], [], []
    for v in verdicts:
        t = v.task
        sender = t.sender.strip() or "(未注明发文单位)"
        name = canonical_sender(sender)
        kind = "listed" if name in gazetteer.orgs else ("task_force" if TASK_FORCE.search(sender) else "unlisted")
        senders.setdefault(name, {"id": name, "name": name, "aliases": [], "kind": kind})
        tid = hashlib.sha1(f"{t.title}\x1f{t.text}\x1f{name}\x1f{v.township}\x1f{t.date}".encode()).hexdigest()[:16]
        tasks.append(
            {
                "id": tid,
                "title": t.title,
                "text": t.text,
                "sender": name,
                "date": t.date or dt.date.today().isoformat(),
                "deadline": t.deadline,
                "verdict": v.verdict,
                "score": round(v.score, 3),
                "evidence": v.evidence,
                "township": v.township,
            }
        )
        links.append({"task": tid, "sender": name, "township": v.township})
        matches += [
            {"task": tid, "item": d.id, "score": round(s, 3), "rank": k + 1} for k, (d, s) in enumerate(v.matches)
        ]
    store.write("delegation.upsert_senders", senders.values())
    store.write("delegation.upsert_tasks", tasks)
    store.write("delegation.link_tasks", links)
    store.write("delegation.link_matches", matches)
    store.persist()
