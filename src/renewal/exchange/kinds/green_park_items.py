"""绿色园区 (T8): a park's 低碳园区, 零碳园区 or 清新园区 status (申报/创建中/已认定) in a year, one row
per park, category and year. A year's row counts from its 1 January (decision 0014, rule 6)."""

from __future__ import annotations

from renewal.parks import rules
from renewal.parks import selectors as parks
from renewal.parks.models import GreenParkItem

from ..spec import ENUM, YEAR, Column, ListPage, RowError, Sheet
from ._parks import PARK, not_deleted, park_check, parks_resolve


def check(imp, spec: Sheet, v: dict) -> None:
    for field_name, message in rules.green_item_problems(v, today=imp.today).items():
        raise RowError(spec.column(field_name), message)
    park_check(imp, spec, v)


def write(imp, data, rows, sheet_report, positions) -> None:
    rows = parks_resolve(imp, data, rows, positions)
    rows = not_deleted(
        imp,
        data,
        rows,
        positions,
        GreenParkItem,
        ("category", "year"),
        lambda v: f"园区 {v['park_code']} 的{v['year']}年{v['category']}",
    )
    imp.upsert(
        GreenParkItem,
        rows,
        GreenParkItem.objects.filter(park_id__in={v["park_id"] for _, v in rows} - {None}),
        lambda v: {
            "park_id": v["park_id"],
            "category": v["category"],
            "status": v["status"],
            "year": v["year"],
        },
        sheet_report,
        ("park_id", "category", "year"),
    )


SPEC = Sheet(
    kind="green-park-items",
    name="绿色园区",
    label="绿色园区",
    key=("park_code", "category", "year"),
    order=83,
    model=GreenParkItem,
    columns=(
        PARK,
        Column(
            "类别",
            "category",
            ENUM,
            True,
            enum="green_park_categories",
            example="低碳园区",
            width=12,
        ),
        Column(
            "状态",
            "status",
            ENUM,
            True,
            enum="green_park_statuses",
            example="已认定",
            width=8,
        ),
        Column(
            "年度", "year", YEAR, True, comment="该状态所属年度；已认定的不晚于今年", example=2024, width=8
        ),
    ),
    check=check,
    write=write,
    getters={"park_code": lambda i: i.park.code},
    rows=parks.green_item_list,
    list_params={"area": "area", "park": "park", "category": "category", "status": "status", "year": "year"},
    list_page=ListPage(
        "green-parks/",
        "green_park_item_list",
        "parks/registry_green.html",
        lambda scope, query: {"categories": rules.GREEN_CATEGORIES, "statuses": rules.GREEN_STATUSES},
    ),
    scope={"area": "park__area_id", "uscc": None},
)
