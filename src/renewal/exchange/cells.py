"""Reading one cell: forgiving where it is safe, strict where it matters (pure functions).

Each reader takes the raw cell value as python-calamine or the CSV reader gives it (str, int,
float, bool, date, datetime, or None/"" for an empty cell) and returns the clean value, or raises
``CellError`` with a Chinese message. Forgiving: spaces trimmed, full-width digits and letters
folded, Excel date cells and YYYY-MM-DD / YYYY/M/D text, 是/否/Y/N. Strict: text where a number
belongs, fractions of 台, negative amounts, unknown enumeration values.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from renewal.lib.text import text_problem, visible

from . import sheets as S


class CellError(ValueError):
    pass


def bounded_text(value: str, max_length: int | None) -> str:
    """Text for a column: no control characters, at most the column's length (``lib/text.py``)."""
    problem = text_problem(value, max_length=max_length)
    if problem is not None:
        raise CellError(problem)
    return value


def bounded_number(value, limit, *, in_wan: bool = False):
    """A number below the column's limit (its digits in the database; yuan for an amount read in
    万元): PostgreSQL would refuse a larger one and SQLite store it, so both refuse it here."""
    if value is not None and limit is not None and abs(value) >= limit:
        shown_limit = f"{limit / S.WAN_IN_YUAN:,}万元" if in_wan else f"{limit:,}"
        raise CellError(f"数值过大（应小于 {shown_limit}）")
    return value


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation to half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def shown(raw: Any) -> str:
    """A raw value as the user typed it, for messages (control characters shown as U+FFFD)."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = visible(str(raw))
    return text if len(text) <= 40 else text[:40] + "…"


def text(raw: Any) -> str:
    if is_blank(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def code(raw: Any) -> str:
    return fold(text(raw))


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def decimal(raw: Any) -> Decimal | None:
    """A number: numeric cells as they are; text only if it is a plain number (1,234.5 allowed)."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellError(f"应为数字，实为“{'是' if raw else '否'}”")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError("数值无效")
        return Decimal(repr(raw))  # shortest repr: 123.456789 stays 123.456789
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise CellError(f"应为数字，实为日期/时间“{shown(raw)}”")
    value = fold(str(raw)).replace(",", "").replace(" ", "")
    if not _NUMBER.match(value):
        raise CellError(f"应为数字，实为文本“{shown(raw)}”")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only valid numbers
        raise CellError(f"应为数字，实为文本“{shown(raw)}”") from exc


def non_negative(raw: Any) -> Decimal | None:
    value = decimal(raw)
    if value is not None and value < 0:
        raise CellError(f"不能为负数（{shown(raw)}）")
    return value


def integer(raw: Any) -> int | None:
    value = non_negative(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(f"应为整数，实为 {shown(raw)}")
    return int(value)


def year(raw: Any) -> int | None:
    value = integer(raw)
    if value is not None and not 2000 <= value <= 2100:
        raise CellError(f"年度 {value} 不合理（应为 2000–2100 的四位年份）")
    return value


def wan_to_yuan(raw: Any) -> Decimal | None:
    """万元 in the sheet → yuan, to the fen (2 decimals)."""
    value = non_negative(raw)
    if value is None:
        return None
    return (value * S.WAN_IN_YUAN).quantize(Decimal("0.01"))


YES = {"是", "Y", "YES", "TRUE", "1", "√", "✓"}
NO = {"否", "N", "NO", "FALSE", "0", "×", "✗"}


def boolean(raw: Any) -> bool | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    value = fold(str(raw)).upper()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError(f"应填“是”或“否”（也接受 Y/N），实为“{shown(raw)}”")


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*(\d{1,2})\s*日?)?$")


def date(raw: Any) -> dt.date | None:
    if is_blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CellError(f"应为日期（如 2024-01-05），实为数字 {shown(raw)}")
    match = _DATE_TEXT.match(fold(str(raw)))
    if not match:
        raise CellError(f"应为日期（如 2024-01-05 或 2024/1/5），实为“{shown(raw)}”")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise CellError(f"日期不存在：“{shown(raw)}”") from exc


def month(raw: Any) -> dt.date | None:
    """YYYY-MM (also 2024/3, 2024年3月, or a date cell) → the first day of that month."""
    if is_blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.replace(day=1)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CellError(f"应为月份（YYYY-MM，如 2024-03），实为数字 {shown(raw)}")
    match = _MONTH_TEXT.match(fold(str(raw)))
    if not match or not 1 <= int(match[2]) <= 12:
        raise CellError(f"应为月份（YYYY-MM，如 2024-03），实为“{shown(raw)}”")
    if not 2000 <= int(match[1]) <= 2100:
        raise CellError(f"月份的年份 {match[1]} 不合理")
    return dt.date(int(match[1]), int(match[2]), 1)


def period(raw: Any) -> str | None:
    """YYYY (whole year) or YYYY-MM (months 1–M cumulative)."""
    if is_blank(raw):
        return None
    if isinstance(raw, dt.date):
        return f"{raw:%Y-%m}"
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = integer(raw)
        if value is not None and 2000 <= value <= 2100:
            return str(value)
        raise CellError(f"期间应为 YYYY 或 YYYY-MM，实为 {shown(raw)}")
    value = fold(str(raw))
    if re.fullmatch(r"\d{4}年?", value) and 2000 <= int(value[:4]) <= 2100:
        return value[:4]
    return f"{month(value):%Y-%m}"


def enum(raw: Any, allowed: list[str]) -> str | None:
    if is_blank(raw):
        return None
    value = text(raw)
    if value in allowed:
        return value
    folded = fold(value)
    if folded in allowed:
        return folded
    raise CellError(f"“{shown(raw)}”不是可选值（可选：{'、'.join(allowed)}）")


_SEPARATORS = re.compile(r"[、,，;；/／\s]+")


def enums(raw: Any, allowed: list[str]) -> str | None:
    """One or more values joined by 、 or , → joined by 、 in the order of the enumeration."""
    if is_blank(raw):
        return None
    parts = [p for p in _SEPARATORS.split(text(raw)) if p]
    unknown = [p for p in parts if p not in allowed]
    if unknown:
        raise CellError(f"未知的值 {'、'.join(unknown)}（可选：{'、'.join(allowed)}）")
    return "、".join(v for v in allowed if v in parts)


def industry(raw: Any, known: dict[str, str]) -> str | None:
    """GB/T 4754-2017 code (2–4 digits of a manufacturing division 13–43); a leading C is dropped."""
    if is_blank(raw):
        return None
    value = code(raw).upper().removeprefix("C")
    if value.isdigit() and 2 <= len(value) <= 4 and value[:2] in known:
        return value
    raise CellError(f"未知的行业代码“{shown(raw)}”（应为 GB/T 4754-2017 制造业代码，13–43 开头）")
