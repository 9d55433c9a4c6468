"""Answers computed once per data version (docs/decisions/0025-data-version-cache.md).

``data_version()`` is the sum of the per-year counters the triggers bump (``dataversion_sql``):
every committed write raises it, so an answer cached under it is the answer of the data that
version saw. A figure of year Y reads earlier years (baselines, the year before, since the plan's
start) and statuses at a data date, so the key is the whole sum, not Y's counter alone: any write
makes every answer be computed again, once.

Nothing is read from or written to the cache inside a transaction: there the caller may see its
own uncommitted writes (and a rollback would leave a cached answer of data that never was), so it
computes afresh. The version is read before the answer is computed, so an answer is never cached
under a version newer than the data it read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection

TIMEOUT = 24 * 3600  # a version left behind ages out; a live one is recomputed once a day at most


def data_version() -> int:
    """One query over a handful of rows (one per year)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(version), 0) FROM indicators_dataversion")
        return int(cursor.fetchone()[0])


def cacheable() -> bool:
    return not connection.in_atomic_block


def key(kind: str, version: int, *parts) -> str:
    text = "|".join(str(p) for p in parts)
    return f"renewal:{kind}:v{version}:{hashlib.sha1(text.encode()).hexdigest()[:20]}"


def once(kind: str, parts: tuple, compute: Callable[[], Any], *, version: int | None = None) -> Any:
    """``compute()`` once per data version and ``parts``; afresh inside a transaction."""
    if not cacheable():
        return compute()
    version = data_version() if version is None else version
    k = key(kind, version, *parts)
    value = cache.get(k)
    if value is None:
        value = compute()
        cache.set(k, value, TIMEOUT)
    return value


def etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:24] + '"'


def not_modified(request, tag: str) -> bool:
    """If-None-Match names ``tag`` (or is ``*``)."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or tag in tags
