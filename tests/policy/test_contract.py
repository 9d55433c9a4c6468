"""Invalid requests are explained in Chinese, naming the field."""

import pytest

from renewal.policy.contract import RequestError, parse_request


def messages(data) -> list[str]:
    with pytest.raises(RequestError) as exc:
        parse_request(data)
    return [f"{e['field']}（{e['label']}）：{e['message']}" for e in exc.value.errors]


def test_a_missing_date_is_named():
    assert messages({}) == ["date（计算日期）：缺少必填字段"]


def test_a_negative_price_names_the_equipment_row():
    out = messages({"date": "2024-09-30", "equipment": [{}, {"unit_price": -5}]})
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
