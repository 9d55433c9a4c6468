"""Running a requested bulletin: status and progress on the Bulletin row."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import bulletin as writer
from .models import Bulletin


def bulletin_dir(b: Bulletin) -> Path:
    return Path(settings.MEDIA_ROOT) / "bulletins" / f"{b.month}-{b.id}"


def bulletin_run(*, bulletin_id: int) -> Bulletin:
    b = Bulletin.objects.get(id=bulletin_id)
    b.status = Bulletin.Status.RUNNING
    b.save(update_fields=["status"])

    def progress(msg: str) -> None:
        Bulletin.objects.filter(id=b.id).update(progress=msg)

    out = bulletin_dir(b)
    try:
        files = writer.generate(b.month, out, progress=progress)
    except Exception as exc:  # recorded for the page; the task itself reports failure too
        b.status, b.error = Bulletin.Status.FAILED, f"{type(exc).__name__}: {exc}"
        b.finished_at = timezone.now()
        b.save()
        raise
    b.status, b.progress = Bulletin.Status.DONE, "完成"
    b.directory = str(out)
    b.files = [f.name for f in files]
    b.finished_at = timezone.now()
    b.save()
    return b
