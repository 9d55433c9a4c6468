"""`renewal mujun --year Y [--area CODE] --json` and `GET /api/v1/mujun?year=&area=` (P14): the
registry's rows and projects (statuses as of 31 December) give the hand-computed answer of cases.py,
in one JSON shape with numbers in base units; the scope of each role; Chinese messages."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renewal.accounts.tokens import token_create

from . import cases as C

pytestmark = pytest.mark.django_db


def command(*args) -> dict:
    out = StringIO()
    call_command("mujun", *args, stdout=out)
    return json.loads(out.getvalue())


def get(client, user, query=""):
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"}
    return client.get(f"/api/v1/mujun{query}", headers=headers)


def test_the_command_gives_the_hand_computed_ranks_classes_and_totals(area):
    data = command("--year", "2024", "--area", "330402", "--json")
    assert (data["year"], data["area"], data["clause"], data["example"]) == (2024, "330402", "P14", True)
    got = {i["name"]: (i["rank"], i["class"], i["score"], i["bonus"], i["total"]) for i in data["items"]}
    assert got == {n: (r, k, s, b, t) for n, (r, k, _, s, b, t) in C.EXPECTED.items()}
    assert [i["rank"] for i in data["items"]] == list(range(1, 21))


def test_the_bonus_reads_statuses_on_31_december_and_names_its_projects(area):
    items = {i["name"]: i for i in command("--year", "2024", "--json")["items"]}
    # BO-6 (竣工 only on 2025-01-05) and BO-5 (在建) earn nothing; LATE's project was completed in 2023
    assert items["BO"]["bonus_projects"] == ["BO-1", "BO-2", "BO-3"] and items["BO"]["bonus"] == 5
    assert items["LATE"]["bonus_projects"] == [] and items["LATE"]["bonus"] == 0


def test_the_json_shape_is_the_contract_with_numbers_in_base_units(area):
    data = command("--year", "2024", "--json")
    assert set(data) == {"year", "area", "clause", "example", "items"} and data["area"] is None
    item = next(i for i in data["items"] if i["name"] == "P")
    assert set(item) == {
        "uscc", "name", "area", "rank", "class", "score", "bonus", "total", "points", "bonus_projects",
        "bonus_basis",
    }  # fmt: skip
    assert (item["uscc"], item["area"]) == (C.uscc(3), "330402")
    tax = item["points"][0]
    assert set(tax) == {"indicator", "value", "benchmark", "points", "basis"}
    # 200万元 ÷ 100亩 = 20,000 元/亩 against 10,000 元/亩
    assert (tax["indicator"], tax["value"], tax["benchmark"], tax["points"]) == ("亩均税收", 20000, 10000, 45)
    assert item["points"][5]["value"] == 0.03  # R&D ÷ revenue as a fraction
    z = next(i for i in data["items"] if i["name"] == "Z")
    assert z["points"][2]["value"] is None and z["points"][2]["points"] == 30
    # both areas, 南湖 first; 海宁's one enterprise alone is class C
    assert [i["area"] for i in data["items"]] == ["330402"] * 20 + ["330481"]
    assert data["items"][-1]["class"] == "C"


def test_the_2023_rows_are_evaluated_on_their_own(area):
    data = command("--year", "2023", "--json")
    assert [(i["name"], i["class"]) for i in data["items"]] == [("P", "C")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "二〇二四"], "--year：评价年度应为四位年份，实为“二〇二四”"),
        (["--year", "1999"], "--year：评价年度 1999 不合理"),
        ([], "--year：请给出评价年度"),
        (["--year", "2024", "--area", "火星"], "--area：未知的区域“火星”"),
    ],
)
def test_bad_input_is_refused_in_chinese(area, args, message):
    with pytest.raises(CommandError, match=message):
        command(*args)


def test_an_area_may_be_given_by_name(area):
    assert command("--year", "2024", "--area", "海宁市", "--json")["area"] == "330481"


def test_without_a_scheme_the_command_says_so(area, monkeypatch):
    from renewal.mujun import selectors

    plan = selectors.active_plan_document()
    monkeypatch.setattr(selectors, "active_plan_document", lambda: plan.model_copy(update={"mujun": None}))
    with pytest.raises(CommandError, match="方案文件未配置亩均评价"):
        command("--year", "2024")


def test_the_api_gives_the_commands_answer(client, area):
    answer = get(client, area["city_admin"], "?year=2024&area=330402")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == command("--year", "2024", "--area", "330402", "--json")


def test_each_role_sees_its_own_items(client, area):
    def names(who, query="?year=2024"):
        answer = get(client, area[who], query)
        assert answer.status_code == 200, answer.json()
        return [(i["name"], i["rank"]) for i in answer.json()["items"]]

    assert len(names("city_admin")) == len(names("city_reviewer")) == 21
    assert len(names("op_nanhu")) == 20 and names("op_haining") == [("海宁测试经编有限公司", 1)]
    assert names("op_haining", "?year=2024&area=330402") == []  # another area: nothing
    assert names("enterprise") == []  # its enterprise has no 亩均 row


def test_an_enterprise_sees_its_own_item_with_its_rank_in_the_area(client, area):
    from tests.mujun.conftest import row

    row(area["NH"].enterprise, "OWN", 100)  # 南湖测试机械: the enterprise user's own
    answer = get(client, area["enterprise"], "?year=2024").json()
    assert [(i["uscc"], i["rank"]) for i in answer["items"]] == [(area["NH"].enterprise.uscc, 11)]
    assert answer["items"][0]["points"][0]["benchmark"] == 2100 * 10_000 / 2100


@pytest.mark.parametrize("who", ["viewer", "unit", "outsider"])
def test_roles_without_records_are_refused(client, area, who):
    answer = get(client, area[who], "?year=2024")
    assert answer.status_code == 403 and "不查看" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=abc", "year：评价年度应为四位年份，实为“abc”"),
        ("?year=2024&area=xx", "area：未知的区域“xx”"),
    ],
)
def test_bad_parameters_answer_400_in_chinese(client, area, query, message):
    answer = get(client, area["city_admin"], query)
    assert answer.status_code == 400 and message in answer.json()["detail"]


def test_the_year_is_required_as_the_schema_says(client, area):
    answer = get(client, area["city_admin"], "")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "year"


def test_the_operation_is_in_the_openapi_schema(client, loaded_plan):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/mujun" in schema["paths"]
