"""Invalid requests are explained in Chinese, naming the field."""

import re

import pytest

from renewal.policy.contract import RequestError, parse_request


def messages(data) -> list[str]:
    with pytest.raises(RequestError) as exc:
        parse_request(data)
    return [f"{e['field']}（{e['label']}）：{e['message']}" for e in exc.value.errors]


def test_a_missing_date_is_named():
    assert messages({}) == ["date（计算日期）：缺少必填字段"]


def test_a_negative_price_names_the_equipment_row():
    row = {"unit_price": 1, "acquired_on": "2024-06-01"}
    out = messages({"date": "2024-09-30", "equipment": [row, {**row, "unit_price": -5}]})
    assert out == ["equipment[1].unit_price（设备第2行·单价）：不能为负数，实为 -5"]


def test_an_unknown_first_set_level_lists_the_allowed_ones():
    out = messages({"date": "2024-09-30", "equipment": [{"first_set": "乡级"}]})
    assert out[0].startswith("equipment[0].first_set（设备第1行·首台（套）级别）：首台（套）级别应为")


def test_an_unknown_acquisition_and_a_rate_above_one_are_both_reported():
    out = messages(
        {
            "date": "2024-09-30",
            "equipment": [{"acquisition": "gift"}],
            "programmes": [
                {"id": "x", "name": "x", "level": "市级", "base": "total_investment", "rate": 1.5}
            ],
        }
    )
    assert any(
        m.startswith("equipment[0].acquisition（设备第1行·取得方式）：取值不在允许范围内") for m in out
    )
    assert any(m.startswith("programmes[0].rate（补助政策第1项·补助比例）：超出上限") for m in out)


def test_a_body_that_is_not_an_object_is_rejected():
    assert messages([1, 2]) == ["(请求)（请求）：请求体应为 JSON 对象（{…}）"]


# ---- missing input is an error, not a zero (issue 13) ------------------------------------------------

BOUGHT = {"unit_price": 1000, "acquired_on": "2024-06-01"}


def test_a_purchase_without_a_unit_price_is_an_error_not_a_zero():
    out = messages({"date": "2024-09-30", "equipment": [{"acquired_on": "2024-06-01"}]})
    assert out == ["equipment[0].unit_price（设备第1行·单价）：购置设备须填写单价（元），未填写不按 0 计算"]


def test_a_unit_price_of_null_is_missing_too():
    out = messages({"date": "2024-09-30", "equipment": [{**BOUGHT, "unit_price": None}]})
    assert out == ["equipment[0].unit_price（设备第1行·单价）：购置设备须填写单价（元），未填写不按 0 计算"]


def test_a_purchase_without_an_acquisition_date_is_an_error():
    out = messages({"date": "2024-09-30", "equipment": [BOUGHT, {"unit_price": 5}]})
    assert out == [
        "equipment[1].acquired_on（设备第2行·购置日期）：购置设备须填写购置日期（YYYY-MM-DD），"
        "一次性税前扣除按购置日期判断"
    ]


def test_a_purchase_missing_both_names_both_fields():
    out = messages({"date": "2024-09-30", "equipment": [{"name": "机床"}]})
    assert [m.split("：")[0] for m in out] == [
        "equipment[0].unit_price（设备第1行·单价）",
        "equipment[0].acquired_on（设备第1行·购置日期）",
    ]


def test_a_lease_without_a_lease_fee_is_an_error():
    out = messages({"date": "2024-09-30", "equipment": [{"acquisition": "lease", "unit_price": 300}]})
    assert out == [
        "equipment[0].lease_fee（设备第1行·租赁费）：租赁设备须填写租赁费（元），未填写不按 0 计算"
    ]


def test_a_zero_that_is_written_is_a_zero():
    req = parse_request({"date": "2024-09-30", "equipment": [{**BOUGHT, "unit_price": 0}]})
    assert req.equipment[0].unit_price == 0


@pytest.mark.parametrize(
    ("quantity", "shown"),
    [(0, "0"), (-1, "-1"), (2.5, "2.5"), ("两台", '"两台"'), (True, "true"), (None, "null")],
)
def test_a_quantity_must_be_a_whole_number_of_at_least_one(quantity, shown):
    out = messages({"date": "2024-09-30", "equipment": [{**BOUGHT, "quantity": quantity}]})
    assert out == [f"equipment[0].quantity（设备第1行·数量）：应为不小于 1 的整数（台/套数），实为 {shown}"]


@pytest.mark.parametrize("quantity", [3, 3.0, "3"])
def test_a_whole_quantity_is_read_as_an_integer(quantity):
    req = parse_request({"date": "2024-09-30", "equipment": [{**BOUGHT, "quantity": quantity}]})
    assert req.equipment[0].quantity == 3


# ---- enumerations in Chinese ------------------------------------------------------------------------


def test_an_unknown_category_lists_the_categories_with_their_chinese_names():
    (out,) = messages({"date": "2024-09-30", "equipment": [{**BOUGHT, "category": "robots"}]})
    assert out.startswith(
        "equipment[0].category（设备第1行·设备类别）：取值不在允许范围内（可选：general=生产设备（通用） / "
    )
    assert "safety=安全生产专用设备（目录内））" in out and out.endswith('，实为 "robots"')
    assert " or " not in out and "'general'" not in out


def test_an_unknown_acquisition_lists_purchase_and_lease_in_chinese():
    assert messages({"date": "2024-09-30", "equipment": [{"acquisition": "gift"}]}) == [
        'equipment[0].acquisition（设备第1行·取得方式）：取值不在允许范围内（可选：purchase=购置 / lease=租赁），实为 "gift"'
    ]


def test_an_unknown_programme_level_and_base_are_listed_in_chinese():
    programme = {"id": "x", "name": "x", "level": "乡级", "base": "price", "rate": 0.1}
    assert messages({"date": "2024-09-30", "programmes": [programme]}) == [
        "programmes[0].level（补助政策第1项·政策级别）：取值不在允许范围内"
        '（可选：国家级 / 省级 / 市级 / 县级 / 国家 / 省 / 市 / 区县 / 县），实为 "乡级"',
        "programmes[0].base（补助政策第1项·计算基数）：取值不在允许范围内"
        '（可选：eligible_equipment_investment=设备投资额（含首台套加计） / total_investment=项目总投资），实为 "price"',
    ]


BAD_REQUESTS = [
    {"date": "2024-02-30"},
    {"date": "30/09/2024"},
    {"date": 20240930},
    {"date": "2024-09-30T08:00:00"},
    {"date": "2024-09-30", "equipment": "机床"},
    {"date": "2024-09-30", "equipment": [7]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "unit_price": "很多"}]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "unit_price": "1.234"}]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "unit_price": "NaN"}]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "unit_price": 10**30}]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "quantity": 10**30}]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "acquired_on": "昨天"}]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "first_set": "乡级"}]},
    {"date": "2024-09-30", "equipment": [{**BOUGHT, "colour": "red"}]},
    {"date": "2024-09-30", "enterprise": {"cit_rate": 2, "high_tech": "maybe", "uscc": 5}},
    {"date": "2024-09-30", "enterprise": []},
    {"date": "2024-09-30", "project": {"types": "技术改造", "total_investment": -1}},
    {
        "date": "2024-09-30",
        "programmes": [{"id": "", "name": "x" * 201, "level": "市级", "base": "total_investment"}],
    },
    {"date": "2024-09-30", "equipment": [BOUGHT] * 501},
]
# What may stay Latin in a message: the date pattern, JSON words, the codes the JSON takes.
LATIN_ALLOWED = {"YYYY", "MM", "DD", "JSON", "true", "false", "null"}


@pytest.mark.parametrize("data", BAD_REQUESTS, ids=range(len(BAD_REQUESTS)))
def test_no_message_has_an_english_fragment(data):
    for message in messages(data):
        text = message.split("）：", 1)[1]  # after the field path and its label
        text = re.sub(r"，实为 .*$", "", text)  # the value as given
        text = re.sub(r"（可选：.*）", "", text)  # the codes the JSON takes
        words = set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_ALLOWED
        assert not words, message
