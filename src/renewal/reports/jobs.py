"""Running a requested bulletin: status and progress on the Bulletin row, under a lease
(renewal.lib.jobs): a bulletin whose worker died is failed by the worker's sweep and regenerated
from scratch on 重试 (its files are written anew in the same folder)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings

from renewal.lib import jobs

from . import bulletin as writer
from .models import Bulletin

log = logging.getLogger(__name__)


def bulletin_dir(b: Bulletin) -> Path:
    return Path(settings.MEDIA_ROOT) / "bulletins" / f"{b.month}-{b.id}"


def bulletin_run(*, bulletin_id: int) -> Bulletin | None:
    lease = jobs.lease_claim(Bulletin, bulletin_id)
    if lease is None:
        return None
    b = Bulletin.objects.get(id=bulletin_id)

    def progress(msg: str) -> None:
        lease.beat(progress=msg[:100])

    out = bulletin_dir(b)
    try:
        with lease.keepalive():
            files = writer.generate(b.month, out, pdf=settings.RENEWAL_BULLETIN_PDF, progress=progress)
    except jobs.LeaseLost:
        log.warning("bulletin %s lost its lease; stopped", b.id)
        return None
    except Exception as exc:  # recorded for the page; the task itself reports failure too
        lease.finish(Bulletin.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    lease.finish(Bulletin.Status.DONE, progress="完成", directory=str(out), files=[f.name for f in files])
    b.refresh_from_db()
    return b
