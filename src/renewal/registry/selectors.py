"""Reads of the registry."""

from __future__ import annotations

from . import models


def registry_counts() -> dict[str, int]:
    return {
        "enterprises": models.Enterprise.objects.count(),
        "projects": models.Project.objects.count(),
    }
