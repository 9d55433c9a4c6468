"""Dated parameters and subsidy programmes as plain data (OpenFisca's shape).

A parameter is one quantity with its clause and reference and a list of dated values; a look-up
always takes a date and answers the value in force then (or ``None`` when none is), together with
the date it took effect, so that the trace and the frozen decision records can cite it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_NUMERIC = re.compile(r"-?\d+(\.\d+)?")

# Recognition levels, lowest first (registry enumeration ``levels``). The first-set bonus applies
# from the level named by parameter P11.first_set_min_level upwards.
LEVELS = ("县级", "市级", "省级", "国家级", "世界级")
# Programme levels as the issue writes them (国家/省/市/区县) and as the plan file does (国家级 …).
LEVEL_ALIASES = {"国家": "国家级", "省": "省级", "市": "市级", "区县": "县级", "县": "县级", "区县级": "县级"}


def level_rank(level: str | None) -> int:
    """0 for no level, 1 for 县级 … 5 for 世界级."""
    if not level:
        return 0
    level = LEVEL_ALIASES.get(level, level)
    return LEVELS.index(level) + 1 if level in LEVELS else 0


@dataclass(frozen=True)
class DatedValue:
    effective_from: dt.date
    until: dt.date | None
    value: Any


@dataclass(frozen=True)
class Parameter:
    id: str
    clause: str
    description: str
    unit: str
    reference: str
    values: tuple[DatedValue, ...]

    def at(self, date: dt.date) -> DatedValue | None:
        """The value in force on ``date``: the latest one that took effect on or before it and has
        not expired (``until`` is inclusive)."""
        current = None
        for v in self.values:
            if v.effective_from <= date:
                current = v
        if current is None or (current.until is not None and date > current.until):
            return None
        return current


@dataclass(frozen=True)
class Resolved:
    """A parameter looked up at a date: what the trace and the decision record cite."""

    id: str
    clause: str
    reference: str
    value: Any
    effective_from: dt.date | None
    until: dt.date | None

    @property
    def in_force(self) -> bool:
        return self.effective_from is not None

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "clause": self.clause,
            "reference": self.reference,
            "value": _plain(self.value),
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "until": self.until.isoformat() if self.until else None,
        }


@dataclass(frozen=True)
class Programme:
    """A subsidy programme (P11): rate × base, its own cap, a minimum investment, eligibility."""

    id: str
    name: str
    level: str
    base: str  # eligible_equipment_investment | total_investment
    rate: Decimal
    cap: Decimal | None = None
    min_investment: Decimal = Decimal(0)
    project_types: tuple[str, ...] = ()
    provincial_key: bool | None = None
    areas: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    example: bool = False
    clause: str = "P11"

    def valid_on(self, date: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= date) and (
            self.valid_to is None or date <= self.valid_to
        )

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level,
            "base": self.base,
            "rate": _plain(self.rate),
            "cap": _plain(self.cap),
            "min_investment": _plain(self.min_investment),
            "project_types": list(self.project_types),
            "provincial_key": self.provincial_key,
            "areas": list(self.areas),
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "example": self.example,
            "clause": self.clause,
        }


@dataclass(frozen=True)
class PolicyData:
    """Everything the rules read besides the case itself: parameters and programmes of one plan."""

    parameters: dict[str, Parameter]
    programmes: tuple[Programme, ...] = ()
    source: dict = field(default_factory=dict)  # plan id, document number … for the record

    def resolve(self, parameter_id: str, date: dt.date) -> Resolved:
        p = self.parameters.get(parameter_id)
        if p is None:
            return Resolved(parameter_id, parameter_id.split(".")[0], "", None, None, None)
        v = p.at(date)
        if v is None:
            return Resolved(p.id, p.clause, p.reference, None, None, None)
        return Resolved(p.id, p.clause, p.reference, v.value, v.effective_from, v.until)

    def upcoming(self, parameter_id: str, date: dt.date) -> DatedValue | None:
        """The first value of ``parameter_id`` that takes effect after ``date`` (so that a case dated
        before a rule applied can say when it will)."""
        p = self.parameters.get(parameter_id)
        later = [v for v in p.values if v.effective_from > date] if p else []
        return min(later, key=lambda v: v.effective_from, default=None)

    def with_programmes(self, programmes: tuple[Programme, ...]) -> PolicyData:
        return PolicyData(self.parameters, tuple(programmes), self.source)

    def with_value(self, parameter_id: str, value: Any, effective_from: dt.date) -> PolicyData:
        """A what-if copy where ``parameter_id`` takes ``value`` from ``effective_from`` on."""
        p = self.parameters[parameter_id]
        kept = tuple(v for v in p.values if v.effective_from < effective_from)
        changed = Parameter(
            p.id,
            p.clause,
            p.description,
            p.unit,
            p.reference,
            (*kept, DatedValue(effective_from, None, value)),
        )
        return PolicyData({**self.parameters, parameter_id: changed}, self.programmes, self.source)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _number(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _number(v) for k, v in value.items()}
    if isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
        # Plan content stored as JSON keeps decimals as text ("0.50").
        return Decimal(value.strip())
    return value


def _plain(value: Any) -> Any:
    """Decimals as JSON numbers (int when integral)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def programme_from_dict(d: dict) -> Programme:
    elig = d.get("eligibility") or {}
    cap = d.get("cap")
    return Programme(
        id=str(d["id"]),
        name=str(d["name"]),
        level=LEVEL_ALIASES.get(d["level"], d["level"]),
        base=d["base"],
        rate=_number(d["rate"]),
        cap=None if cap is None else _number(cap),
        min_investment=_number(d.get("min_investment") or 0),
        project_types=tuple(elig.get("project_types") or d.get("project_types") or ()),
        provincial_key=elig.get("provincial_key", d.get("provincial_key")),
        areas=tuple(elig.get("areas") or d.get("areas") or ()),
        valid_from=_date(d.get("valid_from")),
        valid_to=_date(d.get("valid_to")),
        example=bool(d.get("example", False)),
        clause=d.get("clause", "P11"),
    )


def policy_data_from_plan(plan: dict) -> PolicyData:
    """Parameters and programmes from a plan file's data (``schema.Plan.model_dump()`` or the
    parsed YAML). Only the plain mapping is read: the caller owns the loading."""
    parameters = {}
    for p in plan.get("parameters") or []:
        values = tuple(
            DatedValue(_date(v["effective_from"]), _date(v.get("until")), _number(v["value"]))
            for v in p["values"]
        )
        parameters[p["id"]] = Parameter(
            p["id"], p["clause"], p.get("description", ""), p.get("unit", ""), p.get("reference", ""), values
        )
    programmes = tuple(programme_from_dict(d) for d in plan.get("programmes") or [])
    document = plan.get("document") or {}
    source = {"plan": plan.get("id"), "document": document.get("number")}
    return PolicyData(parameters, programmes, source)
