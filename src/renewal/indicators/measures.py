"""The registry measures behind the plan's targets — exactly the semantics of the indicators issue.

Pure data: what each measure counts or sums, which statuses, kinds and levels take part. The
selectors turn these into grouped queries; the drill-down lists the same records. Windows in time
come from the target's period in the plan file (year Y; or its first month … as_of), thresholds
from the target's ``source.threshold``.
"""

from __future__ import annotations

from dataclasses import dataclass

from renewal.registry import reference

# Project statuses that count (已入库, 在建, 竣工, 验收通过, 已兑现) and the completed ones (P14).
COUNTED = tuple(reference.counted_statuses())
COMPLETED = tuple(reference.completed_statuses())
GREEN_TYPE = "绿色化改造"
CHAIN_TYPE = "产业链协同创新"
# T2: (honour kind, levels that count; None = any level)
DEMONSTRATION_HONOURS = (("未来工厂", ("省级",)), ("国家智能制造示范工厂", None), ("灯塔工厂", None))
GREEN_HONOUR = ("绿色工厂", ("省级", "国家级"))
FIRST_SET = ("首台套", ("省级", "国家级"))
HIGH_FUND_LEVELS = ("省级", "国家级")
CITY_FUND_LEVELS = ("市级",)


@dataclass(frozen=True)
class Measure:
    code: str
    table: str  # project | progress | honour | first_set | fund
    description: str
    dated_by_year: bool = False  # records carry a year, not a month


MEASURES = {
    m.code: m
    for m in [
        Measure(
            "provincial_key_projects",
            "project",
            "年度为本年、省级重点技改为“是”、状态为已入库/在建/竣工/验收通过/已兑现的项目个数",
        ),
        Measure(
            "provincial_key_equipment_investment",
            "progress",
            "上述省级重点技改项目在本年1月至截止日所在月的月度进度“完成设备投资”之和（元）",
        ),
        Measure(
            "provincial_key_large_projects",
            "project",
            "上述省级重点技改项目中总投资不低于门槛（方案：10亿元）的项目个数",
        ),
        Measure(
            "demonstration_factories",
            "honour",
            "获评省级未来工厂、国家智能制造示范工厂或灯塔工厂（期间首年至本年）的企业数（同一企业只计一次）",
            dated_by_year=True,
        ),
        Measure(
            "green_factories",
            "honour",
            "获评省级或国家级绿色工厂（期间首年至本年）的企业数（同一企业只计一次）",
            dated_by_year=True,
        ),
        Measure(
            "first_set_products",
            "first_set",
            "本年认定的省级或国家级首台套产品项数（类别为“首台套”）",
            dated_by_year=True,
        ),
        Measure(
            "new_robots",
            "progress",
            "期间首月至截止日所在月，状态计入的项目月度进度“机器人到位”之和（台）",
        ),
        Measure(
            "chain_projects",
            "project",
            "年度为本年、项目类型含“产业链协同创新”、状态计入的项目个数",
        ),
        Measure(
            "green_projects",
            "project",
            "年度为本年、项目类型含“绿色化改造”、状态计入的项目个数",
        ),
        Measure("provincial_funds", "fund", "本年省级、国家级补助资金之和（元）", dated_by_year=True),
        Measure("city_funds", "fund", "本年市级工信资金用于设备更新之和（元）", dated_by_year=True),
        Measure(
            "energy_space",
            "project",
            "状态为竣工/验收通过/已兑现、竣工日期在期间首日至截止日之间的项目节能量之和（吨标准煤）",
        ),
    ]
}
