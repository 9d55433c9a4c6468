"""Exports of the registry lists (enterprises, projects, monthly progress) in the import-sheet
shape: the same headers, units and value forms, so export → import is a no-op."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from renewal.accounts.scope import Scope
from renewal.registry import models as R
from renewal.registry import selectors as registry

from . import export as X
from . import sheets as S

KIND_TO_EXPORT = {
    S.TEXT: X.TEXT,
    S.CODE: X.TEXT,
    S.USCC: X.TEXT,
    S.AREA: X.TEXT,
    S.INDUSTRY: X.TEXT,
    S.BOOL: X.BOOL,
    S.INT: X.INT,
    S.YEAR: X.INT,
    S.WAN: X.WAN,
    S.DECIMAL: X.NUMBER,
    S.VALUE: X.NUMBER,
    S.DATE: X.DATE,
    S.MONTH: X.MONTH,
    S.ENUM: X.TEXT,
    S.ENUMS: X.TEXT,
    S.PERIOD: X.TEXT,
}


def columns_for(spec: S.Sheet, getters: dict[str, Callable[[Any], Any]]) -> list[X.ExportColumn]:
    return [
        X.ExportColumn(c.header, getters.get(c.field, c.field), KIND_TO_EXPORT[c.kind], c.width)
        for c in spec.columns
    ]


ENTERPRISE_GETTERS = {"area": lambda e: e.area.name}
PROJECT_GETTERS = {"uscc": lambda p: p.enterprise.uscc}
PROGRESS_GETTERS = {"code": lambda m: m.project.code}


def enterprise_sheet(*, scope: Scope, area: str | None = None) -> X.ExportSheet:
    qs = registry.enterprise_list(scope=scope, area=area)
    return X.ExportSheet(S.ENTERPRISES.name, columns_for(S.ENTERPRISES, ENTERPRISE_GETTERS), _stream(qs))


def project_sheet(*, scope: Scope, area=None, year=None, status=None, q=None) -> X.ExportSheet:
    qs = registry.project_list(scope=scope, area=area, year=year, status=status, q=q)
    return X.ExportSheet(S.PROJECTS.name, columns_for(S.PROJECTS, PROJECT_GETTERS), _stream(qs))


def progress_sheet(*, scope: Scope, area=None, year=None, status=None, q=None) -> X.ExportSheet:
    projects = registry.project_list(scope=scope, area=area, year=year, status=status, q=q)
    qs = (
        R.MonthlyProgress.objects.filter(project__in=projects.values("id"))
        .select_related("project")
        .order_by("project__code", "month")
    )
    return X.ExportSheet(S.PROGRESS.name, columns_for(S.PROGRESS, PROGRESS_GETTERS), _stream(qs))


EXPORTS = {"enterprises": enterprise_sheet, "projects": project_sheet, "progress": progress_sheet}


def registry_export(target, *, kind: str, scope: Scope, **filters) -> int:
    """Write one list (``enterprises``, ``projects``, ``progress``) with its filters; returns rows."""
    build = EXPORTS[kind]
    if kind == "enterprises":
        filters = {"area": filters.get("area")}
    return X.write_xlsx(target, [build(scope=scope, **filters)])


def _stream(qs) -> Iterable:
    return qs.iterator(chunk_size=2000)
