"""Writes of the data checks: refusing a save an error check forbids, raising and closing flags
on the values a save leaves, and the review of a flag (数据核查, issue 17).

Every save of monthly progress goes through ``reporting.services.progress_report`` or the import
(``exchange/kinds/progress.py``); both call ``save_refusal`` before and ``flags_refresh`` after.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import scope_for
from renewal.lib.errors import Invalid, NotFound, Refused
from renewal.registry.services import attribute, version_check

from . import rules as Q
from . import selectors
from .models import ValueFlag

State = ValueFlag.State
REVIEW_STATES = {State.CONFIRMED, State.OPEN}  # 已更正 is set by a save, never by hand


def save_refusal(rules, figures: Q.Figures, series: Q.Series, month: dt.date, until: dt.date | None = None):
    """The first error finding of a save of ``month`` (None: the save may go on)."""
    found = Q.save_errors(rules, figures, series, month, until=until)
    return found[0] if found else None


def refuse(finding: Q.Finding):
    raise Invalid(finding.message, field=finding.field)


def findings(rules, figures: Q.Figures, series: Q.Series, before: Q.Series | None) -> list[Q.Finding]:
    """The warnings ``series`` leaves: every month for the value rules, and a drop at each month a
    save changed (``before``: the series before it)."""
    warn = [r for r in rules if r.severity == Q.WARNING]
    out = Q.evaluate([r for r in warn if r.kind != "drop"], figures, series, sorted(series))
    if before is not None:
        changed = sorted(m for m in set(series) | set(before) if series.get(m) != before.get(m))
        out += Q.evaluate([r for r in warn if r.kind == "drop"], figures, series, changed, before=before)
    return out


def flags_refresh(
    *, user, project, figures: Q.Figures, series: Q.Series, before: Q.Series | None, rules=None
):
    """After a save of ``project``'s progress: a warning creates its flag (待核实) or refreshes it;
    an open flag whose warning no longer holds becomes 已更正 (who and when: this save's author);
    a confirmed flag (已核实) opens again only when its value changed."""
    rules = selectors.check_rules() if rules is None else rules
    if not any(r.severity == Q.WARNING for r in rules):
        return
    now = timezone.now()
    found = {(f.month, f.rule, f.field): f for f in findings(rules, figures, series, before)}
    kinds = {r.code: r.kind for r in rules}
    existing = {
        (x.month, x.rule, x.field): x for x in ValueFlag.objects.select_for_update().filter(project=project)
    }
    for key, f in found.items():
        flag = existing.get(key)
        if flag is None:
            flag = ValueFlag(
                project=project, month=f.month, rule=f.rule, field=f.field, raised_at=now, raised_by=user
            )
        elif flag.state == State.OPEN and (flag.message, flag.value) == (f.message, f.value):
            continue
        elif flag.state == State.CONFIRMED and flag.value == f.value:
            continue
        else:
            flag.version += 1
            reopened = flag.state != State.OPEN
            flag.state, flag.raised_at, flag.raised_by = State.OPEN, now, user
            if reopened:
                flag.closed_at = flag.closed_by = None
        flag.message, flag.value, flag.reference = f.message[:300], f.value, f.reference
        attribute(flag, user, "保存进度时核查提示")
        flag.save()
    for key, flag in existing.items():
        if key in found or flag.state != State.OPEN:
            continue
        if kinds.get(flag.rule) == "drop" and Q.cumulative(series, flag.field, flag.month) < (
            flag.reference or 0
        ):
            continue  # a drop stays until the figure is back or someone confirms it
        flag.state, flag.closed_at, flag.closed_by = State.CORRECTED, now, user
        flag.version += 1
        attribute(flag, user, "更正后核查通过")
        flag.save()


@transaction.atomic
def flag_review(
    *, user, flag: ValueFlag, state: str, comment: str = "", version: int | None = None
) -> ValueFlag:
    """Review a flag: the project's area operator or a city user marks it 已核实 (or back to 待核实)
    with a comment; the project's enterprise may comment on its own flag without changing its
    state (``state`` = its current state)."""
    scope = scope_for(user)
    row = ValueFlag.objects.select_for_update().select_related("project").filter(pk=flag.pk).first()
    if row is None or not scope.can_see(row):
        raise NotFound("未找到该核查标记（或无权查看）")
    if not scope.can("quality.flags"):
        raise Refused(scope.refusal("quality.flags"))
    version_check(row, version, f"项目 {row.project.code} {row.month:%Y-%m} 的核查标记")
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise Invalid(f"核实说明：过长：{len(comment)} 个字符（最多 1000 个）", field="comment")
    if state not in State.values:
        raise Invalid(f"状态：应为 {'、'.join(State.values)} 之一", field="state")
    if state != row.state:
        if scope.role == Role.ENTERPRISE or not scope.can("quality.review"):
            raise Refused(f"您（{scope.role_label}）只能填写说明，核实由区县操作员或市级用户进行")
        if state not in REVIEW_STATES:
            raise Invalid("状态：已更正由更正数据后自动设置，不能手工选择", field="state")
        if state == State.CONFIRMED and not comment:
            raise Invalid("核实说明：标记为已核实须填写说明", field="comment")
    elif not comment:
        raise Invalid("核实说明：不能为空", field="comment")
    if state == State.CONFIRMED and row.state != State.CONFIRMED:
        row.closed_at, row.closed_by = timezone.now(), user
    elif state == State.OPEN:
        row.closed_at = row.closed_by = None
    row.state = state
    if comment:
        row.comment = comment
    row.version += 1
    attribute(row, user, f"核查：{state}")
    row.save()
    return row


@transaction.atomic
def flags_sweep(*, user=None, area: str | None = None) -> int:
    """Raise the flags the warning checks find in the data already registered (data imported
    before the checks, the demo): every project with progress, through ``flags_refresh``. Returns
    the number of open flags afterwards."""
    from renewal.registry.models import Project

    rules = selectors.check_rules()
    projects = Project.objects.filter(progress__isnull=False).distinct()
    if area:
        projects = projects.filter(area_id=area)
    found = selectors.figures_of(projects)
    series = selectors.series_of(list(found))
    for pid, (project, figures) in found.items():
        flags_refresh(
            user=user, project=project, figures=figures, series=series.get(pid, {}), before=None, rules=rules
        )
    return ValueFlag.objects.filter(state=State.OPEN).count()
