"""The table of rule cases (cases.yaml), each citing its clause, run through the exact calculator."""

from pathlib import Path

import pytest
import yaml

from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate

from .conftest import build_request, lookup

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


def test_every_case_cites_a_clause_of_the_plan(jiaxing):
    clauses = {c.id for c in jiaxing.clauses}
    for case in CASES:
        assert case["cites"] and set(case["cites"]) <= clauses, case["name"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case, policy_data):
    answer = calculate(parse_request(build_request(case["input"])), policy_data)
    for path, expected in case["output"].items():
        assert lookup(answer, path) == expected, f"{path} ({', '.join(case['cites'])})"
