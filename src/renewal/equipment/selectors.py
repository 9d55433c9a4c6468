"""Reads of equipment: a project's lines with their totals, warnings and what P11/P13 give for each;
the ledger and the elimination catalogue lists; the T9 candidates for renewal and the renewal rate
(docs/decisions/0016-elimination-matching.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from renewal.accounts.scope import Scope
from renewal.planning import selectors as plans
from renewal.planning.models import Area
from renewal.registry import models as R

from . import policy, rules
from .models import EliminationEntry, EquipmentLine, LedgerItem

ZERO = Decimal(0)
ROBOT = "工业机器人"


def line_list(project: R.Project) -> list[EquipmentLine]:
    return list(EquipmentLine.objects.filter(project=project).order_by("number"))


def line_get(project: R.Project, number: int) -> EquipmentLine | None:
    return EquipmentLine.objects.filter(project=project, number=number).first()


def tolerance() -> Decimal:
    try:
        return plans.active_plan_document().equipment.lines_tolerance
    except Exception:  # no plan loaded
        return Decimal("0.05")


def lines_warnings(project: R.Project, lines: list[EquipmentLine]) -> list[str]:
    """What the import and the form warn about a project's lines, as sentences."""
    out = []
    total = sum((line.amount for line in lines), ZERO)
    warning = rules.lines_total_warning(total, project.equipment_investment, tolerance())
    if warning:
        out.append(warning)
    robots = sum((line.quantity or 0) for line in lines if line.category == ROBOT)
    reported = project.progress.aggregate(s=Sum("robots"))["s"] or 0
    warning = rules.robots_warning(reported, robots)
    if warning:
        out.append(warning)
    products = set(
        R.FirstSetProduct.objects.filter(level__in=rules.REGISTERED_LEVELS).values_list(
            "product_name", flat=True
        )
    )
    for line in lines:
        warning = rules.first_set_warning(line.__dict__, products)
        if warning:
            out.append(f"第{line.number}项：{warning}")
    return out


def project_request(project: R.Project, lines: list[EquipmentLine], *, date: dt.date) -> dict:
    """The calculation request of the project with these lines (settlement's mapping)."""
    from renewal.settlement import selectors as settlement  # noqa: PLC0415 - settlement reads equipment

    return {
        **settlement.project_request(project, date=date),
        "equipment": [policy.line_item(x) for x in lines],
    }


def explained_lines(project: R.Project, lines: list[EquipmentLine], *, date: dt.date | None = None) -> dict:
    """The calculator's answer for the project's lines, and for each line the sentences of P11
    (counted in the eligible investment, first-set bonus) and P13 (expensing, special credit)."""
    from renewal.policy.contract import RequestError  # noqa: PLC0415
    from renewal.settlement.calc import policy_calculate  # noqa: PLC0415

    date = date or timezone.localdate()
    if not lines:
        return {"answer": None, "lines": [], "error": ""}
    try:
        answer = policy_calculate(project_request(project, lines, date=date))
    except RequestError as exc:
        return {"answer": None, "lines": [{"line": x, "steps": []} for x in lines], "error": str(exc)}
    expensing = answer["tax"]["one_time_expensing"]["items"]
    rows = []
    for i, line in enumerate(lines):
        label = f"设备第{i + 1}行"
        steps = [
            s for s in answer["trace"] if s["step"].startswith(label) and "一次性税前扣除" not in s["step"]
        ]
        counted = next((s["value"] for s in steps if s["step"].endswith("计入设备投资额")), None)
        rows.append(
            {
                "line": line,
                "counted": counted,
                "p11": [s["basis"] for s in steps],
                "p13": expensing[i]["basis"] if i < len(expensing) else "",
                "expensed": expensing[i]["amount"] if i < len(expensing) else 0,
                "special": line.category in SPECIAL and line.acquisition == rules.PURCHASE,
            }
        )
    return {"answer": answer, "lines": rows, "error": "", "date": date}


SPECIAL = set(policy.CATEGORIES)


def lines_total(lines: list[EquipmentLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


# ---- the ledger and the elimination catalogue (lists, exports) ----------------------------------


def ledger_list(
    *,
    scope: Scope,
    area: str | None = None,
    category: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[LedgerItem]:
    """设备台账 items the caller may see; ``q``: the enterprise's name or credit code, or the item's
    number, name or 规格型号."""
    qs = scope.filter_by_enterprise(
        LedgerItem.objects.filter(enterprise__is_deleted=False), "enterprise__uscc", "enterprise__area_id"
    )
    if area:
        qs = qs.filter(enterprise__area_id=area)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(enterprise__name__icontains=q)
            | Q(enterprise__uscc__icontains=q)
            | Q(number__icontains=q)
            | Q(name__icontains=q)
            | Q(spec__icontains=q)
        )
    return qs.select_related("enterprise", "enterprise__area", "replacement_project").order_by(
        "enterprise__area__order", "enterprise__uscc", "number"
    )


def elimination_list(
    *, scope: Scope, catalogue: str | None = None, category: str | None = None, q: str | None = None
) -> QuerySet[EliminationEntry]:
    """淘汰目录 entries: reference data, the same for every role that signs in; ``q``: the name, a
    prefix, the reason or the document number."""
    qs = EliminationEntry.objects.all() if scope.role else EliminationEntry.objects.none()
    if catalogue:
        qs = qs.filter(catalogue=catalogue)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(prefixes__icontains=q)
            | Q(reason__icontains=q)
            | Q(document_no__icontains=q)
        )
    return qs.order_by("catalogue", "batch", "number")


def elimination_catalogues() -> list[str]:
    return list(EliminationEntry.objects.order_by("catalogue").values_list("catalogue", flat=True).distinct())


# ---- T9: candidates for renewal and the renewal rate ---------------------------------------------


@dataclass(frozen=True)
class Entry:
    """The catalogue entry a ledger item matched."""

    catalogue: str
    batch: str
    number: str
    name: str
    category: str
    document_no: str
    effective_on: dt.date
    example: bool


@dataclass(frozen=True)
class Candidate:
    """A ledger item still to renew on the day asked: it matches an entry in force and was not
    eliminated by then."""

    area: str
    area_name: str
    uscc: str
    enterprise: str
    number: str
    name: str
    spec: str
    category: str
    status: str
    original_value: Decimal | None
    rated_power_kw: Decimal | None
    eliminated_on: dt.date | None
    entry: Entry


ENTRY_FIELDS = ("catalogue", "batch", "number", "name", "category", "document_no", "effective_on", "example")
ITEM_FIELDS = (
    "enterprise__area_id",
    "enterprise__area__name",
    "enterprise__uscc",
    "enterprise__name",
    "number",
    "name",
    "spec",
    "category",
    "status",
    "original_value",
    "rated_power_kw",
    "eliminated_on",
    "replacement_project__is_deleted",
    "replacement_project__counted_from",
    "replacement_project__counted_until",
)


def entries_in_force(day: dt.date) -> dict[str, list[tuple[tuple[str, ...], Entry]]]:
    """设备类别 → (folded prefixes, entry) of the entries in force on ``day`` (生效日期 ≤ day), in
    catalogue order (目录, 批次, 序号): an item matching several takes the first. A catalogue has
    hundreds of entries, not millions: they are read once and matched in Python, because the
    folding of ``rules.fold`` (NFKC, trimmed, upper-case) is the same on SQLite and PostgreSQL only
    there."""
    out: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    for e in (
        EliminationEntry.objects.filter(effective_on__lte=day)
        .order_by("catalogue", "batch", "number")
        .values(*ENTRY_FIELDS, "prefixes")
    ):
        folded = tuple(rules.prefixes(e.pop("prefixes")))
        if folded:
            out.setdefault(e["category"], []).append((folded, Entry(**e)))
    return out


def matched_entry(spec: str | None, entries: list[tuple[tuple[str, ...], Entry]]) -> Entry | None:
    """The first entry whose prefixes the folded 规格型号 starts with (``rules.matches``, with the
    category and the date already applied by ``entries_in_force``)."""
    folded = rules.fold(spec)
    if not folded:
        return None
    return next((entry for prefixes, entry in entries if folded.startswith(prefixes)), None)


def _matching(
    *, day: dt.date, scope: Scope | None = None, area: str | None = None, q: str | None = None
) -> Iterator[tuple[dict, Entry]]:
    """(item values, entry) of every live ledger item of a live enterprise that matches an entry in
    force on ``day``, whatever its status; only the categories of those entries are read."""
    entries = entries_in_force(day)
    if not entries:
        return
    qs = LedgerItem.objects.filter(enterprise__is_deleted=False, category__in=list(entries))
    if scope is not None:
        qs = scope.filter_by_enterprise(qs, "enterprise__uscc", "enterprise__area_id")
    if area:
        qs = qs.filter(enterprise__area_id=area)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    qs = qs.order_by("enterprise__area__order", "enterprise__area_id", "enterprise__uscc", "number")
    for v in qs.values(*ITEM_FIELDS).iterator(chunk_size=5000):
        entry = matched_entry(v["spec"], entries[v["category"]])
        if entry is not None:
            yield v, entry


def _still_to_renew(v: dict, day: dt.date) -> bool:
    """Not eliminated on ``day``: 在用 / 停用, or 已淘汰 only after ``day``."""
    if v["status"] in rules.IN_SERVICE:
        return True
    return v["status"] == rules.ELIMINATED and v["eliminated_on"] is not None and v["eliminated_on"] > day


def _renewed(v: dict, day: dt.date) -> bool:
    """已淘汰 on or before ``day`` and replaced by a project counted on ``day`` (spells.py)."""
    if v["status"] != rules.ELIMINATED or v["eliminated_on"] is None or v["eliminated_on"] > day:
        return False
    start, until = v["replacement_project__counted_from"], v["replacement_project__counted_until"]
    if start is None or v["replacement_project__is_deleted"]:
        return False  # no replacement project
    return start <= day < until


def candidates(
    *, scope: Scope, area: str | None = None, day: dt.date, q: str | None = None
) -> list[Candidate]:
    """The ledger items the caller may see that are still to renew on ``day`` (T9): matching an
    entry of the elimination catalogue in force, and 在用 / 停用 (or 已淘汰 only after ``day``).
    ``q``: the enterprise's name or credit code."""
    if not scope.sees_records:
        return []
    return [
        Candidate(
            area=v["enterprise__area_id"],
            area_name=v["enterprise__area__name"],
            uscc=v["enterprise__uscc"],
            enterprise=v["enterprise__name"],
            number=v["number"],
            name=v["name"],
            spec=v["spec"],
            category=v["category"],
            status=v["status"],
            original_value=v["original_value"],
            rated_power_kw=v["rated_power_kw"],
            eliminated_on=v["eliminated_on"],
            entry=entry,
        )
        for v, entry in _matching(day=day, scope=scope, area=area, q=q)
        if _still_to_renew(v, day)
    ]


def renewal_rate(*, area: str | None = None, day: dt.date) -> list[dict]:
    """淘汰类设备更新率 (T9, informational: no target) per area on ``day``: of the ledger items that
    match an entry in force, ``renewed`` were eliminated by ``day`` and replaced by a project counted
    on ``day``; ``candidates`` are still to renew (``candidates``); ``rate`` = renewed ÷ (renewed +
    candidates), None when both are 0. An item eliminated without a counted replacement is in
    neither. Aggregates of the whole city (no scope): figures, not records."""
    counts: dict[str, list[int]] = {}
    for v, _ in _matching(day=day, area=area):
        tally = counts.setdefault(v["enterprise__area_id"], [0, 0])
        if _renewed(v, day):
            tally[0] += 1
        elif _still_to_renew(v, day):
            tally[1] += 1
    areas = Area.objects.filter(code=area) if area else Area.objects.filter(is_active=True)
    out = []
    for a in areas.order_by("order", "code"):
        renewed, still = counts.get(a.code, (0, 0))
        out.append(
            {
                "area": a.code,
                "name": a.name,
                "renewed": renewed,
                "candidates": still,
                "rate": rules.renewal_rate(renewed, still),
            }
        )
    return out
