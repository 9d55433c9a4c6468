"""The demo's data checks: a few outliers reported through the service are flagged, once."""

import datetime as dt

import pytest

from renewal.quality.demo import quality_demo_load
from renewal.quality.models import ValueFlag
from tests.quality.conftest import MONTHS, progress

pytestmark = pytest.mark.django_db


def test_the_demo_reports_an_outlier_through_the_service_and_flags_it_once(series):
    progress(series["NH"], MONTHS[4], 10)  # January–May at 10, 12, 11, 13, 10 万元
    made = quality_demo_load(user=series["city_admin"])
    assert made["异常值"] == 1  # May reported at 12 × April (13): 156万元
    flag = ValueFlag.objects.get(rule="outlier_jump")
    assert (flag.month, flag.raised_by) == (dt.date(2024, 5, 1), series["city_admin"])
    assert quality_demo_load(user=series["city_admin"]) == {}
