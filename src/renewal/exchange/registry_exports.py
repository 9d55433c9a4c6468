"""Exports of the registry lists (enterprises, projects, monthly progress, honours, first-set
products, statistics) in the import-sheet shape: the same headers, units and value forms, so
export → import is a no-op. Each takes the filters of its list page (registry.selectors.list_filters)."""

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
OWNER_GETTERS = {"uscc": lambda r: r.enterprise.uscc}  # honours, first-set products


def enterprise_sheet(*, scope: Scope, **filters) -> X.ExportSheet:
    qs = registry.enterprise_list(scope=scope, **filters)
    return X.ExportSheet(S.ENTERPRISES.name, columns_for(S.ENTERPRISES, ENTERPRISE_GETTERS), _stream(qs))


def project_sheet(*, scope: Scope, **filters) -> X.ExportSheet:
    qs = registry.project_list(scope=scope, **filters)
    return X.ExportSheet(S.PROJECTS.name, columns_for(S.PROJECTS, PROJECT_GETTERS), _stream(qs))


def progress_sheet(*, scope: Scope, **filters) -> X.ExportSheet:
    """The monthly progress of the projects the project list shows (same filters)."""
    projects = registry.project_list(scope=scope, **filters)
    qs = (
        R.MonthlyProgress.objects.filter(project__in=projects.values("id"))
        .select_related("project")
        .order_by("project__code", "month")
    )
    return X.ExportSheet(S.PROGRESS.name, columns_for(S.PROGRESS, PROGRESS_GETTERS), _stream(qs))


def honour_sheet(*, scope: Scope, **filters) -> X.ExportSheet:
    qs = registry.honour_list(scope=scope, **filters)
    return X.ExportSheet(S.HONOURS.name, columns_for(S.HONOURS, OWNER_GETTERS), _stream(qs))


def first_set_sheet(*, scope: Scope, **filters) -> X.ExportSheet:
    qs = registry.first_set_list(scope=scope, **filters)
    return X.ExportSheet(S.FIRST_SETS.name, columns_for(S.FIRST_SETS, OWNER_GETTERS), _stream(qs))


def statistic_sheet(*, scope: Scope, **filters) -> X.ExportSheet:
    """区域 is written as the area's name (the city's name for the city's own rows), which the
    importer reads back to the same code."""
    names = area_names()
    getters = {"area_code": lambda s: names.get(s.area_code, s.area_code)}
    qs = registry.statistic_list(scope=scope, **filters)
    return X.ExportSheet(S.STATISTICS.name, columns_for(S.STATISTICS, getters), _stream(qs))


def area_names() -> dict[str, str]:
    """Area code → name, the city's code → the city's name (when a plan is loaded)."""
    from renewal.planning.models import Area
    from renewal.planning.selectors import NoPlanLoaded, active_plan

    names = dict(Area.objects.values_list("code", "name"))
    try:
        plan = active_plan()
    except NoPlanLoaded:
        return names
    return names | {plan.city_code: plan.city_name}


# kind (URL) → the sheet builder; the filters of each are registry.selectors.LIST_PARAMS[kind]
EXPORTS = {
    "enterprises": enterprise_sheet,
    "projects": project_sheet,
    "progress": progress_sheet,
    "honours": honour_sheet,
    "first-sets": first_set_sheet,
    "statistics": statistic_sheet,
}


def registry_export(target, *, kind: str, scope: Scope, **filters) -> int:
    """Write one list with its filters (the selector's keyword arguments); None values and filters
    the list does not have (``renewal export enterprises --year``) are dropped. Returns the rows."""
    known = set(registry.LIST_PARAMS[kind].values())
    filters = {k: v for k, v in filters.items() if v is not None and k in known}
    return X.write_xlsx(target, [EXPORTS[kind](scope=scope, **filters)])


def _stream(qs) -> Iterable:
    return qs.iterator(chunk_size=2000)
