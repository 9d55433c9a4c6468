"""首台套 (T3, P11): first-set products (首台套、首批次、首版次) an enterprise has had recognised."""

from __future__ import annotations

from renewal.registry import models as R
from renewal.registry import reference
from renewal.registry import selectors as registry

from ..spec import ENUM, TEXT, YEAR, Column, ListPage, Sheet
from ._common import OWNER, owned_check, owned_write, owner_uscc

SPEC = Sheet(
    kind="first-sets",
    name="首台套",
    label="首台套",
    key=("uscc", "product_name", "category", "year"),
    order=40,
    model=R.FirstSetProduct,
    columns=(
        OWNER,
        Column("产品名称", "product_name", TEXT, True, example="示例数控车床（示例行）", width=24),
        Column("类别", "category", ENUM, True, enum="first_set_categories", example="首台套", width=12),
        Column("级别", "level", ENUM, True, enum="levels", example="省级", width=10),
        Column("年度", "year", YEAR, True, example=2024, width=8),
    ),
    check=owned_check,
    write=owned_write(
        R.FirstSetProduct, ("product_name", "category", "level", "year"), ("product_name", "category", "year")
    ),
    getters={"uscc": owner_uscc},
    rows=registry.first_set_list,
    list_params={"area": "area", "year": "year", "category": "category", "level": "level", "q": "q"},
    list_page=ListPage(
        "first-sets/",
        "first_set_list",
        "registry/first_set_list.html",
        lambda scope, query: {
            "categories": reference.values("first_set_categories"),
            "levels": reference.values("levels"),
        },
    ),
    scope={"area": "enterprise__area_id", "uscc": "enterprise__uscc"},
)
