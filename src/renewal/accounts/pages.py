"""Small helpers for pages: who may open a page (its gate), refuse with a Chinese message, turn
service errors into answers.

A page declares what it asks of the caller once, with ``requires(permission)`` or
``records_required(noun)``: a visitor not signed in goes to the login page, a role without the
right gets 403 with the reason in Chinese. The gate stays on the view (``view.gate``), so the
header, tabs and buttons ask ``can_open(request, url_name)`` — the same check as the page, no
second list of who sees which link.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import NoReverseMatch, get_urlconf, resolve, reverse

from renewal.lib.errors import ServiceError

from .scope import Scope, scope_for


def refuse(request, message: str, status: int = 403):
    return render(request, "accounts/refused.html", {"message": message, "status": status}, status=status)


def service_error(request, exc: ServiceError):
    status = exc.status if exc.status in (403, 404, 409) else 400
    return refuse(request, exc.message, status=status)


def request_scope(request) -> Scope:
    """The caller's scope, looked up once per request (the header asks it for every link)."""
    scope = getattr(request, "_renewal_scope", None)
    if scope is None:
        scope = request._renewal_scope = scope_for(getattr(request, "user", None))
    return scope


@dataclass(frozen=True)
class Gate:
    """What a page asks of its caller: a role-level right (``scope.PERMISSIONS``, which may be
    opened to everyone by a setting, ``scope.PUBLIC_WHEN``) and/or that the role reads records
    (``scope.RECORD_ROLES``; ``records`` is the noun of the refusal)."""

    permission: str | None = None
    records: str | None = None

    def refusal(self, scope: Scope) -> str | None:
        """None when the caller may open the page, else the Chinese reason."""
        if self.records is not None and (reason := scope.records_refusal(self.records)):
            return reason
        if self.permission is not None:
            return scope.refusal(self.permission)
        return None

    def __call__(self, view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            reason = self.refusal(request_scope(request))
            if reason:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                return refuse(request, reason)
            return view(request, *args, **kwargs)

        wrapped.gate = self
        return wrapped


def requires(permission: str) -> Gate:
    """Decorate a page that needs a role-level right (``scope.PERMISSIONS``)."""
    return Gate(permission=permission)


def records_required(noun: str) -> Gate:
    """A page or export of records: refuse (403, in Chinese) a role that reads figures only (the
    viewer) or no records at all; the view's own scope check then narrows which records."""
    return Gate(records=noun)


def can_open(request, url_name: str, *args) -> bool:
    """Whether the caller may open the page at ``url_name`` — asked of that page's own gate. A page
    without a gate is open to everyone (the home page, the public catalogues, the calculator)."""
    gate = _gate(url_name, tuple(args), get_urlconf())
    if gate is False:
        return False
    return gate is None or gate.refusal(request_scope(request)) is None


@lru_cache(maxsize=4096)
def _gate(url_name: str, args: tuple, urlconf) -> Gate | None | bool:
    """The gate of the page at ``url_name`` (None: no gate; False: no such page). The URL
    configuration does not change while the process runs: the header asks this for a dozen links
    on every page, so each is resolved once (``urlconf``: the request's own, when a test sets one)."""
    try:
        view = resolve(reverse(url_name, args=args, urlconf=urlconf), urlconf=urlconf).func
    except NoReverseMatch:
        return False
    return getattr(view, "gate", None)
