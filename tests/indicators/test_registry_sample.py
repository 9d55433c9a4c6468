"""The shared example workbook gives the hand-checked city values of registry-sample.expected.json."""

import json

import pytest

from .conftest import city
from .sample import EXPECTED

pytestmark = pytest.mark.django_db

EXPECTED_KEYS = {
    "T1 provincial key projects (target 500)": "T1.projects",
    "T1 equipment investment, yuan (target 2e10)": "T1.equipment",
    "T1 projects of at least 10亿元 (target 10)": "T1.large",
    "T2 demonstration factories (target 20)": "T2.demo",
    "T2 green factories (target 100)": "T2.green",
    "T3 first-set products (target 15)": "T3",
    "T5 robots (target 10000)": "T5",
    "T6 chain projects (target 8)": "T6",
    "T8 green projects (target 500)": "T8.green",
    "P14 energy space, tce (target 700000)": "P14.energy",
}


@pytest.fixture
def expected():
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_the_sample_workbook_gives_every_expected_city_value(sample, compute, expected):
    result = compute(expected["year"], expected["as_of"])
    assert set(EXPECTED_KEYS) == set(expected["city"])
    got = {label: city(result, target)["actual"] for label, target in EXPECTED_KEYS.items()}
    assert got == expected["city"]


def test_the_sample_workbook_gives_the_expected_shares(sample, compute, expected):
    result = compute(expected["year"], expected["as_of"])
    annual = {"T1.projects", "T1.equipment", "T1.large", "T3", "T6", "T8.green", "P11.funds"}
    cumulative = {"T2.demo", "T2.green", "T5", "P14.energy"}
    for target in annual:
        assert city(result, target)["expected"] == expected["expected_share"]["annual targets"]
    for target in cumulative:
        assert city(result, target)["expected"] == expected["expected_share"]["2024-01..2027-12 targets"]


def test_the_area_given_by_its_code_lands_in_that_area(sample, compute):
    result = compute(2024, "2024-03-31")
    # 平湖 (given as 330482): its only project EX-004 is merely 已申报, its first-set product counts
    assert next(i for i in result.for_area("330482") if i["target_id"] == "T3")["actual"] == 1
    assert next(i for i in result.for_area("330482") if i["target_id"] == "T1.projects")["actual"] == 0
