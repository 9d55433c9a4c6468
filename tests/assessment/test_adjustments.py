"""Score events: bonus/penalty items and manual adjustments, with reason, author and audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from renewal.accounts.models import Role
from renewal.assessment import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(loaded_plan):
    return factories.user("city-admin", Role.CITY_ADMIN)


def score_of(area: str, as_of=dt.date(2024, 3, 31)):
    return next(s for s in selectors.scores_at(2024, as_of) if s.area == area)


def test_a_bonus_item_counts_from_its_month_on_and_is_audited(small_registry, admin):
    before = score_of("330481").score
    adj = services.adjustment_create(
        area="330481", year=2024, month=3, item="provincial_award", reason="全省现场会典型发言", author=admin
    )
    assert score_of("330481").score == before + 2
    feb = next(s for s in selectors.scores_at(2024, dt.date(2024, 2, 29)) if s.area == "330481")
    assert not any(p.kind == "bonus" for p in feb.points)  # recorded for March: not in February
    assert adj.author == admin and adj.reason == "全省现场会典型发言"
    assert adj.history.count() == 1 and adj.history.first().history_change_reason == "录入"


def test_a_manual_adjustment_needs_a_reason_and_stays_within_the_limit(small_registry, admin):
    with pytest.raises(ValidationError) as exc:
        services.adjustment_create(area="330402", year=2024, month=3, points="9", reason="", author=admin)
    assert "reason" in exc.value.message_dict and "不能超过 ±5" in exc.value.message_dict["points"][0]


def test_only_a_city_administrator_may_adjust(small_registry):
    op = factories.user("op-330402", Role.AREA_OPERATOR, area_id="330402")
    with pytest.raises(PermissionDenied):
        services.adjustment_create(area="330402", year=2024, month=3, points="3", reason="自评", author=op)


def test_a_withdrawn_adjustment_stops_counting_but_remains_on_record(small_registry, admin):
    before = score_of("330402").score
    adj = services.adjustment_create(
        area="330402", year=2024, month=1, points="-3", reason="数据差错", author=admin
    )
    assert score_of("330402").score == before - 3
    services.adjustment_withdraw(adjustment=adj, by=admin, reason="经核实数据无误")
    assert score_of("330402").score == before
    adj.refresh_from_db()
    assert adj.withdrawn_by == admin and adj.history.count() == 2


def test_ranking_history_has_a_rank_per_area_and_month(small_registry):
    hist = selectors.history(2024, dt.date(2024, 3, 31))
    assert [m["month"] for m in hist["months"]] == ["2024-01", "2024-02", "2024-03"]
    for m in hist["months"]:
        assert sorted(s.rank for s in m["scores"].values())[0] == 1 and len(m["scores"]) == 9
    assert len(hist["annual"]) == 9 and all("平均" in s.points[0].basis for s in hist["annual"])
