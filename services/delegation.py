"""越单摊派: a task sent to a township, matched against that township's current list, and judged.

The matcher ranks the township's items by IDF-weighted character bigrams (how much of the item's name, and
of the task's own words, the other covers); the verdict is basic, cooperative, lead_shift (a 配合 item the
township is asked to lead), taken_back (a 收回 item pushed back down), off_list, or uncertain (a weak best
match, for a person). Supervisors store verdicts and read the report by sending department.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from dutygraph.graph.errors import Conflict, InputError
from dutygraph.graph.store import GraphStore
from dutygraph.graph.text import bigrams, dice, norm
from dutygraph.graph.vocabulary import FLAGGED, VERDICTS
from dutygraph.ingest.datafiles import lines
from dutygraph.ingest.delegation import Task
from dutygraph.ingest.extract import Gazetteer, get_gazetteer
from dutygraph.services.embeddings import EMBEDDER
from dutygraph.services.lifecycle import Forbidden, Principal, _now, entry
from dutygraph.services.retrieval import BM25, words

LEAD = re.compile(
    r"牵头|负责(?!配合|协助)|组织实施|具体实施|主导|主体责任|依法查处|立案查处|实施(?:行政)?处罚|作出处罚|"
    r"予以处罚|处以罚款|罚款|吊销|执法检查|行政执法"
)
COOPERATE = re.compile(r"配合|协助|协同|协查|参与|提供.{0,6}(?:信息|线索|资料)|发现.{0,8}报告|及时报告|报告线索")
ENFORCE = re.compile(r"处罚|罚款|查处|吊销|没收|执法|责令|强制")
# what a 收回 item was taken back for: its enforcement, or (most 收回 items are 行政许可) the licence itself
TAKEN_BACK_ASK = re.compile(ENFORCE.pattern + r"|许可|审批|核发|发证|发放.{0,4}证|换证|受理.{0,12}申请|备案|登记")
SENDER_BOOST = 0.1  # a department sending a task about an item it leads or received is a strong hint
TASK_FORCE = re.compile(r"专班|指挥部|领导小组|工作组|联席会议|临时机构|专项机制|委员会办公室|办公室")
# what a duty does rather than what it is about: a task sharing only these with an item is about something else
# (核发燃气经营许可证 and 核发采伐许可证 share 核发 and 许可证; 加油站安全检查 and 燃气安全检查 share 安全检查)
_ACTION_WORDS = (
    "核发 发放 颁发 许可证 许可 审批 审核 审查 批准 检查 安全检查 监督检查 执法检查 日常检查 "
    "抽查 巡查 排查 整治 整改 处罚 行政处罚 查处 处理 登记 备案 注册 服务 宣传 教育 培训 "
    "治理 保护 建设 设立 设置 实施 指导 协调 防治 隐患 安全 应急 处置 监管 监测 调查 统计 "
    "核查 核实 认定 确认 受理 办理 申请 审定 验收 评估 考核 督促 督查 执法 巡逻 管控 整顿 "
    "清理 拆除 改正 违法 违规 行为 企业 单位 场所 经营 活动 生产 相关 辖区 日常 工作 组织 "
    "开展 负责 配合 协助 "
)
ACTIONS = frozenset(_ACTION_WORDS.split())
# The verbs of a duty, by family. A task doing another thing to the same object is another duty: 建筑施工安全检查
# and 竣工验收备案 share 建筑, 道路交通安全劝导 and 交通信号灯维护 share 道路交通. Inspection and enforcement are
# one family: a 配合 item's 督查 and the 处罚 a task asks the township to lead are two sides of one duty, which is
# what lead_shift catches.
_VERB_FAMILIES = """
检查 排查 巡查 抽查 核查 督查 检测 监测 摸排 巡护 巡逻 监督 监管 稽查 查验 巡回
  整治 整改 治理 清理 整顿 查处 处罚 执法 取缔 拆除 制止 打击 查封 扣押
核发 发放 颁发 审批 批准 许可 审核 审查 受理 办理 核准 审定 申请 签发
宣传 教育 培训 普及 劝导 引导 宣讲
维护 养护 管护 维修 保养 修缮 清扫 保洁 打捞
验收 备案 登记 注册 办证
免疫 防疫 防控 预防 控制 防治 消杀 疫苗
发展 扶持 培育 招引 招商 促进
考核 评估 评价 评议 排名
调解 化解 调处
救助 补贴 补助 救济 供养 优抚 慰问
统计 普查 调查 上报 报送
"""
# a line starting with a space continues the family above
_FAMILY_LINES = _VERB_FAMILIES.strip("\n").replace("\n  ", " ").splitlines()
VERB_FAMILY = {w: i for i, line in enumerate(_FAMILY_LINES) for w in line.split()}
ACTION_MISMATCH = 0.6  # the share of a score left to a match whose action the task does not ask for
OBJECT_MISMATCH = 0.35  # the share of a score left to a match whose object the task does not name
ADMISSION_MATCH = 0.3  # bigram dice of a task and a 准入 application that are the same ask
# (off_list below, uncertain between, on the list from): the lexical thresholds were tuned on the tuning half of
# bench/data/delegation_tasks.csv; the others by bench/fit_matcher.py on the tuning sets
THRESHOLDS = {"lexical": (0.18, 0.24), "bm25": (0.15, 0.3), "dense": (0.3, 0.6), "hybrid": (0.12, 0.27)}
LOW, HIGH = THRESHOLDS["hybrid"]


def grams(text: str) -> set[str]:
    # what a task is about: Chinese words only (numbers, dates and Latin codes are not its subject)
    return bigrams(text, digits=False, latin=False)


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
    objects: frozenset[str] = frozenset()  # the item's content words that are not actions: what it is about
    verbs: frozenset[int] = frozenset()  # the verb families of the item's name: what it does
    row: int = 0  # its distinct text's row in the matcher's dense vectors and BM25 index


# The fused score of a (text, item) pair: a logistic model over six features, fitted on the tuning sets only
# (bench/fit_matcher.py: delegation tasks' tuning half, the real complaints' tuning half, the near misses;
# never the blind sets of bench/data/blind). Features, in order: the lexical score (IDF-weighted bigram
# cover of the item's name and of the text, as the earlier matcher scored), the object named (0/1), the action
# compatible (0/1), the dense cosine relative to the list's other items (z-score), the dense cosine's margin
# over the list's best other item, BM25 over words of the item's name, text and cited provisions (the law as a
# bridge: 社会生活噪声, 生活垃圾), normalised by the text's own score.
FEATURES = ("lexical", "object", "action", "dense_z", "dense_margin", "bm25")
WEIGHTS = (4.84, 2.48, 1.28, 0.43, 1.29, -0.23)  # bench/fit_matcher.py, 2026-12-07
BIAS = -7.61
# Citizens' records are another kind of text: they seldom use the list's words for a duty's object (垃圾堆了好几天,
# not 生活垃圾清运), and nearly every one has an item. Their own model over the same features, fitted the same way
# on the tuning records only (the real complaints' tuning half and 青溪镇's records, read since their blind run),
# ranks a record's items, and a record is left unmatched below RECORD_CUT.
RECORD_WEIGHTS = (5.71, 0.32, 1.26, 0.91, 1.0, 0.89)  # bench/fit_matcher.py, 2026-12-07 (session 10)
RECORD_BIAS = -5.18
RECORD_CUT = 0.27
METHODS = ("lexical", "bm25", "dense", "hybrid")


def item_rows(store: GraphStore) -> list[dict]:
    """Every current item with its departments and the text of the provisions it cites (the matcher's rows)."""
    rows = store.query("delegation.items")
    departments: dict[str, list[str]] = {}
    for r in store.query("delegation.item_departments"):
        departments.setdefault(r["id"], []).append(r["department"])
    text = {r["id"]: r["text"] for r in store.query("delegation.cited_provision_text")}
    cited: dict[str, list[str]] = {}
    for r in store.query("delegation.item_provisions"):
        if r["provision"] in text:  # (a law load between the two reads)
            cited.setdefault(r["id"], []).append(text[r["provision"]])
    return [{**r, "departments": departments.get(r["id"], []), "basis_text": cited.get(r["id"], [])} for r in rows]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class Matcher:
    """An index of every township's current items, built once from the graph: their bigrams (the lexical
    score), their words (BM25, with the text of the provisions they cite), their sentence vectors (dense), and
    the fused model over them. `method` picks one signal alone (for the side-by-side bench) or the fusion."""

    def __init__(self, rows: list[dict], method: str = "hybrid", cache: Path | None = None) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown matching method {method!r}")
        self.method = method
        self.by_town: dict[str, list[ItemDoc]] = {}
        df: Counter[str] = Counter()
        copies: Counter[tuple[str, str]] = Counter()
        # townships of a county publish much the same items: each distinct text is analysed once (segmenting
        # every item's text again took 20 s for the 70,668 items of the 10× graph)
        seen: dict[tuple[str, str], tuple[set[str], set[str], frozenset[str], frozenset[int], int]] = {}
        passages: list[str] = []
        documents: list[list[str]] = []
        for r in rows:
            text = " ".join(filter(None, (r["name"], r["content"], r["township_duty"])))
            key = (r["name"], text)
            if key not in seen:
                seen[key] = (grams(r["name"]), grams(text), frozenset(words(text)) - ACTIONS,
                             verb_families(r["name"]), len(passages))
                passages.append(text)
                law = " ".join(r.get("basis_text") or [])
                documents.append(words(r["name"]) * 2 + words(text) + words(law))
            doc = ItemDoc(r["id"], r["name"], r["part"], r["township"], [d for d in r["departments"] if d],
                          *seen[key])
            self.by_town.setdefault(r["township"], []).append(doc)
            copies[key] += 1
        # document frequency over every item, counted once per distinct text times its copies (per item it was
        # 9 s of the 47 s build at 100×)
        for key, n in copies.items():
            for g in seen[key][1]:
                df[g] += n
        n = max(1, len(rows))
        self.idf = {g: math.log((n + 1) / (c + 1)) + 0.5 for g, c in df.items()}
        self.default_idf = math.log(n + 1) + 0.5
        self.noise = set().union(*(grams(b) for b in lines("task_boilerplate.txt")))
        self.bm25 = BM25(documents)
        self.vectors = EMBEDDER.passages(passages, cache) if method in ("dense", "hybrid") else None
        self.low, self.high = THRESHOLDS[method]

    @classmethod
    def load(cls, store: GraphStore, method: str = "hybrid", cache: Path | None = None) -> Matcher:
        return cls(item_rows(store), method, cache)

    def w(self, gs: set[str]) -> float:
        return sum(self.idf.get(g, self.default_idf) for g in gs)

    def features(self, text: str, township: str, sender: str = "") -> tuple[list[ItemDoc], np.ndarray]:
        """The township's items and one row of FEATURES per item, for `text`."""
        docs = self.by_town.get(township, [])
        out = np.zeros((len(docs), len(FEATURES)), dtype=np.float32)
        if not docs:
            return docs, out
        # a task force's name often names the field (大气污染防治攻坚指挥部), so it is matched too
        task = grams(f"{text} {sender}" if TASK_FORCE.search(sender) else text) - self.noise
        wt = self.w(task) or 1.0
        task_text = norm(f"{text} {sender}" if TASK_FORCE.search(sender) else text)
        task_verbs = verb_families(text)  # a task force's name (数字经济发展专班) says nothing of what is asked
        for k, doc in enumerate(docs):
            name = doc.name_grams - self.noise or doc.name_grams
            s_name = self.w(name & task) / self.w(name) if name else 0.0
            s_task = self.w(task & doc.all_grams) / wt
            boost = SENDER_BOOST if s_name > 0 and sender and sender in doc.departments else 0.0
            out[k, 0] = 0.6 * s_name + 0.4 * s_task + boost
            out[k, 1] = 1.0 if not doc.objects or names_object(doc.objects, task_text) else 0.0
            out[k, 2] = 1.0 if not (doc.verbs and task_verbs) or doc.verbs & task_verbs else 0.0
        q_words = words(text)
        if q_words:
            bm = self.bm25.scores(q_words)
            scale = self.bm25.self_score(q_words) or 1.0
            out[:, 5] = [min(1.0, bm[d.row] / scale) for d in docs]
        if self.vectors is not None:
            cos = self.vectors[[d.row for d in docs]] @ _query_vector(text)
            spread = float(cos.std()) or 1.0
            out[:, 3] = (cos - cos.mean()) / spread
            if len(docs) > 1:
                top2 = np.sort(cos)[-2:]
                out[:, 4] = (cos - np.where(cos >= top2[1], top2[0], top2[1])) / spread
        return docs, out

    def scores(self, feats: np.ndarray, record: bool = False) -> np.ndarray:
        """The score of each row of features: by the method alone, or the fused model (the records' own for a
        citizen's record)."""
        if self.method == "lexical":  # the earlier matcher: object and action checks as vetoes
            s = feats[:, 0].copy()
            s[feats[:, 1] == 0] *= OBJECT_MISMATCH
            s[feats[:, 2] == 0] *= ACTION_MISMATCH
            return s
        if self.method == "bm25":
            return feats[:, 5]
        if self.method == "dense":
            return _sigmoid(feats[:, 3] - 3.0)
        weights, bias = (RECORD_WEIGHTS, RECORD_BIAS) if record else (WEIGHTS, BIAS)
        return _sigmoid(feats @ np.asarray(weights, dtype=np.float32) + bias)

    @property
    def record_cut(self) -> float:
        """Below this a record's best item is not taken: nothing on the list fits it."""
        return RECORD_CUT if self.method == "hybrid" else self.high

    def match(self, text: str, township: str, top: int = 3, sender: str = "",
              record: bool = False) -> list[tuple[ItemDoc, float]]:
        docs, feats = self.features(text, township, sender)
        if not docs or not grams(text) - self.noise:
            return []
        s = self.scores(feats, record)
        order = sorted(range(len(docs)), key=lambda k: (-float(s[k]), docs[k].name))
        return [(docs[k], float(s[k])) for k in order[:top]]


_QUERIES: OrderedDict[str, np.ndarray] = OrderedDict()
QUERY_CACHE = 4096


def _query_vector(text: str) -> np.ndarray:
    # one task is judged against every township it goes to (21 in a county): embedded once
    v = _QUERIES.get(text)
    if v is None:
        v = _QUERIES[text] = EMBEDDER.query(text)
        while len(_QUERIES) > QUERY_CACHE:
            _QUERIES.popitem(last=False)
    return v


def prepare(texts: list[str]) -> None:
    """Embed the texts about to be matched in batches (a records file, an indicator table): a third faster than
    one by one."""
    todo = list(dict.fromkeys(t for t in texts if t not in _QUERIES))[:QUERY_CACHE]
    for start in range(0, len(todo), 64):
        batch = todo[start:start + 64]
        for t, v in zip(batch, EMBEDDER.queries(batch), strict=True):
            _QUERIES[t] = v


def verb_families(text: str) -> frozenset[int]:
    t = norm(text)
    return frozenset(i for w, i in VERB_FAMILY.items() if w in t)


_GENERIC = "危险 社会 公共 农村 城市 城乡 基层 重点 一般 特殊 其他 人民 国家 地方 行政"
GENERIC_PREFIX = frozenset(_GENERIC.split())


def _synonyms() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in lines("synonyms.txt"):
        group = tuple(line.split())
        for w in group:
            out[w] = group
    return out


SYNONYMS = _synonyms()


def names_object(objects: frozenset[str], task_text: str) -> bool:
    """Does the task name what the item is about? An object word or its synonym in the task, or for a longer
    word its first two characters (网格化 ~ 网格) unless they are a generic prefix (危险 of 危险化学品)."""
    return any(v in task_text for w in objects for v in SYNONYMS.get(w, (w,))) or any(
        len(w) >= 3 and w[:2] not in GENERIC_PREFIX and w[:2] in task_text for w in objects)


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


def judge(task: Task, township: str, matches: list[tuple[ItemDoc, float]],
          thresholds: tuple[float, float] | None = None) -> Verdict:
    """The verdict on the best match. On the list only when the best item's object is named by the task (a taxi
    inspection is not the food-safety inspection it shares its verbs with): otherwise uncertain, with the three
    candidates, for a person to decide. `thresholds`: the matcher's (off_list below, on the list from)."""
    low, high = thresholds or (LOW, HIGH)
    text = task.full_text
    leads, coops = LEAD.findall(text), COOPERATE.findall(text)
    if not TAKEN_BACK_ASK.search(text):
        # a 收回 item is pushed back down only when the task asks for what it was taken back for
        matches = [m for m in matches if m[0].part != "taken_back"]
    best, score = matches[0] if matches else (None, 0.0)
    if best is None or score < low:
        return Verdict(task, township, "off_list", score, matches, "清单中没有相符的事项 (no list item matches)")
    if best.objects and not names_object(best.objects, norm(text)):
        return Verdict(task, township, "uncertain", score, matches,
                       f"最接近的事项「{best.name}」, 但任务没有提到它的对象 ({'、'.join(sorted(best.objects)[:4])}), "
                       "需人工判断 (the best item's object is not named)")
    if score < high:
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
            out.append(judge(t, town, matcher.match(t.full_text, town, sender=canonical_sender(t.sender)),
                             (matcher.low, matcher.high)))
    return out


def canonical_sender(sender: str) -> str:
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


class DelegationService:
    def __init__(self, store: GraphStore, matcher: Matcher | None) -> None:
        """`matcher` may be None for the report alone."""
        self.store, self.matcher = store, matcher

    def check(self, tasks: list[Task], township: str | None, keep: bool) -> list[Verdict]:
        if self.matcher is None:
            raise ValueError("DelegationService.check needs a Matcher")
        verdicts = check(tasks, self.matcher, township)  # raises before anything is stored
        if keep:
            store_verdicts(self.store, verdicts, get_gazetteer())
        return verdicts

    def waiting(self, limit: int = 500) -> list[dict[str, Any]]:
        """The 待人工判断 queue: stored tasks the matcher left uncertain, with their candidate items."""
        rows = self.store.query("delegation.waiting", limit=limit)
        for r in rows:
            r["matches"].sort(key=lambda m: m["rank"])
        return rows

    def decide(self, who: Principal, task_id: str, verdict: str, note: str) -> None:
        """A supervisor's verdict on an uncertain task; it then counts in the report like the matcher's."""
        if verdict not in VERDICTS or verdict == "uncertain":
            raise InputError(f"结论应为: {', '.join(n for k, n in VERDICTS.items() if k != 'uncertain')}")
        if not who.may("bianban"):
            raise Forbidden(f"{who.name} 不能判定任务 (the 编办 supervisor records verdicts)")
        done = self.store.execute("delegation.decide", id=task_id, verdict=verdict, reviewer=who.name, at=_now(),
                                  note=note, audit=entry(who, "task.decide", task_id, "uncertain", verdict, note))
        if not done:
            raise Conflict("该任务已被判定或不存在, 请刷新 (decided meanwhile or unknown: reload)")

    def report(self, department: str | None, frm: str | None, to: str | None) -> dict[str, Any]:
        rows = self.store.query("delegation.report", department=department, **{"from": frm}, to=to)
        by_dept: dict[str, Counter[str]] = {}
        for r in rows:
            by_dept.setdefault(r["sender"], Counter())[r["verdict"]] += 1
        offenders = sorted(
            (
                {
                    "department": d,
                    "flagged": sum(c[v] for v in FLAGGED),
                    "total": sum(c.values()),
                    **{v: c[v] for v in FLAGGED},
                }
                for d, c in by_dept.items()
            ),
            key=lambda x: (-x["flagged"], x["department"]),
        )
        flagged = [r for r in rows if r["verdict"] in FLAGGED]
        self._admission_history(flagged)
        return {
            "total": len(rows),
            "by_verdict": dict(Counter(r["verdict"] for r in rows)),
            "by_department": {d: dict(c) for d, c in sorted(by_dept.items())},
            "worst_offenders": [o for o in offenders if o["flagged"]][:20],
            "flagged": flagged,
        }

    def _admission_history(self, flagged: list[dict[str, Any]]) -> None:
        """Beside each flagged task, the sending department's 准入 applications that covered the township, and
        whether one approved matches the task (then it reached the township through 准入, not around it)."""
        from dutygraph.services.lifecycle import Admissions

        by_dept: dict[str, list[dict]] = {}
        for a in Admissions(self.store).find(None, None):
            by_dept.setdefault(a["department"], []).append(a)
        for r in flagged:
            task = grams(f"{r['title']} {r['text']}")
            history = [{"id": a["id"], "title": a["title"], "status": a["status"], "status_cn": a["status_cn"],
                        "created_at": a["created_at"],
                        "matches_task": dice(task, grams(f"{a['title']} {a['text']}")) >= ADMISSION_MATCH}
                       for a in by_dept.get(r["sender"], []) if r["township"] in a["townships"]]
            r["admissions"] = history
            r["admitted"] = any(h["matches_task"] and h["status"] == "approved" for h in history)
