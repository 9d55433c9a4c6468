"""`renewal demo` writes the finance part of its one world (P12, issue 15): two batches pushed to
banks, loans, drawdowns, repayments and fund investments, the same at every ``--through``."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from renewal.accounts.models import Role
from renewal.accounts.scope import scope_for
from renewal.finance import demo as finance_demo
from renewal.finance.batches import bank_projects
from renewal.finance.models import BatchItem, Drawdown, FundInvestment, LoanBatch, LoanContract, Repayment
from renewal.registry import demo, reference

SMALL = ["--enterprises", "300", "--projects", "200"]
BANKS = ("icbc", "ccb", "czb", "jxbank")


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--seed", "7", *SMALL, *args, stdout=out)
    return out.getvalue()


def finance_rows() -> dict[str, set[tuple]]:
    """Every finance record as plain tuples (no ids, no timestamps)."""
    return {
        "batches": set(LoanBatch.objects.values_list("name", "status", "pushed_on", "note")),
        "items": set(BatchItem.objects.values_list("batch__name", "project__code", "bank", "loan_demand")),
        "contracts": set(
            LoanContract.objects.values_list(
                "number",
                "project__code",
                "bank",
                "signed_on",
                "amount",
                "annual_rate",
                "term_months",
                "relending",
            )
        ),
        "drawdowns": set(Drawdown.objects.values_list("contract__number", "drawn_on", "amount")),
        "repayments": set(Repayment.objects.values_list("contract__number", "repaid_on", "amount")),
        "investments": set(
            FundInvestment.objects.values_list("enterprise__uscc", "fund_name", "invested_on", "amount")
        ),
    }


DATED = {"batches": 2, "contracts": 3, "drawdowns": 1, "repayments": 1, "investments": 2}


def as_known_at(rows: dict[str, set[tuple]], last_day: dt.date) -> dict[str, set[tuple]]:
    """The records of a later cut that are dated on or before ``last_day`` (items with their batch)."""
    out = {kind: {r for r in rows[kind] if r[i] <= last_day} for kind, i in DATED.items()}
    names = {b[0] for b in out["batches"]}
    out["items"] = {i for i in rows["items"] if i[0] in names}
    return out


@pytest.mark.django_db
def test_it_loads_pushed_batches_loans_and_fund_investments_dated_within_the_month(fast_passwords):
    text = run_demo("--through", "2024-09")
    assert "已生成融资演示数据：推送批次 2" in text
    batches = list(LoanBatch.objects.order_by("pushed_on"))
    assert [(b.name, b.status, b.pushed_on) for b in batches] == [
        ("2024年第一批", LoanBatch.Status.PUSHED, dt.date(2024, 4, 15)),
        ("2024年第二批", LoanBatch.Status.PUSHED, dt.date(2024, 7, 10)),
    ]
    assert {b.reviewed_by.username for b in batches} == {"city-reviewer"}
    assert {b.pushed_by.username for b in batches} == {"city-admin"}
    rows = finance_rows()
    for kind in ("items", "contracts", "drawdowns", "repayments", "investments"):
        assert rows[kind], kind
    assert 3 <= len(rows["investments"]) <= 5
    assert {i[2] for i in rows["items"]} <= set(BANKS)
    assert as_known_at(rows, dt.date(2024, 9, 30)) == rows  # nothing dated after the month

    contracts = list(LoanContract.objects.select_related("project"))
    for c in contracts:
        assert 0 < c.amount <= c.project.loan_demand
        assert c.relending == (c.bank != "jxbank")
        assert sum(d.amount for d in c.drawdowns.all()) <= c.amount
        assert all(d.drawn_on >= c.signed_on for d in c.drawdowns.all())
    # the projects pushed are counted and not completed, and their enterprises have a contact
    open_statuses = set(reference.counted_statuses()) - set(reference.completed_statuses())
    for item in BatchItem.objects.select_related("project__enterprise"):
        assert item.project.status in open_statuses
        assert item.snapshot["contact_phone"].startswith("0573-8")

    banks = get_user_model().objects.filter(profile__role=Role.BANK)
    assert {(u.username, u.profile.bank) for u in banks} == {(f"bank-{b}", b) for b in BANKS}
    assert "bank-jxbank" in text and "嘉兴银行" in text
    # a bank user reads the projects pushed to its bank
    icbc = scope_for(banks.get(username="bank-icbc"))
    assert set(bank_projects(icbc)) == {i.project for i in BatchItem.objects.filter(bank="icbc")}


@pytest.mark.django_db
def test_it_changes_nothing_when_run_again(fast_passwords):
    run_demo("--through", "2024-09")
    first = finance_rows()
    text = run_demo("--through", "2024-09")
    assert "融资演示数据已存在，未重复生成" in text
    assert finance_rows() == first
    assert get_user_model().objects.filter(profile__role=Role.BANK).count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_world_at_september_is_the_world_at_december_as_known_at_september(fast_passwords):
    run_demo("--through", "2024-09")
    september = finance_rows()
    call_command("flush", interactive=False)
    run_demo("--through", "2024-12")
    december = finance_rows()
    assert as_known_at(december, dt.date(2024, 9, 30)) == september
    assert len(december["contracts"]) >= len(september["contracts"])


@pytest.mark.django_db
def test_before_the_first_push_there_are_no_finance_records(fast_passwords):
    text = run_demo("--through", "2024-03")
    assert "已生成融资演示数据：推送批次 0" in text
    assert not any(finance_rows().values())


@pytest.mark.django_db
def test_the_interest_subsidy_of_the_demo_is_positive_and_shows_a_loan_signed_before_its_push(
    fast_passwords,
):
    run_demo("--through", "2024-09")
    out = StringIO()
    call_command("finance", "subsidy", "--from", "2024-03-07", "--to", "2024-09-30", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert float(result["total"]) > 0
    reasons = [i["reason"] for i in result["ineligible"]]
    assert any("早于所属项目列入备选项目清单" in r for r in reasons)
    assert any("未获再贷款支持" in r for r in reasons)  # 嘉兴银行 lends without re-lending


def test_every_batch_project_may_be_listed_at_every_month_from_its_push(jiaxing):
    world = demo.world(jiaxing, seed=7)
    counted, completed = reference.counted_statuses(), reference.completed_statuses()
    fw = finance_demo.finance_world(
        world,
        relending={b.code: b.relending for b in jiaxing.finance.banks},
        counted=counted,
        completed=completed,
        signing_from=dt.date(2024, 3, 7),
    )
    assert len(fw.batches) == 2
    open_statuses = set(counted) - set(completed)
    for batch in fw.batches:
        for month in range(batch["pushed_on"].month, 13):
            status = {p["code"]: p["status"] for p in demo.cut(world, dt.date(2024, month, 1)).projects}
            assert {status[c] for c in batch["projects"]} <= open_statuses, (batch["name"], month)
    pushed = {c: b["pushed_on"] for b in reversed(fw.batches) for c in b["projects"]}
    early = [c for c in fw.contracts if c["signed_on"] < pushed[c["project"]]]
    assert 1 <= len(early) <= 2


@pytest.mark.django_db
def test_on_the_demo_the_command_the_funnel_and_the_settled_records_agree(fast_passwords):
    """Issue 15's check: `renewal finance subsidy` on the demo = the sum of the funnel page's 贴息
    column (its areas) = the settlement records of the same period."""
    from decimal import Decimal

    from renewal.finance import selectors as funnel
    from renewal.finance import subsidy

    run_demo("--through", "2024-09")
    out = StringIO()
    call_command("finance", "subsidy", "--from", "2024-03-07", "--to", "2024-09-30", "--json", stdout=out)
    printed = Decimal(str(json.loads(out.getvalue())["total"]))
    f = funnel.funnel(funnel.period_of(dt.date(2024, 10, 1), dt.date(2024, 3, 7)))
    column = sum((row.figures["subsidy"] for row in f.areas), Decimal(0))
    assert printed > 0 and column == printed == f.city.figures["subsidy"]
    admin = get_user_model().objects.get(username="city-admin")
    subsidy.subsidy_settle(period_from=dt.date(2024, 3, 7), period_to=dt.date(2024, 9, 30), user=admin)
    settled = subsidy.subsidy_settled(period_from=dt.date(2024, 3, 7), period_to=dt.date(2024, 9, 30))
    assert settled["total"] == printed
    f = funnel.funnel(funnel.period_of(dt.date(2024, 10, 1)))
    assert sum((row.figures["settled"] for row in f.areas), Decimal(0)) == printed
    # by bank too: each contract has one bank, so the banks' 贴息 add up to the city's
    assert sum((row.figures["subsidy"] for row in f.banks), Decimal(0)) == printed
