"""Exports of the registry lists (enterprises, projects, monthly progress, honours, first-set
products, statistics) in the import-sheet shape: the same headers, units and value forms, so
export → import is a no-op. Each takes the filters of its list page (``exchange.lists.list_filters``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from renewal.accounts.scope import Scope
from renewal.lib import xlsx as X

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


def kind_sheet(spec: S.Sheet, *, scope: Scope, **filters) -> X.ExportSheet:
    """One kind's list (its selector with the list page's filters) in its import-sheet shape."""
    rows = spec.rows(scope=scope, **filters).iterator(chunk_size=2000)
    return X.ExportSheet(spec.name, columns_for(spec, spec.export_getters()), rows)


def exportable() -> dict[str, S.Sheet]:
    """kind (URL, ``renewal export``) → its sheet, for every kind with a list selector."""
    return {s.kind: s for s in S.SHEETS if s.rows is not None}


def registry_export(target, *, kind: str, scope: Scope, **filters) -> int:
    """Write one list with its filters (the selector's keyword arguments); None values and filters
    the list does not have (``renewal export enterprises --year``) are dropped. Returns the rows."""
    spec = S.BY_KIND[kind]
    known = set(spec.list_params.values())
    filters = {k: v for k, v in filters.items() if v is not None and k in known}
    return X.write_xlsx(target, [kind_sheet(spec, scope=scope, **filters)])
