"""Every figure a person reads is rounded 四舍五入 on its exact decimal value, in one module."""

from decimal import Decimal

import pytest

from renewal.lib import units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (units.percent(0.0625), "6.3%"),  # a binary float rounds 6.25 half to even: 6.2
        (units.human(0.0625, "ratio"), "6.3%"),
        (units.number(Decimal("31.45"), 1), "31.5"),
        (units.wan(314_550), "31.46"),
        (units.document(314_500, "CNY", {}), "31.45万元"),
        (units.document(12_345_000, "CNY", {}), "0.12亿元"),
        (units.human(1_234_500_000, "CNY"), "12.35亿元"),
        (units.human(12_345, "CNY"), "1万元"),
        (units.human(15_000, "CNY"), "2万元"),
        (units.human(12_500, "tce"), "1.25万吨标准煤"),
        (units.human(7, "count"), "7个"),
        (units.percent(0.5, 2, trim=True), "50%"),
        (units.plain(Decimal("1234567.500000")), "1,234,567.5"),
    ],
)
def test_a_figure_is_rounded_half_up_with_its_full_unit(text, expected):
    assert text == expected


def test_nothing_shows_as_a_dash_or_blank_never_as_zero():
    assert units.human(None, "CNY") == "—" and units.document(None, "ratio", {}) == "—"
    assert units.wan(None) == "" and units.wan("") == "" and units.plain(None) == ""
