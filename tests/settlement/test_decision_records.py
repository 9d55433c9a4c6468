"""Frozen decision records: parameter changes never alter them; recomputing makes a new version."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.planning import schema
from renewal.planning.services import plan_load
from renewal.settlement import services
from renewal.settlement.models import DecisionRecord, FrozenRecordError, SettlementRun

from .conftest import make_project

pytestmark = pytest.mark.django_db
DATE = dt.date(2024, 10, 8)


def reload_plan_with(jiaxing, *, cap=None, city_rate=None):
    data = jiaxing.model_dump(mode="json")
    for p in data["parameters"]:
        if p["id"] == "P11.subsidy_cap" and cap is not None:
            p["values"] = [{"effective_from": "2024-04-25", "value": cap}]
    for p in data["programmes"]:
        if p["id"] == "example-city-renewal" and city_rate is not None:
            p["rate"] = city_rate
    plan_load(plan=schema.parse_plan(data))


def test_a_settled_project_gets_a_first_version_with_inputs_parameters_result_and_who(
    project, django_user_model
):
    admin = django_user_model.objects.create_user("city-admin")
    record, created = services.decision_record_settle(project=project, user=admin, date=DATE)
    assert created and record.version == 1
    # eligible = 36M general + 4M first set × 150% = 42M; provincial key 5% = 2.1M → cap 10M ok;
    # city 8% = 3.36M → its cap 5M not reached; total 5.46M
    assert record.result["eligible_equipment_investment"] == 42_000_000
    assert record.subsidy_total == Decimal("5460000")
    assert record.inputs["project"]["code"] == "P-2024-001"
    assert {"id": "P11.subsidy_cap", "value": 30000000, "effective_from": "2024-04-25"}.items() <= next(
        p for p in record.parameters["values"] if p["id"] == "P11.subsidy_cap"
    ).items()
    assert record.trace and record.created_by_name == "city-admin"


def test_a_parameter_change_never_alters_a_stored_record(project, jiaxing):
    record, _ = services.decision_record_settle(project=project, date=DATE)
    stored = DecisionRecord.objects.get(pk=record.pk)
    before = (stored.result, stored.parameters, stored.trace, stored.subsidy_total)
    reload_plan_with(jiaxing, city_rate="0.10", cap=4000000)
    again = DecisionRecord.objects.get(pk=record.pk)
    assert (again.result, again.parameters, again.trace, again.subsidy_total) == before


def test_recomputing_after_a_change_creates_a_new_version_with_a_diff(project, jiaxing):
    first, _ = services.decision_record_settle(project=project, date=DATE)
    reload_plan_with(jiaxing, city_rate="0.10")
    second, created = services.decision_record_settle(project=project, date=DATE, reason="市级补助比例调整")
    assert created and second.version == 2 and second.previous == first
    # city 10% × 42M = 4.2M (was 3.36M)
    changed = {d["field"]: (d["before"], d["after"]) for d in second.diff}
    assert changed["result.subsidies[example-city-renewal].amount"] == (3360000, 4200000)
    assert changed["result.subsidy_total"] == (5460000, 6300000)
    assert changed["programmes[example-city-renewal].rate"] == (0.08, 0.1)
    assert DecisionRecord.objects.get(pk=first.pk).subsidy_total == Decimal("5460000")


def test_recomputing_with_nothing_changed_keeps_the_latest_version(project):
    first, _ = services.decision_record_settle(project=project, date=DATE)
    again, created = services.decision_record_settle(project=project, date=DATE + dt.timedelta(days=3))
    assert not created and again.pk == first.pk
    assert project.decisions.count() == 1


def test_a_decision_record_cannot_be_edited_or_deleted(project):
    record, _ = services.decision_record_settle(project=project, date=DATE)
    record.subsidy_total = Decimal(1)
    with pytest.raises(FrozenRecordError):
        record.save()
    with pytest.raises(FrozenRecordError):
        record.delete()
    assert DecisionRecord.objects.get(pk=record.pk).subsidy_total == Decimal("5460000")


def test_the_programme_caps_are_recorded_and_the_stacking_cap_does_not_bite_below_it(enterprise):
    lines = [{"unit_price": Decimal(10_000_000), "quantity": 80, "acquired_on": dt.date(2024, 5, 6)}]
    big = make_project(
        enterprise,
        code="P-BIG",
        lines=lines,
        total_investment=Decimal(900_000_000),
        equipment_investment=Decimal(800_000_000),
        first_set_purchase=Decimal(0),
    )
    record, _ = services.decision_record_settle(project=big, date=DATE)
    # 80 × 10M = 800M: 5% → 40M, its cap 10M; 8% → 64M, its cap 5M: 15M, under the 30M stacking cap
    assert record.subsidy_total == Decimal(15_000_000) and record.result["capped"] is False


def test_batch_settlement_of_a_year_settles_only_accepted_projects(
    enterprise, django_capture_on_commit_callbacks
):
    make_project(enterprise, code="A-1")
    make_project(enterprise, code="A-2", status="已兑现")
    make_project(enterprise, code="B-1", status="在建")
    make_project(enterprise, code="C-1", year=2023)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.settlement_run_start(year=2024, date=DATE)
    run = SettlementRun.objects.get(pk=run.pk)
    assert run.status == SettlementRun.Status.DONE
    assert (run.total, run.done, run.created, run.unchanged) == (2, 2, 2, 0)
    assert sorted(DecisionRecord.objects.values_list("project__code", flat=True)) == ["A-1", "A-2"]
    assert run.subsidy_total == Decimal("10920000")


def test_a_second_batch_with_unchanged_rules_creates_no_versions(
    enterprise, django_capture_on_commit_callbacks
):
    make_project(enterprise, code="A-1")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.settlement_run_start(year=2024, date=DATE)
    run = SettlementRun.objects.get(pk=run.pk)
    assert (run.created, run.unchanged) == (0, 1)
    assert DecisionRecord.objects.count() == 1
