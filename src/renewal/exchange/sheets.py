"""The sheet kinds of the import, the templates and the exports, in import order.

The kinds themselves are declared in ``exchange/kinds/`` (one module each, see ``spec.py``); this
module re-exports the column vocabulary of ``spec`` and the registry of ``kinds``, which is what
every other module reads (``from . import sheets as S``).
"""

from __future__ import annotations

from .kinds import BY_KIND, BY_NAME, SHEETS, sheet_for
from .spec import *  # noqa: F403 — the column kinds, Column, Sheet, RowError …
from .spec import Column, ListPage, RowError, Sheet, header_key

__all__ = [
    "BY_KIND",
    "BY_NAME",
    "SHEETS",
    "Column",
    "ListPage",
    "RowError",
    "Sheet",
    "header_key",
    "sheet_for",
]

# Sheets of our own templates that are not data (drop-down lists, notes): skipped silently.
AUXILIARY_SHEETS = {"选项", "说明", "填写说明"}
ERROR_COLUMN = "错误说明"  # the column the annotated copy adds; ignored on re-import
