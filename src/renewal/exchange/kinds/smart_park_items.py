"""智慧园区建设 (T7): a park's construction of 视频监控, 车辆自动识别门禁, 园区智慧大脑 or 人工智能+, one
row per park and content — status (计划/在建/建成), investment in 万元 (stored in yuan), start and
completion dates (``parks.rules.smart_item_problems``). A built item counts from its 建成日期."""

from __future__ import annotations

from renewal.parks import rules
from renewal.parks import selectors as parks
from renewal.parks.models import SmartParkItem

from ..spec import AMOUNT_LIMIT, DATE, ENUM, WAN, Column, ListPage, RowError, Sheet
from ._parks import PARK, not_deleted, park_check, parks_resolve


def check(imp, spec: Sheet, v: dict) -> None:
    for field_name, message in rules.smart_item_problems(v, today=imp.today).items():
        raise RowError(spec.column(field_name), message)
    park_check(imp, spec, v)


def write(imp, data, rows, sheet_report, positions) -> None:
    rows = parks_resolve(imp, data, rows, positions)
    rows = not_deleted(
        imp,
        data,
        rows,
        positions,
        SmartParkItem,
        ("content",),
        lambda v: f"园区 {v['park_code']} 的{v['content']}",
    )
    imp.upsert(
        SmartParkItem,
        rows,
        SmartParkItem.objects.filter(park_id__in={v["park_id"] for _, v in rows} - {None}),
        lambda v: {
            "park_id": v["park_id"],
            "content": v["content"],
            "status": v["status"],
            "investment": v.get("investment"),
            "started_on": v.get("started_on"),
            "completed_on": v.get("completed_on"),
        },
        sheet_report,
        ("park_id", "content"),
    )


SPEC = Sheet(
    kind="smart-park-items",
    name="智慧园区建设",
    label="智慧园区建设",
    key=("park_code", "content"),
    order=82,
    model=SmartParkItem,
    columns=(
        PARK,
        Column(
            "建设内容",
            "content",
            ENUM,
            True,
            enum="smart_park_contents",
            comment="每个园区每项内容一行",
            example="园区智慧大脑",
            width=16,
        ),
        Column("状态", "status", ENUM, True, enum="smart_park_statuses", example="建成", width=8),
        Column(
            "投资(万元)",
            "investment",
            WAN,
            comment="单位：万元（导入后按元保存）；可空",
            example=800,
            warn_above=AMOUNT_LIMIT,
        ),
        Column("开始日期", "started_on", DATE, comment="如 2024-03-01；可空", example="2024-03-01", width=12),
        Column(
            "建成日期",
            "completed_on",
            DATE,
            comment="如 2024-06-30；状态为“建成”时必填，其他状态不填；不晚于今天",
            example="2024-06-30",
            width=12,
        ),
    ),
    check=check,
    write=write,
    getters={"park_code": lambda i: i.park.code},
    rows=parks.smart_item_list,
    list_params={"area": "area", "park": "park", "content": "content", "status": "status"},
    list_page=ListPage(
        "smart-parks/",
        "smart_park_item_list",
        "parks/registry_smart.html",
        lambda scope, query: {"contents": rules.SMART_CONTENTS, "statuses": rules.SMART_STATUSES},
    ),
    scope={"area": "park__area_id", "uscc": None},
)
