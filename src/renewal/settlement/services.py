"""Writes of the settlement app: frozen decision records made from projects' equipment lines,
and the settlement of a year (the page's batch run and `renewal settle`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from renewal.lib import jobs
from renewal.lib.errors import Invalid
from renewal.policy.contract import RequestError, parse_request
from renewal.policy.parameters import PolicyData
from renewal.policy.rules import calculate, parameters_used
from renewal.registry.models import Project

from . import selectors
from .models import DecisionRecord, SettlementRun

IGNORED_IN_DIFF = ("basis", "trace", "reference")
# What names an element of a list in a diff path: a programme, a parameter, a line, an item.
LIST_KEYS = ("programme", "id", "number", "name")


def flatten(value, prefix: str = "") -> dict[str, object]:
    """Nested JSON as {path: scalar}; lists of dicts keyed by ``LIST_KEYS`` when present."""
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
                # a line by its 序号 (names may repeat), an item of the request by its name "序号. 名称"
                key = next((v[k] for k in LIST_KEYS if v.get(k) not in (None, "")), i)
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


class NotSettled(Invalid):
    """A project settlement cannot compute (422); the message says why, in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message, field="equipment_lines")
        self.code = code


class ProjectWithoutLines(NotSettled):
    """Settlement counts a project's equipment lines (设备清单); without any there is nothing to
    count, and no amount is guessed from the project's totals (docs/decisions/0015)."""

    def __init__(self, code: str):
        super().__init__(code, f"项目 {code} 缺少设备清单，未核定：请先在项目页填写设备清单，再核定补助")


class LinesInvalid(NotSettled):
    """The engine refused the request made of the project's lines (a purchase without its price …)."""

    def __init__(self, code: str, error: RequestError):
        super().__init__(code, f"项目 {code} 的设备清单有误，未核定：{error}")


def _snapshot(project: Project, lines: list[dict], date: dt.date, data: PolicyData) -> dict:
    """What a decision record freezes: the request made of ``lines``, the lines themselves, the
    parameter versions and programmes read, the answer and its trace."""
    if not lines:
        raise ProjectWithoutLines(project.code)
    request = selectors.project_request(project, date=date, lines=lines)
    try:
        parsed = parse_request(request)
    except RequestError as exc:
        raise LinesInvalid(project.code, exc) from None
    answer = calculate(parsed, data)
    return {
        "inputs": request,
        "lines": [selectors.line_record(line) for line in lines],
        "parameters": {"source": data.source, "values": parameters_used(parsed, data)},
        "programmes": [p.as_dict() for p in data.programmes],
        "result": {k: v for k, v in answer.items() if k != "trace"},
        "trace": answer["trace"],
        "subsidy_total": Decimal(str(answer["subsidy_total"])),
    }


# What a new version is compared on (the date alone is no reason for one, see ``_freeze``).
COMPARED = ("inputs", "lines", "parameters", "programmes", "result")


def decision_record_settle(
    *,
    project: Project,
    user=None,
    date: dt.date | None = None,
    reason: str = "",
    run: SettlementRun | None = None,
) -> tuple[DecisionRecord, bool]:
    """Computes the project's subsidy and tax figures from its equipment lines and freezes them as a
    decision record. Raises ``ProjectWithoutLines`` or ``LinesInvalid`` (nothing written).

    The first settlement creates version 1. A later one creates version N+1 with a diff against N,
    but only when the lines, the inputs, the parameter versions or the result changed; otherwise the
    latest record is returned unchanged (``created`` is False)."""
    date = date or timezone.localdate()
    snap = _snapshot(project, selectors.project_lines(project), date, selectors.policy_data())
    return _freeze(project=project, snap=snap, user=user, date=date, reason=reason, run=run)


@transaction.atomic
def _freeze(
    *, project: Project, snap: dict, user, date: dt.date, reason: str, run: SettlementRun | None
) -> tuple[DecisionRecord, bool]:
    latest = selectors.latest_record(project)
    if run is not None and latest is not None and latest.run_id == run.pk:
        # a retried run: this project was settled by the run before it was interrupted
        return latest, True
    if latest is not None:
        old_cmp = flatten({k: getattr(latest, k) for k in COMPARED})
        new_cmp = flatten({k: snap[k] for k in COMPARED})
        # The date alone is no reason for a new version.
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
        diff=record_diff({k: getattr(latest, k) for k in COMPARED}, {k: snap[k] for k in COMPARED})
        if latest
        else [],
        reason=reason or ("首次核定" if latest is None else "重新核定"),
        run=run,
        created_by=user if getattr(user, "pk", None) else None,
        created_by_name=getattr(user, "username", "") or "系统",
        **snap,
    )
    return record, True


# ---- a year's settlement: the page's batch run and `renewal settle` ------------------------------

# The figures of one settled project, from the answer of ``policy.rules.calculate`` (the names of
# `renewal settle --json` → where the answer has them).
ITEM_AMOUNTS = {
    "eligible_equipment_investment": ("eligible_equipment_investment",),
    "first_set_bonus": ("first_set_bonus",),
    "subsidy_total": ("subsidy_total",),
    "capped": ("capped",),
    "expensing_eligible": ("tax", "one_time_expensing", "eligible_amount"),
    "special_equipment_credit": ("tax", "special_equipment_credit", "credit"),
}


def settled_amounts(answer: dict) -> dict:
    """``ITEM_AMOUNTS`` read from an answer (or a record's ``result``): yuan as JSON numbers."""
    out = {}
    for key, path in ITEM_AMOUNTS.items():
        value = answer
        for part in path:
            value = value[part]
        out[key] = value
    return out


@dataclasses.dataclass
class Settlement:
    """What settling a year did: one item per project settled (``status`` created, unchanged or
    dry_run), the codes of the projects without lines, and the projects whose lines the engine
    refused (code and message)."""

    year: int
    items: list[dict] = dataclasses.field(default_factory=list)
    missing_lines: list[str] = dataclasses.field(default_factory=list)
    invalid_lines: list[dict] = dataclasses.field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(i["status"] == status for i in self.items)

    @property
    def subsidy_total(self) -> Decimal:
        return sum((Decimal(str(i["subsidy_total"])) for i in self.items), Decimal(0))

    @property
    def message(self) -> str:
        text = (
            f"共核定{len(self.items)}个项目，新增版本{self.count('created')}个，"
            f"结果未变{self.count('unchanged')}个"
        )
        if self.missing_lines:
            text += f"；缺少设备清单{len(self.missing_lines)}个，未核定"
        if self.invalid_lines:
            codes = "、".join(i["project"] for i in self.invalid_lines)
            text += f"；设备清单有误{len(self.invalid_lines)}个，未核定（{codes}）"
        return text

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


def settle_projects(
    *,
    year: int,
    area: str | None = None,
    dry_run: bool = False,
    user=None,
    date: dt.date | None = None,
    reason: str = "",
    run: SettlementRun | None = None,
    progress: Callable[[int, int, Settlement], None] | None = None,
    progress_every: int = 25,
) -> Settlement:
    """Settles every settleable project of ``year`` (of ``area`` when given) on its equipment lines:
    each gets a decision record (``decision_record_settle``'s rules: a new version only when
    something changed), or with ``dry_run`` is only computed, nothing written. A project without
    lines is not settled but listed (``missing_lines``), as is one whose lines the engine refuses.
    ``progress(done, total, settlement)`` is told at the start, every ``progress_every`` projects
    and at the end; with a ``run`` it is told in the transaction that writes the project's record,
    so the progress it saves always counts exactly the records committed. A project the ``run``
    already settled (a retried run) is counted as created again, not written twice."""
    date = date or timezone.localdate()
    data = selectors.policy_data()
    projects = list(selectors.settleable_projects(year=year, area=area))
    scope = {"year": year, "status__in": selectors.SETTLED_STATUSES} | ({"area_id": area} if area else {})
    lines = selectors.lines_by_project(**scope)
    out = Settlement(year=year)
    out.missing_lines = [p.code for p in projects if not lines.get(p.pk)]
    todo = [p for p in projects if lines.get(p.pk)]
    if progress:
        progress(0, len(todo), out)
    for i, project in enumerate(todo, start=1):
        told = progress is not None and (i % progress_every == 0 or i == len(todo))
        try:
            snap = _snapshot(project, lines[project.pk], date, data)
        except LinesInvalid as exc:
            out.invalid_lines.append({"project": project.code, "message": exc.message})
            if told:
                progress(i, len(todo), out)
            continue
        with transaction.atomic():  # the record and the progress that counts it, together
            status = "dry_run"
            if not dry_run:
                _, created = _freeze(
                    project=project,
                    snap=snap,
                    user=user,
                    date=date,
                    reason=reason or f"{year}年度批量核定",
                    run=run,
                )
                status = "created" if created else "unchanged"
            out.items.append({"project": project.code, **settled_amounts(snap["result"]), "status": status})
            if told:
                progress(i, len(todo), out)
    return out


def settlement_run_start(*, year: int, user=None, date: dt.date | None = None) -> SettlementRun:
    """Queues the batch settlement of all accepted projects of ``year`` (a background task)."""
    from . import tasks  # noqa: PLC0415 - tasks import services

    run = SettlementRun.objects.create(
        year=year,
        decided_on=date or timezone.localdate(),
        total=selectors.settleable_projects(year=year).count()
        - selectors.projects_without_lines(year=year).count(),
        created_by=user if getattr(user, "pk", None) else None,
    )
    jobs.job_enqueue(run, tasks.settle_year, run.pk)
    return run


def settlement_run_retry(*, run: SettlementRun, user=None) -> SettlementRun:
    """重试 of a failed run: it settles the year again on the same date; the projects it settled
    before it was interrupted keep their record (none is written twice), the others are settled."""
    from . import tasks  # noqa: PLC0415 - tasks import services

    jobs.job_requeue(run, message="")
    jobs.job_enqueue(run, tasks.settle_year, run.pk)
    return run


def settlement_run_execute(*, run_id: int) -> SettlementRun | None:
    """Settles every accepted project of the run's year that has equipment lines
    (``settle_projects``) under the run's lease (renewal.lib.jobs), saving progress with each
    record; the message counts the projects not settled."""
    lease = jobs.lease_claim(SettlementRun, run_id)
    if lease is None:
        return None
    run = SettlementRun.objects.get(pk=run_id)
    lease.beat(done=0, created=0, unchanged=0, subsidy_total=0)

    def saved(done: int, total: int, out: Settlement) -> None:
        lease.beat(
            total=total,
            done=done,
            created=out.count("created"),
            unchanged=out.count("unchanged"),
            subsidy_total=out.subsidy_total,
        )

    try:
        with lease.keepalive():
            out = settle_projects(
                year=run.year,
                user=run.created_by,
                date=run.decided_on,
                reason=f"{run.year}年度批量核定",
                run=run,
                progress=saved,
                progress_every=1,
            )
    except jobs.LeaseLost:
        return None  # failed by a sweep meanwhile: the record in hand was rolled back with its progress
    except Exception as exc:
        lease.finish(SettlementRun.Status.FAILED, message=f"批量核定中断：{exc}")
        raise
    lease.finish(SettlementRun.Status.DONE, message=out.message)
    run.refresh_from_db()
    return run
