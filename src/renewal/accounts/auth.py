"""API authentication: `Authorization: Bearer <token>`, or the browser session (pages that call
the API). Use ``auth=api_auth`` on a router or operation.

Guessing tokens is bounded per client address (``client_ip``): after ``RENEWAL_TOKEN_FAILURE_LIMIT``
failed checks within ``RENEWAL_TOKEN_FAILURE_MINUTES`` the address gets 429 for the rest of the
window, whatever token it sends. The counts live in Django's default cache (one per process with the
local-memory cache; shared across processes with a shared cache backend)."""

from django.conf import settings
from django.core.cache import cache
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from .client_ip import client_ip
from .tokens import token_user


def _key(request) -> str:
    return f"renewal:token-failures:{client_ip(request) or 'unknown'}"


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        key = _key(request)
        limit = settings.RENEWAL_TOKEN_FAILURE_LIMIT
        minutes = settings.RENEWAL_TOKEN_FAILURE_MINUTES
        if limit > 0 and cache.get(key, 0) >= limit:
            raise HttpError(429, f"该地址的 API 令牌校验失败次数过多，请 {minutes} 分钟后再试")
        user = token_user(token)
        if user is None:
            if cache.add(key, 1, timeout=minutes * 60) is False:
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.add(key, 1, timeout=minutes * 60)
            return None
        request.user = user
        return user


api_auth = [BearerToken(), django_auth]
