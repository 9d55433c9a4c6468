"""企业环保绩效评级 (T7): an enterprise's 大气污染防治绩效 rating (A级/B级/引领性) of a year, keyed by
统一社会信用代码 + 年度. The latest rating of a year up to the data date's is the enterprise's rating
then (``parks.selectors``)."""

from __future__ import annotations

from renewal.parks import rules
from renewal.parks import selectors as parks
from renewal.parks.models import EnterpriseRating

from ..spec import ENUM, YEAR, Column, ListPage, RowError, Sheet
from ._common import OWNER, owned_check, owned_write, owner_uscc


def check(imp, spec: Sheet, v: dict) -> None:
    for field_name, message in rules.rating_problems(v, today=imp.today).items():
        raise RowError(spec.column(field_name), message)
    owned_check(imp, spec, v)


SPEC = Sheet(
    kind="enterprise-ratings",
    name="企业环保绩效评级",
    label="企业环保绩效评级",
    key=("uscc", "year"),
    order=84,
    model=EnterpriseRating,
    columns=(
        OWNER,
        Column(
            "评级",
            "rating",
            ENUM,
            True,
            enum="air_performance_ratings",
            comment="大气污染防治绩效评级",
            example="A级",
            width=10,
        ),
        Column("年度", "year", YEAR, True, comment="评级年度；不晚于今年", example=2024, width=8),
    ),
    check=check,
    write=owned_write(EnterpriseRating, ("rating", "year"), ("year",)),
    getters={"uscc": owner_uscc},
    rows=parks.rating_list,
    list_params={"area": "area", "rating": "rating", "year": "year", "q": "q"},
    list_page=ListPage(
        "ratings/",
        "enterprise_rating_list",
        "parks/registry_ratings.html",
        lambda scope, query: {"ratings": rules.RATINGS},
    ),
    scope={"area": "enterprise__area_id", "uscc": "enterprise__uscc"},
)
