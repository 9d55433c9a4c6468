"""Writes of the online declaration: a project's equipment lines and attachments while it is a
draft (or returned), the declaration form as one save, and its submission (申报).

Every function takes the acting ``user``, checks the project is in the user's scope and editable
(``registry.services.project_may_edit``, and 草稿/退回 only: what reviewers read does not change
under them), validates with Chinese messages naming 第N行·字段, and saves with the user as the
history author. Project fields and workflow steps go through ``registry.services``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from renewal.equipment import services as equipment
from renewal.equipment.models import EquipmentLine
from renewal.equipment.services import LINE_FIELDS, invalid, line_key, lines_check  # noqa: F401 - the form reads them
from renewal.lib.errors import Invalid, NotFound, Refused
from renewal.registry import reference, workflow
from renewal.registry import services as registry
from renewal.registry.models import Enterprise, Project

from . import files
from .models import Attachment

SUBMITTED = "已申报"


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


@transaction.atomic
def lines_replace(
    *, user, project: Project, lines: list[dict], version: int | None = None
) -> list[EquipmentLine]:
    """The draft's 设备清单 as a whole (``equipment.services.lines_replace``), only while the
    project is 草稿 or 退回."""
    p = Project.objects.select_for_update().get(pk=project.pk)
    _editable(user, p, "设备清单")
    return equipment.lines_replace(
        user=user, project=p, lines=lines, version=version, reason="申报：设备清单"
    )


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
        raise invalid(exc.errors | errors) from None
    if errors:
        raise invalid(errors)
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
