"""Registry API: the contract shape, Bearer tokens, and scoping by area and enterprise."""

import pytest

from renewal.accounts.tokens import token_create
from tests.factories import USCC_HAINING, USCC_NANHU, enterprise, named_users, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(loaded_plan):
    users = named_users()
    nanhu = enterprise(USCC_NANHU, "330402", name="南湖测试机械有限公司")
    haining = enterprise(USCC_HAINING, "330481", name="海宁测试经编有限公司")
    project("NH-1", nanhu, provincial_key=True)
    project("HN-1", haining, year=2023, status="竣工")
    return users


def get(client, user, url):
    _, plain = token_create(user=user)
    return client.get(url, headers={"Authorization": f"Bearer {plain}"})


def test_lists_answer_items_and_count_with_area_codes(client, world):
    data = get(client, world["city_admin"], "/api/v1/projects").json()
    assert data["count"] == 2
    assert {p["code"]: p["area"] for p in data["items"]} == {"NH-1": "330402", "HN-1": "330481"}
    nh = next(p for p in data["items"] if p["code"] == "NH-1")
    assert nh["total_investment"] == 10_000_000 and nh["types"] == ["技术改造"]


def test_lists_filter_by_area_year_and_status_and_paginate(client, world):
    admin = world["city_admin"]
    assert get(client, admin, "/api/v1/projects?area=330481").json()["count"] == 1
    assert get(client, admin, "/api/v1/projects?year=2024").json()["items"][0]["code"] == "NH-1"
    assert get(client, admin, "/api/v1/projects?status=竣工").json()["items"][0]["code"] == "HN-1"
    page = get(client, admin, "/api/v1/enterprises?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_an_area_operator_sees_only_its_own_area(client, world):
    op = world["op_nanhu"]
    assert [p["code"] for p in get(client, op, "/api/v1/projects").json()["items"]] == ["NH-1"]
    assert get(client, op, "/api/v1/projects?area=330481").json() == {"items": [], "count": 0}
    assert get(client, op, "/api/v1/projects/HN-1").status_code == 404
    assert get(client, op, "/api/v1/projects/HN-1/progress").status_code == 404
    assert get(client, op, f"/api/v1/enterprises/{USCC_HAINING}").status_code == 404
    assert get(client, op, f"/api/v1/enterprises/{USCC_NANHU}").json()["area"] == "330402"


def test_an_enterprise_user_sees_only_its_own_records(client, world):
    ent = world["enterprise"]
    assert [e["uscc"] for e in get(client, ent, "/api/v1/enterprises").json()["items"]] == [USCC_NANHU]
    assert [p["code"] for p in get(client, ent, "/api/v1/projects").json()["items"]] == ["NH-1"]


def test_users_without_a_role_unit_reporters_and_the_viewer_are_refused_records(client, world):
    for who in ("outsider", "unit", "viewer"):
        response = get(client, world[who], "/api/v1/projects")
        assert response.status_code == 403 and "不查看项目明细" in response.json()["detail"]


def test_a_missing_or_wrong_token_is_a_401_in_chinese(client, world):
    assert client.get("/api/v1/projects").status_code == 401
    response = client.get("/api/v1/projects", headers={"Authorization": "Bearer rnw_wrong"})
    assert response.status_code == 401
    assert "未认证" in response.json()["detail"]


def test_an_invalid_filter_is_a_422_naming_the_field(client, world):
    response = get(client, world["city_admin"], "/api/v1/projects?limit=abc&year=1")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "limit", "message": "应为整数", "type": "int_parsing"},
        {"field": "year", "message": "不能小于 2000", "type": "greater_than_equal"},
    ]


def test_progress_is_listed_by_month(client, world):
    import datetime as dt
    from decimal import Decimal

    from renewal.registry.models import MonthlyProgress, Project

    p = Project.objects.get(code="NH-1")
    MonthlyProgress.objects.create(
        project=p, month=dt.date(2024, 2, 1), investment=Decimal(5), equipment_investment=Decimal(3)
    )
    MonthlyProgress.objects.create(
        project=p, month=dt.date(2024, 1, 1), investment=Decimal(2), equipment_investment=Decimal(1)
    )
    data = get(client, world["city_admin"], "/api/v1/projects/NH-1/progress").json()
    assert [(r["month"], r["equipment_investment"]) for r in data["items"]] == [
        ("2024-01", 1),
        ("2024-02", 3),
    ]


def test_an_offset_past_what_a_database_integer_holds_is_a_chinese_422_not_a_500(client, people):
    from renewal.accounts.tokens import token_create

    headers = {"Authorization": f"Bearer {token_create(user=people['city_admin'])[1]}"}
    answer = client.get("/api/v1/projects?offset=87388195671354802176", headers=headers)
    assert answer.status_code == 422
    assert "offset" in str(answer.json())
    assert client.get("/api/v1/projects?offset=1000000000", headers=headers).status_code == 200
