"""Small helpers for pages: refuse with a Chinese message, turn service errors into answers."""

from __future__ import annotations

from django.shortcuts import render

from renewal.registry.errors import ServiceError


def refuse(request, message: str, status: int = 403):
    return render(request, "accounts/refused.html", {"message": message, "status": status}, status=status)


def service_error(request, exc: ServiceError):
    status = exc.status if exc.status in (403, 404, 409) else 400
    return refuse(request, exc.message, status=status)
