"""Reads of the exchange app."""

from __future__ import annotations

from django.db.models import QuerySet

from renewal.accounts.models import Role
from renewal.accounts.scope import scope_for

from .models import ImportJob


def import_job_list(*, user) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(user=user).order_by("-created_at")


def import_job_get(*, user, job_id) -> ImportJob | None:
    """A job is seen by its uploader, and by a city administrator."""
    job = ImportJob.objects.filter(id=job_id).select_related("user").first()
    if job is None:
        return None
    if job.user_id == user.id or scope_for(user).role == Role.CITY_ADMIN:
        return job
    return None
