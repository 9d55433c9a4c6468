"""GET /api/v1/indicators and `renewal indicators`: the DESIGN.md shape, Chinese errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

CONTRACT = {
    "target_id",
    "clause",
    "name",
    "unit",
    "target",
    "actual",
    "completion",
    "expected",
    "status",
    "source",
}


def test_the_api_answers_in_the_contract_shape_with_period_series_and_forecast(sample, client, jiaxing):
    data = client.get("/api/v1/indicators", {"year": 2024, "as_of": "2024-03-31"}).json()
    assert (data["year"], data["as_of"], data["area"]) == (2024, "2024-03-31", "330400")
    assert [i["target_id"] for i in data["items"]] == [t.id for t in jiaxing.targets]
    for item in data["items"]:
        assert CONTRACT <= set(item)
        assert item["clause"] and item["source"] in ("registry", "statistics")
        assert {"period", "series", "forecast"} <= set(item)
    t1 = next(i for i in data["items"] if i["target_id"] == "T1.projects")
    assert (t1["actual"], t1["target"], t1["completion"], t1["expected"]) == (2, 500, 0.004, 0.25)
    assert t1["status"] == "red" and t1["period"]["months"] == 12
    assert [p["month"] for p in t1["series"]][:3] == ["2024-01", "2024-02", "2024-03"]
    assert t1["series"][2]["actual"] == 2 and t1["series"][3]["actual"] is None
    assert t1["forecast"]["remaining_months"] == 9


def test_the_api_gives_one_area_by_code_or_name(sample, client):
    by_code = client.get("/api/v1/indicators", {"year": 2024, "as_of": "2024-03-31", "area": "330481"}).json()
    by_name = client.get("/api/v1/indicators", {"year": 2024, "as_of": "2024-03-31", "area": "海宁市"}).json()
    assert by_code == by_name
    t5 = next(i for i in by_code["items"] if i["target_id"] == "T5")
    assert (t5["actual"], t5["target"]) == (30, 1400)  # EX-001 12+8, EX-005 10; 海宁's quota


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "2024-13-01"}, "as_of（截止日期）应为 YYYY-MM-DD"),
        ({"year": "明年"}, "year（年度）应为四位整数"),
        ({"year": "1999"}, "year（年度）应在 2024—2027 之间"),
        ({"area": "上海"}, "area（区域）未知"),
    ],
)
def test_bad_parameters_are_a_400_in_chinese(loaded_plan, client, params, message):
    response = client.get("/api/v1/indicators", params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_without_a_plan_the_api_is_a_404_in_chinese(client):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 404 and "尚未载入行动方案" in response.json()["detail"]


def test_the_openapi_schema_documents_the_indicators(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/indicators" in paths


def test_the_command_prints_the_same_json_as_the_api(sample, client):
    out = StringIO()
    call_command(
        "indicators", "--year", "2024", "--as-of", "2024-03-31", "--area", "330402", "--json", stdout=out
    )
    api = client.get("/api/v1/indicators", {"year": 2024, "as_of": "2024-03-31", "area": "330402"}).json()
    assert json.loads(out.getvalue()) == api


def test_the_command_prints_a_chinese_table_and_rejects_bad_dates(sample):
    out = StringIO()
    call_command("indicators", "--year", "2024", "--as-of", "2024-03-31", stdout=out)
    assert "嘉兴市 2024年 截至 2024-03-31" in out.getvalue() and "省级重点技术改造项目" in out.getvalue()
    with pytest.raises(CommandError, match="as_of（截止日期）"):
        call_command("indicators", "--as-of", "31/03/2024")


def test_as_of_defaults_to_the_last_month_of_the_demo_data(loaded_plan, client):
    import datetime as dt

    from renewal.registry.models import DemoDataset

    DemoDataset.objects.create(seed=7, through=dt.date(2024, 9, 1), plan_id="jiaxing-2024")
    data = client.get("/api/v1/indicators").json()
    assert (data["year"], data["as_of"]) == (2024, "2024-09-30")


def test_the_api_without_a_token_is_a_401_in_chinese(loaded_plan):
    from django.test import Client

    response = Client().get("/api/v1/indicators")
    assert response.status_code == 401 and "未认证" in response.json()["detail"]


def test_the_api_accepts_a_bearer_token(sample):
    from django.test import Client

    from renewal.accounts.models import Role
    from renewal.accounts.tokens import token_create
    from tests.factories import user

    _, token = token_create(user=user("op-test", Role.AREA_OPERATOR, area_id="330402"))
    response = Client().get("/api/v1/indicators", {"area": "330481"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200  # an area operator compares itself with the other areas
