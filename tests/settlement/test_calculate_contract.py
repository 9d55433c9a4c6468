"""The contract works the same from the command line and the API (shared/examples/calc-example.json)."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.policy.conftest import lookup

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# The shared examples lie beside the checkout (CI) or beside the worktrees; a copy is kept here too.
SHARED = [d / "shared" / "examples" / "calc-example.json" for d in (ROOT.parent, ROOT.parent.parent)]
EXAMPLE = next((p for p in SHARED if p.exists()), SHARED[0])
LOCAL_COPY = Path(__file__).parent / "calc-example.json"


def example() -> dict:
    return json.loads((EXAMPLE if EXAMPLE.exists() else LOCAL_COPY).read_text(encoding="utf-8"))


def checked_fields(expected: dict, prefix: str = ""):
    for k, v in expected.items():
        path = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            yield from checked_fields(v, path)
        else:
            yield path, v


def test_the_local_copy_of_the_example_is_the_shared_one():
    if EXAMPLE.exists():
        assert json.loads(EXAMPLE.read_text("utf-8")) == json.loads(LOCAL_COPY.read_text("utf-8"))


def test_renewal_calc_gives_the_example_answer(loaded_plan, tmp_path, capsys):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(example()["request"], ensure_ascii=False), encoding="utf-8")
    call_command("calc", str(case))
    answer = json.loads(capsys.readouterr().out)
    fields = list(checked_fields(example()["answer (the fields checked)"]))
    assert len(fields) == 8
    for path, value in fields:
        assert lookup(answer, path) == value, path


def test_the_api_gives_the_same_answer_as_the_command_line(loaded_plan, client, tmp_path, capsys):
    request = example()["request"]
    response = client.post("/api/v1/policy/calculate", json.dumps(request), content_type="application/json")
    assert response.status_code == 200
    answer = response.json()
    for path, value in checked_fields(example()["answer (the fields checked)"]):
        assert lookup(answer, path) == value, path
    case = tmp_path / "case.json"
    case.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    call_command("calc", str(case))
    assert json.loads(capsys.readouterr().out) == answer


def test_every_amount_of_the_answer_cites_a_clause_and_a_basis(loaded_plan, client):
    answer = client.post(
        "/api/v1/policy/calculate", json.dumps(example()["request"]), content_type="application/json"
    ).json()
    for s in answer["subsidies"]:
        assert s["clause"] == "P11" and s["basis"]
    for key in ("one_time_expensing", "rd_super_deduction", "special_equipment_credit"):
        assert answer["tax"][key]["clause"] == "P13"
    for step in answer["trace"]:
        assert step["clause"] in {"P11", "P13"} and step["basis"]
    assert {"step", "value", "parameter", "effective_from", "clause", "basis"} <= set(answer["trace"][0])


def test_an_invalid_request_gets_a_422_naming_the_field_in_chinese(loaded_plan, client):
    body = {"date": "2024-02-30", "equipment": [{"unit_price": "很多"}]}
    response = client.post("/api/v1/policy/calculate", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"]: e for e in response.json()["errors"]}
    assert fields["date"]["label"] == "计算日期"
    assert fields["equipment[0].unit_price"]["message"].startswith("应为数字")
    assert "设备第1行·单价" in response.json()["message"]
    assert response.json()["detail"].startswith("请求数据有误：")  # the API-wide 422 key


def test_a_body_that_is_not_json_gets_a_422(loaded_plan, client):
    response = client.post("/api/v1/policy/calculate", "{date:", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "不是合法的 JSON：第1行第2列，字段名应写在英文双引号内"
    assert response.json()["detail"] == "请求数据有误：不是合法的 JSON：第1行第2列，字段名应写在英文双引号内"


def post(client, body: dict):
    return client.post("/api/v1/policy/calculate", json.dumps(body), content_type="application/json")


BOUGHT = {"name": "机床", "unit_price": 1000, "acquired_on": "2024-06-01"}


@pytest.mark.parametrize(
    ("item", "field", "label", "message"),
    [
        (
            {"name": "机床", "acquired_on": "2024-06-01"},
            "equipment[0].unit_price",
            "设备第1行·单价",
            "购置设备须填写单价（元），未填写不按 0 计算",
        ),
        (
            {"name": "机器人", "acquisition": "lease"},
            "equipment[0].lease_fee",
            "设备第1行·租赁费",
            "租赁设备须填写租赁费（元），未填写不按 0 计算",
        ),
        (
            {"name": "机床", "unit_price": 1000},
            "equipment[0].acquired_on",
            "设备第1行·购置日期",
            "购置设备须填写购置日期（YYYY-MM-DD），一次性税前扣除按购置日期判断",
        ),
        (
            {**BOUGHT, "quantity": 0},
            "equipment[0].quantity",
            "设备第1行·数量",
            "应为不小于 1 的整数（台/套数），实为 0",
        ),
        (
            {**BOUGHT, "quantity": 1.5},
            "equipment[0].quantity",
            "设备第1行·数量",
            "应为不小于 1 的整数（台/套数），实为 1.5",
        ),
    ],
    ids=["purchase-without-price", "lease-without-fee", "purchase-without-date", "zero-quantity", "half"],
)
def test_missing_or_fractional_policy_input_is_a_422_naming_the_field(
    loaded_plan, client, item, field, label, message
):
    response = post(client, {"date": "2024-09-30", "equipment": [item]})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "label": label, "message": message}]
    assert response.json()["detail"] == f"请求数据有误：{field}（{label}）：{message}"


def test_an_unknown_category_is_a_422_listing_the_categories_in_chinese(loaded_plan, client):
    response = post(client, {"date": "2024-09-30", "equipment": [{**BOUGHT, "category": "misc"}]})
    (error,) = response.json()["errors"]
    assert error["field"] == "equipment[0].category" and error["label"] == "设备第1行·设备类别"
    assert error["message"].startswith("取值不在允许范围内（可选：general=生产设备（通用） / machinery=")
    assert "safety=安全生产专用设备（目录内）" in error["message"] and " or " not in error["message"]


def test_the_calculation_needs_no_login(loaded_plan, client):
    response = client.post(
        "/api/v1/policy/calculate", json.dumps({"date": "2024-09-30"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["subsidy_total"] == 0


def test_the_request_schema_is_published_in_openapi(loaded_plan, client):
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/policy/calculate"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    assert body["required"] == ["date"]
    assert "first_set" in body["properties"]["equipment"]["items"]["properties"]


def test_renewal_calc_explains_an_invalid_file_in_chinese(loaded_plan, tmp_path):
    case = tmp_path / "bad.json"
    case.write_text('{"date": "2024-09-30", "project": {"total_investment": -1}}', encoding="utf-8")
    with pytest.raises(CommandError, match="请求数据有误") as exc:
        call_command("calc", str(case))
    assert "project.total_investment（项目·总投资）：不能为负数" in str(exc.value)
