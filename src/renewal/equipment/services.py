"""Writes of equipment records (one write path: pages, API and admin call these; the import writes
in batches through ``exchange.kinds.equipment_lines`` with the same rules). Who may change a
project's lines is who may edit the project (``registry.services.project_may_edit``); every write
is versioned and kept in the history with its author. The elimination catalogue is reference data
of the city: its demonstration sample is loaded by ``sample_catalogue_load``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renewal.accounts.scope import scope_for
from renewal.lib.errors import Conflict, Invalid, NotFound, Refused
from renewal.registry import models as R
from renewal.registry.services import attribute, project_may_edit, validated, version_check

from .models import EliminationEntry, EquipmentLine

LINE_FIELDS = (
    "name",
    "spec",
    "category",
    "acquisition",
    "unit_price",
    "quantity",
    "lease_fee",
    "origin",
    "first_set_level",
    "first_set_product",
    "supplier",
    "invoice_no",
    "acquired_on",
    "depreciation_class",
)


def _editable(user, project: R.Project) -> R.Project:
    p = R.Project.objects.select_for_update().get(pk=project.pk)
    scope = scope_for(user)
    if not scope.can_see(p):
        raise NotFound(f"未找到项目 {project.code}（或无权查看）")
    if not project_may_edit(scope, p):
        raise Refused(f"项目 {p.code} 当前状态为“{p.status}”，您（{scope.role_label}）无权修改其设备清单")
    return p


@transaction.atomic
def line_create(*, user, project: R.Project, data: dict) -> EquipmentLine:
    """A new line of the project; without ``number`` the next one."""
    p = _editable(user, project)
    numbers = EquipmentLine.all_objects.filter(project=p).values_list("number", flat=True)
    number = data.get("number") or (max(numbers, default=0) + 1)
    if number in set(numbers):
        raise Conflict(
            f"序号：项目 {p.code} 已有第 {number} 项设备（修改请带版本号更新该项）", field="number"
        )
    line = EquipmentLine(project=p, number=number)
    _apply(line, data)
    validated(line, exclude=["project"])
    attribute(line, user)
    line.save()
    return line


@transaction.atomic
def line_update(*, user, line: EquipmentLine, data: dict, version: int | None) -> EquipmentLine:
    _editable(user, line.project)
    current = EquipmentLine.objects.select_for_update().get(pk=line.pk)
    version_check(current, version, f"项目 {line.project.code} 设备第 {line.number} 项")
    _apply(current, data)
    validated(current, exclude=["project"])
    current.version += 1
    attribute(current, user)
    current.save()
    return current


def _apply(line: EquipmentLine, data: dict) -> None:
    for name in LINE_FIELDS:
        if name in data:
            value = data[name]
            setattr(line, name, "" if value is None and name not in _NULLABLE else value)
    if not line.first_set_level:
        line.first_set_level = "无"
    if not line.depreciation_class:
        line.depreciation_class = "机器设备"


_NULLABLE = {"unit_price", "quantity", "lease_fee", "acquired_on"}


def line_delete(*, user, line: EquipmentLine, reason: str = "") -> None:
    """To the recycle bin (a city administrator restores it), like every registry record."""
    from renewal.registry.services import record_delete  # noqa: PLC0415

    with transaction.atomic():
        project = _editable(user, line.project)
        record_delete(user=user, obj=line, reason=reason or "删除设备清单项", as_edit_of=project)


def line_label(field: str) -> str:
    """A line field's Chinese name without its unit: the form types 万元, the model keeps 元."""
    name = str(EquipmentLine._meta.get_field(field).verbose_name)
    return re.sub(r"\(.*\)$", "", name)


def line_key(i: int, field: str) -> str:
    """The key of line ``i``'s (1-based) error in ``Invalid.errors``: the form puts it beside the cell."""
    return f"lines.{i}.{field}"


def lines_check(lines: list[dict]) -> dict[str, str]:
    """Line key → Chinese message (``第N行·字段：…``) for lines that cannot be saved: the model's
    checks (``EquipmentLine.clean``: ``equipment.rules.line_problems``; required fields, choices)
    and one 序号 per line."""
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for i, values in enumerate(lines, start=1):
        number = values.get("number") or i
        row = EquipmentLine(number=number, **{f: values[f] for f in LINE_FIELDS if f in values})
        try:
            row.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = line_label(field) if field != "__all__" else "设备"
                errors[line_key(i, field)] = f"第{i}行·{label}：{'；'.join(messages)}"
        if number in seen:
            errors[line_key(i, "number")] = f"第{i}行·序号：序号 {number} 重复"
        seen.add(number)
    return errors


def invalid(errors: dict[str, str]) -> Invalid:
    return Invalid("数据有误：" + "；".join(errors.values()), errors=errors)


@transaction.atomic
def lines_replace(
    *, user, project: R.Project, lines: list[dict], version: int | None = None, reason: str = "设备清单"
) -> list[EquipmentLine]:
    """Make ``lines`` the project's 设备清单. A line is known by its 序号 (``number``, by default its
    position): a changed line is updated, a new one added, a missing one soft-deleted (and brought
    back if its 序号 returns), each with a history row; the project's version goes up when
    anything changed."""
    p = _editable(user, project)
    version_check(p, version, f"项目 {p.code} ")
    errors = lines_check(lines)
    if errors:
        raise invalid(errors)
    existing = {row.number: row for row in EquipmentLine.all_objects.filter(project=p)}
    changed, kept = False, set()
    for i, values in enumerate(lines, start=1):
        number = values.get("number") or i
        kept.add(number)
        row = existing.get(number)
        if row is None:
            row = EquipmentLine(project=p, number=number)
        wanted = {f: values.get(f, EquipmentLine._meta.get_field(f).get_default()) for f in LINE_FIELDS}
        if row.pk and not row.is_deleted and all(getattr(row, f) == v for f, v in wanted.items()):
            continue
        for f, v in wanted.items():
            setattr(row, f, v)
        if row.pk:
            row.version += 1
        row.is_deleted, row.deleted_at = False, None
        attribute(row, user, reason)
        row.save()
        changed = True
    now = timezone.now()
    for number, row in existing.items():
        if number in kept or row.is_deleted:
            continue
        row.is_deleted, row.deleted_at = True, now
        row.version += 1
        attribute(row, user, f"{reason}：删除")
        row.save()
        changed = True
    if changed:
        p.version += 1
        attribute(p, user, reason)
        p.save()
    return list(EquipmentLine.objects.filter(project=p).order_by("number"))


# ---- the elimination catalogue: the demonstration sample --------------------------------------

SAMPLE_CATALOGUE = Path(__file__).resolve().parent / "data" / "elimination-sample.yaml"
SAMPLE_REASON = "载入示例淘汰目录（演示用）"
ENTRY_FIELDS = ("name", "category", "prefixes", "reason", "document_no", "effective_on", "example")


def sample_catalogue_read(path: Path = SAMPLE_CATALOGUE) -> list[dict]:
    """The entries of the sample file (catalogue name on each), every one marked 示例."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for e in data["entries"]:
        entry = {
            "catalogue": data["catalogue"],
            **e,
            "number": str(e["number"]),
            "batch": e.get("batch") or "",
        }
        if not isinstance(entry["effective_on"], dt.date):
            entry["effective_on"] = dt.date.fromisoformat(str(entry["effective_on"]))
        entry["example"] = True  # a sample is never a real catalogue entry, whatever the file says
        entries.append(entry)
    return entries


@transaction.atomic
def sample_catalogue_load(*, user=None, path: Path = SAMPLE_CATALOGUE) -> dict[str, int]:
    """Load the demonstration sample of the elimination catalogue (``equipment/data``), marked 示例.
    Idempotent: an entry already as in the file is left alone, one that differs is updated (new
    version); each write is validated (``full_clean``) and kept in the history with its author
    (none: the system) and reason. An entry in the recycle bin stays there. ``user``: only the city
    administrator loads reference data; without one (the demo loader) the system does."""
    if user is not None and not scope_for(user).is_city_admin:
        raise Refused("淘汰目录为全市统一的参考数据，只有市级管理员可以载入")
    counts = {"new": 0, "changed": 0, "unchanged": 0, "deleted": 0}
    for e in sample_catalogue_read(path):
        key = {"catalogue": e["catalogue"], "batch": e["batch"], "number": e["number"]}
        current = EliminationEntry.all_objects.filter(**key).first()
        if current is not None and current.is_deleted:
            counts["deleted"] += 1
            continue
        if current is not None and all(getattr(current, f) == e[f] for f in ENTRY_FIELDS):
            counts["unchanged"] += 1
            continue
        entry = current or EliminationEntry(**key)
        for f in ENTRY_FIELDS:
            setattr(entry, f, e[f])
        validated(entry)
        if current is not None:
            entry.version += 1
        attribute(entry, user, SAMPLE_REASON)
        entry.save()
        counts["changed" if current is not None else "new"] += 1
    return counts
