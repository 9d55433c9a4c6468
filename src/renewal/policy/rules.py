"""One case, in exact decimals, each step explained with its clause.

``calculate(request, data)`` answers the contract of ``README.md``. The rules themselves are
written once, on columns, in ``batch.py``: here the request runs as a one-row batch in exact
decimals (``batch.EXACT``) and the answer and its trace are built from that batch's intermediate
columns and the parameters' clauses and references (docs/decisions/0011-policy-rules-once.md).
Amounts are in yuan, rounded to the fen (0.01, half up) where a rate is applied. Every step of the
trace carries the parameter it read, the date that value took effect, the clause and a Chinese
sentence (``basis``) a civil servant can paste into a reply letter.

Stacking cut order (P11, when the programmes of one project add up to more than the cap):
lowest level first (县级, then 市级, then 省级, then 国家级), and within one level the programme
listed last first (``batch.cut_order``; docs/decisions/0004-policy-engine.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .batch import EXACT, BatchResult, calculate_batch, columns_from_requests, cut_order
from .contract import BASE_LABELS, CATEGORY_LABELS, CalculateIn, ProgrammeIn, item_class
from .parameters import PolicyData, Programme, Resolved, _plain, programme_from_dict

ZERO = Decimal(0)
CLASS_LABELS = {
    "machinery": "机器、机械和其他生产设备",
    "tools": "器具、工具、家具等",
    "vehicles": "运输工具（飞机、火车、轮船以外）",
    "electronics": "电子设备",
}


def yuan(v: Decimal | None) -> str:
    """6000000 → '600万元'; 1234.5 → '1,234.5元' (for the Chinese sentences)."""
    if v is None:
        return "不设上限"
    v = Decimal(v)
    if abs(v) >= 10000:
        text = f"{v / 10000:,.6f}".rstrip("0").rstrip(".")
        return f"{text}万元"
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{text}元"


def pct(v: Decimal) -> str:
    text = f"{Decimal(v) * 100:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def cite(r: Resolved) -> str:
    return f"{r.reference}（{r.clause}）" if r.reference else r.clause


class Trace:
    def __init__(self) -> None:
        self.steps: list[dict] = []

    def add(self, step: str, value, basis: str, *, param: Resolved | None = None, clause: str = "") -> None:
        self.steps.append(
            {
                "step": step,
                "value": _plain(value),
                "parameter": param.id if param else None,
                "effective_from": param.effective_from.isoformat()
                if param and param.effective_from
                else None,
                "clause": param.clause if param else clause,
                "basis": basis,
            }
        )


# ---- P11: eligible equipment investment -----------------------------------------------------------


def _label(i: int, name: str) -> str:
    return f"设备第{i}行“{name or '未命名'}”"


def explain_equipment(req: CalculateIn, data: PolicyData, out: BatchResult, trace: Trace) -> None:
    """Purchased equipment at unit price × quantity, leased at its lease fee; a first-set product of
    the minimum level (省级) or above counts at (1 + bonus rate), the bonus reported separately."""
    bonus_rate = data.resolve("P11.first_set_bonus_rate", req.date)
    min_level = data.resolve("P11.first_set_min_level", req.date)
    col = out.items
    for i, item in enumerate(req.equipment):
        label = _label(i + 1, item.name)
        base, bonus, counted = col.base[i], col.bonus[i], col.counted[i]
        if item.acquisition == "purchase":
            how = f"购置，单价{yuan(item.unit_price)}×{item.quantity}台（套）={yuan(base)}"
        else:
            how = f"租赁，按租赁费{yuan(base)}计"
        if item.first_set:
            if not bonus_rate.in_force or not min_level.in_force:
                upcoming = data.upcoming("P11.first_set_bonus_rate", req.date)
                if upcoming and not bonus_rate.in_force:
                    why = (
                        f"属{item.first_set}首台（套）产品，但计算日期{req.date}早于{cite(bonus_rate)}"
                        f"首台（套）加计的施行日期{upcoming.effective_from}，尚未适用，不予加计"
                    )
                else:
                    why = f"{req.date}首台（套）加计政策尚未生效或已失效，不予加计"
            elif col.bonus_applies[i]:
                why = (
                    f"属{item.first_set}首台（套）产品，依据{cite(bonus_rate)}按总价或租赁费加计"
                    f"{pct(bonus_rate.value)}，加计{yuan(bonus)}"
                )
            else:
                why = (
                    f"属{item.first_set}首台（套）产品，低于{min_level.value}，依据{cite(min_level)}不予加计"
                )
            trace.add(
                f"{label}首台（套）加计",
                bonus,
                f"{label}{why}。",
                param=bonus_rate if bonus or not bonus_rate.in_force else min_level,
            )
        trace.add(
            f"{label}计入设备投资额",
            counted,
            f"{label}{how}" + ("，加计后" if bonus else "，") + f"计入设备投资额{yuan(counted)}。",
            clause="P11",
        )
    total, bonus_total = out.eligible_equipment_investment[0], out.first_set_bonus[0]
    trace.add(
        "设备投资额合计",
        total,
        f"本项目计入补助基数的设备投资额合计{yuan(total)}，其中首台（套）加计{yuan(bonus_total)}。",
        clause="P11",
    )


# ---- P11: subsidy programmes, stacked under the cap -----------------------------------------------


def programmes_for(req: CalculateIn, data: PolicyData) -> tuple[tuple[Programme, ...], bool]:
    """The request's programmes (what-if) when given, else the configured ones."""
    if req.programmes is None:
        return data.programmes, False
    return tuple(programme_from_dict(_programme_dict(p)) for p in req.programmes), True


def _programme_dict(p: ProgrammeIn) -> dict:
    return {**p.model_dump(), "example": False, "clause": "P11"}


def eligibility_problem(p: Programme, req: CalculateIn, checks: dict) -> str | None:
    """The first check of ``batch.programme_amounts`` the project failed, in words."""
    if not checks["valid"]:
        span = f"{p.valid_from or '—'}至{p.valid_to or '长期'}"
        return f"计算日期{req.date}不在政策有效期（{span}）内"
    if "project_types" in checks and not checks["project_types"][0]:
        return f"仅支持{'、'.join(p.project_types)}类项目"
    if "provincial_key" in checks and not checks["provincial_key"][0]:
        return "仅支持省级重点技改项目" if p.provincial_key else "不支持省级重点技改项目"
    if "areas" in checks and not checks["areas"][0]:
        return f"仅适用于区域 {'、'.join(p.areas)}"
    if not checks["min_investment"][0]:
        return f"{BASE_LABELS[p.base]}{yuan(checks['base'][0])}低于最低投资额{yuan(p.min_investment)}"
    return None


def explain_subsidies(
    req: CalculateIn,
    data: PolicyData,
    programmes: tuple[Programme, ...],
    what_if: bool,
    out: BatchResult,
    trace: Trace,
) -> dict:
    cap = data.resolve("P11.subsidy_cap", req.date)
    rows: list[dict] = []
    for j, p in enumerate(programmes):
        checks = out.programme_checks[j]
        tag = "（示例政策）" if p.example else ""
        problem = eligibility_problem(p, req, checks)
        amount = out.before_cap[0, j]
        if problem:
            basis = f"“{p.name}”{tag}：{problem}，不予补助。"
        else:
            raw = checks["raw"][0]
            capped_here = "" if amount == raw else f"，超过本政策单项上限，按上限{yuan(p.cap)}计"
            basis = (
                f"“{p.name}”{tag}（{p.level}）：按{BASE_LABELS[p.base]}{yuan(checks['base'][0])}的"
                f"{pct(p.rate)}计算，为{yuan(raw)}{capped_here}。"
            )
        rows.append(
            {
                "programme": p.id,
                "name": p.name,
                "level": p.level,
                "eligible": problem is None,
                "before_cap": amount,
                "amount": out.amounts[0, j],
                "cut": out.cuts[0, j],
                "clause": p.clause,
                "basis": basis,
                "example": p.example,
            }
        )
        trace.add(f"补助政策“{p.name}”", amount, basis, clause=p.clause)
    total_before, total = out.subsidy_total_before_cap[0], out.subsidy_total[0]
    capped = bool(out.capped[0])
    for i in cut_order(programmes) if capped else ():
        cut = rows[i]["cut"]
        if cut <= 0:
            continue
        rows[i]["basis"] += (
            f"各项政策叠加后超过单个项目最高{yuan(cap.value)}的限额（{cite(cap)}），"
            f"按先市县后省级、国家级的顺序核减{yuan(cut)}，核定{yuan(rows[i]['amount'])}。"
        )
        trace.add(
            f"叠加限额核减“{rows[i]['name']}”",
            -cut,
            f"依据{cite(cap)}，技改补助项目叠加享受政策，单个项目最高不超过{yuan(cap.value)}；"
            f"叠加合计{yuan(total_before)}，核减“{rows[i]['name']}”{yuan(cut)}。",
            param=cap,
        )
    if cap.in_force:
        basis = f"各项补助叠加合计{yuan(total_before)}，" + (
            f"超过单个项目最高{yuan(cap.value)}的限额，核定为{yuan(total)}。"
            if capped
            else f"未超过单个项目最高{yuan(cap.value)}的限额（{cite(cap)}），核定为{yuan(total)}。"
        )
    elif upcoming := data.upcoming("P11.subsidy_cap", req.date):
        # P11: the cap applies from the plan's date (2024-04-25); a case dated before is not cut.
        basis = (
            f"各项补助合计{yuan(total)}，不作叠加核减：计算日期{req.date}早于{cite(cap)}"
            f"“单个项目叠加补助最高不超过{yuan(upcoming.value)}”限额的施行日期{upcoming.effective_from}，"
            "该限额尚未适用。"
        )
    else:
        basis = f"各项补助合计{yuan(total)}（{req.date}叠加限额参数未生效）。"
    trace.add("补助合计", total, basis, param=cap)
    if what_if:
        trace.add(
            "补助政策来源",
            len(programmes),
            "本次计算使用请求中给出的补助政策（模拟测算），不代表已发布政策。",
            clause="P11",
        )
    return {
        "subsidies": rows,
        "subsidy_total": total,
        "subsidy_cap": cap.value if cap.in_force else None,
        "capped": capped,
    }


# ---- P13: tax -----------------------------------------------------------------------------------------


def explain_income_tax_rate(req: CalculateIn, data: PolicyData, out: BatchResult, trace: Trace) -> Decimal:
    rate = out.cit_rate[0]
    if req.enterprise.cit_rate is not None:
        trace.add("企业所得税税率", rate, f"按申报的企业所得税税率{pct(rate)}计算。", clause="P13")
        return rate
    param = data.resolve("P13.cit_rate", req.date)
    who = "高新技术企业" if req.enterprise.high_tech else "一般企业"
    trace.add("企业所得税税率", rate, f"{who}适用企业所得税税率{pct(rate)}（{cite(param)}）。", param=param)
    return rate


def explain_expensing(req: CalculateIn, data: PolicyData, out: BatchResult, trace: Trace) -> dict:
    """Purchased equipment with unit price ≤ the limit, acquired while the rule is in force, may be
    expensed at once; the first-year deferral is the tax on (cost − one year of straight-line
    depreciation over the class's minimum years, no residual value)."""
    years_param = data.resolve("P13.min_depreciation_years", req.date)
    col = out.items
    items, limit_seen = [], None
    for i, item in enumerate(req.equipment):
        label = _label(i + 1, item.name)
        acquired = item.acquired_on or req.date
        limit = data.resolve("P13.expensing_unit_limit", acquired)
        limit_seen = limit if limit.in_force else limit_seen or limit
        klass = item_class(item)
        years, amount = col.years[i], col.expensed[i]
        straight, deferral = col.straight_line[i], col.deferral[i]
        ok = bool(col.expensable[i])
        if item.acquisition == "lease":
            reason = "租入设备不属于本企业固定资产，不适用一次性税前扣除"
        elif not col.limit_in_force[i]:
            reason = f"购置日期{acquired}不在一次性税前扣除政策期限内"
        elif not col.within_limit[i]:
            reason = f"单位价值{yuan(item.unit_price)}超过{yuan(limit.value)}，按规定年限折旧"
        elif not ok:
            reason = "未找到该类固定资产的最低折旧年限"
        else:
            reason = (
                f"单位价值{yuan(item.unit_price)}不超过{yuan(limit.value)}，{acquired}购置，可一次性计入当期成本费用"
                f"{yuan(amount)}；按{CLASS_LABELS[klass]}最低折旧年限{years}年直线法首年仅可扣除{yuan(straight)}，"
                f"首年少缴（递延）企业所得税{yuan(deferral)}"
            )
        items.append(
            {
                "name": item.name,
                "eligible": ok,
                "amount": amount,
                "depreciation_class": klass,
                "min_years": int(years),
                "straight_line_first_year": straight,
                "first_year_tax_deferral": deferral,
                "basis": f"{label}：{reason}。",
            }
        )
        trace.add(f"{label}一次性税前扣除", amount, f"{label}：{reason}（{cite(limit)}）。", param=limit)
    eligible_total, deferral_total = out.expensing_eligible[0], out.first_year_tax_deferral[0]
    shown = limit_seen or data.resolve("P13.expensing_unit_limit", req.date)
    trace.add(
        "一次性税前扣除合计",
        eligible_total,
        f"可一次性税前扣除的设备器具合计{yuan(eligible_total)}，首年递延企业所得税{yuan(deferral_total)}"
        f"（{cite(shown)}；折旧年限依据{cite(years_param)}）。",
        param=shown,
    )
    return {
        "eligible_amount": eligible_total,
        "first_year_tax_deferral": deferral_total,
        "items": items,
        "clause": "P13",
        "reference": shown.reference,
    }


def explain_rd_super_deduction(
    req: CalculateIn, data: PolicyData, cit: Decimal, out: BatchResult, trace: Trace
) -> dict:
    general = data.resolve("P13.rd_super_deduction_rate", req.date)
    special = data.resolve("P13.rd_super_deduction_rate_ic_machine_tool", req.date)
    e = req.enterprise
    kinds = [
        k
        for k, flag in (("集成电路企业", e.ic_enterprise), ("工业母机企业", e.machine_tool_enterprise))
        if flag
    ]
    if kinds and special.in_force:
        param, who = special, f"{'、'.join(kinds)}"
    else:
        param, who = general, "企业"
    rate, extra, saved = out.rd_rate[0], out.rd_extra_deduction[0], out.rd_tax_saved[0]
    note = ""
    if kinds and not special.in_force:
        note = f"（{req.date}{'、'.join(kinds)}提高加计扣除比例的政策不在有效期内，按一般企业计算）"
    basis = (
        f"{who}费用化研发支出{yuan(e.rd_expense)}，依据{cite(param)}，按{pct(rate)}加计扣除{yuan(extra)}{note}，"
        f"按企业所得税税率{pct(cit)}计算少缴企业所得税{yuan(saved)}。"
    )
    trace.add("研发费用加计扣除", extra, basis, param=param)
    return {"rate": rate, "extra_deduction": extra, "tax_saved": saved, "clause": "P13", "basis": basis}


def explain_special_equipment_credit(
    req: CalculateIn, data: PolicyData, out: BatchResult, trace: Trace
) -> dict:
    param = data.resolve("P13.special_equipment_credit_rate", req.date)
    names = [
        f"{item.name or '未命名'}（{CATEGORY_LABELS[item.category]}）"
        for i, item in enumerate(req.equipment)
        if out.items.special[i]
    ]
    invest, credit = out.special_investment[0], out.special_equipment_credit[0]
    rate = param.value if param.in_force else ZERO
    if invest:
        basis = (
            f"购置目录内专用设备{'、'.join(names)}投资额{yuan(invest)}，依据{cite(param)}，按{pct(rate)}"
            f"抵免当年应纳企业所得税{yuan(credit)}（以当年应纳税额为限，不足部分可在以后5个纳税年度结转抵免）。"
        )
    else:
        basis = "未购置节能节水、环境保护、安全生产专用设备目录内设备，无专用设备投资抵免。"
    trace.add("专用设备投资抵免", credit, basis, param=param)
    return {"credit": credit, "investment": invest, "rate": rate, "clause": "P13", "basis": basis}


# ---- the whole answer -------------------------------------------------------------------------------


def calculate(req: CalculateIn, data: PolicyData) -> dict:
    """The request as a one-row batch in exact decimals, explained step by step."""
    programmes, what_if = programmes_for(req, data)
    projects, items = columns_from_requests([req], ops=EXACT)
    out = calculate_batch(projects, items, data, req.date, programmes, ops=EXACT)
    trace = Trace()
    explain_equipment(req, data, out, trace)
    subsidy = explain_subsidies(req, data, programmes, what_if, out, trace)
    cit = explain_income_tax_rate(req, data, out, trace)
    answer = {
        "date": req.date.isoformat(),
        "eligible_equipment_investment": out.eligible_equipment_investment[0],
        "first_set_bonus": out.first_set_bonus[0],
        **subsidy,
        "tax": {
            "cit_rate": cit,
            "one_time_expensing": explain_expensing(req, data, out, trace),
            "rd_super_deduction": explain_rd_super_deduction(req, data, cit, out, trace),
            "special_equipment_credit": explain_special_equipment_credit(req, data, out, trace),
        },
        "trace": trace.steps,
        "unit": "CNY",
    }
    return jsonable(answer)


def jsonable(value):
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def parameters_used(req: CalculateIn, data: PolicyData) -> list[dict]:
    """The parameter versions a calculation read (for frozen decision records)."""
    ids = sorted(data.parameters)
    dates = {req.date, *(e.acquired_on for e in req.equipment if e.acquired_on)}
    seen, out = set(), []
    for pid in ids:
        for d in sorted(dates):
            r = data.resolve(pid, d)
            key = (pid, r.effective_from)
            if r.in_force and key not in seen and pid.startswith(("P11.", "P13.")):
                seen.add(key)
                out.append(r.as_dict())
    return out
