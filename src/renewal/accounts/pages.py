"""Small helpers for pages: refuse with a Chinese message, turn service errors into answers."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import render

from renewal.registry.errors import ServiceError

from .scope import scope_for


def refuse(request, message: str, status: int = 403):
    return render(request, "accounts/refused.html", {"message": message, "status": status}, status=status)


def service_error(request, exc: ServiceError):
    status = exc.status if exc.status in (403, 404, 409) else 400
    return refuse(request, exc.message, status=status)


def records_required(noun: str):
    """A page or export of records: refuse (403, in Chinese) a role that reads figures only (the
    viewer) or no records at all; the view's own scope check then narrows which records."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            reason = scope_for(request.user).records_refusal(noun)
            if reason:
                return refuse(request, reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
