"""When a project was in a counted (or completed) status: the stretches its workflow history gives.

A project's status on day D is the ``to_status`` of its last ``ProjectTransition`` whose
``effective_on`` is ≤ D (ties: the later recorded); before its first transition it does not exist
for the indicators. Every indicator reads statuses as of its data date through three stretches kept
on the project and derived here from the transitions only:

* counted   — [counted_from, counted_until): in a counted status (已入库 … 已兑现);
* completed — [completed_from, completed_until): in a completed status (竣工, 验收通过, 已兑现);
* declared  — [declared_from, declared_until): declared and under review (已申报, 区县审核通过), the
  pipeline the forecast of counts reads.

``NEVER`` (9999-12-31) stands for "not yet" (from) and "still" (until), so "counted on D" is the
plain range test ``counted_from <= D < counted_until``. A project that leaves a stretch and enters
it again (possible only through a city administrator's legacy import) keeps its latest stretch:
the earlier one is not counted at any date (docs/decisions/0014-figures-as-of-their-date.md).

``refresh`` is called by every path that writes transitions (the workflow service, the import, the
demo load) in the same transaction; the roll-up triggers follow the update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import OuterRef, Subquery

from . import models, reference

NEVER = models.NEVER
FIELDS = models.STRETCH_FIELDS
# the declared pipeline: projects on their way to a counted status (the forecast of counts)
PIPELINE = frozenset({"已申报", "区县审核通过"})


def stretch(
    steps: Iterable[tuple[dt.date, str]], states: frozenset[str] | set[str]
) -> tuple[dt.date, dt.date]:
    """[from, until) of the latest stretch of ``steps`` (day, to_status; in order) spent in ``states``."""
    start = until = NEVER
    inside = False
    for day, to in steps:
        if to in states and not inside:
            start, until, inside = day, NEVER, True
        elif to not in states and inside:
            until, inside = day, False
    return start, until


def spells(steps: list[tuple[dt.date, str]]) -> dict[str, dt.date]:
    counted = frozenset(reference.counted_statuses())
    completed = frozenset(reference.completed_statuses())
    c_from, c_until = stretch(steps, counted)
    d_from, d_until = stretch(steps, completed)
    p_from, p_until = stretch(steps, PIPELINE)
    return {
        "counted_from": c_from,
        "counted_until": c_until,
        "completed_from": d_from,
        "completed_until": d_until,
        "declared_from": p_from,
        "declared_until": p_until,
    }


def status_on(steps: list[tuple[dt.date, str]], day: dt.date) -> str | None:
    """The status on ``day`` (None: no transition had taken effect)."""
    status = None
    for d, to in steps:
        if d > day:
            break
        status = to
    return status


def status_on_subquery(day: dt.date) -> Subquery:
    """``status_on(history(…)[project], day)`` as a subquery over a project's transitions
    (``OuterRef("pk")``): the ``to_status`` of the last one effective on or before ``day`` in
    ``history``'s order (effective day, then the later recorded); NULL before the first. For reading
    many projects' statuses on one day in the query that reads them."""
    last = (
        models.ProjectTransition.objects.filter(project=OuterRef("pk"), effective_on__lte=day)
        .order_by("-effective_on", "-at", "-id")
        .values("to_status")[:1]
    )
    return Subquery(last)


CHUNK = 5000  # ids per IN (…): well under SQLite's limit of bound parameters


def history(project_ids: list[int] | None = None) -> dict[int, list[tuple[dt.date, str]]]:
    """Each project's transitions as (effective day, to_status), in the order they take effect."""
    qs = models.ProjectTransition.objects.order_by("project_id", "effective_on", "at", "id")
    out: dict[int, list[tuple[dt.date, str]]] = {}
    for part in _chunks(project_ids):
        q = qs if part is None else qs.filter(project_id__in=part)
        for pid, day, to in q.values_list("project_id", "effective_on", "to_status").iterator(
            chunk_size=CHUNK
        ):
            out.setdefault(pid, []).append((day, to))
    return out


def _chunks(ids: list[int] | None):
    if ids is None:
        yield None
        return
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def refresh(project_ids: Iterable[int] | None = None) -> int:
    """Recompute the stretches of these projects (all when None) from their transitions; returns
    how many projects changed. Only changed rows are written."""
    ids = None if project_ids is None else sorted(set(project_ids))
    steps = history(ids)
    changed = []
    for part in _chunks(ids):
        qs = (
            models.Project.all_objects.all()
            if part is None
            else models.Project.all_objects.filter(pk__in=part)
        )
        for row in qs.values("pk", *FIELDS).iterator(chunk_size=CHUNK):
            want = spells(steps.get(row["pk"], []))
            if any(row[f] != want[f] for f in FIELDS):
                changed.append(models.Project(pk=row["pk"], **want))
    if changed:
        # one prepared UPDATE per row (executemany): Django's bulk_update builds a CASE per field
        # and row, which costs seconds per thousand rows to compile
        meta, quote = models.Project._meta, connection.ops.quote_name
        columns = ", ".join(f"{quote(meta.get_field(f).column)} = %s" for f in FIELDS)
        sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"
        with connection.cursor() as cursor:
            adapt = connection.ops.adapt_datefield_value
            cursor.executemany(sql, [[adapt(getattr(p, f)) for f in FIELDS] + [p.pk] for p in changed])
    return len(changed)
