"""Compiling a township's first list from its raw sweep (起底摸排 → 整合归并 → 分类 → 三上三下 → 发布).

The merge proposes duties: entries that describe the same duty are clustered (a fitted pairwise model over the
matcher's sentence vectors, shared characters and the county's published items, then average linkage), entries
that are not duties are set aside with a reason, and each proposed duty gets a name, a 领域, a part and the
principle that decided the part, with its evidence: the 准入 reference catalogue, the provisions that place a
duty on townships (the basis suggester), how the other townships' current lists place the same duty, a
dispatched agency doing it. The proposals are for the 编办 to
decide: every choice says why, and nothing is published until a person publishes the last round.

The word patterns below are domain knowledge of how sweeps and lists are written (the pilot's templates and the
statutes' wording), written before any evaluation set of the sweep was run (git history: they land with this
module, after bench/data/blind/sweep_hand.csv, which the same engineer wrote: that set is hand-made, not blind
to the author's habits — see its README)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from dutygraph.graph.text import bigrams, dice, norm
from dutygraph.ingest.sweep import Entry
from dutygraph.services.embeddings import EMBEDDER

# entries that are not duties: what an office does for itself or reports upward (domain knowledge)
NOT_DUTY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(参加|出席|列席)|参加.{0,12}(会议|培训|学习)"), "参加会议或培训, 不是履职事项"),
    (re.compile(r"交办的其他|其他(工作|任务|事项)$|临时性工作"), "“其他交办工作”不是具体事项"),
    (re.compile(r"^(按时|定期|及时|按月|按季|每月|每季度?|每年)?(报送|上报|填报).{0,10}(总结|计划|报表|信息|材料|台账)"),
     "报送材料, 属于工作程序"),
    # (written the other way round: "…季度总结按时上报")
    (re.compile(r"(总结|报表|台账|材料)(按时|定期|及时)?(报送|上报)$"), "报送材料, 属于工作程序"),
    (re.compile(r"考勤|文件收发|收发文|归档|印章|车辆的?(调度|管理|维修)|办公用品|会务|公文(处理|流转)|机关后勤"),
     "机关内部事务, 不是对外履职"),
)
# posts that are dispatched agencies of county departments (派驻机构): a duty they exercise is 配合 for the township
# (水利站 and 财政所 are the township's own 站所 in most counties since the 2019 reform, not dispatched)
DISPATCHED = re.compile(r"派出所|司法所|市场监(督)?管(理)?所|自然资源(和规划)?所|国土所|税务(分局|所)|供电所|交警"
                        r"|消防(救援)?站|执法中队")
# powers that by statute sit with county departments (a township exercises them only when delegated): proposals to
# take back, with the ground for a person to confirm
PENALTY = re.compile(r"行政处罚|处以?罚款|罚款|立案查处|吊销|没收|责令停产停业")
LICENCE = re.compile(r"许可证|行政许可|审批|核发|登记证|使用登记|颁发")
# the list style drops the sweep's office verbs at the front of a name ("负责…", "做好…工作")
CITED = re.compile(r"《([^》]{2,40})》\s*第([一二三四五六七八九十百零〇两\d]+)条")
LEAD_VERBS = re.compile(r"^(负责|做好|抓好|协助|配合|组织|开展|落实|承担|参与|牵头)+")
TAIL = re.compile(r"(等)?(相关)?(工作|任务)$")
PART_SHORT = {"basic": "基本", "cooperative": "配合", "taken_back": "收回"}
GROUNDS = ("技术承接难", "无监管对象", "行权频率低", "考核不科学", "实施难度大")
# the merge's fitted values (bench/compile.py --fit: the tuning townships of the generated sample and hand sets
# 1–3, session 14). A pair of entries describes one duty with probability σ(PAIR_WEIGHTS · features + PAIR_BIAS)
# (logistic regression, features in PAIR_FEATURES order); clusters keep a mean pairwise probability ≥ THRESHOLD.
PAIR_FEATURES = ("z", "cos", "lex_short", "lex_long", "same_nearest", "profile", "nearest_min", "both_power",
                 "one_power", "same_nearest_x_min")
PAIR_WEIGHTS = (11.59, -86.79, 6.86, -8.97, -1.79, 7.15, -10.59, -1.39, -5.17, 10.23)
PAIR_BIAS = 78.67
THRESHOLD = 0.95
REFERENCE_MIN = 0.6
DENSE = 0.6  # the sentence vectors' share of an entry's likeness to a published item, shared characters the rest
COS_FLOOR = 0.92
IDF_UNSEEN = 3.0  # a bigram no published item uses (rare: weighs as much as the rarest seen)


@dataclass
class Proposal:
    key: str
    name: str
    domain: str
    part: str
    principle: str
    why: str
    members: list[str]  # the entries' 序号
    entry_ids: list[str]
    basis: list[str] = field(default_factory=list)
    grounds: dict[str, str] = field(default_factory=dict)  # taken-back grounds: evidence, or "待人工判断"
    references: list[dict[str, str]] = field(default_factory=list)  # other townships' items placing the duty
    catalogue: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)
    common: bool = False

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def set_aside_reason(text: str) -> str | None:
    t = norm(text)
    for pattern, reason in NOT_DUTY:
        if pattern.search(t):
            return reason
    return None


def list_name(text: str) -> str:
    """A sweep entry written as a list item's name: office verbs and trailing 工作 dropped, first clause only."""
    first = re.split(r"[，,。；;]", text.strip())[0]
    name = TAIL.sub("", LEAD_VERBS.sub("", first)).strip()
    return (name or first)[:40]


def pair_features(vectors: np.ndarray, texts: list[str], idf: dict[str, float], ref_cos: np.ndarray,
                  nearest: list[str]) -> list[np.ndarray]:
    """The n×n matrices, in PAIR_FEATURES order, that tell whether two entries of a sweep describe one duty:
    - z: the model's cosine as a z-score against each entry's own cosines with the rest of its sweep (the cosines
      of township work texts are all high; what counts is how far a pair stands out), averaged both ways, /4;
      cos: the raw cosine (given z, a high cosine is the baseline of township prose, not a sign);
    - lex_short, lex_long: the IDF-weighted overlap of character bigrams (shared rare words: 低保, 秸秆, 兵役 …; IDF
      over the county's published items), relative to the shorter and to the longer entry;
    - the county's published items as a bridge (people word one duty differently, the lists name it once):
      same_nearest (both entries' nearest published item has one name), profile (the cosine of their calibrated
      likeness to every published item), nearest_min (how near the less-placed of the two is to any item) and
      same_nearest × nearest_min;
    - both_power, one_power: penalties and licences are each their own item of a 权力清单."""
    n = len(texts)
    cos = (vectors @ vectors.T).astype(np.float64)
    if n > 2:
        off = cos[~np.eye(n, dtype=bool)].reshape(n, n - 1)
        mu, sd = off.mean(axis=1), off.std(axis=1) + 1e-6
        z = ((cos - mu[:, None]) / sd[:, None] + (cos - mu[None, :]) / sd[None, :]) / 2
    else:
        z = np.full((n, n), 4.0)
    grams = [bigrams(norm(t)) for t in texts]
    weight = [sum(idf.get(g, IDF_UNSEEN) for g in gs) or 1e-6 for gs in grams]
    short = np.zeros((n, n))
    long = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            shared = grams[i] & grams[j]
            if shared:
                w = sum(idf.get(g, IDF_UNSEEN) for g in shared)
                short[i, j] = short[j, i] = w / min(weight[i], weight[j])
                long[i, j] = long[j, i] = w / max(weight[i], weight[j])
    if ref_cos.shape[1]:
        near = calibrated(ref_cos).astype(np.float64)
        unit = near / (np.linalg.norm(near, axis=1, keepdims=True) + 1e-6)
        profile = unit @ unit.T
        best = near.max(axis=1)
        nearest_min = np.minimum(best[:, None], best[None, :])
        names = {x: k for k, x in enumerate(sorted(set(nearest)))}
        code = np.array([names[x] for x in nearest])
        same = (code[:, None] == code[None, :]).astype(np.float64)
    else:
        profile = nearest_min = same = np.zeros((n, n))
    power = np.array([bool(PENALTY.search(t) or LICENCE.search(t)) for t in texts], dtype=np.float64)
    both = power[:, None] * power[None, :]
    one = np.abs(power[:, None] - power[None, :])
    return [np.clip(z, -3.0, 10.0) / 4, cos, short, long, same, profile, nearest_min, both, one, same * nearest_min]


def similarity(features: list[np.ndarray], texts: list[str]) -> np.ndarray:
    """The probability that two entries describe one duty (the fitted logistic model over `pair_features`)."""
    logit = np.full(features[0].shape, PAIR_BIAS)
    for w, f in zip(PAIR_WEIGHTS, features, strict=True):
        logit += w * f
    sim = 1.0 / (1.0 + np.exp(-np.clip(logit, -50.0, 50.0)))
    # a power is defined by the article that creates it: two entries citing different articles (the penalty of
    # 第五十八条 and of 第五十九条) are different duties however alike their words, and never share a cluster
    cited = [frozenset(CITED.findall(t)) for t in texts]
    for i in range(len(texts)):
        if cited[i]:
            for j in range(i + 1, len(texts)):
                if cited[j] and not cited[i] & cited[j]:
                    sim[i, j] = sim[j, i] = -np.inf
    return sim


def calibrated(cos: np.ndarray) -> np.ndarray:
    """An entry's cosine with a published item, stretched from the model's compressed range (two entries of one
    duty: median 0.978; of different duties: 95th percentile 0.932, on a tuning township of the generated
    sample) so that different duties are near 0."""
    return np.clip((cos - COS_FLOOR) / (1.0 - COS_FLOOR - 0.02), 0.0, 1.0)


def bigram_idf(texts: list[str]) -> dict[str, float]:
    df: Counter[str] = Counter(g for t in set(texts) for g in bigrams(norm(t)))
    n = len(set(texts))
    return {g: float(np.log((n + 1) / (c + 1))) for g, c in df.items()}


def average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Clusters whose mean pairwise similarity stays at or above `threshold` (average linkage, merged best
    first; the Lance–Williams update keeps one n×n matrix)."""
    n = len(sim)
    s = sim.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    size = np.ones(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(members) > 1:
        flat = int(np.argmax(s))
        i, j = divmod(flat, n)
        if s[i, j] < threshold:
            break
        merged = (size[i] * s[i] + size[j] * s[j]) / (size[i] + size[j])
        s[i], s[:, i] = merged, merged
        s[j], s[:, j] = -np.inf, -np.inf
        s[i, i] = -np.inf
        size[i] += size[j]
        members[i] += members.pop(j)
    return sorted(members.values(), key=lambda m: m[0])


class Reference:
    """Other townships' current items (never the compiled township's own), with vectors: how the county's
    published lists name, classify and place a duty."""

    def __init__(self, rows: list[dict[str, Any]], cache: Path | None = None) -> None:
        self.rows = rows
        self.texts = [f"{r['name']} {r.get('content') or ''}".strip() for r in rows]
        self.vectors = EMBEDDER.passages(self.texts, cache) if rows else np.zeros((0, 1), dtype=np.float32)
        self.towns = {r["township"] for r in rows}
        self.idf = bigram_idf(self.texts)

    def cosines(self, vectors: np.ndarray) -> np.ndarray:
        """Entries × reference items: the sentence vectors' cosines, computed once for `best` and `nearest`."""
        return vectors @ self.vectors.T if self.rows else np.zeros((len(vectors), 0), dtype=np.float32)

    def nearest(self, cos: np.ndarray) -> list[str]:
        """Per entry, the normalised name of the published item nearest in meaning ("" without a reference)."""
        if not self.rows:
            return [""] * len(cos)
        return [norm(self.rows[int(k)]["name"]) for k in np.argmax(cos, axis=1)]

    def best(self, cos: np.ndarray, texts: list[str]) -> list[list[tuple[int, float]]]:
        """Per entry, the reference items at REFERENCE_MIN or more, best first (one per township)."""
        if not self.rows:
            return [[] for _ in texts]
        dense = calibrated(cos)
        out = []
        for k, text in enumerate(texts):
            g = bigrams(norm(text))
            top = np.argsort(-dense[k])[:60]
            scored = sorted(((int(j), float(DENSE * dense[k, j] + (1 - DENSE) * dice(g, bigrams(norm(self.texts[j])))))
                             for j in top), key=lambda x: -x[1])
            seen: set[str] = set()
            keep = []
            for j, sc in scored:
                town = self.rows[j]["township"]
                if sc >= REFERENCE_MIN and town not in seen:
                    seen.add(town)
                    keep.append((j, sc))
            out.append(keep)
        return out


def _decide(p: Proposal, texts: list[str], posts: list[str], refs: list[dict[str, Any]],
            catalogue: list[dict[str, str]], provisions: list[dict[str, Any]]) -> None:
    """The part and the principle that decided it, in the pilot's order: the 准入 catalogue, statutory powers
    of county departments, the law placing the duty on townships, a dispatched agency, how the county's other
    lists place it, and otherwise 主导 (the township does it)."""
    joined = " ".join(texts)
    hits = [c for c in catalogue if dice(bigrams(norm(c["name"])), bigrams(norm(joined))) >= 0.35
            or norm(c["name"]) in norm(joined)]
    p.catalogue = [f"{c['name']} ({c.get('department', '')})" for c in hits]
    votes = Counter(r["part"] for r in refs)
    if hits:
        p.part, p.principle = "taken_back", "准入参考目录"
        p.why = f"与准入参考目录「{hits[0]['name']}」相符, 须由{hits[0].get('department') or '县级部门'}行使"
    elif PENALTY.search(joined) or LICENCE.search(joined):
        p.part, p.principle = "taken_back", "法定"
        kind = "行政处罚" if PENALTY.search(joined) else "行政许可/审批"
        p.why = f"{kind}权由县级部门依法行使, 乡镇仅在赋权后行使: 建议收回"
    elif provisions:
        best = provisions[0]
        p.part, p.principle = "basic", "法定"
        p.why = f"{best['law']} {best['label']}规定乡镇(街道)的职责"
    elif any(DISPATCHED.search(x) for x in posts):
        p.part, p.principle = "cooperative", "派驻"
        p.why = f"由派驻机构({next(x for x in posts if DISPATCHED.search(x))})行使, 乡镇配合"
    elif refs and votes.most_common(1)[0][1] * 2 > len(refs):
        part, n = votes.most_common(1)[0]
        p.part, p.principle = part, "主导" if part == "basic" else "责任"
        p.why = f"县内 {n}/{len(refs)} 个乡镇的现行清单列为{PART_SHORT[part]}事项"
    else:
        p.part, p.principle = "basic", "主导"
        p.why = "乡镇实际承担, 未见法律或县内清单另有规定: 按主导原则列为基本事项, 请核实"
    if p.part == "taken_back":
        p.grounds = {g: "待人工判断" for g in GROUNDS}
        if PENALTY.search(joined) or LICENCE.search(joined):
            p.grounds["技术承接难"] = "须具备执法资格和专业能力 (行政处罚/许可)"
        taken = [r for r in refs if r["part"] == "taken_back"]
        if taken:
            p.grounds["实施难度大"] = f"{len(taken)} 个乡镇已收回: {'、'.join(r['township'] for r in taken[:3])}"


def sweep_features(texts: list[str], reference: Reference, cache: Path | None = None
                   ) -> tuple[np.ndarray, list[np.ndarray]]:
    """(entries × published items cosines, the pair features) of a sweep's duty entries."""
    vectors = EMBEDDER.passages(texts, cache)
    cos = reference.cosines(vectors)
    idf = reference.idf if reference.rows else bigram_idf(texts)
    return cos, pair_features(vectors, texts, idf, cos, reference.nearest(cos))


def merge(entries: list[Entry], reference: Reference, catalogue: list[dict[str, str]] | None = None,
          provisions: Any = None, threshold: float = THRESHOLD, cache: Path | None = None) -> dict[str, Any]:
    """The merge proposal of one township's sweep: {"items": [...], "set_aside": [...]}. `provisions` is the
    basis suggester's index (township_provisions), or None to skip the law."""
    set_aside, duties = [], []
    for e in entries:
        reason = set_aside_reason(e.text)
        if reason:
            set_aside.append({"id": e.seq, "entry_id": e.id, "text": e.text, "reason": reason})
        else:
            duties.append(e)
    if not duties:
        return {"items": [], "set_aside": set_aside}
    texts = [e.text for e in duties]
    cos, features = sweep_features(texts, reference, cache)
    refs = reference.best(cos, texts)
    sim = similarity(features, texts)
    items = []
    for k, group in enumerate(average_linkage(sim, threshold), 1):
        members = [duties[i] for i in group]
        # the medoid: the entry closest to the others names the duty when no other list does
        centre = group[int(np.argmax(sim[np.ix_(group, group)].sum(axis=1)))]
        ref_rows = {}
        for i in group:
            for j, sc in refs[i]:
                town = reference.rows[j]["township"]
                if town not in ref_rows or ref_rows[town][1] < sc:
                    ref_rows[town] = (j, sc)
        placed = [reference.rows[j] for j, _ in ref_rows.values()]
        names = Counter(r["name"] for r in placed)
        name = names.most_common(1)[0][0] if names else list_name(duties[centre].text)
        domains = Counter(r.get("domain") or "" for r in placed if r.get("domain"))
        p = Proposal(f"P{k:04d}", name, domains.most_common(1)[0][0] if domains else "", "basic", "", "",
                     [e.seq for e in members], [e.id for e in members],
                     posts=sorted({e.post for e in members if e.post}))
        p.references = [{"township": r["township"], "name": r["name"], "part": r["part"]} for r in placed]
        p.common = bool(reference.towns) and len(ref_rows) * 2 >= len(reference.towns)
        found = provisions.township_provisions(" ".join(e.text for e in members[:3]), 2) if provisions else []
        p.basis = [f"《{x['law']}》{x['label']}" for x in found]
        _decide(p, [e.text for e in members], p.posts, placed, catalogue or [], found)
        p.why = f"合并 {len(members)} 条 ({'、'.join(sorted({e.source for e in members}))}); " + p.why
        items.append(p.as_json())
    return {"items": items, "set_aside": set_aside}
