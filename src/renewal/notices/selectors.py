"""Reads of notices: a user's inbox."""

from django.db.models import QuerySet

from .models import Notice


def inbox(*, user, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs
