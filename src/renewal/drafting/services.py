"""Writes of the drafting app. A draft becomes the active plan only through ``draft_review_confirm``:
a person confirms, the draft validates against the plan schema, ``plan_load`` loads it, and the
confirmation (who, when) is stored on the review and in its history."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from renewal.planning import schema
from renewal.planning.services import plan_load

from . import output
from .models import DraftReview


class ReviewError(Exception):
    """A review action that cannot be done; the message is for people (Chinese)."""


def draft_review_create(*, user, name: str, data: bytes) -> DraftReview:
    """Draft a plan from an uploaded document (raises ``reader.DraftError`` for unreadable files)."""
    draft, text = output.draft_upload(name, data)
    review = DraftReview(
        source_name=name[:200], source_text=text, original=draft, draft=draft, created_by=user
    )
    review._change_reason = "上传并自动起草"
    review.save()
    return review


def _editable(review: DraftReview) -> None:
    if review.status != DraftReview.Status.REVIEWING:
        raise ReviewError("该草稿已确认载入，不能再修改")


def draft_review_update(*, review: DraftReview, user, draft: dict) -> DraftReview:
    _editable(review)
    review.draft = draft
    review.validated = False
    review.problems = []
    review._change_reason = f"{user} 修改草稿"
    review.save()
    return review


def draft_review_validate(*, review: DraftReview) -> list[str]:
    """Validate the draft against the plan schema; the problems are stored and returned."""
    try:
        output.plan_from_draft(review.draft, review.source_name)
        problems = []
    except schema.PlanError as exc:
        problems = exc.problems
    review.problems = problems
    review.validated = not problems
    review._change_reason = "校验通过" if not problems else f"校验：{len(problems)} 处问题"
    review.save()
    return problems


@transaction.atomic
def draft_review_confirm(*, review: DraftReview, user, confirmed: bool) -> DraftReview:
    """Load the reviewed draft as the active plan, after a person's explicit confirmation."""
    _editable(review)
    if not confirmed:
        raise ReviewError("请先勾选“我已逐项核对草稿”再确认载入")
    try:
        plan = output.plan_from_draft(review.draft, review.source_name)
    except schema.PlanError as exc:
        review.problems, review.validated = exc.problems, False
        review.save()
        raise ReviewError(f"草稿未通过方案格式校验：{len(exc.problems)} 处问题") from None
    plan_load(plan=plan, source_file=f"草稿审核 #{review.pk}：{review.source_name}")
    review.status = DraftReview.Status.LOADED
    review.confirmed_by = user
    review.confirmed_at = timezone.now()
    review.loaded_plan_id = plan.id
    review.problems, review.validated = [], True
    review._change_reason = f"{user} 确认载入方案 {plan.id}"
    review.save()
    return review
