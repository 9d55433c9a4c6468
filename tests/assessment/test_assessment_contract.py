"""The assessment contract from the API and the command line:
{"items": [{"area", "score", "rank", "previous_rank", "points": [{"target_id", "points", "basis"}]}]}."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renewal.accounts.tokens import token_create
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_command_gives_every_area_a_score_a_rank_and_explained_points(small_registry):
    out = StringIO()
    call_command("assess", "--year", "2024", "--as-of", "2024-03-31", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["items"]) == 9
    assert sorted(it["rank"] for it in data["items"])[0] == 1
    nanhu = next(it for it in data["items"] if it["area"] == "330402")
    assert set(nanhu) >= {"area", "score", "rank", "previous_rank", "points"}
    assert all({"target_id", "points", "basis"} <= set(p) for p in nanhu["points"])
    assert round(sum(p["points"] for p in nanhu["points"]), 2) == nanhu["score"]
    # 南湖 has more of everything than 海宁 here, so it ranks higher
    haining = next(it for it in data["items"] if it["area"] == "330481")
    assert nanhu["rank"] < haining["rank"]
    assert data["previous_as_of"] == "2024-02-29" and nanhu["previous_rank"] is not None


def test_the_command_rejects_a_date_outside_the_year(small_registry):
    with pytest.raises(CommandError, match="不在考核年度"):
        call_command("assess", "--year", "2024", "--as-of", "2023-12-31", "--json")


def test_the_api_answers_the_same_as_the_command(small_registry, client):
    user = factories.user("viewer", "viewer")
    _, token = token_create(user=user)
    resp = client.get(
        "/api/v1/assessment", {"year": 2024, "as_of": "2024-03-31"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert resp.status_code == 200
    out = StringIO()
    call_command("assess", "--year", "2024", "--as-of", "2024-03-31", "--json", stdout=out)
    cli = json.loads(out.getvalue())
    assert [(i["area"], i["score"], i["rank"]) for i in resp.json()["items"]] == [
        (i["area"], i["score"], i["rank"]) for i in cli["items"]
    ]


def test_the_api_needs_a_token(small_registry, client):
    assert client.get("/api/v1/assessment", {"year": 2024, "as_of": "2024-03-31"}).status_code == 401


def test_the_api_names_a_date_outside_the_year_in_chinese(small_registry, client):
    _, token = token_create(user=factories.user("viewer", "viewer"))
    resp = client.get(
        "/api/v1/assessment", {"year": 2024, "as_of": "2025-01-31"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert resp.status_code == 422 and "不在考核年度" in resp.json()["detail"]


def test_the_openapi_schema_lists_the_assessment_path(loaded_plan, client):
    assert "/api/v1/assessment" in client.get("/api/v1/openapi.json").json()["paths"]
