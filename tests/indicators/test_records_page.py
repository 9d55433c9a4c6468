"""A drill-down reads like the plan: amounts in 万元 with the unit, names of areas and statistics
(never their codes), and the statistics row that made the number marked."""

import re

import pytest
from django.urls import reverse

from renewal.accounts.models import Role
from tests.factories import user

from . import factories as f

pytestmark = pytest.mark.django_db
Q = {"year": "2024", "as_of": "2024-03-31"}


@pytest.fixture
def admin(client, sample):
    client.force_login(user("admin-test", Role.CITY_ADMIN))
    return client


def page(client, target, **params) -> str:
    response = client.get(reverse("indicators:records", args=[target]), {**Q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_statistics_drilldown_names_the_statistic_and_the_area_and_writes_wan(admin):
    f.statistic("mfg_investment", "330400", "2024-03", 5_100_010_000)
    f.statistic("mfg_investment", "330402", "2024-03", 1_000_000_000)
    text = page(admin, "G1")
    assert "<td>嘉兴市</td>" in text and ">制造业投资</a>" in text
    assert "510,001.00万元" in text
    assert "mfg_investment" not in text and "<td>330400</td>" not in text and "5,100,010,000" not in text
    nanhu = page(admin, "G1", area="330402")
    assert "<td>南湖区</td>" in nanhu and "100,000.00万元" in nanhu


def test_a_level_statistic_keeps_its_full_unit(admin):
    f.statistic("labour_productivity", "330400", "2024-03", 345_500)
    assert "34.6万元/人·年" in page(admin, "G9")


def test_a_registry_drilldown_lists_amounts_in_wan_with_the_unit(admin):
    text = page(admin, "T1.equipment")
    assert "17,000.00万元" in text  # EX-001: 8000 + 9000 万元, not 1.70亿元
    assert re.search(r"<tfoot>.*万元</th>", text, re.S)


def test_the_statistics_row_that_made_the_number_is_marked_and_later_months_are_left_out(admin):
    f.statistic("mfg_investment", "330400", "2024-02", 3_000_000_000)
    f.statistic("mfg_investment", "330400", "2024-03", 4_000_000_000)
    f.statistic("mfg_investment", "330400", "2024-04", 5_000_000_000)  # after the data date
    text = page(admin, "G1")  # as of 2024-03-31
    row = next(line for line in text.splitlines() if "（取数行）" in line)
    assert 'class="marked"' in row and "<b>400,000.00万元</b>" in row and "2024-03" in row
    assert text.count("（取数行）") == 1
    assert "300,000.00万元" in text and "500,000.00万元" not in text
    mid_march = page(admin, "G1", as_of="2024-03-20")  # data date 2024-02-29: February made it
    row = next(line for line in mid_march.splitlines() if "（取数行）" in line)
    assert "2024-02" in row and "400,000.00万元" not in mid_march
