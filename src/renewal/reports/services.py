"""Writes of the reports app: publishing catalogue batches (T4, O3) and requesting bulletins.

Publishing is a city action: only a city administrator may, every action writes a Publication
row (the audit record), and entries change through the registry models' history as well.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import scope_for
from renewal.lib import jobs
from renewal.registry.models import CatalogueEntry, ServiceProvider, TypicalCase

from .models import Bulletin, Publication

MODELS = {
    Publication.Catalogue.PRODUCTS: CatalogueEntry,
    Publication.Catalogue.PROVIDERS: ServiceProvider,
    Publication.Catalogue.CASES: TypicalCase,
}


def _require_city_admin(user, what: str) -> None:
    if scope_for(user).role != Role.CITY_ADMIN:
        raise PermissionDenied(f"只有市级管理员可以{what}")


def _entries(catalogue: str, ids: list[int] | None, batch: str):
    if catalogue not in MODELS:
        raise ValidationError({"catalogue": f"未知的目录 {catalogue!r}（可选：products、providers、cases）"})
    qs = MODELS[catalogue].objects.all()
    if ids:
        qs = qs.filter(id__in=ids)
    elif catalogue == Publication.Catalogue.PRODUCTS and batch:
        qs = qs.filter(batch=batch)
    else:
        raise ValidationError({"entries": "请选择要操作的条目（或产品目录的发布批次）"})
    return qs


@transaction.atomic
def catalogue_publish(
    *, catalogue: str, actor, batch: str = "", ids: list[int] | None = None, note: str = ""
) -> Publication:
    """Publish a batch: the product catalogue's batch, or chosen providers/cases under a batch name."""
    _require_city_admin(actor, "发布目录")
    if not (batch or "").strip():
        raise ValidationError({"batch": "发布批次不能为空（例如：2024年第1批）"})
    entries = list(_entries(catalogue, ids, batch).filter(published=False).select_for_update())
    if not entries:
        raise ValidationError({"entries": "没有待发布的条目（可能已全部发布）"})
    now = timezone.now()
    for e in entries:
        e.published = True
        if isinstance(e, CatalogueEntry):
            e.published_at = now
            e.batch = e.batch or batch
        e._change_reason = f"发布：{batch}"
        e.save()
    return Publication.objects.create(
        catalogue=catalogue,
        action=Publication.Action.PUBLISH,
        batch=batch.strip(),
        entry_ids=[e.id for e in entries],
        count=len(entries),
        note=note,
        actor=actor,
    )


@transaction.atomic
def catalogue_withdraw(
    *, catalogue: str, actor, reason: str, batch: str = "", ids: list[int] | None = None
) -> Publication:
    """Withdraw published entries (they stop being visible at once); the reason is recorded."""
    _require_city_admin(actor, "撤回目录")
    if not (reason or "").strip():
        raise ValidationError({"reason": "撤回理由不能为空"})
    entries = list(_entries(catalogue, ids, batch).filter(published=True).select_for_update())
    if not entries:
        raise ValidationError({"entries": "没有已发布的条目可撤回"})
    for e in entries:
        e.published = False
        e._change_reason = f"撤回：{reason}"
        e.save()
    return Publication.objects.create(
        catalogue=catalogue,
        action=Publication.Action.WITHDRAW,
        batch=batch or "（按条目）",
        entry_ids=[e.id for e in entries],
        count=len(entries),
        note=reason.strip(),
        actor=actor,
    )


def bulletin_request(*, month: str, user=None) -> Bulletin:
    """Queue the monthly bulletin of ``month`` (YYYY-MM); generation runs as a background task."""
    from .bulletin import parse_month
    from .tasks import generate_bulletin

    parse_month(month)
    bulletin = Bulletin.objects.create(month=month, requested_by=user)
    jobs.job_enqueue(bulletin, generate_bulletin, bulletin.id)
    return bulletin


def bulletin_retry(*, bulletin: Bulletin, user=None) -> Bulletin:
    """重试 of a failed bulletin: it is generated again from scratch (the same month, the files
    written anew)."""
    from .tasks import generate_bulletin

    jobs.job_requeue(bulletin, progress="", error="", files=[], directory="")
    jobs.job_enqueue(bulletin, generate_bulletin, bulletin.id)
    return bulletin
