"""Reads of the audit trail (django-simple-history): a record's history with field-level changes,
and the whole log for export. Scoped through ``accounts.scope``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model

from renewal.accounts.scope import Scope

# Models whose every change is kept and exported (all registry models, reporting records).
AUDITED = [
    "registry.enterprise",
    "registry.project",
    "registry.monthlyprogress",
    "registry.honour",
    "registry.firstsetproduct",
    "registry.catalogueentry",
    "registry.serviceprovider",
    "registry.typicalcase",
    "registry.fund",
    "registry.statistic",
    "registry.industrialchain",
    "reporting.monthapproval",
    "reporting.taskreport",
    "reporting.taskattachment",
    "equipment.equipmentline",
    "equipment.ledgeritem",
    "equipment.eliminationentry",
    "declaration.attachment",
    "mujun.annualdata",
    "mujun.evaluation",
    "mujun.objection",
    "parks.park",
    "parks.parkmember",
    "parks.smartparkitem",
    "parks.greenparkitem",
    "parks.enterpriserating",
    "quality.valueflag",
]
KIND = {"+": "新增", "~": "修改", "-": "删除"}
SKIP = {"updated_at", "created_at"}


def audited_model(label: str):
    if label.lower() not in AUDITED:
        return None
    return apps.get_model(label)


def any_row(model, pk) -> Model | None:
    manager = getattr(model, "all_objects", model._default_manager)
    return manager.filter(pk=pk).first()


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: dt.datetime
    user: str
    kind: str
    reason: str
    changes: list[Change]
    model: str = ""
    record: str = ""
    record_id: str = ""


def _fmt(value) -> str:
    return "" if value is None else str(value)


def _changes(new, old, labels: dict[str, str]) -> list[Change]:
    if old is None:
        return []
    delta = new.diff_against(old)
    return [
        Change(labels.get(c.field, c.field), _fmt(c.old), _fmt(c.new))
        for c in delta.changes
        if c.field not in SKIP
    ]


def _labels(model) -> dict[str, str]:
    return {f.name: str(f.verbose_name) for f in model._meta.fields}


def record_history(*, obj: Model) -> list[Entry]:
    """Newest first: when, who, kind, reason, and which fields changed from what to what."""
    rows = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    labels = _labels(type(obj))
    out, prev = [], None
    for h in rows:
        out.append(
            Entry(
                at=h.history_date,
                user=h.history_user.username if h.history_user else "系统",
                kind=KIND.get(h.history_type, h.history_type),
                reason=h.history_change_reason or "",
                changes=_changes(h, prev, labels),
            )
        )
        prev = h
    return list(reversed(out))


def audit_log(
    *, scope: Scope, since: dt.datetime | None = None, until: dt.datetime | None = None, labels=None
):
    """Every history row in the caller's scope (the city administrator: everything), oldest first,
    model by model. Yields ``Entry`` with the record named."""
    for label in labels or AUDITED:
        model = apps.get_model(label)
        visible_ids = scope.filter_records(getattr(model, "all_objects", model._default_manager).all())
        hist = model.history.select_related("history_user").order_by("id", "history_date", "history_id")
        if not scope.sees_all_records:
            hist = hist.filter(id__in=visible_ids.values("pk"))
        if since:
            hist = hist.filter(history_date__gte=since)
        if until:
            hist = hist.filter(history_date__lt=until)
        field_labels = _labels(model)
        prev = None
        for h in hist.iterator(chunk_size=2000):
            if prev is not None and prev.id != h.id:
                prev = None
            if prev is None and h.history_type == "~":
                prev = h.prev_record
            yield Entry(
                at=h.history_date,
                user=h.history_user.username if h.history_user else "系统",
                kind=KIND.get(h.history_type, h.history_type),
                reason=h.history_change_reason or "",
                changes=_changes(h, prev, field_labels) if h.history_type == "~" else [],
                model=str(model._meta.verbose_name),
                record=str(h.history_object),
                record_id=str(h.id),
            )
            prev = h


def deleted_records(*, labels=None) -> list[tuple[str, Model]]:
    out = []
    for label in labels or AUDITED:
        model = apps.get_model(label)
        if hasattr(model, "all_objects"):
            out += [
                (label, r) for r in model.all_objects.filter(is_deleted=True).order_by("-deleted_at")[:500]
            ]
    return out
