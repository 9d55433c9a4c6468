"""Writes of 亩均数据 outside the import (services): the area keeps its enterprises' rows, versions
refuse a stale edit, history names the author; an enterprise user and another area are refused."""

from decimal import Decimal

import pytest

from renewal.lib.errors import Conflict, Invalid, NotFound, Refused
from renewal.mujun import services
from tests.factories import USCC_HAINING, USCC_NANHU

pytestmark = pytest.mark.django_db

DATA = {
    "year": 2024,
    "land_mu": Decimal(100),
    "tax": Decimal(1_000_000),
    "value_added": Decimal(10_000_000),
    "revenue": Decimal(40_000_000),
    "energy_tce": Decimal(1000),
    "emissions_t": Decimal(10),
    "rd_expense": Decimal(1_200_000),
    "employees": 100,
}


def test_an_area_operator_records_a_row_of_its_area(people):
    row = services.annual_data_create(user=people["op_nanhu"], data={"uscc": USCC_NANHU, **DATA})
    assert (row.enterprise.uscc, row.year, row.version) == (USCC_NANHU, 2024, 1)
    assert row.history.first().history_user == people["op_nanhu"]


def test_another_area_and_the_enterprise_user_are_refused(people):
    with pytest.raises(NotFound):
        services.annual_data_create(user=people["op_nanhu"], data={"uscc": USCC_HAINING, **DATA})
    with pytest.raises(Refused, match="无权填报企业"):
        services.annual_data_create(user=people["enterprise"], data={"uscc": USCC_NANHU, **DATA})


def test_a_second_row_for_the_same_year_is_refused(people):
    services.annual_data_create(user=people["city_admin"], data={"uscc": USCC_NANHU, **DATA})
    with pytest.raises(Invalid, match="已有 2024 年的亩均数据"):
        services.annual_data_create(user=people["city_admin"], data={"uscc": USCC_NANHU, **DATA})


def test_bad_values_are_refused_in_chinese(people):
    with pytest.raises(Invalid, match="用地面积最多 4 位小数"):
        services.annual_data_create(
            user=people["city_admin"], data={"uscc": USCC_NANHU, **DATA, "land_mu": Decimal("1.23456")}
        )


def test_an_update_bumps_the_version_and_a_stale_one_is_refused(people):
    row = services.annual_data_create(user=people["city_admin"], data={"uscc": USCC_NANHU, **DATA})
    row = services.annual_data_update(
        user=people["op_nanhu"], record=row, data={"tax": Decimal(2)}, version=1
    )
    assert (row.tax, row.version) == (Decimal(2), 2)
    with pytest.raises(Conflict):
        services.annual_data_update(user=people["op_nanhu"], record=row, data={"tax": Decimal(3)}, version=1)
    with pytest.raises(Refused):
        services.annual_data_update(
            user=people["op_haining"], record=row, data={"tax": Decimal(3)}, version=2
        )
