"""Writes of equipment records (one write path: pages, API and admin call these; the import writes
in batches through ``exchange.kinds.equipment_lines`` with the same rules). Who may change a
project's lines is who may edit the project (``registry.services.project_may_edit``); every write
is versioned and kept in the history with its author."""

from __future__ import annotations

from django.db import transaction

from renewal.accounts.scope import scope_for
from renewal.lib.errors import Conflict, NotFound, Refused
from renewal.registry import models as R
from renewal.registry.services import attribute, project_may_edit, validated, version_check

from .models import EquipmentLine

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
