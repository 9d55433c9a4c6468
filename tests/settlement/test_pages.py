"""The calculator (open to enterprises), the simulation and settlement pages (city only)."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from renewal.accounts.models import Profile
from renewal.registry.models import Fund
from renewal.settlement.models import DecisionRecord, SettlementRun

from .conftest import make_project

pytestmark = pytest.mark.django_db

FORM = {
    "date": "2024-09-30",
    "rd_expense": "300",
    "machine_tool_enterprise": "on",
    "types": ["技术改造"],
    "provincial_key": "on",
    "total_investment": "20000",
    "area": "330482",
    "eq-0-name": "数控车床",
    "eq-0-acquisition": "purchase",
    "eq-0-unit_price": "80",
    "eq-0-quantity": "5",
    "eq-0-lease_fee": "",
    "eq-0-first_set": "",
    "eq-0-acquired_on": "2024-04-01",
    "eq-0-category": "general",
    "eq-1-name": "精密数控车床（首台套）",
    "eq-1-acquisition": "purchase",
    "eq-1-unit_price": "600",
    "eq-1-quantity": "1",
    "eq-1-lease_fee": "",
    "eq-1-first_set": "省级",
    "eq-1-acquired_on": "2024-05-01",
    "eq-1-category": "general",
}


def user_with_role(username: str, role: str):
    user = get_user_model().objects.create_user(username)
    Profile.objects.create(user=user, role=role)
    return user


def test_an_anonymous_enterprise_calculates_in_wan_yuan_with_the_explanation(loaded_plan, client):
    response = client.post("/policy/calculator/", FORM)
    assert response.status_code == 200
    page = response.content.decode()
    # 400万 + 600万 × 150% = 1,300万; city example 8% = 104万; provincial key example needs 2,000万 → no
    assert "<b>1,300.00</b>" in page and "<b>104.00</b>" in page
    assert "按120%加计扣除360万元" in page
    assert "计算过程与依据" in page and "P11.first_set_bonus_rate" in page


def test_a_bad_number_is_named_in_chinese_on_the_page(loaded_plan, client):
    response = client.post("/policy/calculator/", {**FORM, "eq-1-unit_price": "六百"})
    assert response.status_code == 422
    assert "设备第2行·单价：应为数字（万元），实为 &#x27;六百&#x27;" in response.content.decode()


def test_a_purchase_row_without_a_price_is_named_on_the_page_not_counted_as_zero(loaded_plan, client):
    response = client.post("/policy/calculator/", {**FORM, "eq-0-unit_price": ""})
    assert response.status_code == 422
    assert "设备第1行·单价：购置设备须填写单价（元），未填写不按 0 计算" in response.content.decode()


def test_a_lease_row_needs_no_price_on_the_page(loaded_plan, client):
    lease = {
        "eq-1-acquisition": "lease",
        "eq-1-unit_price": "",
        "eq-1-lease_fee": "60",
        "eq-1-acquired_on": "",
    }
    response = client.post("/policy/calculator/", {**FORM, **lease})
    assert response.status_code == 200
    # 400万 + 60万 × 150% (省级 first set, leased) = 490万
    assert "<b>490.00</b>" in response.content.decode()


def test_the_worked_example_still_calculates(loaded_plan, client):
    assert client.get("/policy/calculator/", {"example": "1"}).status_code == 200


def test_the_result_exports_to_xlsx_with_trace(loaded_plan, client):
    response = client.post("/policy/calculator/xlsx", FORM)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["计算结果", "补助明细", "一次性扣除明细", "计算过程", "输入"]
    rows = {r[0]: r[1] for r in book["计算结果"].iter_rows(min_row=2, values_only=True)}
    assert rows["补助合计(元)"] == 1040000
    assert rows["一次性税前扣除额(元)"] == 4000000
    assert book["计算过程"].max_row > 10


def test_the_simulation_is_for_the_city_only(loaded_plan, client):
    assert client.get("/policy/simulation/").status_code == 302  # to the login page
    client.force_login(user_with_role("ent-1", "enterprise"))
    assert client.get("/policy/simulation/").status_code == 403


def test_the_simulation_compares_a_higher_city_rate_with_the_current_rules(enterprise, client):
    make_project(enterprise, code="S-1", status="在建")  # eligible 42M: city 8% = 3.36M, provincial key 2.1M
    make_project(enterprise, code="S-2", status="草稿")  # not counted
    Fund.objects.create(year=2024, level="省级", purpose="技改", amount=Decimal(3_000_000))
    Fund.objects.create(year=2024, level="市级", purpose="设备更新", amount=Decimal(2_000_000))
    client.force_login(user_with_role("reviewer", "city_reviewer"))
    response = client.get("/policy/simulation/", {"year": 2024, "example-city-renewal-rate": "10"})
    assert response.status_code == 200
    result = response.context["result"]
    assert result["projects"] == 1
    assert result["totals"]["current"] == pytest.approx(5_460_000)
    assert result["totals"]["changed"] == pytest.approx(6_300_000)  # city 10% × 42M = 4.2M
    city = next(p for p in result["programmes"] if p["id"] == "example-city-renewal")
    assert (city["current"], city["changed"]) == (pytest.approx(3_360_000), pytest.approx(4_200_000))
    nanhu = next(a for a in result["areas"] if a["code"] == "330402")
    assert nanhu["delta"] == pytest.approx(840_000)
    higher, local = result["budget"]
    assert higher["current_gap"] == pytest.approx(3_000_000 - 2_100_000)
    assert local["changed_gap"] == pytest.approx(2_000_000 - 4_200_000)
    assert result["funds"]["city_not_less"] is False


def test_a_what_if_input_that_is_not_a_number_is_reported(loaded_plan, client):
    client.force_login(user_with_role("reviewer", "city_reviewer"))
    response = client.get("/policy/simulation/", {"subsidy_cap": "三千"})
    assert response.status_code == 422
    assert "单个项目补助上限：应为数字" in response.content.decode()


def test_a_city_admin_starts_a_batch_and_sees_the_records(
    enterprise, client, django_capture_on_commit_callbacks
):
    make_project(enterprise, code="A-1")
    client.force_login(user_with_role("admin", "city_admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/settlement/start", {"year": 2024, "date": "2024-10-08"})
    assert response.status_code == 302
    run = SettlementRun.objects.get()
    assert run.status == "done" and run.created_by.username == "admin"
    page = client.get("/settlement/").content.decode()
    assert "A-1" in page and "第1版" in page
    record = DecisionRecord.objects.get()
    detail = client.get(f"/settlement/records/{record.pk}/").content.decode()
    assert "546.00" in detail
    # the frozen parameters by the plan's description and in the units table's form, no ids
    assert "单个补助项目叠加享受政策的补助总额上限" in detail and "3,000.00万元" in detail
    assert "P11.subsidy_cap" not in detail and "high_tech" not in detail


def test_a_reviewer_cannot_start_a_batch(loaded_plan, client):
    client.force_login(user_with_role("reviewer", "city_reviewer"))
    assert client.post("/settlement/start", {"year": 2024}).status_code == 403
    assert SettlementRun.objects.count() == 0
