"""Writes of the online declaration: a project's equipment lines and attachments while it is a
draft (or returned), the declaration form as one save, and its submission (申报).

Every function takes the acting ``user``, checks the project is in the user's scope and editable
(``registry.services.project_may_edit``, and 草稿/退回 only: what reviewers read does not change
under them), validates with Chinese messages naming 第N行·字段, and saves with the user as the
history author. Project fields and workflow steps go through ``registry.services``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renewal.equipment.models import EquipmentLine
from renewal.lib.errors import Invalid, NotFound, Refused
from renewal.registry import reference, workflow
from renewal.registry import services as registry
from renewal.registry.models import Enterprise, Project

from . import files
from .models import Attachment

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
SUBMITTED = "已申报"


def line_label(field: str) -> str:
    """A line field's Chinese name without its unit: the form types 万元, the model keeps 元."""
    name = str(EquipmentLine._meta.get_field(field).verbose_name)
    return re.sub(r"\(.*\)$", "", name)


def line_key(i: int, field: str) -> str:
    """The key of line ``i``'s (1-based) error in ``Invalid.errors``: the form puts it beside the cell."""
    return f"lines.{i}.{field}"


def _editable(user, project: Project, what: str):
    """The caller's scope, or NotFound / Refused in Chinese."""
    scope = registry._scope(user)
    if not scope.can_see(project):
        raise NotFound(f"未找到项目 {project.code}（或无权查看）")
    if project.status not in workflow.EDITABLE_STATES or not registry.project_may_edit(scope, project):
        raise Refused(
            f"项目 {project.code} 当前状态为“{project.status}”，您（{scope.role_label}）不能修改{what}"
            f"（仅草稿或退回的项目可以修改）"
        )
    return scope


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


def _invalid(errors: dict[str, str]) -> Invalid:
    return Invalid("数据有误：" + "；".join(errors.values()), errors=errors)


@transaction.atomic
def lines_replace(
    *, user, project: Project, lines: list[dict], version: int | None = None
) -> list[EquipmentLine]:
    """Make ``lines`` the project's 设备清单. A line is known by its 序号 (``number``, by default its
    position): a changed line is updated, a new one added, a missing one soft-deleted (and brought
    back if its 序号 returns), each with a history row; the project's version goes up when
    anything changed."""
    p = Project.objects.select_for_update().get(pk=project.pk)
    _editable(user, p, "设备清单")
    registry.version_check(p, version, f"项目 {p.code} ")
    errors = lines_check(lines)
    if errors:
        raise _invalid(errors)
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
        registry.attribute(row, user, "申报：设备清单")
        row.save()
        changed = True
    now = timezone.now()
    for number, row in existing.items():
        if number in kept or row.is_deleted:
            continue
        row.is_deleted, row.deleted_at = True, now
        row.version += 1
        registry.attribute(row, user, "申报：从设备清单删除")
        row.save()
        changed = True
    if changed:
        p.version += 1
        registry.attribute(p, user, "申报：设备清单")
        p.save()
    return list(EquipmentLine.objects.filter(project=p).order_by("number"))


@transaction.atomic
def attachment_add(*, user, project: Project, kind: str, upload) -> Attachment:
    """Check and store one file (``files.store``: type by extension and content, size limit) as an
    attachment of a draft project."""
    p = Project.objects.select_for_update().get(pk=project.pk)
    _editable(user, p, "附件")
    return _attachment_write(project=p, kind=kind, upload=upload, user=user)


@transaction.atomic
def attachment_sample_add(*, project: Project, kind: str, upload) -> Attachment:
    """Demo data (``demo.attach_samples``): an attachment written by the system (no author), in any
    state — the demo's declared projects are past 草稿. The file is checked as any upload."""
    return _attachment_write(project=project, kind=kind, upload=upload, user=None)


def _attachment_write(*, project: Project, kind: str, upload, user) -> Attachment:
    if kind not in reference.values("attachment_kinds"):
        kinds = "、".join(reference.values("attachment_kinds"))
        raise Invalid(f"附件类型：请选择{kinds}之一", field="attachments")
    stored = files.store(upload, folder=str(project.pk))
    try:
        a = Attachment(
            project=project,
            kind=kind,
            file=stored.name,
            original_name=stored.original_name,
            size=stored.size,
            content_type=stored.content_type,
            sha256=stored.sha256,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        registry.attribute(a, user, f"上传附件：{kind}")
        a.save()
    except BaseException:
        files.remove(stored.name)
        raise
    return a


@transaction.atomic
def attachment_delete(*, user, attachment: Attachment, reason: str = "") -> Attachment:
    """Soft-delete an attachment of a draft project (the file stays, restorable like any record)."""
    a = Attachment.objects.select_for_update().get(pk=attachment.pk)
    _editable(user, a.project, "附件")
    a.is_deleted, a.deleted_at = True, timezone.now()
    a.version += 1
    registry.attribute(a, user, f"删除附件：{reason}" if reason else "删除附件")
    a.save()
    return a


def code_next(*, year: int, area: str) -> str:
    """The next free project code of a declaration made online: <year>-<area>-S<nnnn> (the demo
    and imports use <year>-<area>-<nnnn>, so the two never meet)."""
    prefix = f"{year}-{area}-S"
    taken = set(Project.all_objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:04d}" in taken:
        n += 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def declaration_save(
    *,
    user,
    project: Project | None,
    data: dict,
    lines: list[dict],
    uploads: list[tuple[str, object]] | None = None,
    version: int | None = None,
) -> Project:
    """The declaration form as one write: the project (new: a 草稿 of the caller's own enterprise,
    its code given or generated; else ``registry.services.project_update`` with ``version``), its
    equipment lines (``lines_replace``) and new attachments (``uploads``: (kind, file)). All or
    nothing; the project's and the lines' errors come together (``Invalid.errors``)."""
    scope = registry._scope(user)
    errors = lines_check(lines)
    data = dict(data)
    try:
        if project is None:
            if not scope.uscc:
                raise Refused(f"您（{scope.role_label}）不是企业用户，不能在线申报项目")
            data["uscc"] = scope.uscc
            ent = Enterprise.objects.filter(uscc=scope.uscc).first()
            if ent is None:
                raise NotFound(f"未找到您的企业 {scope.uscc}：请联系所在区域的操作员登记企业")
            if not data.get("code"):
                data["code"] = code_next(year=data.get("year") or timezone.localdate().year, area=ent.area_id)
            p = registry.project_create(user=user, data=data)
        else:
            _editable(user, project, "项目")
            p = registry.project_update(user=user, project=project, data=data, version=version)
    except Invalid as exc:
        raise _invalid(exc.errors | errors) from None
    if errors:
        raise _invalid(errors)
    lines_replace(user=user, project=p, lines=lines, version=p.version)
    written: list[str] = []
    try:
        for kind, upload in uploads or []:
            written.append(attachment_add(user=user, project=p, kind=kind, upload=upload).file.name)
    except BaseException:
        for name in written:  # the rows roll back with the transaction; their files are removed here
            files.remove(name)
        raise
    p.refresh_from_db()
    return p


@transaction.atomic
def declaration_submit(*, user, project: Project, version: int | None = None, comment: str = ""):
    """申报: 草稿 → 已申报 through the workflow (a returned project first goes back to 草稿, 修改后重新
    填报, as the table says). Returns the transitions written."""
    p = Project.objects.select_for_update().get(pk=project.pk)
    steps = []
    if p.status == "退回":
        steps.append(registry.project_transition(project=p, to=workflow.START, user=user, version=version))
        version = None  # checked by the first step
    steps.append(
        registry.project_transition(project=p, to=SUBMITTED, user=user, comment=comment, version=version)
    )
    return steps
