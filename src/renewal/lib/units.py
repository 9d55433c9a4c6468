"""Numbers for people: 亿元/万元, %, 台, 个 (the JSON keeps base units)."""

from __future__ import annotations


def human(value: float | None, unit: str, *, suffix: bool = True) -> str:
    if value is None:
        return "—"
    v = float(value)
    if unit == "CNY":
        if abs(v) >= 1e8:
            text, u = f"{v / 1e8:,.2f}", "亿元"
        else:
            text, u = f"{v / 1e4:,.0f}", "万元"
    elif unit == "ratio":
        text, u = f"{v * 100:.1f}", "%"
    elif unit == "CNY/person-year":
        text, u = f"{v / 1e4:.1f}", "万元/人·年"
    elif unit == "CNY/mu":
        text, u = f"{v / 1e4:.1f}", "万元/亩"
    elif unit == "tce":
        text, u = (f"{v / 1e4:.2f}", "万吨标准煤") if abs(v) >= 1e4 else (f"{v:,.0f}", "吨标准煤")
    elif unit == "set":
        text, u = f"{v:,.0f}", "台"
    else:
        text, u = (f"{v:,.0f}" if v == int(v) else f"{v:,.1f}"), "个"
    return f"{text}{u}" if suffix else text


def scale(unit: str, values: list[float | None]) -> tuple[float, str]:
    """A common divisor and unit label for a chart axis of ``unit`` values."""
    if unit == "CNY":
        top = max((abs(v) for v in values if v is not None), default=0)
        return (1e8, "亿元") if top >= 1e8 else (1e4, "万元")
    if unit == "ratio":
        return 0.01, "%"
    if unit in ("CNY/person-year", "CNY/mu"):
        return 1e4, "万元/人·年" if unit == "CNY/person-year" else "万元/亩"
    if unit == "tce":
        return 1e4, "万吨标准煤"
    return 1, "台" if unit == "set" else "个"
