"""Writes of the 亩均 evaluation (P14): 亩均数据 outside the import (keyword-only, atomic, validating,
with versions) and the publication ladder of the results (run, publish, object, answer, confirm).
Who writes: the city administrator and the area operators for the enterprises of their area (the
enterprise's own data is kept by its area, as for the enterprise record); enterprise users read
their own rows. Deleting goes through ``registry.services.record_delete`` (soft, restorable)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import scope_for
from renewal.lib.errors import Conflict, Invalid, NotFound, Refused
from renewal.lib.races import created_once
from renewal.lib.uploads import upload_check
from renewal.planning.selectors import active_plan_document
from renewal.registry.models import Enterprise
from renewal.registry.services import attribute, validated, version_check

from . import results
from .models import AnnualData, Evaluation, Objection

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
    with created_once(
        f"保存冲突：企业 {uscc} {data.get('year')} 年的亩均数据刚由他人同时填报，请刷新后查看，未保存任何内容。"
    ):
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


# -- publication: run → review → 公示 → objections → confirm (docs/decisions/0018, "Publication") --

PUBLIC_CLASSES = ("A", "B", "C", "D")


def _area_writer(scope, area: str, what: str) -> None:
    """The city administrator or the area's own operator (``mujun.run``), else ``Refused``."""
    scope.require("mujun.run")
    if scope.role == Role.AREA_OPERATOR and scope.area != area:
        raise Refused(f"您（{scope.role_label}）只能{what}本区域的亩均评价")


def _new_version(
    *, user, area: str, year: int, reason: str, previous: Evaluation | None, **ladder
) -> Evaluation:
    record = results.evaluation_record(year=year, area=area)
    if record is None:
        raise Invalid(f"{year}年：本区域没有用地面积大于 0 的亩均数据，无法评价", field="year")
    ev = Evaluation(
        area_id=area,
        year=year,
        version=(previous.version + 1) if previous else 1,
        reason=reason[:300],
        previous=previous,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **record,
        **ladder,
    )
    attribute(ev, user, reason)
    with created_once(f"保存冲突：{year}年的亩均评价刚由他人同时运行，请刷新后查看，未保存任何内容。"):
        ev.save()
    return ev


def _supersede(ev: Evaluation, user, reason: str) -> None:
    ev.status = Evaluation.Status.SUPERSEDED
    attribute(ev, user, reason)
    ev.save(update_fields=["status"])


def _locked_latest(area: str, year: int) -> Evaluation | None:
    return Evaluation.objects.select_for_update().filter(area_id=area, year=year).order_by("-version").first()


@transaction.atomic
def evaluation_run(*, user, area: str, year: int) -> Evaluation:
    """Compute the area's evaluation for ``year`` as a new version 审核中 (a draft under review
    replaced by the new one). Refused while the result is in 公示 (corrections go through the
    objections) or once confirmed (frozen)."""
    scope = scope_for(user)
    _area_writer(scope, area, "运行")
    current = _locked_latest(area, year)
    if current is not None and current.status == Evaluation.Status.PUBLIC:
        raise Conflict(f"{current}正在公示：公示期间请通过答复异议更正数据，不能重新运行评价")
    if current is not None and current.status == Evaluation.Status.CONFIRMED:
        raise Conflict(f"{current}已确认，结果已冻结，不能重新运行评价")
    if current is not None:
        _supersede(current, user, "重新运行评价")
    return _new_version(
        user=user,
        area=area,
        year=year,
        reason="运行评价" if current is None else "重新运行评价",
        previous=current,
    )


@transaction.atomic
def evaluation_publish(
    *, user, evaluation: Evaluation, public_classes, days: int | None = None, today: dt.date | None = None
) -> Evaluation:
    """Publish a reviewed draft for its 公示 window (``days``, by default the scheme's
    ``publicity_days``; the first day is today) with the classes whose lists the public may see."""
    scope = scope_for(user)
    _area_writer(scope, evaluation.area_id, "发布")
    ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if ev.status != Evaluation.Status.DRAFT:
        raise Conflict(f"{ev}的状态为“{ev.get_status_display()}”，只有审核中的评价可以发布公示")
    chosen = [c for c in PUBLIC_CLASSES if c in set(public_classes or ())]
    unknown = sorted(set(public_classes or ()) - set(PUBLIC_CLASSES))
    if unknown:
        raise Invalid(f"公示类别：未知的类别 {'、'.join(unknown)}（可选 A、B、C、D）", field="public_classes")
    plan = active_plan_document()
    if days is None:
        days = plan.mujun.publicity_days if plan.mujun else 7
    if not 1 <= int(days) <= 60:
        raise Invalid(f"公示天数：应为 1–60 天，实为 {days}", field="days")
    start = today or timezone.localdate()
    ev.status = Evaluation.Status.PUBLIC
    ev.public_classes = chosen
    ev.window_start = start
    ev.window_end = start + dt.timedelta(days=int(days) - 1)
    ev.published_by = user
    ev.published_at = timezone.now()
    attribute(ev, user, f"发布公示（{ev.window_start:%Y-%m-%d} 至 {ev.window_end:%Y-%m-%d}）")
    ev.save(
        update_fields=[
            "status",
            "public_classes",
            "window_start",
            "window_end",
            "published_by",
            "published_at",
        ]
    )
    return ev


def _text(value, label: str, field: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise Invalid(f"{label}：请填写{label}", field=field)
    if len(text) > 2000:
        raise Invalid(f"{label}：不超过 2000 字（实为 {len(text)} 字）", field=field)
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise Invalid(f"{label}：含有不可见的控制字符，请删除后重新提交", field=field)
    return text


@transaction.atomic
def objection_file(
    *, user, evaluation: Evaluation, reason: str, attachment=None, today: dt.date | None = None
) -> Objection:
    """An enterprise user objects to its own result during the 公示 window (reason required; an
    optional PDF or image as evidence); one objection of an enterprise waits at a time."""
    scope = scope_for(user)
    scope.require("mujun.object")
    ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if ev.status != Evaluation.Status.PUBLIC:
        raise Conflict(f"{ev}不在公示期（状态：{ev.get_status_display()}），不能提出异议")
    day = today or timezone.localdate()
    if day > ev.window_end:
        raise Conflict(f"公示期已于 {ev.window_end:%Y-%m-%d} 结束，不能再提出异议")
    if ev.item(scope.uscc or "") is None:
        raise Refused("本企业不在该评价结果中，不能提出异议")
    enterprise = Enterprise.objects.get(uscc=scope.uscc)
    waiting = Objection.objects.filter(
        enterprise=enterprise,
        evaluation__area_id=ev.area_id,
        evaluation__year=ev.year,
        status=Objection.Status.PENDING,
    ).exists()
    if waiting:
        raise Conflict("本企业已有一件异议待答复，请等待答复后再提出")
    text = _text(reason, "异议理由", "reason", required=True)
    if attachment:
        upload_check(attachment, allowed={".pdf", ".jpg", ".jpeg", ".png"})
    obj = Objection(evaluation=ev, enterprise=enterprise, reason=text, created_by=user)
    if attachment:
        obj.attachment = attachment
    attribute(obj, user, "提出异议")
    obj.save()
    return obj


@transaction.atomic
def objection_answer(
    *,
    user,
    objection: Objection,
    accept: bool,
    answer: str = "",
    data: dict | None = None,
    version: int | None = None,
) -> Objection:
    """The area answers an objection while the result is in 公示: rejected with a reason, or accepted
    with the corrected 亩均数据 row (``data``: the figures to change, yuan; ``version``: the row's
    version read), which writes the row through ``annual_data_update`` and evaluates the area
    again as a new version in 公示 (the same window and public classes; the old one is kept)."""
    scope = scope_for(user)
    obj = (
        Objection.objects.select_for_update().select_related("evaluation", "enterprise").get(pk=objection.pk)
    )
    area, year = obj.evaluation.area_id, obj.evaluation.year
    _area_writer(scope, area, "答复")
    if obj.status != Objection.Status.PENDING:
        raise Conflict(f"该异议已{obj.get_status_display()}，不能再次答复")
    current = _locked_latest(area, year)
    if current is None or current.status != Evaluation.Status.PUBLIC:
        state = current.get_status_display() if current else "未评价"
        raise Conflict(f"{obj.evaluation.area.name} {year}年的评价不在公示期（状态：{state}），不能答复异议")
    text = _text(answer, "答复", "answer", required=not accept)
    obj.answered_by = user
    obj.answered_at = timezone.now()
    obj.answer = text
    if not accept:
        obj.status = Objection.Status.REJECTED
        attribute(obj, user, "驳回异议")
        obj.save()
        return obj
    if not data:
        raise Invalid("采纳异议须给出更正后的亩均数据", field="data")
    row = AnnualData.objects.filter(enterprise=obj.enterprise, year=year).first()
    if row is None:
        raise NotFound(f"企业 {obj.enterprise.uscc} 没有 {year} 年的亩均数据", field="data")
    changed = {f: v for f, v in data.items() if f in FIELDS and getattr(row, f) != v}
    if not changed:
        raise Invalid("采纳异议须更正至少一项数据：所填数据与原数据相同", field="data")
    annual_data_update(user=user, record=row, data=changed, version=version)
    reason = f"采纳 {obj.enterprise.name} 的异议，更正亩均数据"
    _supersede(current, user, reason)
    new = _new_version(
        user=user,
        area=area,
        year=year,
        reason=reason,
        previous=current,
        status=Evaluation.Status.PUBLIC,
        public_classes=current.public_classes,
        window_start=current.window_start,
        window_end=current.window_end,
        published_by=current.published_by,
        published_at=current.published_at,
    )
    obj.status = Objection.Status.ACCEPTED
    obj.result = new
    attribute(obj, user, "采纳异议")
    obj.save()
    return obj


@transaction.atomic
def evaluation_confirm(*, user, evaluation: Evaluation, today: dt.date | None = None) -> Evaluation:
    """The city confirms a result after its 公示 window with every objection answered: the
    version is frozen (no state changes any more)."""
    scope = scope_for(user)
    scope.require("mujun.confirm")
    ev = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if ev.status != Evaluation.Status.PUBLIC:
        raise Conflict(f"{ev}的状态为“{ev.get_status_display()}”，只有公示中的评价可以确认")
    day = today or timezone.localdate()
    if day <= ev.window_end:
        raise Conflict(f"公示期至 {ev.window_end:%Y-%m-%d} 结束，期满后方可确认")
    waiting = Objection.objects.filter(
        evaluation__area_id=ev.area_id, evaluation__year=ev.year, status=Objection.Status.PENDING
    ).count()
    if waiting:
        raise Conflict(f"尚有 {waiting} 件异议未答复，答复后方可确认")
    ev.status = Evaluation.Status.CONFIRMED
    ev.confirmed_by = user
    ev.confirmed_at = timezone.now()
    attribute(ev, user, "确认评价结果")
    ev.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return ev
