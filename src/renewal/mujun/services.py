"""Writes of 亩均数据 (P14) outside the import: keyword-only, atomic, validating, with versions.
Who writes: the city administrator and the area operators for the enterprises of their area (the
enterprise's own data is kept by its area, as for the enterprise record); enterprise users read
their own rows. Deleting goes through ``registry.services.record_delete`` (soft, restorable)."""

from __future__ import annotations

from django.db import transaction

from renewal.accounts.scope import scope_for
from renewal.lib.errors import Invalid, NotFound, Refused
from renewal.registry.models import Enterprise
from renewal.registry.services import attribute, validated, version_check

from .models import AnnualData

FIELDS = [
    "land_mu",
    "tax",
    "value_added",
    "revenue",
    "energy_tce",
    "emissions_t",
    "rd_expense",
    "employees",
]


@transaction.atomic
def annual_data_create(*, user, data: dict) -> AnnualData:
    """A new row. ``data``: uscc, year and the figures (money in yuan)."""
    scope = scope_for(user)
    uscc = (data.get("uscc") or "").strip().upper()
    ent = Enterprise.objects.filter(uscc=uscc).first()
    if ent is None or not scope.can_see(ent):
        raise NotFound(f"统一社会信用代码：未找到企业 {uscc}（或无权查看）", field="uscc")
    if not scope.can_write_model(AnnualData) or not scope.covers(area=ent.area_id, uscc=ent.uscc):
        raise Refused(f"您（{scope.role_label}）无权填报企业 {uscc} 的亩均数据")
    existing = AnnualData.all_objects.filter(enterprise=ent, year=data.get("year")).first()
    if existing is not None:
        more = "（已删除，可由市级管理员恢复）" if existing.is_deleted else ""
        raise Invalid(f"年度：企业 {uscc} 已有 {data.get('year')} 年的亩均数据{more}", field="year")
    record = AnnualData(enterprise=ent, year=data.get("year"), **{f: data[f] for f in FIELDS if f in data})
    validated(record, exclude=["enterprise"])
    attribute(record, user)
    record.save()
    return record


@transaction.atomic
def annual_data_update(*, user, record: AnnualData, data: dict, version: int | None) -> AnnualData:
    """Change a row's figures (not its enterprise or year); ``version``: the one read (stale: 409)."""
    row = AnnualData.objects.select_for_update().select_related("enterprise").get(pk=record.pk)
    scope = scope_for(user)
    if not scope.can_change(row):
        raise Refused(f"您（{scope.role_label}）无权修改“{row}”的亩均数据")
    version_check(row, version, f"“{row}”的亩均数据")
    for f in FIELDS:
        if f in data:
            setattr(row, f, data[f])
    validated(row, exclude=["enterprise"])
    row.version += 1
    attribute(row, user)
    row.save()
    return row
