"""Batches of the list pushed to banks (P12): compile, review, push, frozen after the push."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from renewal.accounts.scope import scope_for
from renewal.finance import batches as B
from renewal.finance.models import BatchItem, LoanBatch
from renewal.lib.errors import Invalid, Refused

from . import batch_data

pytestmark = pytest.mark.django_db
world, pushed = batch_data.world, batch_data.pushed  # the fixture and a helper


def items(batch):
    return sorted((i.project.code, i.bank) for i in batch.items.select_related("project"))


# ---- compile -------------------------------------------------------------------------------------


def test_it_lists_one_item_per_intended_bank_and_refuses_the_ineligible_with_reasons(world):
    out = B.batch_compile(name="第一批", project_codes=["NH-E1", "NH-X1", "NOPE"], user=world["city_admin"])
    assert items(out.batch) == [("NH-E1", "abc"), ("NH-E1", "icbc")]
    assert out.batch.status == LoanBatch.Status.DRAFT
    assert out.batch.created_by == world["city_admin"] and out.batch.created_by_name == "city-admin"
    refused = {r["project"]: r["reasons"] for r in out.refused}
    assert "低于 2,000.00万元（示例值）" in refused["NH-X1"][0]
    assert refused["NOPE"] == ["项目不存在"]


def test_the_snapshot_keeps_the_project_as_listed(world):
    batch = B.batch_compile(name="第一批", project_codes=["NH-E1"], user=world["city_admin"]).batch
    item = batch.items.get(bank="icbc")
    assert item.snapshot == {
        "code": "NH-E1",
        "name": "NH-E1 技改项目",
        "enterprise_name": "南湖测试机械有限公司",
        "uscc": "913304007429141869",
        "contact_person": "张三",
        "contact_phone": "0573-8200001",
        "area": "330402",
        "area_name": "南湖区",
        "total_investment": "30000000.00",
        "equipment_investment": "18000000.00",
        "loan_demand": "10000000.00",
        "status": "在建",
        "year": 2024,
    }
    assert item.loan_demand == Decimal(10_000_000)


@pytest.mark.parametrize("who", ["city_reviewer", "viewer", "op_nanhu", "enterprise", "bank_a", "outsider"])
def test_only_the_city_administrator_compiles(world, who):
    with pytest.raises(Refused, match="只有市级管理员可以编制推送批次"):
        B.batch_compile(name="第一批", project_codes=["NH-E1"], user=world[who])
    assert not LoanBatch.objects.exists()


def test_a_batch_of_ineligible_projects_only_is_not_written(world):
    with pytest.raises(Invalid, match="没有可列入批次的项目.*NH-X1"):
        B.batch_compile(name="第一批", project_codes=["NH-X1", "NH-1"], user=world["city_admin"])
    assert not LoanBatch.objects.exists()


def test_a_name_is_used_once(world):
    B.batch_compile(name="第一批", project_codes=["NH-E1"], user=world["city_admin"])
    with pytest.raises(Invalid, match="已存在"):
        B.batch_compile(name="第一批", project_codes=["HN-E2"], user=world["city_admin"])


def test_eligible_takes_every_eligible_project(world):
    out = B.batch_compile(name="全部", eligible=True, user=world["city_admin"])
    assert items(out.batch) == [("HN-E2", "abc"), ("NH-E1", "abc"), ("NH-E1", "icbc")]


def test_eligible_leaves_out_what_is_already_pushed_to_the_same_bank(world):
    admin = world["city_admin"]
    first = B.batch_compile(name="第一批", project_codes=["NH-E1"], user=admin).batch
    B.batch_item_remove(batch=first, item_id=first.items.get(bank="abc").pk, user=admin)
    B.batch_review(batch=first, user=admin)
    B.batch_push(batch=first, user=admin)
    second = B.batch_compile(name="第二批", eligible=True, user=admin).batch
    # NH-E1 was pushed to icbc only: its abc item is still to push
    assert items(second) == [("HN-E2", "abc"), ("NH-E1", "abc")]


def test_eligible_leaves_out_what_waits_in_another_batch(world):
    admin = world["city_admin"]
    B.batch_compile(name="第一批", project_codes=["NH-E1"], user=admin)
    assert items(B.batch_compile(name="第二批", eligible=True, user=admin).batch) == [("HN-E2", "abc")]


def test_a_project_pushed_to_all_its_banks_is_refused_by_name(world):
    pushed(world, "第一批", ["HN-E2"])
    with pytest.raises(Invalid, match="已推送至中国农业银行（批次“第一批”）"):
        B.batch_compile(name="第二批", project_codes=["HN-E2"], user=world["city_admin"])


# ---- review and push -----------------------------------------------------------------------------


@pytest.fixture
def draft(world):
    return B.batch_compile(name="第一批", project_codes=["NH-E1", "HN-E2"], user=world["city_admin"]).batch


@pytest.mark.parametrize("who", ["city_reviewer", "city_admin"])
def test_a_city_reviewer_or_administrator_reviews(world, draft, who):
    batch = B.batch_review(batch=draft, user=world[who])
    assert batch.status == LoanBatch.Status.REVIEWED
    assert batch.reviewed_by == world[who] and batch.reviewed_at is not None


@pytest.mark.parametrize("who", ["viewer", "op_nanhu", "enterprise", "bank_a", "outsider"])
def test_no_one_else_reviews(world, draft, who):
    with pytest.raises(Refused, match="只有市级用户可以审核推送批次"):
        B.batch_review(batch=draft, user=world[who])
    draft.refresh_from_db()
    assert draft.status == LoanBatch.Status.DRAFT


def test_a_draft_is_not_pushed(world, draft):
    with pytest.raises(Refused, match="尚未审核"):
        B.batch_push(batch=draft, user=world["city_admin"])


@pytest.mark.parametrize("who", ["city_reviewer", "viewer", "op_nanhu", "bank_a"])
def test_only_the_city_administrator_pushes(world, draft, who):
    B.batch_review(batch=draft, user=world["city_reviewer"])
    with pytest.raises(Refused, match="只有市级管理员可以推送批次"):
        B.batch_push(batch=draft, user=world[who])


def test_a_push_takes_effect_today_by_default(world, draft):
    B.batch_review(batch=draft, user=world["city_reviewer"])
    batch = B.batch_push(batch=draft, user=world["city_admin"])
    assert batch.status == LoanBatch.Status.PUSHED
    assert batch.pushed_on == timezone.localdate()
    assert batch.pushed_by_name == "city-admin" and batch.pushed_at is not None


def test_the_administrator_loads_an_earlier_push_but_never_one_to_come(world, draft):
    B.batch_review(batch=draft, user=world["city_reviewer"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Invalid, match="晚于今天"):
        B.batch_push(batch=draft, user=world["city_admin"], pushed_on=tomorrow)
    batch = B.batch_push(batch=draft, user=world["city_admin"], pushed_on=dt.date(2024, 5, 6))
    assert batch.pushed_on == dt.date(2024, 5, 6)


def test_items_leave_a_draft_only(world, draft):
    admin = world["city_admin"]
    B.batch_item_remove(batch=draft, item_id=draft.items.get(project__code="HN-E2").pk, user=admin)
    assert items(draft) == [("NH-E1", "abc"), ("NH-E1", "icbc")]
    B.batch_review(batch=draft, user=admin)
    with pytest.raises(Refused, match="已审核"):
        B.batch_item_remove(batch=draft, item_id=draft.items.first().pk, user=admin)


def test_a_reviewer_does_not_edit_a_draft(world, draft):
    with pytest.raises(Refused):
        B.batch_item_remove(batch=draft, item_id=draft.items.first().pk, user=world["city_reviewer"])


def test_a_pushed_batch_never_changes(world, draft):
    admin = world["city_admin"]
    B.batch_review(batch=draft, user=admin)
    B.batch_push(batch=draft, user=admin)
    item = draft.items.first()
    for attempt in (
        lambda: B.batch_item_remove(batch=draft, item_id=item.pk, user=admin),
        lambda: B.batch_delete(batch=draft, user=admin),
        lambda: B.batch_review(batch=draft, user=admin),
        lambda: B.batch_push(batch=draft, user=admin),
    ):
        with pytest.raises(Refused, match="批次已推送，不可修改或删除"):
            attempt()
    assert draft.items.count() == 3


def test_a_draft_may_be_deleted(world, draft):
    B.batch_delete(batch=draft, user=world["city_admin"])
    assert not LoanBatch.objects.exists() and not BatchItem.objects.exists()


# ---- what a bank sees ----------------------------------------------------------------------------


def test_bank_projects_are_those_pushed_to_the_callers_bank(world):
    pushed(world, "第一批", ["NH-E1"])
    pushed(world, "第二批", ["HN-E2"])

    def codes(who):
        return sorted(B.bank_projects(scope_for(world[who])).values_list("code", flat=True))

    assert codes("bank_a") == ["NH-E1"]
    assert codes("bank_b") == ["HN-E2", "NH-E1"]
    assert codes("city_admin") == ["HN-E2", "NH-E1"]
    assert codes("op_nanhu") == codes("viewer") == codes("enterprise") == []


def test_a_draft_is_pushed_to_no_bank(world, draft):
    assert not B.bank_projects(scope_for(world["bank_b"])).exists()
    assert B.pushed_on(project=world["E2"], bank="abc") is None


def test_pushed_on_is_the_first_push_to_that_bank(world):
    admin = world["city_admin"]
    batch = B.batch_compile(name="第一批", project_codes=["NH-E1"], user=admin).batch
    B.batch_item_remove(batch=batch, item_id=batch.items.get(bank="abc").pk, user=admin)
    B.batch_review(batch=batch, user=admin)
    B.batch_push(batch=batch, user=admin, pushed_on=dt.date(2024, 5, 6))
    assert B.pushed_on(project=world["E1"], bank="icbc") == dt.date(2024, 5, 6)
    assert B.pushed_on(project=world["E1"], bank="abc") is None
