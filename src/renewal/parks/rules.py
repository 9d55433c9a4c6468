"""The value rules of park records, shared by the import (exchange/kinds/) and any later form:
pure functions of plain values returning field → Chinese message (docs/recipes.md).

The enumerations are the plan's words (嘉制高办〔2024〕5号 二、7 T7, 二、8 T8, 二、9 T9), kept with their
sources in ``registry/data/enumerations.yaml`` like every enumerated column (the import templates
give them as drop-down lists, decision 0019); the names below are read from there.
"""

from __future__ import annotations

import datetime as dt

from renewal.registry import reference

# 园区 (T7: 国家级开发区、高新区; T9: 化工园区)
LEVELS = tuple(reference.values("park_levels"))
KINDS = tuple(reference.values("park_kinds"))
CHEMICAL = "化工园区"
# 智慧园区建设 (T7: 视频设备、进出货车自动识别门禁、人工智能+、园区智慧大脑)
SMART_CONTENTS = tuple(reference.values("smart_park_contents"))
SMART_STATUSES = tuple(reference.values("smart_park_statuses"))
BRAIN = "园区智慧大脑"
BUILT = "建成"
# 绿色园区 (T8: 低碳零碳园区创建, 清新园区)
GREEN_CATEGORIES = tuple(reference.values("green_park_categories"))
GREEN_STATUSES = tuple(reference.values("green_park_statuses"))
LOW_CARBON = ("低碳园区", "零碳园区")
CLEAN = "清新园区"
RECOGNISED = "已认定"
# 大气污染防治绩效 (T7: 遴选一批大气污染防治绩效 A级或引领性企业)
RATINGS = tuple(reference.values("air_performance_ratings"))
A_LEVEL = ("A级", "引领性")


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


def smart_item_problems(v: dict, *, today: dt.date) -> dict[str, str]:
    """智慧园区建设: 建成 needs its 建成日期 (the day it counts from), only 建成 has one, it is not
    later than today nor before 开始日期."""
    out: dict[str, str] = {}
    started, completed = v.get("started_on"), v.get("completed_on")
    if v.get("status") == BUILT and completed is None:
        out["completed_on"] = "状态为“建成”时须填写建成日期"
    elif v.get("status") != BUILT and completed is not None:
        out["completed_on"] = f"只有状态为“建成”的项目填写建成日期（该行状态为“{v.get('status')}”）"
    elif completed is not None and completed > today:
        out["completed_on"] = "建成日期不能晚于今天"
    elif completed is not None and started is not None and started > completed:
        out["started_on"] = "开始日期不能晚于建成日期"
    return out


def green_item_problems(v: dict, *, today: dt.date) -> dict[str, str]:
    """绿色园区: a recognition (已认定) is not of a year still to come."""
    if v.get("status") == RECOGNISED and v.get("year") and v["year"] > today.year:
        return {"year": f"已认定的年度不能晚于今年（{today.year}）"}
    return {}


def rating_problems(v: dict, *, today: dt.date) -> dict[str, str]:
    if v.get("year") and v["year"] > today.year:
        return {"year": f"评级年度不能晚于今年（{today.year}）"}
    return {}
