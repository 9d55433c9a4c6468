"""Model validation messages are in Chinese and name the field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from renewal.registry import reference
from renewal.registry.models import Enterprise, MonthlyProgress, Project, Statistic

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(loaded_plan):
    return Enterprise.objects.create(
        uscc="913304007429141869", name="嘉兴某机械有限公司", area_id="330402", industry_code="34"
    )


def errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


def test_it_rejects_an_invalid_credit_code(loaded_plan):
    e = Enterprise(uscc="9111000060003734", name="x", area_id="330402", industry_code="34")
    assert errors(e)["uscc"] == ["统一社会信用代码应为 18 位，实为 16 位"]


def test_a_pilot_code_needs_an_operators_confirmation(loaded_plan):
    e = Enterprise(uscc="91350211M0000XUF46", name="x", area_id="330402", industry_code="34")
    assert "请人工核实后确认" in errors(e)["uscc"][0]
    e.uscc_confirmed = True
    e.full_clean()


def test_it_rejects_an_unknown_industry_code(loaded_plan):
    e = Enterprise(uscc="913304007429141869", name="x", area_id="330402", industry_code="99")
    assert errors(e)["industry_code"] == ["未知的行业代码 99（应为 GB/T 4754-2017 制造业代码 13–43）"]


def test_it_accepts_a_four_digit_class_of_a_manufacturing_division(loaded_plan):
    Enterprise(uscc="913304007429141869", name="x", area_id="330402", industry_code="3481").full_clean()


def project(enterprise, **kw) -> Project:
    fields = dict(
        code="P-1",
        name="技改",
        enterprise=enterprise,
        area_id="330402",
        year=2024,
        types="技术改造",
        total_investment=Decimal(100),
        equipment_investment=Decimal(50),
    )
    return Project(**(fields | kw))


def test_it_rejects_a_negative_amount(enterprise):
    assert errors(project(enterprise, total_investment=Decimal(-1), equipment_investment=Decimal(-2)))[
        "total_investment"
    ] == ["不能为负数"]


def test_it_rejects_equipment_above_total_investment(enterprise):
    assert errors(project(enterprise, equipment_investment=Decimal(101)))["equipment_investment"] == [
        "设备投资不能大于总投资"
    ]


def test_it_rejects_an_end_date_before_the_start(enterprise):
    p = project(enterprise, start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 4, 30))
    assert errors(p)["end_date"] == ["竣工日期不能早于开工日期"]


def test_it_rejects_an_unknown_project_type(enterprise):
    assert errors(project(enterprise, types="技术改造、造房子"))["types"][0].startswith(
        "未知的项目类型 造房子"
    )


def test_it_orders_project_types_canonically(enterprise):
    p = project(enterprise, types="绿色化改造、技术改造")
    p.full_clean()
    assert p.type_list == ["技术改造", "绿色化改造"]


def test_it_rejects_a_project_in_another_area_than_its_enterprise(enterprise):
    assert errors(project(enterprise, area_id="330481"))["area"] == ["项目所属区域应与企业所属区域一致"]


def test_it_rejects_a_progress_month_that_is_not_a_first_day(enterprise):
    p = project(enterprise)
    p.save()
    row = MonthlyProgress(
        project=p, month=dt.date(2024, 3, 15), investment=Decimal(10), equipment_investment=Decimal(20)
    )
    assert errors(row) == {
        "month": ["月份应为当月第一天（YYYY-MM）"],
        "equipment_investment": ["完成设备投资不能大于完成投资"],
    }


def test_statistic_periods_are_months_or_years():
    s = Statistic(
        indicator="mfg_investment", area_code="330400", period="2024-13", value=Decimal(1), year=0, month=0
    )
    assert errors(s)["period"] == ["期间应为 YYYY 或 YYYY-MM，实为 '2024-13'"]
    s.period = "2024-06"
    s.clean()
    assert (s.year, s.month) == (2024, 6)


def test_no_project_type_is_a_substring_of_another():
    # Project.objects.with_type filters with `contains` on the joined string; this keeps it exact.
    names = reference.values("project_types")
    assert not [(a, b) for a in names for b in names if a != b and a in b]


def test_reference_data_has_the_31_manufacturing_divisions():
    assert list(reference.industries()) == [str(d) for d in range(13, 44)]
