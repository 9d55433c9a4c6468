"""The registry of sheet kinds: every module of this package declares one kind as ``SPEC``.

A new kind is a new module here (docs/adding-a-sheet-kind.md); nothing else lists the kinds.
Order: ``SPEC.order`` (a kind after the kinds its rows refer to), then the kind's id.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..spec import Sheet


def _discover() -> tuple[Sheet, ...]:
    specs = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if isinstance(spec, Sheet):
            specs.append(spec)
    return tuple(sorted(specs, key=lambda s: (s.order, s.kind)))


SHEETS: tuple[Sheet, ...] = _discover()
BY_NAME = {s.name: s for s in SHEETS}
BY_KIND = {s.kind: s for s in SHEETS}


def sheet_for(name_or_kind: str) -> Sheet | None:
    text = (name_or_kind or "").strip()
    return BY_NAME.get(text) or BY_KIND.get(text.lower())
