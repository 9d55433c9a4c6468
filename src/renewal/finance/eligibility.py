"""Which projects may go on the list pushed to banks (备选项目清单, P12), as data.

A pure rule in the shape of ``policy/``: plain project data (a mapping with ``total_investment``,
``loan_demand``, ``status``, ``intended_banks``, in yuan) and the plan's ``finance`` section in,
the conditions checked — each with its Chinese reason and the clause — out. No ORM here; the
batch services read the projects and call ``project_eligibility``.

The conditions (P12; the thresholds are the plan file's ``finance.eligibility``, example values
when ``finance.example`` is true — the reasons then say 示例值):
1. total investment ≥ ``min_total_investment``;
2. the project is in a status the indicators count (已入库 … 已兑现) and not yet completed (竣工 …):
   a bank lends to a project still to be built;
3. a loan demand > 0 and ≤ the total investment;
4. 1 ≤ number of intended banks ≤ ``max_banks``, each a bank of the plan's reference list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from renewal.lib.units import decimal, wan

CLAUSE = "P12"


@dataclass(frozen=True)
class Rules:
    """The parameters of the rule, as plain data (``from_plan`` builds them from the plan file)."""

    min_total_investment: Decimal
    max_banks: int
    banks: Mapping[str, str]  # code → name, the plan's reference list
    counted: frozenset[str]  # statuses the indicators count
    completed: frozenset[str]  # statuses of a completed project
    example: bool = True
    clause: str = CLAUSE

    @classmethod
    def from_plan(cls, finance: Any, *, counted: Iterable[str], completed: Iterable[str]) -> Rules:
        """``finance``: the plan's ``schema.Finance`` (banks, eligibility, example, clause)."""
        return cls(
            min_total_investment=Decimal(finance.eligibility.min_total_investment),
            max_banks=int(finance.eligibility.max_banks),
            banks={b.code: b.name for b in finance.banks},
            counted=frozenset(counted),
            completed=frozenset(completed),
            example=bool(finance.example),
            clause=finance.clause or CLAUSE,
        )

    def value(self, text: str) -> str:
        """A threshold of the plan as people read it, marked 示例值 while the plan's are examples."""
        return f"{text}（示例值）" if self.example else text


@dataclass(frozen=True)
class Condition:
    code: str  # total_investment | status | loan_demand | banks
    rule: str  # the condition in Chinese
    passed: bool
    reason: str  # why it failed (empty when it passed)
    clause: str = CLAUSE


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    conditions: list[Condition] = field(default_factory=list)

    @property
    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if not c.passed]

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.failed]


def _wan(value: Decimal) -> str:
    return f"{wan(value)}万元"


def _banks(project: Mapping) -> list[str]:
    raw = project.get("intended_banks") or []
    if isinstance(raw, str):
        raw = [raw]
    seen: list[str] = []
    for code in raw:
        code = str(code).strip()
        if code and code not in seen:
            seen.append(code)
    return seen


def project_eligibility(project: Mapping, rules: Rules) -> Eligibility:
    """The conditions of P12 checked on one project (plain data, yuan)."""
    total = decimal(project.get("total_investment")) or Decimal(0)
    demand = decimal(project.get("loan_demand")) or Decimal(0)
    status = project.get("status") or ""
    banks = _banks(project)
    out: list[Condition] = []

    minimum = rules.min_total_investment
    rule = f"总投资不低于{rules.value(_wan(minimum))}"
    ok = total >= minimum
    reason = "" if ok else f"总投资 {_wan(total)}，低于 {rules.value(_wan(minimum))}"
    out.append(Condition("total_investment", rule, ok, reason, rules.clause))

    rule = "项目处于计入统计且未竣工的状态（已入库、在建）"
    if status in rules.completed:
        ok, reason = False, f"项目状态为“{status}”，已竣工，不再列入备选项目清单"
    elif status not in rules.counted:
        ok, reason = False, f"项目状态为“{status or '未填写'}”，尚未入库（须已入库或在建）"
    else:
        ok, reason = True, ""
    out.append(Condition("status", rule, ok, reason, rules.clause))

    rule = "贷款需求大于0且不超过总投资"
    if demand <= 0:
        ok, reason = False, "未填写贷款需求（须大于0）"
    elif demand > total:
        ok, reason = False, f"贷款需求 {_wan(demand)} 超过总投资 {_wan(total)}"
    else:
        ok, reason = True, ""
    out.append(Condition("loan_demand", rule, ok, reason, rules.clause))

    most = rules.max_banks
    rule = f"意向银行1至{rules.value(f'{most}家')}，且均为方案所列银行"
    unknown = [b for b in banks if b not in rules.banks]
    problems = []
    if not banks:
        problems.append("未选择意向银行")
    elif len(banks) > most:
        problems.append(f"意向银行 {len(banks)} 家，超过 {rules.value(f'{most}家')} 上限")
    if unknown:
        problems.append(f"未知的银行代码：{'、'.join(unknown)}")
    out.append(Condition("banks", rule, not problems, "；".join(problems), rules.clause))

    return Eligibility(eligible=all(c.passed for c in out), conditions=out)
