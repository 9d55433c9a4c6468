"""Finance measures (P12, issue 15): a plan's target may count loans signed (of them with re-lending
support), loans disbursed and fund investments. Hand-computed on two areas (南湖 330402, 海宁
330481), at two dates: asked on 2024-06-15 the data date is 2024-05-31; on 2024-09-30 it is that
day. The indicator's actual is the hand sum and the sum of its drill-down records."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from renewal.finance import services
from renewal.indicators import selectors
from renewal.planning import schema
from renewal.registry.services import record_delete
from tests.conftest import JIAXING_PLAN
from tests.factories import project

pytestmark = pytest.mark.django_db
D = dt.date
WAN = 10_000
NH, HN = "330402", "330481"
MEASURES = {
    "P12.signed": "loans_signed",
    "P12.relending": "relending_loans_signed",
    "P12.disbursed": "loans_disbursed",
    "P12.fund": "fund_investments",
}


def plan_with_finance_targets(plan: schema.Plan) -> schema.Plan:
    """The Jiaxing plan sets no finance target: this one adds a 2024 target (yuan) per measure."""
    extra = [
        schema.Target(
            id=target_id,
            clause="P12",
            name=code,
            kind="amount",
            comparator=">=",
            value=100_000 * WAN,
            unit="CNY",
            display="10亿元以上",
            period=schema.Period(year=2024),
            source=schema.Source(registry=code),
        )
        for target_id, code in MEASURES.items()
    ]
    return plan.model_copy(update={"targets": [*plan.targets, *extra]})


def contract(admin, number, project_code, signed_on, wan, *, relending, bank="icbc"):
    return services.contract_create(
        user=admin,
        data={
            "number": number,
            "project": project_code,
            "bank": bank,
            "signed_on": signed_on,
            "amount": Decimal(wan * WAN),
            "annual_rate": Decimal("0.0345"),
            "term_months": 36,
            "relending": relending,
        },
    )


def drawdown(admin, c, drawn_on, wan):
    return services.drawdown_create(user=admin, contract=c, drawn_on=drawn_on, amount=Decimal(wan * WAN))


@pytest.fixture
def loans(people):
    """南湖 NH-1 and 海宁 HN-1 (``people``) with their loans; amounts in 万元:

    - GH-1 (南湖, 2024-03-10, 1,000, re-lending): drawn 400 on 04-15 and 300 on 07-20;
    - GH-2 (南湖, 2024-05-31, 500): drawn 200 on 06-10 (after the first data date);
    - GH-3 (南湖, 2024-06-01, 800, re-lending; after the first data date): drawn 100 on 09-30;
    - GH-4 (南湖, 2024-02-01, 700, re-lending), drawn 700 on 03-01: the contract soft-deleted;
    - ZH-1 (海宁, 2024-01-05, 2,000, re-lending): drawn 1,200 on 02-01, and 300 on 05-20 (deleted);
    - ZH-2 (海宁, 2023-12-20, 300): signed before the period;
    - ZH-3 (海宁 HN-2, 2024-04-01, 900, re-lending), drawn 900: its project deleted;
    - fund investments: 南湖 5,000 on 04-01, 海宁 3,000 on 08-01, 海宁 100 on 2023-11-30 (before)."""
    admin = people["city_admin"]
    hn2 = project("HN-2", people["HN"].enterprise)
    c = contract(admin, "GH-1", "NH-1", D(2024, 3, 10), 1000, relending=True)
    drawdown(admin, c, D(2024, 4, 15), 400)
    drawdown(admin, c, D(2024, 7, 20), 300)
    drawdown(
        admin, contract(admin, "GH-2", "NH-1", D(2024, 5, 31), 500, relending=False), D(2024, 6, 10), 200
    )
    drawdown(admin, contract(admin, "GH-3", "NH-1", D(2024, 6, 1), 800, relending=True), D(2024, 9, 30), 100)
    gone = contract(admin, "GH-4", "NH-1", D(2024, 2, 1), 700, relending=True)
    drawdown(admin, gone, D(2024, 3, 1), 700)
    services.contract_delete(user=admin, contract=gone, reason="录入错误")
    c = contract(admin, "ZH-1", "HN-1", D(2024, 1, 5), 2000, relending=True, bank="boc")
    drawdown(admin, c, D(2024, 2, 1), 1200)
    services.drawdown_delete(user=admin, drawdown=drawdown(admin, c, D(2024, 5, 20), 300), reason="重复")
    contract(admin, "ZH-2", "HN-1", D(2023, 12, 20), 300, relending=False, bank="boc")
    drawdown(admin, contract(admin, "ZH-3", "HN-2", D(2024, 4, 1), 900, relending=True), D(2024, 4, 2), 900)
    record_delete(user=admin, obj=hn2, reason="重复登记")
    for ent, day, wan in (
        (people["NH"].enterprise, D(2024, 4, 1), 5000),
        (people["HN"].enterprise, D(2024, 8, 1), 3000),
        (people["HN"].enterprise, D(2023, 11, 30), 100),
    ):
        services.fund_investment_create(
            user=admin,
            data={
                "uscc": ent.uscc,
                "fund_name": "省高端装备基金",
                "invested_on": day,
                "amount": Decimal(wan * WAN),
            },
        )
    return plan_with_finance_targets(selectors.active_plan())


# (as_of, target) → 万元 for (the city, 南湖, 海宁)
EXPECTED = {
    ("2024-06-15", "P12.signed"): (1000 + 500 + 2000, 1000 + 500, 2000),
    ("2024-06-15", "P12.relending"): (1000 + 2000, 1000, 2000),
    ("2024-06-15", "P12.disbursed"): (400 + 1200, 400, 1200),
    ("2024-06-15", "P12.fund"): (5000, 5000, 0),
    ("2024-09-30", "P12.signed"): (1000 + 500 + 800 + 2000, 1000 + 500 + 800, 2000),
    ("2024-09-30", "P12.relending"): (1000 + 800 + 2000, 1000 + 800, 2000),
    ("2024-09-30", "P12.disbursed"): (400 + 300 + 200 + 100 + 1200, 400 + 300 + 200 + 100, 1200),
    ("2024-09-30", "P12.fund"): (5000 + 3000, 5000, 3000),
}


@pytest.mark.parametrize("as_of,target_id", list(EXPECTED))
def test_it_sums_live_finance_records_up_to_the_data_date_as_their_records_do(loans, as_of, target_id):
    as_of = D.fromisoformat(as_of)
    result = selectors.indicators(loans, 2024, as_of)
    for area, wan in zip((None, NH, HN), EXPECTED[(as_of.isoformat(), target_id)], strict=True):
        item = next(i for i in result.for_area(area) if i["target_id"] == target_id)
        assert item["actual"] == wan * WAN, (target_id, area)
        records = selectors.indicator_records(loans, target_id, selectors.Query(2024, as_of, area))
        assert records["total"] == pytest.approx(wan * WAN), (target_id, area)
        assert all(r["value"] for r in records["rows"])


def test_the_drill_down_lists_contracts_by_number_with_their_counted_drawdowns(loans):
    records = selectors.indicator_records(loans, "P12.disbursed", selectors.Query(2024, D(2024, 9, 30), NH))
    rows = {r["label"]: r for r in records["rows"]}
    assert set(rows) == {"GH-1", "GH-2", "GH-3"}  # GH-4 is deleted
    gh1 = rows["GH-1"]
    assert gh1["value"] == 700 * WAN
    assert gh1["code"] == "NH-1" and gh1["area"] == "南湖" and gh1["enterprise"] == "南湖测试机械有限公司"
    assert gh1["detail"] == (
        "中国工商银行 · 2024-03-10 签约 1,000.00万元 · 再贷款支持；"
        "2024-04-15 放款 400.00万元；2024-07-20 放款 300.00万元"
    )
    assert gh1["url"].startswith("/admin/finance/loancontract/")
    signed = selectors.indicator_records(loans, "P12.relending", selectors.Query(2024, D(2024, 6, 15), HN))
    [zh1] = signed["rows"]
    assert (zh1["label"], zh1["value"]) == ("ZH-1", 2000 * WAN)
    assert zh1["detail"] == "中国银行 · 2024-01-05 签约 2,000.00万元 · 再贷款支持"


def test_the_drill_down_lists_fund_investments_in_the_enterprise_area(loans):
    records = selectors.indicator_records(loans, "P12.fund", selectors.Query(2024, D(2024, 9, 30), None))
    assert [(r["label"], r["code"], r["area"], r["value"]) for r in records["rows"]] == [
        ("省高端装备基金", "2024-04-01", "南湖", 5000 * WAN),
        ("省高端装备基金", "2024-08-01", "海宁", 3000 * WAN),
    ]


def test_the_records_page_and_its_export_show_contracts_in_wan_without_bank_codes(
    loans, client, people, monkeypatch
):
    monkeypatch.setattr(selectors, "active_plan", lambda: loans)  # a plan with finance targets
    client.force_login(people["city_admin"])
    query = {"year": "2024", "as_of": "2024-09-30", "area": NH}
    response = client.get(reverse("indicators:records", args=["P12.disbursed"]), query)
    assert response.status_code == 200
    text = response.content.decode()
    assert ">GH-1</a>" in text and "700.00万元" in text and "中国工商银行" in text
    assert "icbc" not in text and ">GH-4</a>" not in text
    export = client.get(reverse("indicators:records_export", args=["P12.disbursed"]), query)
    assert export.status_code == 200


def test_plan_check_accepts_a_target_on_a_finance_measure(tmp_path):
    path = tmp_path / "city.yaml"
    text = JIAXING_PLAN.read_text(encoding="utf-8")
    line = (
        '  - {id: P12.relending, clause: P12, name: 再贷款支持签约金额, kind: amount, comparator: ">=", '
        "value: 5000000000, unit: CNY, display: 50亿元以上, period: {cumulative: 2024-03..2026-12}, "
        "source: {registry: relending_loans_signed}}\n"
    )
    anchor = "  - {id: P14.energy,"
    assert anchor in text
    path.write_text(text.replace(anchor, line + anchor, 1), encoding="utf-8")
    out = StringIO()
    call_command("plan", "check", str(path), stdout=out, stderr=StringIO())
    plan = schema.read_plan(path)
    assert plan.target("P12.relending").source.registry == "relending_loans_signed"
