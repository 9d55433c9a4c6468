"""Pieces shared by the finance kinds (P12): the bank reference list of the plan file, the
contracts a row names (in the database or in this file's 贷款 sheet) and the batch write and
after-sheet ledger check of 放款 and 还款.

A bank user sees only its own bank's contracts: a row naming any other number — one nobody
uses, or another bank's — gets the same message, so the import is no oracle of existence.
"""

from __future__ import annotations

from dataclasses import dataclass

from renewal.accounts.models import Role
from renewal.finance import rules
from renewal.finance import selectors_loans as selectors
from renewal.finance.models import Drawdown, LoanContract, Repayment

from ..spec import RowError, Sheet
from ._common import DELETED, unknown_key

# who imports loans, drawdowns and repayments: the city administrator and the banks (P12); area
# operators read their area's loans but do not write them
LOAN_IMPORTERS = frozenset({Role.CITY_ADMIN, Role.BANK})
MODELS = {rules.DRAWDOWN: (Drawdown, "drawn_on"), rules.REPAYMENT: (Repayment, "repaid_on")}
LABEL = rules.KIND_LABEL


@dataclass(frozen=True)
class FileLoan:
    """A valid row of this file's 贷款 sheet, for its 放款 and 还款 sheets."""

    bank: str
    terms: rules.Terms


def banks(imp) -> list[tuple[str, str]]:
    """(code, name) of the plan file's banks, read once per import."""
    if "banks" not in imp.file_records:
        imp.file_records["banks"] = selectors.plan_banks()
    return imp.file_records["banks"]


def max_banks(imp) -> int:
    """At most this many 意向银行 per project (the plan file's finance.eligibility.max_banks)."""
    if "max_banks" not in imp.file_records:
        imp.file_records["max_banks"] = selectors.max_banks()
    return imp.file_records["max_banks"]


def file_loans(imp) -> dict[str, FileLoan | None]:
    """Contract number → its row of this file's 贷款 sheet (None: the row has errors)."""
    return imp.file_records.setdefault("loans", {})


def not_found(imp, number: str) -> str:
    if imp.scope.role == Role.BANK:
        return f"合同编号 {number} 不存在或不属于本行"
    return unknown_key(f"合同 {number}", "贷款")


def terms_of(c: LoanContract) -> rules.Terms:
    return rules.Terms(c.number, c.signed_on, c.amount, c.term_months)


def events_of(ids) -> dict[int, dict[str, dict]]:
    """contract id → {kind: {date: amount}} of the live drawdowns and repayments."""
    out: dict[int, dict[str, dict]] = {}
    for kind, (model, date_field) in MODELS.items():
        for cid, on, amount in model.objects.filter(contract_id__in=list(ids)).values_list(
            "contract_id", date_field, "amount"
        ):
            out.setdefault(cid, {rules.DRAWDOWN: {}, rules.REPAYMENT: {}})[kind][on] = amount
    return out


# ---- 放款 and 还款 ---------------------------------------------------------------------------


def ledger_kind(kind: str):
    """check, write and finish of the 放款 (``rules.DRAWDOWN``) or 还款 (``rules.REPAYMENT``) sheet."""
    model, date_field = MODELS[kind]
    label = LABEL[kind]
    other = rules.REPAYMENT if kind == rules.DRAWDOWN else rules.DRAWDOWN

    def check(imp, spec: Sheet, v: dict) -> None:
        problem = rules.amount_problem(v["amount"], f"{label}金额")
        if problem:
            raise RowError(spec.column("amount"), problem)
        loans = file_loans(imp)
        if v["number"] in loans and loans[v["number"]] is None:
            raise RowError(
                spec.column("number"), f"合同 {v['number']} 在本文件“贷款”表中的行有错误，请先更正"
            )

    def write(imp, data, rows, sheet_report, positions) -> None:
        spec, state = data.spec, imp.sheet_state
        contracts = state.setdefault("contracts", {})  # number → (id or None, terms)
        before = state.setdefault("db", {})  # number → {kind: {date: amount}} before this sheet
        by_number = state.setdefault("rows", {})  # number → [(row, values)]
        loans = file_loans(imp)
        numbers = {v["number"] for _, v in rows}
        db = {c.number: c for c in LoanContract.all_objects.filter(number__in=numbers)}
        kept = []
        for number, v in rows:
            n = v["number"]
            c, info = db.get(n), loans.get(n)
            if c is not None and not imp.scope.can_see(c):
                c = None  # another bank's contract reads as unknown (a file row was refused before)
            if info is None and c is None:
                imp.row_error(data, number, spec.column("number"), positions, not_found(imp, n))
                continue
            if info is None and c.is_deleted:
                what = f"贷款合同 {n}"
                imp.row_error(data, number, spec.column("number"), positions, DELETED.format(what=what))
                continue
            live = c is not None and not c.is_deleted
            contracts[n] = (c.pk if live else None, info.terms if info else terms_of(c))
            kept.append((number, v))
        ids = {cid for cid, _ in contracts.values() if cid is not None}
        new = [cid for cid in ids if cid not in state.setdefault("loaded", set())]
        if new:
            events = events_of(new)
            number_of = {cid: n for n, (cid, _) in contracts.items()}
            for cid in new:
                before[number_of[cid]] = events.get(cid, {rules.DRAWDOWN: {}, rules.REPAYMENT: {}})
            state["loaded"].update(new)
        deleted = set(
            model.all_objects.filter(contract_id__in=ids, is_deleted=True).values_list(
                "contract_id", date_field
            )
        )
        rows = []
        for number, v in kept:
            cid = contracts[v["number"]][0]
            v["contract_id"] = cid
            if (cid, v[date_field]) in deleted:
                what = f"合同 {v['number']} 在 {v[date_field]:%Y-%m-%d} 的{label}"
                imp.row_error(data, number, spec.column(date_field), positions, DELETED.format(what=what))
                continue
            rows.append((number, v))
            by_number.setdefault(v["number"], []).append((number, v))
            imp.file_records.setdefault(kind, {}).setdefault(v["number"], {})[v[date_field]] = v["amount"]
        imp.upsert(
            model,
            rows,
            model.objects.filter(contract_id__in=ids),
            lambda v: {"contract_id": v["contract_id"], date_field: v[date_field], "amount": v["amount"]},
            sheet_report,
            ("contract_id", date_field),
        )

    def finish(imp, data, positions) -> None:
        """Each contract's drawdowns and repayments — those it had and this file's, in date order —
        against its terms (``rules.ledger_problems``): the rows of this sheet that break them are
        errors; a record already registered that this sheet breaks is reported on the contract's
        first row of the sheet."""
        spec, state = data.spec, imp.sheet_state
        empty = {rules.DRAWDOWN: {}, rules.REPAYMENT: {}}
        for n, rows in (state.get("rows") or {}).items():
            _, terms = state["contracts"][n]
            held = state["db"].get(n, empty)
            dates = {kind: dict(held[kind]), other: dict(held[other])}
            from_file = dict(imp.file_records.get(other, {}).get(n, {}))
            dates[other].update(from_file)
            row_of = {}
            for number, v in rows:
                dates[kind][v[date_field]] = v["amount"]
                row_of[v[date_field]] = number
            events = [
                rules.Event(k, on, amount, row_of.get(on) if k == kind else None)
                for k, by_date in dates.items()
                for on, amount in by_date.items()
            ]
            for e, field, message in rules.ledger_problems(terms, events):
                if e.tag is not None:
                    column = spec.column(date_field if field == "on" else "amount")
                    imp.row_error(data, e.tag, column, positions, message)
                elif e.kind == other and e.on in from_file:
                    continue  # a row of the file's earlier sheet: reported there
                else:
                    first = min(number for number, _ in rows)
                    imp.row_error(
                        data,
                        first,
                        spec.column("number"),
                        positions,
                        f"本表的{label}使已登记的{LABEL[e.kind]}（{e.on:%Y-%m-%d}）不再成立：{message}",
                    )

    return check, write, finish
