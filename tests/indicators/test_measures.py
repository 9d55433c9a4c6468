"""Every registry measure of the indicators issue, on small fixtures with hand-computed values."""

import datetime as dt
from decimal import Decimal

import pytest

from . import factories as f
from .conftest import area, city

pytestmark = pytest.mark.django_db
YI = f.YI


def test_provincial_key_projects_count_only_counted_statuses_of_the_year(loaded_plan, compute):
    for status in ("已入库", "在建", "竣工", "验收通过", "已兑现"):
        f.project(status=status)
    for status in ("草稿", "已申报", "区县审核通过", "退回", "撤销"):
        f.project(status=status)
    f.project(year=2023, status="在建")  # another year
    f.project(key=False)  # not a provincial key project
    assert city(compute(), "T1.projects")["actual"] == 5


def test_equipment_investment_sums_months_of_the_year_up_to_the_month_of_as_of(loaded_plan, compute):
    p = f.project()
    f.progress(p, "2024-01", equipment=100)
    f.progress(p, "2024-03", equipment=20)
    f.progress(p, "2024-04", equipment=5)  # after as_of
    old = f.project(year=2023, start=dt.date(2023, 5, 1))
    f.progress(old, "2023-12", equipment=1000)  # last year's project
    f.progress(old, "2024-02", equipment=1000)  # last year's project, this year's month: not counted
    f.progress(f.project(key=False), "2024-02", equipment=7)  # not provincial key
    f.progress(f.project(status="退回"), "2024-02", equipment=9)  # not counted
    assert city(compute(2024, "2024-03-31"), "T1.equipment")["actual"] == 120
    # asked mid-March, the data date is 29 February: March is not counted yet
    assert city(compute(2024, "2024-03-15"), "T1.equipment")["actual"] == 100
    assert city(compute(2024, "2024-02-29"), "T1.equipment")["actual"] == 100


def test_large_projects_start_at_the_plan_threshold_of_ten_yi(loaded_plan, compute):
    f.project(total=10 * YI)
    f.project(total=10 * YI - Decimal("0.01"))
    f.project(total=12 * YI, status="已申报")
    f.project(total=12 * YI, key=False)
    assert city(compute(), "T1.large")["actual"] == 1


def test_demonstration_factories_count_distinct_enterprises_of_the_right_honours(loaded_plan, compute):
    a, b, c, d, e = (f.enterprise() for _ in range(5))
    f.honour(a, "未来工厂", "省级", 2024)
    f.honour(a, "灯塔工厂", "世界级", 2024)  # same enterprise: counted once
    f.honour(b, "国家智能制造示范工厂", "国家级", 2024)
    f.honour(c, "未来工厂", "市级", 2024)  # only the provincial 未来工厂 counts
    f.honour(d, "智能工厂", "省级", 2024)  # another kind
    f.honour(e, "灯塔工厂", "世界级", 2023)  # before the period
    assert city(compute(), "T2.demo")["actual"] == 2
    f.honour(e, "灯塔工厂", "世界级", 2025)
    assert city(compute(2025, "2025-03-31"), "T2.demo")["actual"] == 3  # cumulative 2024 … 2025
    assert city(compute(2024, "2024-12-31"), "T2.demo")["actual"] == 2  # 2025's honour not yet


def test_green_factories_count_provincial_or_national_ones(loaded_plan, compute):
    a, b, c = (f.enterprise() for _ in range(3))
    f.honour(a, "绿色工厂", "省级", 2024)
    f.honour(a, "绿色工厂", "国家级", 2024)
    f.honour(b, "绿色工厂", "国家级", 2024)
    f.honour(c, "绿色工厂", "市级", 2024)
    assert city(compute(), "T2.green")["actual"] == 2


def test_first_set_products_count_provincial_or_national_first_sets_of_the_year(loaded_plan, compute):
    e = f.enterprise()
    f.first_set(e, "首台套", "省级", 2024)
    f.first_set(e, "首台套", "国家级", 2024)
    f.first_set(e, "首台套", "市级", 2024)
    f.first_set(e, "首批次", "省级", 2024)
    f.first_set(e, "首台套", "国家级", 2023)
    assert city(compute(), "T3")["actual"] == 2


def test_robots_sum_arrivals_since_the_period_start_of_counted_projects(loaded_plan, compute):
    old = f.project(year=2023, start=dt.date(2023, 6, 1), status="竣工")
    f.progress(old, "2023-12", robots=50)  # before 2024-01
    f.progress(old, "2024-01", robots=4)  # a 2023 project's robots in 2024 count
    p = f.project(key=False)
    f.progress(p, "2024-02", robots=6)
    f.progress(p, "2024-04", robots=100)  # after as_of
    f.progress(f.project(status="已申报"), "2024-02", robots=30)
    assert city(compute(), "T5")["actual"] == 10


def test_chain_and_green_projects_count_by_project_type(loaded_plan, compute):
    f.project(types="产业链协同创新", key=False, status="已入库")
    f.project(types="绿色化改造、技术改造", key=False)
    f.project(types="绿色化改造", key=False, status="草稿")
    f.project(types="绿色化改造", key=False, year=2023)
    result = compute()
    assert city(result, "T6")["actual"] == 1
    assert city(result, "T8.green")["actual"] == 1


def test_funds_sum_provincial_and_national_and_compare_city_funds(loaded_plan, compute):
    f.fund(2024, "省级", 150_000_000)
    f.fund(2024, "国家级", 60_000_000)
    f.fund(2023, "省级", 999)
    f.fund(2024, "县级", 5)
    f.fund(2024, "市级", 200_000_000)
    result = compute()
    assert city(result, "P11.funds")["actual"] == 210_000_000
    assert city(result, "P11.funds")["status"] == "green"  # 105 % at 序时进度 25 %
    comparison = city(result, "P11.city_funds")
    assert (comparison["actual"], comparison["target"], comparison["status"]) == (
        200_000_000,
        210_000_000,
        "red",
    )
    f.fund(2024, "市级", 10_000_000)
    assert city(compute(), "P11.city_funds")["status"] == "green"  # 210 = 210


def test_energy_space_counts_completed_projects_by_completion_date(loaded_plan, compute):
    f.project(status="竣工", energy_saving=100, end_date=dt.date(2024, 3, 31))
    f.project(status="已兑现", energy_saving=20, end_date=dt.date(2024, 1, 15))
    f.project(status="竣工", energy_saving=1000, end_date=dt.date(2024, 4, 1))  # after as_of
    f.project(status="在建", energy_saving=5000, end_date=dt.date(2024, 2, 1))  # not completed
    f.project(
        year=2023, status="验收通过", energy_saving=3, end_date=dt.date(2024, 2, 1), start=dt.date(2023, 3, 1)
    )
    assert city(compute(), "P14.energy")["actual"] == 123


def test_area_values_add_up_to_the_city_and_use_the_area_quota(loaded_plan, jiaxing, compute):
    haining, nanhu = f.enterprise("330481"), f.enterprise("330402")
    for _ in range(3):
        f.project(haining)
    f.project(nanhu)
    result = compute(2024, "2024-06-30")
    hn = area(result, "330481", "T1.projects")
    assert (hn["actual"], hn["target"]) == (3, 70)  # 海宁's quota in the plan file
    assert hn["completion"] == pytest.approx(3 / 70, abs=1e-6)
    assert hn["status"] == "red" and hn["quota_example"] is True
    assert sum(area(result, a.code, "T1.projects")["actual"] for a in jiaxing.areas) == 4
    assert city(result, "T1.projects")["actual"] == 4


def test_t8_counts_distinct_counted_projects_of_the_year_with_a_high_level_allocation(loaded_plan, compute):
    a, b = f.project(key=False), f.project(key=False)
    f.fund(2024, "省级", 1_000_000, area=a.area_id, project=a)
    f.fund(2024, "国家级", 2_000_000, area=a.area_id, project=a)  # the same project: once
    f.fund(2024, "省级", 500_000, area=b.area_id, project=b, granted_on=dt.date(2024, 7, 1))  # from July
    f.fund(2024, "市级", 500_000, area=b.area_id, project=f.project(key=False))  # city level
    f.fund(2023, "省级", 500_000, area=b.area_id, project=f.project(key=False))  # last year's allocation
    f.fund(2024, "省级", 500_000, area=b.area_id, project=f.project(key=False, status="已申报"))
    f.fund(2024, "省级", 500_000, area=b.area_id, project=f.project(key=False, year=2023))  # older project
    assert city(compute(2024, "2024-06-30"), "T8.subsidised")["actual"] == 1
    june = city(compute(2024, "2024-07-31"), "T8.subsidised")
    assert june["actual"] == 2 and june["forecast"]["value"] is None  # year-only records: no forecast
