"""贷款, 放款, 还款, 基金投资 (P12, issue 15): a clean workbook writes the contracts with their
drawdowns and repayments; each bad row says why with sheet, row and column; a bank user imports
only its own bank's records and learns nothing of another bank's; export → import is a no-op."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.exchange import sheets as S
from renewal.exchange.registry_exports import registry_export
from renewal.finance.models import BatchItem, Drawdown, FundInvestment, LoanBatch, LoanContract, Repayment
from renewal.registry.models import Project

from . import files as F

pytestmark = pytest.mark.django_db

D = dt.date
LOAN_A = ["GH-2024-001", "T-001", "中国工商银行", D(2024, 6, 30), 1000, 3.45, 36, "是"]
LOAN_B = ["ZH-2024-007", "T-002", "boc", D(2024, 7, 1), 500, 3.1, 24, "否"]
DRAWS_A = [["GH-2024-001", D(2024, 7, 15), 600], ["GH-2024-001", D(2024, 9, 1), 400]]
REPAYS_A = [["GH-2024-001", D(2025, 1, 15), 100]]
ICBC = Scope(role=Role.BANK, bank="icbc")
BOC = Scope(role=Role.BANK, bank="boc")
NANHU = Scope(role=Role.AREA_OPERATOR, area="330402")


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


@pytest.fixture
def projects(run_import, tmp_path):
    """T-001 (南湖, 在建) and T-002 (海宁, 已入库), imported by the city; T-001 pushed to 工商银行,
    T-002 to 中国银行."""
    report = run_import(F.clean_workbook(tmp_path / "clean.xlsx"))
    assert report.committed, lines(report)
    batch = LoanBatch.objects.create(name="第一批", status=LoanBatch.Status.PUSHED)
    for code, bank in (("T-001", "icbc"), ("T-002", "boc")):
        BatchItem.objects.create(
            batch=batch, project=Project.objects.get(code=code), bank=bank, snapshot={}, loan_demand=0
        )


@pytest.fixture
def loans(run_import, tmp_path, projects):
    sheets = {"贷款": [LOAN_A, LOAN_B], "放款": DRAWS_A, "还款": REPAYS_A}
    report = run_import(F.xlsx(tmp_path / "loans.xlsx", sheets))
    assert report.committed, lines(report)
    return report


def test_a_clean_workbook_writes_contracts_drawdowns_and_repayments(loans):
    assert [(s.name, s.new) for s in loans.sheets] == [("贷款", 2), ("放款", 2), ("还款", 1)]
    a = LoanContract.objects.get(number="GH-2024-001")
    assert (a.project.code, a.bank, a.signed_on, a.term_months, a.relending) == (
        "T-001", "icbc", D(2024, 6, 30), 36, True
    )  # fmt: skip
    assert a.amount == Decimal(10_000_000) and a.annual_rate == Decimal("0.0345")
    b = LoanContract.objects.get(number="ZH-2024-007")
    assert (b.bank, b.relending, b.annual_rate) == ("boc", False, Decimal("0.031"))
    assert [(d.drawn_on, d.amount) for d in a.drawdowns.all()] == [
        (D(2024, 7, 15), Decimal(6_000_000)),
        (D(2024, 9, 1), Decimal(4_000_000)),
    ]
    assert [(r.repaid_on, r.amount) for r in a.repayments.all()] == [(D(2025, 1, 15), Decimal(1_000_000))]
    assert a.history.first().history_change_reason == "Excel 导入：loans.xlsx"


def test_a_dry_run_checks_drawdowns_against_the_contracts_of_the_same_file(run_import, tmp_path, projects):
    sheets = {"贷款": [LOAN_A], "放款": DRAWS_A, "还款": REPAYS_A}
    report = run_import(F.xlsx(tmp_path / "a.xlsx", sheets), dry_run=True)
    assert report.ok, lines(report)
    assert [s.new for s in report.sheets] == [1, 2, 1]
    assert not LoanContract.objects.exists()


def test_export_then_import_changes_nothing(loans, run_import, tmp_path):
    city = Scope(role=Role.CITY_ADMIN)
    for kind in ("loans", "drawdowns", "repayments"):
        path = tmp_path / f"{kind}.xlsx"
        assert registry_export(path, kind=kind, scope=city) > 0
        again = run_import(path)
        assert again.committed, lines(again)
        assert [(s.new, s.changed, s.invalid) for s in again.sheets] == [(0, 0, 0)], kind


def test_the_headers_are_the_contract():
    assert S.BY_NAME["贷款"].headers == [
        "合同编号", "项目编号", "贷款银行", "签约日期", "签约金额(万元)", "年利率(%)", "期限(月)", "再贷款支持"
    ]  # fmt: skip
    assert S.BY_NAME["放款"].headers == ["合同编号", "放款日期", "放款金额(万元)"]
    assert S.BY_NAME["还款"].headers == ["合同编号", "还款日期", "还款金额(万元)"]
    assert S.BY_NAME["基金投资"].headers == ["统一社会信用代码", "基金名称", "投资日期", "投资金额(万元)"]


LOAN_ERRORS = [
    (
        ["X-1", "T-001", "不存在银行", D(2024, 6, 30), 1000, 3.45, 36, "否"],
        "贷款银行",
        "未知的银行“不存在银行”",
    ),
    (["X-1", "T-001", "icbc", D(2024, 6, 30), 0, 3.45, 36, "否"], "签约金额(万元)", "签约金额应大于 0"),
    (
        ["X-1", "T-001", "icbc", D(2024, 6, 30), 10, 100, 36, "否"],
        "年利率(%)",
        "年利率应不小于 0% 且小于 100%",
    ),
    (["X-1", "T-001", "icbc", D(2024, 6, 30), 10, 3.45, 0, "否"], "期限(月)", "期限应至少 1 个月"),
    (["X-1", "T-404", "icbc", D(2024, 6, 30), 10, 3.45, 12, "否"], "项目编号", "项目 T-404 未登记"),
]


@pytest.mark.parametrize(("row", "column", "message"), LOAN_ERRORS)
def test_each_bad_contract_row_says_why(run_import, tmp_path, projects, row, column, message):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"贷款": [row]}))
    assert not report.committed
    [issue] = report.errors
    assert (issue.sheet, issue.row, issue.column) == ("贷款", 2, column)
    assert message in issue.message, issue.message


def test_a_contract_for_a_project_not_yet_in_the_pool_is_refused(run_import, tmp_path, projects):
    Project.objects.filter(code="T-001").update(status="已申报")
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"贷款": [LOAN_A]}))
    [issue] = report.errors
    assert (issue.row, issue.column) == (2, "项目编号")
    assert "项目当前状态为“已申报”" in issue.message


LEDGER_ERRORS = [
    # a drawdown before the signing and one after the term
    ("放款", [["GH-2024-001", D(2024, 6, 1), 100]], "放款日期", "不在合同 GH-2024-001 的期限内"),
    ("放款", [["GH-2024-001", D(2027, 7, 1), 100]], "放款日期", "2024-06-30 至 2027-06-30"),
    (
        "放款",
        [["GH-2024-001", D(2024, 10, 1), 1]],
        "放款金额(万元)",
        "累计放款 1001 万元，超过签约金额 1000 万元",
    ),
    ("放款", [["GH-2024-001", D(2024, 10, 1), 0]], "放款金额(万元)", "放款金额应大于 0"),
    ("还款", [["GH-2024-001", D(2024, 7, 1), 10]], "还款日期", "早于合同 GH-2024-001 的首次放款"),
    (
        "还款",
        [["GH-2024-001", D(2025, 2, 1), 901]],
        "还款金额(万元)",
        "超过合同 GH-2024-001 在 2025-02-01 的贷款余额 900 万元",
    ),
    ("还款", [["GH-2024-001", D(2027, 7, 1), 1]], "还款日期", "不在合同 GH-2024-001 的期限内"),
    ("还款", [["NOPE-1", D(2025, 2, 1), 1]], "合同编号", "合同 NOPE-1 未登记"),
]


@pytest.mark.parametrize(("sheet", "rows", "column", "message"), LEDGER_ERRORS)
def test_each_bad_drawdown_or_repayment_says_why(run_import, tmp_path, loans, sheet, rows, column, message):
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {sheet: rows}))
    assert not report.committed
    [issue] = report.errors
    assert (issue.sheet, issue.row, issue.column) == (sheet, 2, column)
    assert message in issue.message, issue.message


def test_repayments_are_checked_in_date_order_across_the_file_and_the_database(run_import, tmp_path, loans):
    # outstanding 900 after the registered repayment; two more of 500 each: the second is too much
    rows = [["GH-2024-001", D(2025, 6, 1), 500], ["GH-2024-001", D(2025, 3, 1), 500]]
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"还款": rows}))
    [issue] = report.errors
    assert (issue.row, issue.column) == (2, "还款金额(万元)")  # 2025-06-01 comes second by date
    assert "贷款余额 400 万元" in issue.message


def test_a_repayment_in_the_same_file_as_its_drawdown_counts_it(run_import, tmp_path, loans):
    sheets = {"放款": [["ZH-2024-007", D(2024, 8, 1), 300]], "还款": [["ZH-2024-007", D(2024, 9, 1), 300]]}
    assert run_import(F.xlsx(tmp_path / "b.xlsx", sheets), dry_run=True).ok


def test_a_smaller_drawdown_that_leaves_a_repayment_above_the_balance_is_refused(run_import, tmp_path, loans):
    rows = [["GH-2024-001", D(2024, 7, 15), 50], ["GH-2024-001", D(2024, 9, 1), 40]]
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"放款": rows}))
    [issue] = report.errors
    assert (issue.sheet, issue.row, issue.column) == ("放款", 2, "合同编号")
    assert "已登记的还款（2025-01-15）不再成立" in issue.message


def test_a_contract_bank_is_fixed_once_money_is_drawn(run_import, tmp_path, loans):
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"贷款": [[*LOAN_A[:2], "中国银行", *LOAN_A[3:]]]}))
    [issue] = report.errors
    assert (issue.row, issue.column) == (2, "贷款银行")
    assert "已有放款记录，不能把贷款银行由“中国工商银行”改为“中国银行”" in issue.message


def test_a_smaller_signed_amount_than_the_drawdowns_is_refused(run_import, tmp_path, loans):
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"贷款": [[*LOAN_A[:4], 900, *LOAN_A[5:]]]}))
    [issue] = report.errors
    assert (issue.row, issue.column) == (2, "签约金额(万元)")
    assert "超过签约金额 900 万元" in issue.message


# ---- scope -----------------------------------------------------------------------------------


def test_a_bank_imports_its_own_contracts_for_projects_pushed_to_it(run_import, tmp_path, projects):
    sheets = {"贷款": [LOAN_A], "放款": DRAWS_A}
    report = run_import(F.xlsx(tmp_path / "a.xlsx", sheets), scope=ICBC)
    assert report.committed, lines(report)
    assert LoanContract.objects.get().bank == "icbc" and Drawdown.objects.count() == 2


def test_a_bank_learns_nothing_of_another_banks_contracts(run_import, tmp_path, loans):
    # 中国银行 names 工商银行's contract and a number nobody uses: the same message
    rows = [["GH-2024-001", D(2024, 10, 1), 1], ["NOPE-1", D(2024, 10, 1), 1]]
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"放款": rows, "还款": rows}), scope=BOC)
    assert [(i.sheet, i.row, i.column, i.message) for i in report.errors] == [
        ("放款", 2, "合同编号", "合同编号 GH-2024-001 不存在或不属于本行"),
        ("放款", 3, "合同编号", "合同编号 NOPE-1 不存在或不属于本行"),
        ("还款", 2, "合同编号", "合同编号 GH-2024-001 不存在或不属于本行"),
        ("还款", 3, "合同编号", "合同编号 NOPE-1 不存在或不属于本行"),
    ]
    # a contract row reusing the other bank's number, and one for a project not pushed to it
    rows = [[LOAN_A[0], "T-002", "中国银行", *LOAN_A[3:]], ["ZH-9", "T-001", "中国银行", *LOAN_A[3:]]]
    report = run_import(F.xlsx(tmp_path / "c.xlsx", {"贷款": rows}), scope=BOC)
    assert [(i.row, i.column, i.message) for i in report.errors] == [
        (2, "合同编号", "合同编号 GH-2024-001 不存在或不属于本行"),
        (3, "项目编号", "项目编号 T-001 不存在或未推送给本行"),
    ]
    assert [c.bank for c in LoanContract.objects.order_by("number")] == ["icbc", "boc"]


def test_a_bank_reports_only_its_own_bank(run_import, tmp_path, projects):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"贷款": [LOAN_A]}), scope=BOC)
    [issue] = report.errors
    assert (issue.row, issue.column, issue.message) == (2, "贷款银行", "您只能填报本行（中国银行）的贷款合同")


def test_a_bank_imports_no_registry_sheet_and_an_area_operator_no_loans(run_import, tmp_path, projects):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"企业": [F.ENTERPRISE_A]}), scope=ICBC)
    [issue] = report.errors
    assert issue.sheet == "企业" and "您的角色（银行用户）不能导入“企业”表" in issue.message
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"贷款": [LOAN_A]}), scope=NANHU)
    [issue] = report.errors
    assert issue.sheet == "贷款" and "您的角色（区域操作员）不能导入“贷款”表" in issue.message
    assert not LoanContract.objects.exists()


def test_the_exports_hold_the_callers_records_only(loans, tmp_path):
    import openpyxl

    def numbers(scope, kind="loans"):
        path = tmp_path / "x.xlsx"
        registry_export(path, kind=kind, scope=scope)
        return [r[0] for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True)]

    assert numbers(ICBC) == ["GH-2024-001"] and numbers(BOC) == ["ZH-2024-007"]
    assert numbers(NANHU) == ["GH-2024-001"]
    assert numbers(BOC, "drawdowns") == [] and numbers(ICBC, "drawdowns") == ["GH-2024-001"] * 2
    assert numbers(Scope(role=Role.VIEWER)) == []


# ---- 基金投资 --------------------------------------------------------------------------------


def test_fund_investments_name_their_enterprise(run_import, tmp_path, projects):
    rows = [[F.USCC_A, "浙江省高端装备产业基金", D(2024, 5, 20), 2000]]
    report = run_import(F.xlsx(tmp_path / "f.xlsx", {"基金投资": rows}))
    assert report.committed, lines(report)
    f = FundInvestment.objects.get()
    assert (f.enterprise.uscc, f.amount) == (F.USCC_A, Decimal(20_000_000))
    path = tmp_path / "export.xlsx"
    registry_export(path, kind="fund-investments", scope=Scope(role=Role.CITY_ADMIN))
    again = run_import(path)
    assert [(s.new, s.changed) for s in again.sheets] == [(0, 0)]


def test_a_bad_fund_investment_says_why(run_import, tmp_path, projects):
    rows = [[F.USCC_A, "基金", D(2024, 5, 20), 0], ["91330402MA2B00001L", "基金", D(2024, 5, 20), 1]]
    report = run_import(F.xlsx(tmp_path / "f.xlsx", {"基金投资": rows}))
    assert [(i.row, i.column) for i in report.errors] == [(2, "投资金额(万元)"), (3, "统一社会信用代码")]
    assert "投资金额应大于 0" in report.errors[0].message


def test_repayment_totals_in_the_database(loans):
    assert Repayment.objects.count() == 1


# ---- the optional columns of 项目 and 企业 (P12) -----------------------------------------------


def test_a_project_gets_its_loan_demand_and_intended_banks_and_old_files_keep_them(run_import, tmp_path):
    row = [*F.PROJECT_A, 5000, "中国工商银行、boc"]
    report = run_import(
        F.xlsx(tmp_path / "p.xlsx", {"企业": [[*F.ENTERPRISE_A, "张三", "0573-82000000"]], "项目": [row]})
    )
    assert report.committed, lines(report)
    p = Project.objects.get(code="T-001")
    assert (p.loan_demand, p.intended_banks) == (Decimal(50_000_000), ["icbc", "boc"])
    assert (p.enterprise.contact_person, p.enterprise.contact_phone) == ("张三", "0573-82000000")
    old = {"企业": S.BY_NAME["企业"].headers[:10], "项目": S.BY_NAME["项目"].headers[:17]}
    again = run_import(F.xlsx(tmp_path / "old.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [F.PROJECT_A]}, old))
    assert [(s.new, s.changed) for s in again.sheets] == [(0, 0), (0, 0)], lines(again)
    p.refresh_from_db()
    assert p.intended_banks == ["icbc", "boc"] and p.enterprise.contact_person == "张三"
    path = tmp_path / "export.xlsx"
    registry_export(path, kind="projects", scope=Scope(role=Role.CITY_ADMIN))
    assert [(s.new, s.changed) for s in run_import(path).sheets] == [(0, 0)]


@pytest.mark.parametrize(
    ("banks", "message"),
    [
        ("中国工商银行、某某银行", "未知的银行“某某银行”"),
        ("icbc、boc、ccb、abc", "意向银行最多 3 家（填了 4 家）"),
    ],
)
def test_bad_intended_banks_say_why(run_import, tmp_path, banks, message):
    sheets = {"企业": [F.ENTERPRISE_A], "项目": [[*F.PROJECT_A, 100, banks]]}
    report = run_import(F.xlsx(tmp_path / "p.xlsx", sheets))
    [issue] = report.errors
    assert (issue.sheet, issue.row, issue.column) == ("项目", 2, "意向银行")
    assert message in issue.message
