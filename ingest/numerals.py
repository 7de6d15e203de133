"""Chinese numerals as used in 第X条/款/项 (一百零五, 两千, 十二, 〇) to int; Arabic digits pass through."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)
NUMERAL = f"[{CN_NUMERAL_CHARS}0-9]+"  # a 条/款/项 number in Chinese or Arabic digits


@lru_cache(maxsize=8192)
def cn_to_int(text: str) -> int:
    """'一百一十四' → 114, '十二' → 12, '二〇' → 20 (digit-by-digit), '97' → 97. ValueError if not a numeral."""
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise ValueError("empty numeral")
    if s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in _UNITS for ch in s):  # 二〇二一 style: digit by digit
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, 0
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            section += (digit or 1) * _UNITS[ch]  # 十二 = 1×10 + 2
            digit = 0
    return total + section + digit


def int_to_cn(n: int) -> str:
    """114 → '一百一十四'; the form laws use in 第X条 (10–19 as 十X)."""
    if n <= 0:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                parts.append("零")
            parts.append(digits[d] + unit)
            zero = False
        elif parts:
            zero = True
    out = "".join(parts)
    return out[1:] if out.startswith("一十") else out
