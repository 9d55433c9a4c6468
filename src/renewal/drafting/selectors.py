"""Reads of the drafting app."""

from __future__ import annotations

from .models import DraftReview


def draft_review_list() -> list[DraftReview]:
    return list(DraftReview.objects.select_related("created_by", "confirmed_by")[:50])


def draft_review_get(pk: int) -> DraftReview | None:
    return DraftReview.objects.select_related("created_by", "confirmed_by").filter(pk=pk).first()


def draft_review_history(review: DraftReview) -> list:
    return list(review.history.select_related("history_user").order_by("-history_date")[:30])
