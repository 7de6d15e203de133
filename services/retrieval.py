"""Ranking Chinese texts by what they are about: jieba words, BM25 over them, built once and reused.

Character bigrams (graph/text.py) are cheap but blind: 燃气经营许可证 and 采伐许可证 share 许可 and 可证, so a
task about a gas licence matched a logging permit. Words keep the object whole (燃气, 采伐, 林木), and BM25
weighs each by how rare it is in the collection. Generic words of administrative writing (应当, 有关, 工作)
are dropped outright: their BM25 weight is low but not zero, and a short duty name has few words to spare.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import jieba
import numpy as np

jieba.setLogLevel(60)

# words every duty and every article is full of; they say nothing about which duty or article it is
_STOP_WORDS = """
    应当 可以 依法 依照 按照 根据 有关 相关 规定 本法 本条例 本办法 本规定 以及 或者 并且 其他 其它 进行 开展 做好 负责
    工作 落实 加强 推进 组织 实施 协助 配合 做到 及时 确保 情况 方面 事项 单位 个人 部门 机关 人员 我市 本市 全市 各地
    辖区 区域 范围 有效 相应 具体 一律 不得 必须 予以 给予 对于 关于 为了 以上 以下 之一 之日 期间 需要 通过 建立 健全
    要求 提供 发现 报告 一般 重要 重大 有利 情形 行为 活动 管理 服务 监督 职责 人民政府 县级 地方 各级 乡镇 街道 镇街
    各镇 镇村 县市 市县 相关联 日常 工作台账 台账 通知 请各 各镇街 报送 前报 务必 切实 认真 积极 主动 全面 统一
"""
STOP = frozenset(_STOP_WORDS.split())
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _ready() -> bool:
    jieba.initialize()
    return True


def words(text: str) -> list[str]:
    """The content words of `text`: jieba's dictionary segmentation (no HMM guessing: it invents words
    from rare names), words of two characters or more, generic words and numerals dropped."""
    _ready()
    s = unicodedata.normalize("NFKC", text)
    return [w for w in jieba.lcut(s, HMM=False) if len(w) >= 2 and _CJK.search(w) and w not in STOP]


class BM25:
    """Okapi BM25 over word lists. Each word keeps the documents it occurs in and its BM25 term factor there
    (numpy arrays), so a query costs a few vector additions over the postings of its own words."""

    def __init__(self, docs: Iterable[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        lengths: list[int] = []
        raw: dict[str, tuple[list[int], list[int]]] = {}
        for i, doc in enumerate(docs):
            lengths.append(len(doc))
            for w, tf in Counter(doc).items():
                ids, tfs = raw.setdefault(w, ([], []))
                ids.append(i)
                tfs.append(tf)
        self.n = len(lengths)
        length = np.asarray(lengths, dtype=np.float32)
        avg = float(length.mean()) if self.n else 1.0
        norm = k1 * (1 - b + b * length / (avg or 1.0))
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.idf: dict[str, float] = {}
        for w, (ids, tfs) in raw.items():
            d = np.asarray(ids, dtype=np.int32)
            tf = np.asarray(tfs, dtype=np.float32)
            self.postings[w] = (d, tf * (k1 + 1) / (tf + norm[d]))
            self.idf[w] = math.log(1 + (self.n - len(ids) + 0.5) / (len(ids) + 0.5))

    def __len__(self) -> int:
        return self.n

    def scores(self, query: Sequence[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """The score of every document (0 where it shares no word with the query); each query word counts
        once, scaled by `weights` (e.g. the words of a duty's name over those of its description)."""
        acc = np.zeros(self.n, dtype=np.float32)
        for w in set(query):
            p = self.postings.get(w)
            if p is not None:
                acc[p[0]] += self.idf[w] * (weights.get(w, 1.0) if weights else 1.0) * p[1]
        return acc

    def top(self, query: Sequence[str], k: int, weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
        """The k best documents with a positive score, best first."""
        acc = self.scores(query, weights)
        k = min(k, self.n)
        if k <= 0:
            return []
        idx = np.argpartition(-acc, k - 1)[:k]
        return sorted(((int(i), float(acc[i])) for i in idx if acc[i] > 0), key=lambda x: (-x[1], x[0]))

    def self_score(self, query: Sequence[str], weights: dict[str, float] | None = None) -> float:
        """What a document made of exactly the query would score: the scale for a 0–1 normalisation."""
        k1 = self.k1
        return sum(self.idf.get(w, 0.0) * (weights.get(w, 1.0) if weights else 1.0) * (k1 + 1) / (1 + k1)
                   for w in set(query))
