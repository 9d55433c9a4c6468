"""Where a notice goes besides the inbox (issue 17): e-mail through Django's mail backend when
configured (``RENEWAL_NOTICE_EMAIL``, the ``EMAIL_*`` settings, the user's address), and a hook for
SMS or 浙政钉 named by a dotted path (``RENEWAL_NOTICE_HOOK``): any callable object with ``send``.
The default hook only logs, so a deployment without a gateway loses nothing and fails nothing."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Notice

log = logging.getLogger("renewal.notices")


class Hook(Protocol):
    """An outside channel (SMS gateway, 浙政钉 work notice). ``send`` must not raise for a
    delivery failure it can log; an exception is logged and the notice stays in the inbox."""

    def send(self, notice: Notice) -> None: ...


class LoggingHook:
    """The default channel: writes one log line per notice (no gateway configured)."""

    def send(self, notice: Notice) -> None:
        log.info("notice %s to user %s: %s", notice.kind, notice.user_id, notice.title)


def hook() -> Hook:
    path = getattr(settings, "RENEWAL_NOTICE_HOOK", "") or "renewal.notices.channels.LoggingHook"
    return import_string(path)()


def email(notice: Notice) -> bool:
    """Mail the notice to its user when mail is on and the user has an address; True when sent."""
    address = (notice.user.email or "").strip()
    if not getattr(settings, "RENEWAL_NOTICE_EMAIL", False) or not address:
        return False
    link = notice.link
    base = getattr(settings, "RENEWAL_SITE_URL", "").rstrip("/")
    body = notice.body + (f"\n\n查看：{base}{link}" if link and base else "")
    try:
        send_mail(
            f"【设备更新行动平台】{notice.title}",
            body,
            None,  # DEFAULT_FROM_EMAIL
            [address],
        )
    except Exception:  # a mail server down must not stop the daily run: the inbox has it
        log.exception("notice %s: mail to user %s failed", notice.pk, notice.user_id)
        return False
    Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return True


def deliver(notice: Notice) -> None:
    email(notice)
    try:
        hook().send(notice)
    except Exception:
        log.exception("notice %s: hook failed", notice.pk)
