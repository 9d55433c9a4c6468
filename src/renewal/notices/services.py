"""Writes of notices: send one (once per user, kind and key), mark read."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from renewal.lib.errors import NotFound

from . import channels
from .models import Notice


def notice_send(*, user, kind: str, key: str, title: str, body: str = "", link: str = "") -> Notice | None:
    """Write the notice to ``user``'s inbox and deliver it to the other channels after commit;
    None when the same (user, kind, key) was written before (nothing is sent twice)."""
    if Notice.objects.filter(user=user, kind=kind, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                user=user, kind=kind, key=key[:120], title=title[:200], body=body, link=link[:300]
            )
    except IntegrityError:  # a concurrent run wrote it first
        return None
    transaction.on_commit(lambda: channels.deliver(notice))
    return notice


def notice_read(*, user, notice_id: int) -> Notice:
    """Mark the caller's own notice read (a notice of another user is not found)."""
    notice = Notice.objects.filter(pk=notice_id, user=user).first()
    if notice is None:
        raise NotFound("未找到该消息")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notice_read_all(*, user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
