"""`renewal finance subsidy` and the frozen settlement of a period's 贷款贴息 (P12), on a small
registry: 南湖's NH-1 pushed on 2024-05-10 with a re-lending loan signed 2024-06-01.

The hand-computed figure of the loan ICBC-1 over 2024-07-01 … 2024-12-31 (drawdowns 600万 on
07-01 and 400万 on 09-01, 100万 repaid on 12-01; 1 point until 07-24, 1.5 from 07-25):
  07-01…07-24  24 days × 6,000,000 × 1.0 %   balance-days 144,000,000
  07-25…08-31  38 days × 6,000,000 × 1.5 %                228,000,000
  09-01…11-30  91 days × 10,000,000 × 1.5 %               910,000,000
  12-01…12-31  31 days × 9,000,000 × 1.5 %                279,000,000
  Σ balance-days 1,561,000,000; Σ balance × points × days = 22,695,000; / 360 = 63,041.666… → 63,041.67
"""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renewal.finance import subsidy
from renewal.finance.models import (
    BatchItem,
    Drawdown,
    FrozenError,
    InterestSubsidyRecord,
    LoanBatch,
    LoanContract,
    Repayment,
)

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
FROM, TO = "2024-07-01", "2024-12-31"


def loan(number, project, *, signed="2024-06-01", relending=True, bank="icbc"):
    return LoanContract.objects.create(
        number=number,
        project=project,
        bank=bank,
        signed_on=D(signed),
        amount=Decimal(10_000_000),
        annual_rate=Decimal("0.0345"),
        term_months=36,
        relending=relending,
    )


def make_loans(people) -> dict:
    """ICBC-1 (eligible), ICBC-0 (signed before the push), CCB-1 (project never pushed), ICBC-2
    (no re-lending support), ICBC-9 (in the recycle bin); ``people`` plus ``icbc``."""
    batch = LoanBatch.objects.create(
        name="2024年第一批", status=LoanBatch.Status.PUSHED, pushed_on=D("2024-05-10")
    )
    BatchItem.objects.create(
        batch=batch, project=people["NH"], bank="icbc", snapshot={}, loan_demand=10_000_000
    )
    # a later batch listing it again does not move its first push
    later = LoanBatch.objects.create(
        name="2024年第二批", status=LoanBatch.Status.PUSHED, pushed_on=D("2024-08-01")
    )
    BatchItem.objects.create(
        batch=later, project=people["NH"], bank="boc", snapshot={}, loan_demand=5_000_000
    )
    # a batch not yet pushed does not count for 海宁's HN-1
    draft = LoanBatch.objects.create(name="2024年第三批（待审核）")
    BatchItem.objects.create(batch=draft, project=people["HN"], bank="ccb", snapshot={}, loan_demand=1)
    icbc = loan("ICBC-1", people["NH"])
    Drawdown.objects.create(contract=icbc, drawn_on=D("2024-07-01"), amount=Decimal(6_000_000))
    Drawdown.objects.create(contract=icbc, drawn_on=D("2024-09-01"), amount=Decimal(4_000_000))
    Repayment.objects.create(contract=icbc, repaid_on=D("2024-12-01"), amount=Decimal(1_000_000))
    early = loan("ICBC-0", people["NH"], signed="2024-05-09")  # signed the day before the push
    Drawdown.objects.create(contract=early, drawn_on=D("2024-07-01"), amount=Decimal(1_000_000))
    loan("CCB-1", people["HN"], bank="ccb")  # its project never pushed
    loan("ICBC-2", people["NH"], relending=False)
    gone = loan("ICBC-9", people["NH"])
    Drawdown.objects.create(contract=gone, drawn_on=D("2024-07-01"), amount=Decimal(1_000_000))
    LoanContract.all_objects.filter(pk=gone.pk).update(is_deleted=True)  # in the recycle bin
    return people | {"icbc": icbc}


@pytest.fixture
def loans(people):
    return make_loans(people)


def run_json(*args) -> dict:
    out = StringIO()
    call_command("finance", "subsidy", "--from", FROM, "--to", TO, *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_gives_the_hand_computed_subsidy_of_the_eligible_loan(loans):
    answer = run_json()
    assert answer["from"] == FROM and answer["to"] == TO
    assert answer["items"] == [
        {
            "contract": "ICBC-1",
            "project": "NH-1",
            "bank": "icbc",
            "bank_name": "中国工商银行",
            "area": "330402",
            "subsidised_balance_days": 1_561_000_000,
            "interest_subsidy": 63041.67,
            "clause": "P12",
            "basis": answer["items"][0]["basis"],
        }
    ]
    assert "63,041.67元" in answer["items"][0]["basis"] and "P12" in answer["items"][0]["basis"]
    assert answer["total"] == 63041.67 and isinstance(answer["total"], float)
    reasons = {i["contract"]: i["reason"] for i in answer["ineligible"]}
    assert set(reasons) == {"ICBC-0", "CCB-1", "ICBC-2"}  # the deleted ICBC-9 is not read
    assert "签约日期2024-05-09早于所属项目列入备选项目清单推送银行的日期2024-05-10" in reasons["ICBC-0"]
    assert "未列入已推送银行的备选项目清单" in reasons["CCB-1"]
    assert "再贷款支持：否" in reasons["ICBC-2"]


def test_the_command_reads_one_area(loans):
    answer = run_json("--area", "330481")
    assert answer["items"] == [] and answer["total"] == 0
    assert [i["contract"] for i in answer["ineligible"]] == ["CCB-1"]


def test_the_command_prints_a_chinese_table(loans):
    out = StringIO()
    call_command("finance", "subsidy", "--from", FROM, "--to", TO, stdout=out)
    text = out.getvalue()
    assert "贷款贴息（P12）：2024-07-01 至 2024-12-31" in text
    assert "ICBC-1" in text and "中国工商银行" in text and "63,041.67" in text
    assert "合计 1 份合同，贴息 63,041.67 元（P12）" in text
    assert "不予贴息：ICBC-2" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2024-13-01", "--to", TO), "期间起应为 YYYY-MM-DD 格式的日期，实为 '2024-13-01'"),
        (("--from", FROM, "--to", "2024/12/31"), "期间止应为 YYYY-MM-DD 格式的日期，实为 '2024/12/31'"),
        (("--from", TO, "--to", FROM), "期间止2024-07-01早于期间起2024-12-31"),
        (("--from", FROM, "--to", TO, "--area", "999999"), "区域代码 999999 不存在"),
    ],
)
def test_the_command_refuses_bad_input_in_chinese(loans, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("finance", "subsidy", *args)


def test_settling_freezes_the_figure_once_and_a_second_settlement_adds_no_version(loans):
    admin = loans["city_admin"]
    first = subsidy.subsidy_settle(period_from=D(FROM), period_to=D(TO), user=admin)
    assert [(r.contract.number, r.version, r.amount, r.created) for r in first] == [
        ("ICBC-1", 1, Decimal("63041.67"), True)
    ]
    record = first[0]
    assert record.created_by == admin and record.created_by_name == "city-admin"
    assert record.inputs["pushed_on"] == "2024-05-10"
    assert record.inputs["drawdowns"] == [
        {"date": "2024-07-01", "amount": 6_000_000},
        {"date": "2024-09-01", "amount": 4_000_000},
    ]
    assert {p["effective_from"] for p in record.parameters} == {"2024-03-07", "2024-07-25"}
    assert record.result["clause"] == "P12" and record.result["trace"][-1]["step"] == "贴息合计"
    again = subsidy.subsidy_settle(period_from=D(FROM), period_to=D(TO), user=admin)
    assert [(r.pk, r.version, r.created) for r in again] == [(record.pk, 1, False)]
    assert InterestSubsidyRecord.objects.count() == 1


def test_a_changed_drawdown_makes_version_2_and_the_first_stays_frozen(loans):
    admin = loans["city_admin"]
    (v1,) = subsidy.subsidy_settle(period_from=D(FROM), period_to=D(TO), user=admin)
    Drawdown.objects.filter(contract=loans["icbc"], drawn_on=D("2024-09-01")).update(
        amount=Decimal(5_000_000)
    )
    (v2,) = subsidy.subsidy_settle(period_from=D(FROM), period_to=D(TO), user=admin)
    # 1,000,000 more for 122 days (09-01 … 12-31) at 1.5 %: 22,695,000 + 1,830,000 = 24,525,000;
    # / 360 = 68,125.00
    assert (v2.version, v2.amount, v2.created) == (2, Decimal("68125.00"), True)
    v1.refresh_from_db()
    assert v1.amount == Decimal("63041.67")
    with pytest.raises(FrozenError):
        v1.save()
    with pytest.raises(FrozenError):
        v1.delete()
    settled = subsidy.subsidy_settled(period_from=D(FROM), period_to=D(TO))
    assert [r.version for r in settled["records"]] == [2]


def test_a_contract_no_longer_eligible_gets_a_version_of_zero(loans):
    admin = loans["city_admin"]
    subsidy.subsidy_settle(period_from=D(FROM), period_to=D(TO), user=admin)
    LoanContract.objects.filter(pk=loans["icbc"].pk).update(relending=False)
    (v2,) = subsidy.subsidy_settle(period_from=D(FROM), period_to=D(TO), user=admin)
    assert (v2.version, v2.amount) == (2, 0) and "再贷款支持：否" in v2.result["reason"]
    assert subsidy.subsidy_settled(period_from=D(FROM), period_to=D(TO))["total"] == 0


def test_the_settled_records_add_up_to_the_commands_total(loans):
    other = loan("ICBC-3", loans["NH"], signed="2024-07-01")
    Drawdown.objects.create(contract=other, drawn_on=D("2024-10-15"), amount=Decimal("1234567.89"))
    subsidy.subsidy_settle(period_from=D(FROM), period_to=D(TO), user=loans["city_admin"])
    settled = subsidy.subsidy_settled(period_from=D(FROM), period_to=D(TO))
    answer = run_json()
    assert settled["count"] == len(answer["items"]) == 2
    assert settled["total"] == Decimal(str(answer["total"]))
    assert settled["total"] == sum(Decimal(str(i["interest_subsidy"])) for i in answer["items"])
