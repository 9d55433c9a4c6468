"""Writes of the settlement app: frozen decision records and batch settlement runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate, parameters_used
from renewal.registry.models import Project

from . import selectors
from .models import DecisionRecord, SettlementRun

IGNORED_IN_DIFF = ("basis", "trace", "reference")


def flatten(value, prefix: str = "") -> dict[str, object]:
    """Nested JSON as {path: scalar}; lists of dicts keyed by their id/programme/name when present."""
    out: dict[str, object] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            if k in IGNORED_IN_DIFF:
                continue
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            key = i
            if isinstance(v, dict):
                key = v.get("programme") or v.get("id") or v.get("name") or i
            out.update(flatten(v, f"{prefix}[{key}]"))
    else:
        out[prefix] = value
    return out


def record_diff(before: dict, after: dict) -> list[dict]:
    a, b = flatten(before), flatten(after)
    return [
        {"field": k, "before": a.get(k), "after": b.get(k)}
        for k in sorted(set(a) | set(b))
        if a.get(k) != b.get(k)
    ]


def _snapshot(project: Project, date: dt.date) -> dict:
    data = selectors.policy_data()
    request = selectors.project_request(project, date=date)
    parsed = parse_request(request)
    answer = calculate(parsed, data)
    return {
        "inputs": request,
        "parameters": {"source": data.source, "values": parameters_used(parsed, data)},
        "programmes": [p.as_dict() for p in data.programmes],
        "result": {k: v for k, v in answer.items() if k != "trace"},
        "trace": answer["trace"],
        "subsidy_total": Decimal(str(answer["subsidy_total"])),
    }


@transaction.atomic
def decision_record_settle(
    *,
    project: Project,
    user=None,
    date: dt.date | None = None,
    reason: str = "",
    run: SettlementRun | None = None,
) -> tuple[DecisionRecord, bool]:
    """Computes the project's subsidy and tax figures and freezes them as a decision record.

    The first settlement creates version 1. A later one creates version N+1 with a diff against N,
    but only when the inputs, the parameter versions or the result changed; otherwise the latest
    record is returned unchanged (``created`` is False)."""
    date = date or timezone.localdate()
    snap = _snapshot(project, date)
    latest = selectors.latest_record(project)
    compared = ("inputs", "parameters", "programmes", "result")
    if latest is not None:
        old = {k: getattr(latest, k) for k in compared}
        new = {k: snap[k] for k in compared}
        # The date alone is no reason for a new version.
        old_cmp = flatten(old)
        new_cmp = flatten(new)
        for d in (old_cmp, new_cmp):
            d.pop("inputs.date", None)
            d.pop("result.date", None)
        if old_cmp == new_cmp:
            return latest, False
    record = DecisionRecord.objects.create(
        project=project,
        version=(latest.version + 1) if latest else 1,
        decided_on=date,
        previous=latest,
        diff=record_diff({k: getattr(latest, k) for k in compared}, {k: snap[k] for k in compared})
        if latest
        else [],
        reason=reason or ("首次核定" if latest is None else "重新核定"),
        run=run,
        created_by=user if getattr(user, "pk", None) else None,
        created_by_name=getattr(user, "username", "") or "系统",
        **snap,
    )
    return record, True


def settlement_run_start(*, year: int, user=None, date: dt.date | None = None) -> SettlementRun:
    """Queues the batch settlement of all accepted projects of ``year`` (a background task)."""
    from . import tasks  # noqa: PLC0415 - tasks import services

    run = SettlementRun.objects.create(
        year=year,
        decided_on=date or timezone.localdate(),
        total=selectors.settleable_projects(year=year).count(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    transaction.on_commit(lambda: tasks.settle_year.enqueue(run.pk))
    return run


def settlement_run_execute(*, run_id: int) -> SettlementRun:
    """Settles every accepted project of the run's year, saving progress as it goes."""
    run = SettlementRun.objects.get(pk=run_id)
    projects = list(selectors.settleable_projects(year=run.year))
    SettlementRun.objects.filter(pk=run.pk).update(
        status=SettlementRun.Status.RUNNING, total=len(projects), done=0
    )
    total, created, unchanged = Decimal(0), 0, 0
    try:
        for i, project in enumerate(projects, start=1):
            record, new = decision_record_settle(
                project=project,
                user=run.created_by,
                date=run.decided_on,
                reason=f"{run.year}年度批量核定",
                run=run,
            )
            total += record.subsidy_total
            created += new
            unchanged += not new
            if i % 25 == 0 or i == len(projects):
                SettlementRun.objects.filter(pk=run.pk).update(
                    done=i, created=created, unchanged=unchanged, subsidy_total=total
                )
    except Exception as exc:
        SettlementRun.objects.filter(pk=run.pk).update(
            status=SettlementRun.Status.FAILED, message=f"批量核定中断：{exc}", finished_at=timezone.now()
        )
        raise
    SettlementRun.objects.filter(pk=run.pk).update(
        status=SettlementRun.Status.DONE,
        done=len(projects),
        created=created,
        unchanged=unchanged,
        subsidy_total=total,
        finished_at=timezone.now(),
        message=f"共核定{len(projects)}个项目，新增版本{created}个，结果未变{unchanged}个",
    )
    run.refresh_from_db()
    return run
