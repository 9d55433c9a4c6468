"""The header's 待办 counts (issue 17): what is waiting for the caller — returns to fix, approvals
waiting, reports due. A seam: ``PROVIDERS`` is a list of functions ``user → [(label, count, url)]``;
another module appends its own (``register``), e.g. the approval ladder's months waiting. Each
provider makes a few COUNT queries at most (the header shows on every page) and returns nothing
for a role it does not concern; items with count 0 are not shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope, scope_for
from renewal.registry.models import MonthlyProgress, Project
from renewal.reporting import completeness, selectors

Provider = Callable[[object], list[tuple[str, int, str]]]


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    url: str


def scope_of(user) -> Scope:
    """The user's scope, looked up once per user object (all providers of a request share it)."""
    scope = getattr(user, "_notices_scope", None)
    if scope is None:
        scope = scope_for(user)
        try:
            user._notices_scope = scope
        except AttributeError:  # an object that takes no attributes (AnonymousUser is fine)
            pass
    return scope


def today():
    return timezone.localdate()


def returns(user) -> list[tuple[str, int, str]]:
    """退回 projects the caller fixes: an enterprise its own, an area operator its area's."""
    from renewal.registry.selectors import project_list

    scope = scope_of(user)
    if scope.role not in (Role.ENTERPRISE, Role.AREA_OPERATOR):
        return []
    n = project_list(scope=scope, status="退回").count()
    url = (
        reverse("declaration:index")
        if scope.role == Role.ENTERPRISE
        else reverse("lists:project_list") + "?status=退回"
    )
    return [("退回待修改", n, url)]


def approvals(user) -> list[tuple[str, int, str]]:
    """Declarations waiting for the caller's review (the declaration inbox, 待我审核)."""
    from renewal.declaration import selectors as declaration

    scope = scope_of(user)
    if not declaration.reviews(scope):
        return []
    return [("待审核申报", declaration.inbox_count(scope=scope), reverse("declaration:inbox"))]


def reports_due(user) -> list[tuple[str, int, str]]:
    """Reports of the month most recently due not made yet: an enterprise's and an area's
    projects (one COUNT), a unit's task clauses."""
    scope = scope_of(user)
    month = selectors.due_month(today())
    label = f"{month:%Y年%m月}"
    if scope.role in (Role.ENTERPRISE, Role.AREA_OPERATOR):
        report = MonthlyProgress.objects.filter(project=OuterRef("pk"), month=month)
        n = (
            completeness.expected(month, scope.filter_records(Project.objects.all()))
            .filter(~Exists(report))
            .count()
        )
        url = (
            reverse("declaration:index")
            if scope.role == Role.ENTERPRISE
            else f"{reverse('reporting:overdue')}?month={month:%Y-%m}"
        )
        return [(f"{label}进度待报", n, url)]
    if scope.role == Role.UNIT_REPORTER and scope.unit:
        from renewal.reporting.models import TaskReport

        clauses = {c.code for c, _ in selectors.task_clauses(scope=scope)}
        done = TaskReport.objects.filter(unit_id=scope.unit, month=month, clause__in=clauses).count()
        return [
            (f"{label}任务进展待报", len(clauses) - done, f"{reverse('reporting:tasks')}?month={month:%Y-%m}")
        ]
    return []


def months_to_confirm(user) -> list[tuple[str, int, str]]:
    """Areas' months approved by the area and waiting for the city (审核确认 区县已审核), for the
    roles that confirm them: one COUNT."""
    from renewal.reporting.models import MonthApproval

    scope = scope_of(user)
    if not scope.can("months.confirm"):
        return []
    n = MonthApproval.objects.filter(state=MonthApproval.State.APPROVED).count()
    return [("待确认月份", n, reverse("reporting:approval"))]


def months_to_approve(user) -> list[tuple[str, int, str]]:
    """An area operator's months that are due, hold progress and are not yet approved by the area
    (填报中, returned ones included): two queries."""
    from renewal.reporting.models import MonthApproval

    scope = scope_of(user)
    if scope.role != Role.AREA_OPERATOR or not scope.area or not scope.can("months.approve"):
        return []
    due = selectors.due_month(today())
    with_data = set(
        MonthlyProgress.objects.filter(project__area_id=scope.area, month__lte=due)
        .values_list("month", flat=True)
        .distinct()
    )
    approved = set(
        MonthApproval.objects.filter(area_id=scope.area, month__in=with_data)
        .exclude(state=MonthApproval.State.OPEN)
        .values_list("month", flat=True)
    )
    return [("待审核月份", len(with_data - approved), reverse("reporting:approval"))]


PROVIDERS: list[Provider] = [returns, approvals, reports_due, months_to_confirm, months_to_approve]


def register(provider: Provider) -> Provider:
    """Add a provider (usable as a decorator); registering twice keeps one."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def items(user) -> list[Item]:
    if user is None or not user.is_authenticated:
        return []
    out = []
    for provider in PROVIDERS:
        for label, count, url in provider(user):
            if count:
                out.append(Item(label, count, url))
    return out
