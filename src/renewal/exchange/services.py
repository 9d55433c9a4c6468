"""Writes of the exchange app: imports (all or nothing) and import jobs for the upload page."""

from __future__ import annotations

from pathlib import Path

from renewal.accounts.scope import Scope

from .importer import Importer, Progress
from .report import ImportReport


def workbook_import(
    *,
    path: str | Path,
    filename: str,
    user,
    scope: Scope,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate every row of the file and, unless ``dry_run`` or any row is invalid, upsert all
    rows in one transaction. Returns the preview counts and every issue."""
    return Importer(scope=scope, user=user, dry_run=dry_run, progress=progress).run(path, Path(filename).name)
