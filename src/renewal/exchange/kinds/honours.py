"""试点示范 (T2, T3): an enterprise's honours — 未来工厂, 智能制造示范工厂, 绿色工厂 … by level and year."""

from __future__ import annotations

from renewal.registry import models as R
from renewal.registry import reference
from renewal.registry import selectors as registry

from ..spec import ENUM, YEAR, Column, ListPage, Sheet
from ._common import OWNER, owned_check, owned_write, owner_uscc

SPEC = Sheet(
    kind="honours",
    name="试点示范",
    label="试点示范",
    key=("uscc", "kind", "level", "year"),
    order=30,
    model=R.Honour,
    columns=(
        OWNER,
        Column("类型", "kind", ENUM, True, enum="honour_kinds", example="绿色工厂", width=20),
        Column("级别", "level", ENUM, True, enum="levels", example="国家级", width=10),
        Column("年度", "year", YEAR, True, example=2024, width=8),
    ),
    check=owned_check,
    write=owned_write(R.Honour, ("kind", "level", "year"), ("kind", "level", "year")),
    getters={"uscc": owner_uscc},
    rows=registry.honour_list,
    list_params={"area": "area", "year": "year", "kind": "honour_kind", "level": "level", "q": "q"},
    list_page=ListPage(
        "honours/",
        "honour_list",
        "registry/honour_list.html",
        lambda scope, query: {
            "kinds": reference.values("honour_kinds"),
            "levels": reference.values("levels"),
        },
    ),
    scope={"area": "enterprise__area_id", "uscc": "enterprise__uscc"},
)
