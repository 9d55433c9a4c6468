"""统一社会信用代码 (GB 32100-2015) checks, on top of python-stdnum's ``stdnum.cn.uscc``.

stdnum's format check is stricter than the standard (it wants positions 1–8 to be digits, yet
codes starting with ``Y1`` exist), so the structure is checked here and the check character is
computed by stdnum. Early pilot-region codes that fail the check are a warning an operator can
confirm, not an error (FACTS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.cn import uscc as _uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_STRUCTURE = re.compile(rf"^[0-9A-HJ-NP-RTUWXY][0-9A-HJ-NP-RTUWXY][0-9]{{6}}[{ALPHABET}]{{10}}$")

_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # full-width ！…～ → ASCII


@dataclass(frozen=True)
class UsccCheck:
    code: str
    ok: bool  # structure and check character both right
    error: str | None = None  # structural problem: reject
    warning: str | None = None  # check character wrong: warn, let an operator confirm


def normalise(value: str) -> str:
    """Upper-case, strip spaces and full-width characters (a common paste from Word)."""
    value = (value or "").strip().translate(_HALF_WIDTH)
    return _uscc.compact(value).upper()


def check(value: str) -> UsccCheck:
    code = normalise(value)
    if len(code) != 18:
        return UsccCheck(code, False, error=f"统一社会信用代码应为 18 位，实为 {len(code)} 位")
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return UsccCheck(
            code, False, error=f"统一社会信用代码含非法字符 {'、'.join(bad)}（不使用 I、O、S、V、Z）"
        )
    if not _STRUCTURE.match(code):
        return UsccCheck(code, False, error="统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）")
    expected = _uscc.calc_check_digit(code[:17])
    if expected != code[17]:
        return UsccCheck(
            code,
            False,
            warning=f"统一社会信用代码校验位应为 {expected}，实为 {code[17]}；"
            "如确为早期试点地区代码，请人工核实后确认",
        )
    return UsccCheck(code, True)
