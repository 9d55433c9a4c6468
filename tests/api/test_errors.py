"""The API's 422: pydantic's error types in Chinese, at the field's location, for every endpoint."""

import re

import pytest

from renewal.accounts.tokens import token_create
from renewal.api.errors import describe, field_path


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "missing", "msg": "Field required"}, "缺少必填字段"),
        (
            {"type": "int_parsing", "msg": "Input should be a valid integer, unable to parse string"},
            "应为整数",
        ),
        ({"type": "int_from_float", "msg": "Input should be a valid integer, got a number"}, "应为整数"),
        ({"type": "decimal_parsing", "msg": "Input should be a valid decimal"}, "应为数字"),
        (
            {"type": "date_from_datetime_parsing", "msg": "Input should be a valid date"},
            "应为日期（YYYY-MM-DD）",
        ),
        ({"type": "greater_than_equal", "msg": "Input should be >= 0", "ctx": {"ge": 0}}, "不能小于 0"),
        ({"type": "less_than_equal", "msg": "Input should be <= 1000", "ctx": {"le": 1000}}, "不能大于 1000"),
        (
            {"type": "literal_error", "msg": "", "ctx": {"expected": "'草稿', '已申报' or '已入库'"}},
            "取值不在允许范围内（可选：草稿 / 已申报 / 已入库）",
        ),
        (
            {"type": "enum", "msg": "", "ctx": {"expected": "'month' or 'year'"}},
            "取值不在允许范围内（可选：month / year）",
        ),
        ({"type": "string_too_long", "msg": "", "ctx": {"max_length": 18}}, "过长（最多 18 个字符）"),
        ({"type": "too_short", "msg": "", "ctx": {"min_length": 2}}, "至少 2 项"),
        ({"type": "multiple_of", "msg": "", "ctx": {"multiple_of": 5}}, "应为 5 的倍数"),
        ({"type": "value_error", "msg": "Value error, 未知的项目类型 造飞机"}, "未知的项目类型 造飞机"),
        ({"type": "some_future_type", "msg": "Something went wrong"}, "取值无效"),
    ],
    ids=lambda v: v["type"] if isinstance(v, dict) else "",
)
def test_an_error_type_reads_in_chinese(error, message):
    assert describe(error) == message


def test_the_location_drops_where_the_value_came_from():
    assert field_path(("body", "payload", "items", 2, "price")) == "items[2].price"
    assert field_path(("query", "limit")) == "limit"


@pytest.mark.django_db
def test_a_bad_body_is_a_422_in_chinese_naming_each_field(client, people):
    token = token_create(user=people["op_nanhu"])[1]
    body = {"name": "某公司", "area": "330402", "industry_code": "34", "land_mu": "很多", "employees": 2.5}
    answer = client.post(
        "/api/v1/enterprises",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": "uscc", "message": "缺少必填字段", "type": "missing"},
        {"field": "land_mu", "message": "应为数字", "type": "decimal_parsing"},
        {"field": "employees", "message": "应为整数", "type": "int_from_float"},
    ]
    detail = answer.json()["detail"]
    assert detail == "请求数据有误：uscc：缺少必填字段；land_mu：应为数字；employees：应为整数"
    assert not re.search(
        r"[A-Za-z]{3,}", detail.replace("land_mu", "").replace("uscc", "").replace("employees", "")
    )
