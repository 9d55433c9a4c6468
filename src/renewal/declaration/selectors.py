"""Reads of the online declaration, always through the caller's scope: the reviewers' inbox, an
enterprise's own declarations, a project's lines, attachments and the warnings shown before 申报."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.equipment import rules
from renewal.equipment.models import EquipmentLine
from renewal.planning.schema import Equipment
from renewal.planning.selectors import NoPlanLoaded, active_plan_document
from renewal.registry import reference, selectors, workflow
from renewal.registry.models import FirstSetProduct, Project, ProjectTransition

from .models import Attachment

# Whose turn a declared project is (workflow.py): the area operator reviews what its area declared;
# the city (reviewer, administrator) what the areas approved.
INBOX_STATUS = {
    Role.AREA_OPERATOR: "已申报",
    Role.CITY_REVIEWER: "区县审核通过",
    Role.CITY_ADMIN: "区县审核通过",
}
# the steps the review page offers (审核通过 / 退回), of those the table gives the caller
REVIEW_TARGETS = ("区县审核通过", "已入库", "退回")
# the declaration's path, shown as steps on the enterprise's list
STEPS = ["草稿", "已申报", "区县审核通过", "已入库"]


def reviews(scope: Scope) -> bool:
    return scope.role in INBOX_STATUS


def inbox(*, scope: Scope) -> QuerySet[Project]:
    """The projects waiting for the caller's review, oldest declaration first."""
    status = INBOX_STATUS.get(scope.role)
    if status is None:
        return Project.objects.none()
    # the day the project reached the caller's step (its transition's effective date)
    reached = (
        ProjectTransition.objects.filter(project=OuterRef("pk"), to_status=status)
        .order_by("-effective_on", "-at", "-id")
        .values("effective_on")[:1]
    )
    return (
        selectors.project_list(scope=scope, status=status)
        .annotate(reached_on=Subquery(reached))
        .order_by("reached_on", "code")
    )


def inbox_count(*, scope: Scope) -> int:
    status = INBOX_STATUS.get(scope.role)
    if status is None:
        return 0
    return selectors.project_list(scope=scope, status=status).count()


def own_projects(*, scope: Scope) -> list[Project]:
    """The enterprise's projects, each with ``return_reason``: the comment of its latest 退回."""
    projects = list(selectors.project_list(scope=scope).filter(enterprise__uscc=scope.uscc or ""))
    reasons: dict[int, str] = {}
    returned = [p.pk for p in projects if p.status == "退回"]
    if returned:
        rows = (
            ProjectTransition.objects.filter(project_id__in=returned, to_status="退回")
            .order_by("project_id", "at", "id")
            .values_list("project_id", "comment")
        )
        reasons = dict(rows)  # ordered by time: the latest one wins
    for p in projects:
        p.return_reason = reasons.get(p.pk, "")
        p.editable = p.status in workflow.EDITABLE_STATES
    return projects


def steps(status: str) -> list[dict]:
    """草稿 → 已申报 → 区县审核通过 → 已入库, each done / current / todo (退回 stands at 草稿)."""
    at = workflow.START if status == "退回" else status
    if at not in STEPS:  # past the declaration (在建 …) or withdrawn
        return [{"name": s, "state": "done" if status != "撤销" else "todo"} for s in STEPS]
    i = STEPS.index(at)
    return [
        {"name": s, "state": "done" if k < i else ("current" if k == i else "todo")}
        for k, s in enumerate(STEPS)
    ]


def lines(project: Project) -> list[EquipmentLine]:
    return list(EquipmentLine.objects.filter(project=project).order_by("number"))


def attachments(project: Project) -> list[Attachment]:
    return list(Attachment.objects.filter(project=project).select_related("uploaded_by"))


def attachment_get(*, scope: Scope, code: str, pk: int) -> Attachment | None:
    """One live attachment of a project the caller may see, or None (a 404 for everyone else)."""
    project = selectors.project_get(scope=scope, code=code)
    if project is None:
        return None
    a = Attachment.objects.filter(project=project, pk=pk).select_related("project").first()
    return a if a is not None and scope.can_see(a) else None


def tolerance() -> Decimal:
    """How far the lines may exceed 设备投资 (the plan's ``equipment.lines_tolerance``)."""
    try:
        return active_plan_document().equipment.lines_tolerance
    except NoPlanLoaded:
        return Equipment().lines_tolerance


@dataclass(frozen=True)
class Totals:
    lines: Decimal  # the lines' amounts added up (yuan)
    registered: Decimal  # the project's 设备投资 (yuan)

    @property
    def difference(self) -> Decimal:
        return self.lines - self.registered


def totals(project: Project, rows: list[EquipmentLine]) -> Totals:
    return Totals(sum((r.amount for r in rows), Decimal(0)), project.equipment_investment)


def _registered_products(level: str) -> set[str]:
    """首台套 products of the registry at ``level`` or above (levels are listed highest first)."""
    levels = reference.values("levels")
    above = levels[: levels.index(level) + 1] if level in levels else levels
    return set(
        FirstSetProduct.objects.filter(category="首台套", level__in=above).values_list(
            "product_name", flat=True
        )
    )


def warnings(project: Project, rows: list[EquipmentLine] | None = None) -> list[str]:
    """What the person is told before 申报 (the project is kept as it is): no lines, the lines over
    设备投资 beyond the plan's tolerance, a 首台套 line without a product of the registry, no attachment."""
    rows = lines(project) if rows is None else rows
    out: list[str] = []
    if not rows:
        out.append("尚未填写设备清单")
    total = totals(project, rows)
    if rows and (w := rules.lines_total_warning(total.lines, total.registered, tolerance())):
        out.append(w)
    products: dict[str, set[str]] = {}
    for r in rows:
        level = r.first_set_level
        if level not in rules.REGISTERED_LEVELS:
            continue
        if level not in products:
            products[level] = _registered_products(level)
        w = rules.first_set_warning(
            {"first_set_level": level, "first_set_product": r.first_set_product}, products[level]
        )
        if w:
            out.append(f"第{r.number}行（{r.name}）：{w}")
    if not Attachment.objects.filter(project=project).exists():
        out.append("尚未上传附件（备案证明、可研报告或项目说明等）")
    return out
