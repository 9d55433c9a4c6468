"""贷款: a bank's loan contracts for projects (P12), keyed by 合同编号.

A contract finances a registered project in a counted state (已入库 and later); its bank is one of
the plan file's ``finance.banks`` (by name or code), fixed once money has been drawn. A bank user
imports its own bank's contracts for the projects pushed to it; any other number or project reads
as unknown (no oracle of existence). The city administrator writes every bank's; area operators
read their area's loans on /finance/loans/ and do not import them.
"""

from __future__ import annotations

from decimal import Decimal

from renewal.accounts.models import Role
from renewal.finance import rules
from renewal.finance import selectors_loans as selectors
from renewal.finance.models import Drawdown, LoanContract
from renewal.registry import models as R
from renewal.registry import reference

from ..spec import AMOUNT_LIMIT, BOOL, CODE, DATE, DECIMAL, INT, TEXT, WAN, YES_NO, Column, RowError, Sheet
from . import _loans as L
from ._common import DELETED, unknown_key

HUNDRED = Decimal(100)
FIELDS = ("number", "bank", "signed_on", "amount", "annual_rate", "term_months", "relending")


def check(imp, spec: Sheet, v: dict) -> None:
    banks = L.banks(imp)
    code = rules.bank_lookup(banks).get(v["bank"])
    if code is None:
        raise RowError(spec.column("bank"), rules.unknown_bank(v["bank"], banks))
    if imp.scope.role == Role.BANK and code != imp.scope.bank:
        own = dict(banks).get(imp.scope.bank, imp.scope.bank)
        raise RowError(spec.column("bank"), f"您只能填报本行（{own}）的贷款合同")
    v["bank"] = code
    if v["annual_rate"].as_tuple().exponent < -4:
        raise RowError(spec.column("annual_rate"), "年利率最多 4 位小数（按百分数填写，如 3.45）")
    v["annual_rate"] = v["annual_rate"] / HUNDRED
    for field_name, message in rules.contract_problems(v).items():
        raise RowError(spec.column(field_name), message)
    v["relending"] = v.get("relending") is True
    if v["code"] in imp.file_project_rows and v["code"] not in imp.file_projects:
        raise RowError(spec.column("code"), f"项目 {v['code']} 在本文件“项目”表中的行有错误，请先更正")


def seen(imp, v: dict, valid: bool) -> None:
    """The 放款 and 还款 sheets of the file refer to the contracts of this one."""
    if v.get("number"):
        info = None
        if valid:
            info = L.FileLoan(
                v["bank"], rules.Terms(v["number"], v["signed_on"], v["amount"], v["term_months"])
            )
        L.file_loans(imp)[v["number"]] = info


def _unknown_project(imp, code: str) -> str:
    if imp.scope.role == Role.BANK:
        return f"项目编号 {code} 不存在或未推送给本行"
    return unknown_key(f"项目 {code}", "项目")


def write(imp, data, rows, sheet_report, positions) -> None:
    spec, scope = data.spec, imp.scope
    codes = {v["code"] for _, v in rows}
    projects = {
        code: (pk, status, deleted)
        for code, pk, status, deleted in R.Project.all_objects.filter(code__in=codes).values_list(
            "code", "id", "status", "is_deleted"
        )
    }
    pushed = None
    if scope.role == Role.BANK:
        pushed = selectors.pushed_project_ids(scope.bank, [p[0] for p in projects.values() if not p[2]])
    contracts = {
        c.number: c for c in LoanContract.all_objects.filter(number__in=[v["number"] for _, v in rows])
    }
    live = [c.pk for c in contracts.values() if not c.is_deleted]
    drawn = set(Drawdown.objects.filter(contract_id__in=live).values_list("contract_id", flat=True))
    held = L.events_of([c.pk for c in contracts.values() if c.pk in drawn])
    counted = reference.counted_statuses()
    names = dict(L.banks(imp))
    kept = []
    for number, v in rows:
        refusal = _refusal(imp, v, contracts.get(v["number"]), projects, pushed, counted, drawn, held, names)
        if refusal is not None:
            imp.row_error(data, number, spec.column(refusal[0]), positions, refusal[1])
            L.file_loans(imp)[v["number"]] = None
        else:
            kept.append((number, v))
    imp.upsert(
        LoanContract,
        kept,
        [c for c in contracts.values() if not c.is_deleted],
        lambda v: {**{f: v[f] for f in FIELDS}, "project_id": v["project_id"]},
        sheet_report,
        ("number",),
    )


def _refusal(imp, v, current, projects, pushed, counted, drawn, held, names) -> tuple[str, str] | None:
    """(field, message) of a row that may not be written, or None; sets the row's project id."""
    scope, n = imp.scope, v["number"]
    if current is not None:
        if not scope.can_see(current):
            return "number", f"合同编号 {n} 不存在或不属于本行"
        if current.is_deleted:
            return "number", DELETED.format(what=f"贷款合同 {n}")
    project = projects.get(v["code"])
    if project is not None and project[2]:
        if scope.role != Role.BANK and v["code"] not in imp.file_projects:
            return "code", DELETED.format(what=f"项目 {v['code']}")
        project = None
    if project is None and v["code"] not in imp.file_projects:
        return "code", _unknown_project(imp, v["code"])
    if project is not None and pushed is not None and project[0] not in pushed:
        return "code", _unknown_project(imp, v["code"])
    status = imp.file_project_status.get(v["code"]) or project[1]
    problem = rules.project_problem(status, counted)
    if problem:
        return "code", f"项目 {v['code']}：{problem}"
    v["project_id"] = project[0] if project is not None else None  # a project of this file, dry run
    if current is not None:
        problem = rules.bank_change_problem(n, current.bank, v["bank"], current.pk in drawn, names.get)
        if problem:
            return "bank", problem
        if current.pk in held:
            terms = rules.Terms(n, v["signed_on"], v["amount"], v["term_months"])
            events = [
                rules.Event(k, on, a) for k, dates in held[current.pk].items() for on, a in dates.items()
            ]
            problems = rules.ledger_problems(terms, events)
            if problems:
                _, field, message = problems[0]
                column = "amount" if field == "amount" else "signed_on"
                return column, f"已登记的{L.LABEL[problems[0][0].kind]}与本行的合同不符：{message}"
    return None


SPEC = Sheet(
    kind="loans",
    name="贷款",
    label="贷款",
    key=("number",),
    order=64,
    model=LoanContract,
    columns=(
        Column(
            "合同编号",
            "number",
            CODE,
            True,
            comment="贷款合同编号，全市唯一",
            example="示例贷字2024第001号",
            width=22,
        ),
        Column(
            "项目编号",
            "code",
            CODE,
            True,
            comment="贷款支持的项目；须已入库（已入库、在建、竣工、验收通过、已兑现）；银行用户：推送给本行的项目",
            example="示例-2024-001",
            width=16,
        ),
        Column(
            "贷款银行",
            "bank",
            TEXT,
            True,
            comment="银行名称或代码（见行动方案的银行名录）；银行用户只能填本行",
            example="中国工商银行",
            width=18,
        ),
        Column(
            "签约日期", "signed_on", DATE, True, comment="日期，如 2024-06-30", example="2024-06-30", width=12
        ),
        Column(
            "签约金额(万元)",
            "amount",
            WAN,
            True,
            comment="单位：万元（导入后按元保存）；大于 0",
            example=1000,
            warn_above=AMOUNT_LIMIT,
        ),
        Column(
            "年利率(%)",
            "annual_rate",
            DECIMAL,
            True,
            comment="百分数，如 3.45 表示 3.45%；不小于 0 且小于 100",
            example=3.45,
            width=10,
        ),
        Column("期限(月)", "term_months", INT, True, comment="单位：月；至少 1 个月", example=36, width=10),
        Column(
            "再贷款支持",
            "relending",
            BOOL,
            comment=f"是否纳入再贷款支持：{YES_NO}；空为否",
            example="是",
            width=12,
        ),
    ),
    check=check,
    write=write,
    seen=seen,
    getters={
        "code": lambda c: c.project.code,
        "bank": lambda c: selectors.bank_names().get(c.bank, c.bank),
        "annual_rate": lambda c: (c.annual_rate * HUNDRED).normalize(),
    },
    rows=selectors.loan_list,
    list_params={"bank": "bank", "area": "area", "project": "project", "q": "q"},
    scope={"area": "project__area_id", "uscc": "project__enterprise__uscc", "bank": "bank"},
    importers=L.LOAN_IMPORTERS,
)
