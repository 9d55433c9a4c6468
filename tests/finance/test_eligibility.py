"""The eligibility of the list pushed to banks (P12) as a table: both sides of every threshold."""

import ast
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from renewal.finance import eligibility as E
from renewal.registry import reference

BASE = {
    "total_investment": Decimal(20_000_000),
    "loan_demand": Decimal(10_000_000),
    "status": "在建",
    "intended_banks": ["icbc"],
}


@pytest.fixture(scope="module")
def rules(jiaxing):
    return E.Rules.from_plan(
        jiaxing.finance, counted=reference.counted_statuses(), completed=reference.completed_statuses()
    )


CASES = [
    # (name, changes, eligible, failed condition, words of the reason)
    ("total investment exactly 2,000万 is eligible", {}, True, None, None),
    (
        "total investment 1,999.99万 is not",
        {"total_investment": Decimal("19999900"), "loan_demand": Decimal(1_000_000)},
        False,
        "total_investment",
        "低于 2,000.00万元（示例值）",
    ),
    ("loan demand equal to the total is eligible", {"loan_demand": Decimal(20_000_000)}, True, None, None),
    (
        "loan demand above the total is not",
        {"loan_demand": Decimal("20000000.01")},
        False,
        "loan_demand",
        "超过总投资",
    ),
    ("no loan demand is not eligible", {"loan_demand": Decimal(0)}, False, "loan_demand", "未填写贷款需求"),
    ("three banks are eligible", {"intended_banks": ["icbc", "abc", "boc"]}, True, None, None),
    (
        "four banks are not",
        {"intended_banks": ["icbc", "abc", "boc", "ccb"]},
        False,
        "banks",
        "超过 3家（示例值） 上限",
    ),
    ("no bank is not eligible", {"intended_banks": []}, False, "banks", "未选择意向银行"),
    (
        "an unknown bank is not eligible",
        {"intended_banks": ["nosuch"]},
        False,
        "banks",
        "未知的银行代码：nosuch",
    ),
    ("a bank named twice counts once", {"intended_banks": ["icbc", "icbc", "abc", "boc"]}, True, None, None),
    ("an accepted project (已入库) is eligible", {"status": "已入库"}, True, None, None),
    ("a declared project (已申报) is not", {"status": "已申报"}, False, "status", "尚未入库"),
    ("a completed project (竣工) is not", {"status": "竣工"}, False, "status", "已竣工，不再列入"),
    ("a paid project (已兑现) is not", {"status": "已兑现"}, False, "status", "“已兑现”，已竣工"),
]


@pytest.mark.parametrize(("name", "changes", "eligible", "failed", "words"), CASES, ids=[c[0] for c in CASES])
def test_it_checks_each_condition_of_p12(rules, name, changes, eligible, failed, words):
    result = E.project_eligibility(BASE | changes, rules)
    assert result.eligible is eligible
    assert [c.code for c in result.failed] == ([failed] if failed else [])
    assert all(c.clause == "P12" for c in result.conditions)
    if words:
        assert words in result.reasons[0]


def test_it_lists_every_failed_condition_in_chinese(rules):
    result = E.project_eligibility(
        {"total_investment": 0, "loan_demand": 0, "status": "草稿", "intended_banks": []}, rules
    )
    assert not result.eligible
    assert [c.code for c in result.failed] == ["total_investment", "status", "loan_demand", "banks"]
    assert all(r and not r.isascii() for r in result.reasons)


def test_a_plan_without_example_values_drops_the_mark(rules):
    from dataclasses import replace

    real = replace(rules, example=False)
    result = E.project_eligibility(BASE | {"total_investment": 1}, real)
    assert "示例" not in result.reasons[0]


def test_the_rule_is_pure():
    tree = ast.parse(Path(E.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module)
    for module in imported:
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or module == "renewal.lib.units", module
