"""Writes of the assessment app: score events (bonus/penalty items, manual adjustments)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import scope_for
from renewal.planning.models import Area
from renewal.planning.selectors import active_plan_document

from .models import Adjustment


def _require_city_admin(user) -> None:
    if scope_for(user).role != Role.CITY_ADMIN:
        raise PermissionDenied("只有市级管理员可以录入或撤销考核加减分")


@transaction.atomic
def adjustment_create(
    *, area: str, year: int, month: int, reason: str, author, item: str = "", points=None
) -> Adjustment:
    """Record a bonus/penalty item of the scheme (``item``) or a manual adjustment (``points``)."""
    _require_city_admin(author)
    scheme = active_plan_document().scoring
    errors: dict[str, str] = {}
    if scheme is None:
        raise ValidationError({"item": "当前方案未定义评分方案（scoring），不能录入加减分"})
    if not Area.objects.filter(code=area).exists():
        errors["area"] = f"未知的区域 {area!r}"
    if not 1 <= int(month) <= 12:
        errors["month"] = "计入月份应为 1–12"
    if not (reason or "").strip():
        errors["reason"] = "理由不能为空"
    amount = None
    if item:
        if item not in {it.id for it in scheme.items}:
            errors["item"] = f"评分方案中没有加减分项 {item!r}"
    else:
        try:
            amount = Decimal(str(points)) if points not in (None, "") else None
        except InvalidOperation:
            amount = None
            errors["points"] = f"调整分值应为数字，实为 {points!r}"
        if amount is None and "points" not in errors:
            errors["points"] = "人工调整须给出调整分值（或选择加减分项）"
        elif amount is not None and amount == 0:
            errors["points"] = "调整分值不能为 0"
        elif amount is not None and abs(amount) > scheme.adjustment_limit:
            errors["points"] = f"人工调整不能超过 ±{scheme.adjustment_limit} 分"
    if errors:
        raise ValidationError(errors)
    adj = Adjustment(
        area_id=area,
        year=year,
        month=month,
        item=item or "",
        points=amount,
        reason=reason.strip(),
        author=author,
    )
    adj._change_reason = "录入"
    adj.save()
    return adj


@transaction.atomic
def adjustment_withdraw(*, adjustment: Adjustment, by, reason: str) -> Adjustment:
    """Withdraw an event (it stops counting; the record and its history stay)."""
    _require_city_admin(by)
    if adjustment.withdrawn_at is not None:
        raise ValidationError({"adjustment": "该加减分已撤销"})
    if not (reason or "").strip():
        raise ValidationError({"withdraw_reason": "撤销理由不能为空"})
    adjustment.withdrawn_at = timezone.now()
    adjustment.withdrawn_by = by
    adjustment.withdraw_reason = reason.strip()
    adjustment._change_reason = "撤销"
    adjustment.save()
    return adjustment
