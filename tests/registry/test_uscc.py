"""统一社会信用代码 checks on the examples of FACTS.md."""

import pytest

from renewal.registry.uscc import check


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",
        "913304007429141869",
        "91310115MA1K3BTP2B",
        "121200004013590816",
        "91350100M000100Y43",
    ],
)
def test_it_accepts_valid_codes(code):
    assert check(code).ok


def test_it_warns_but_does_not_reject_an_early_pilot_code():
    result = check("91350211M0000XUF46")
    assert not result.ok and result.error is None
    assert "校验位应为 R，实为 6" in result.warning


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000060003734", "统一社会信用代码应为 18 位，实为 16 位"),
        ("91110000600037341I", "统一社会信用代码含非法字符 I（不使用 I、O、S、V、Z）"),
        ("91AB0000600037341L", "统一社会信用代码第 3–8 位应为行政区划代码（6 位数字）"),
    ],
)
def test_it_rejects_malformed_codes(code, message):
    assert check(code).error == message


def test_it_normalises_case_spaces_and_full_width_characters():
    assert check(" ９１１１００００６０００３７３４１ｌ ").code == "91110000600037341L"
    assert check("91110000600037341l").ok


def test_a_wrong_check_character_is_only_a_warning():
    result = check("91110000600037341K")
    assert result.error is None and "校验位应为 L" in result.warning
