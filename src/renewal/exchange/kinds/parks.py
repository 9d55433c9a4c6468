"""园区 (T7, T8, T9): the parks of an area, keyed by 园区代码 — level (国家级/省级/市级) and kind
(经济开发区/高新区/化工园区/小微企业园/其他), land in 亩. An area operator imports its own area's
parks; a park code already registered in another area is refused as out of scope."""

from __future__ import annotations

from decimal import Decimal

from renewal.parks import rules
from renewal.parks import selectors as parks
from renewal.parks.models import Park

from ..spec import AREA, CODE, DECIMAL, ENUM, TEXT, Column, ListPage, RowError, Sheet
from ._common import DELETED
from ._parks import file_parks

NAME_LIMIT = 200


def check(imp, spec: Sheet, v: dict) -> None:
    if len(v["name"]) > NAME_LIMIT:
        raise RowError(spec.column("name"), f"不能超过 {NAME_LIMIT} 个字符")
    if len(v["code"]) > 30:
        raise RowError(spec.column("code"), "不能超过 30 个字符")
    if not imp.in_scope(v["area"]):
        imp.refuse(spec, "area", v["area"])


def seen(imp, v: dict, valid: bool) -> None:
    """Later sheets of the file (园区企业, 智慧园区建设, 绿色园区) refer to the parks of this one."""
    if v.get("code"):
        state = file_parks(imp)
        state["rows"].add(v["code"])
        if valid:
            state["valid"][v["code"]] = v["area"]


def write(imp, data, rows, sheet_report, positions) -> None:
    column = data.spec.column("code")
    state = file_parks(imp)
    current = {p.code: p for p in Park.all_objects.filter(code__in={v["code"] for _, v in rows})}
    kept, existing = [], []
    for number, v in rows:
        park = current.get(v["code"])
        if park is not None and not imp.in_scope(park.area_id):
            message = f"园区 {v['code']} 无权操作（园区代码已被使用，请核对，或联系市级管理员）"
        elif park is not None and park.is_deleted:
            message = DELETED.format(what=f"园区 {v['code']}")
        else:
            kept.append((number, v))
            if park is not None:
                existing.append(park)
            continue
        state["valid"].pop(v["code"], None)
        imp.row_error(data, number, column, positions, message)
    imp.upsert(
        Park,
        kept,
        existing,
        lambda v: {
            "code": v["code"],
            "name": v["name"],
            "area_id": v["area"],
            "level": v["level"],
            "kind": v["kind"],
            "area_mu": v.get("area_mu"),
        },
        sheet_report,
        ("code",),
    )


SPEC = Sheet(
    kind="parks",
    name="园区",
    label="园区",
    key=("code",),
    order=80,  # after the registry and finance kinds (the template shows them last); before those naming a park
    model=Park,
    columns=(
        Column(
            "园区代码",
            "code",
            CODE,
            True,
            comment="园区的唯一代码，全市不重复",
            example="示例-YQ-001",
            width=16,
        ),
        Column("园区名称", "name", TEXT, True, example="示例经济开发区（示例行，导入前请删除）", width=28),
        Column("所属区域", "area", AREA, True, comment="区域名称、别名或代码（见下拉列表）"),
        Column("级别", "level", ENUM, True, enum="park_levels", example="省级", width=10),
        Column("类型", "kind", ENUM, True, enum="park_kinds", example="经济开发区", width=12),
        Column(
            "面积(亩)",
            "area_mu",
            DECIMAL,
            comment="单位：亩；可空",
            example=12000,
            warn_above=Decimal(500_000),
        ),
    ),
    check=check,
    write=write,
    seen=seen,
    getters={"area": lambda p: p.area.name},
    rows=parks.park_list,
    list_params={"area": "area", "level": "level", "kind": "park_kind", "q": "q"},
    list_page=ListPage(
        "parks/",
        "park_list",
        "parks/registry_parks.html",
        lambda scope, query: {"levels": rules.LEVELS, "kinds": rules.KINDS},
    ),
    scope={"area": "area_id", "uscc": None},
)
