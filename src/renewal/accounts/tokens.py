"""API tokens: random, shown once, stored as a SHA-256 digest, with expiry and revocation."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken

PREFIX = "rnw_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user, name: str = "", days: int = 90) -> tuple[ApiToken, str]:
    plain = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plain[:8],
        key_hash=digest(plain),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return row, plain


def token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def token_user(plain: str):
    """The active user a token belongs to, or None (unknown, expired, revoked, inactive user)."""
    if not plain or not plain.startswith(PREFIX):
        return None
    row = ApiToken.objects.select_related("user").filter(key_hash=digest(plain)).first()
    now = timezone.now()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
