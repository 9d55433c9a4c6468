"""Every figure a person reads comes from one table of units and is rounded 四舍五入 on its exact
decimal value (docs/decisions/0013-one-units-table.md)."""

from decimal import Decimal

import pytest

from renewal.lib import units
from renewal.planning import schema


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        # 四舍五入 on the exact value: binary floats would round these ties to even
        (0.0625, "ratio", "6.3%"),
        (Decimal("0.0625"), "ratio", "6.3%"),
        (314_500, "CNY/mu", "31.5万元/亩"),
        (16_822_500_000, "CNY", "168.23亿元"),
        (16_822_500_000.0, "CNY", "168.23亿元"),
        (12_345, "CNY", "1.23万元"),
        (12_355, "CNY", "1.24万元"),
        # full unit labels
        (380_000, "CNY/person-year", "38.0万元/人·年"),
        (2_115_000, "CNY/mu", "211.5万元/亩"),
        (110_000_000_000, "CNY", "1,100.00亿元"),
        (7, "count", "7个"),
        (10_000, "set", "10,000台"),
        (12_500, "tce", "1.25万吨标准煤"),
        (9_999, "tce", "9,999吨标准煤"),
        (0.55, "ratio", "55.0%"),
        (-0.0001, "ratio", "0.0%"),
    ],
)
def test_a_figure_is_rounded_half_up_with_its_full_unit(value, unit, expected):
    assert units.figure(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (99_990_000, "9,999.00万元"),  # below 1亿元: 万元
        (99_999_949.99, "9,999.99万元"),
        (99_999_999.996, "1.00亿元"),  # rounds to 10,000.00万元: written as 1亿元
        (100_000_000, "1.00亿元"),  # from 1亿元: 亿元
        (-150_000_000, "-1.50亿元"),  # a fall switches by its size too
        (10_000_000, "1,000.00万元"),  # the bulletin used to switch here
    ],
)
def test_money_switches_to_yi_at_one_yi_on_every_page(value, expected):
    assert units.figure(value, "CNY") == expected


def test_a_column_of_amounts_stays_in_wan_whatever_their_size():
    wan = units.column("CNY")
    assert units.figure(5_100_010_000, "CNY", wan) == "510,001.00万元"
    assert units.wan(5_100_010_000) == "510,001.00" and units.wan(314_550) == "31.46"
    assert units.wan(30_000_000, 0) == "3,000"


def test_a_row_or_an_axis_takes_the_unit_of_its_largest_value():
    assert units.pick("CNY", [50_000_000, 150_000_000, None]).label == "亿元"
    assert units.pick("CNY", [50_000_000, None]).label == "万元"
    assert units.pick("CNY", []).label == "万元"
    assert units.scale("CNY", [2e8]) == (1e8, "亿元") and units.scale("ratio", [0.5]) == (0.01, "%")


def test_a_shown_figure_is_its_rounded_number_and_decimals_for_a_spreadsheet():
    s = units.shown(110_012_345_678, "CNY")
    assert (s.value, s.places, s.label, s.text) == (Decimal("1100.12"), 2, "亿元", "1,100.12")
    assert units.shown(0.6254, "ratio").value == Decimal("62.5")
    assert units.shown(None, "CNY") is None


def test_every_unit_of_the_plan_file_has_a_row_in_the_table():
    target_units = set(schema.Unit.__args__)
    parameter_units = set(schema.Parameter.model_fields["unit"].annotation.__args__) - schema.TEXT_UNITS
    assert target_units | parameter_units <= set(units.UNITS)


def test_other_forms_round_half_up_too():
    assert units.percent(0.0625) == "6.3%"
    assert units.percent(0.5, 2, trim=True) == "50%" and units.percent(0.125, 2, trim=True) == "12.5%"
    assert units.number(Decimal("31.45"), 1) == "31.5"
    assert units.plain(Decimal("1234567.500000")) == "1,234,567.5"


def test_nothing_shows_as_a_dash_or_blank_never_as_zero():
    assert units.figure(None, "CNY") == "—" and units.figure("", "ratio") == "—"
    assert units.percent(None) == "—" and units.percent(None, trim=True) == ""
    assert units.wan(None) == "" and units.wan("") == "" and units.plain(None) == ""
