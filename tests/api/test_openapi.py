import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/plan" in schema["paths"]


def test_the_plan_endpoint_gives_the_plan_show_shape(client, loaded_plan):
    data = client.get("/api/v1/plan").json()
    assert {"targets", "parameters", "tasks"} <= set(data)
    assert next(t for t in data["targets"] if t["id"] == "T5")["value"] == 10000


def test_the_plan_endpoint_without_a_plan_is_a_404_in_chinese(client):
    response = client.get("/api/v1/plan")
    assert response.status_code == 404
    assert "尚未载入行动方案" in response.json()["detail"]
