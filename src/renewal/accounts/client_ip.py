"""The client's address, as the login lock-out and the API token limit key it.

Behind reverse proxies every request comes from a proxy's address; the client's is in
``X-Forwarded-For``, which anyone can also write. So the header is read only when the operator says
how many proxies of their own stand in front (``RENEWAL_TRUSTED_PROXIES`` = N): each appends the
address it received the request from, so the client is the N-th address from the right of
``X-Forwarded-For`` + ``REMOTE_ADDR`` — whatever the client itself put further left is ignored. With
N = 0 (the default: the server faces the clients) the header is never read.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or with N trusted proxies the address the outermost
    of them saw. A malformed or missing hop falls back to ``REMOTE_ADDR`` (never to text the client
    wrote)."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "RENEWAL_TRUSTED_PROXIES", 0) or 0)
    if proxies <= 0:
        return remote
    hops = [h for h in (request.META.get("HTTP_X_FORWARDED_FOR", "") or "").split(",") if h.strip()]
    chain = [*hops, request.META.get("REMOTE_ADDR", "") or ""]
    if len(chain) <= proxies:  # fewer hops than proxies: the request did not come through them all
        return remote
    return _address(chain[-(proxies + 1)]) or remote
