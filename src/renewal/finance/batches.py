"""The list of projects pushed to banks (备选项目清单, P12): batches compiled, reviewed and pushed by
the city, and what a bank user reads of them.

- services (writes, keyword-only, atomic): ``batch_compile``, ``batch_item_remove``,
  ``batch_delete``, ``batch_review``, ``batch_push``;
- selectors (reads): ``eligibility_rules``, ``candidates``, ``batch_list``, ``batch_banks``,
  ``bank_projects`` (is a project pushed to the caller's bank?), ``bank_rows``, ``pushed_on``;
- ``bank_sheet`` / ``bank_xlsx``: one batch's projects of one bank, in the shape a bank reads;
- ``batch_command``: `renewal finance batch …`.

The workflow is a table (``TRANSITIONS``): draft (待审核) → reviewed (已审核) → pushed (已推送); a
draft may lose items or be deleted, a reviewed batch only moves on, a pushed batch never changes.
Who and when of each step is kept on the batch itself (its ``*_by``, ``*_by_name``, ``*_at``
fields): batches have no django-simple-history table — they are never edited, so the fields are
the whole record. Each item keeps a snapshot of its project as listed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope, scope_for
from renewal.lib import units
from renewal.lib import xlsx as X
from renewal.lib.errors import Invalid, NotFound, Refused
from renewal.planning import selectors as plans
from renewal.planning.selectors import number
from renewal.registry import reference
from renewal.registry.models import Project

from .eligibility import Eligibility, Rules, project_eligibility
from .models import BatchItem, LoanBatch

Status = LoanBatch.Status

# state → (next state, the right it takes, the button's label)
TRANSITIONS: dict[str, tuple[str, str, str]] = {
    Status.DRAFT: (Status.REVIEWED, "finance.batch_review", "审核通过"),
    Status.REVIEWED: (Status.PUSHED, "finance.batch_push", "推送"),
}
FROZEN_MESSAGE = "批次已推送，不可修改或删除"
REVIEWED_MESSAGE = "批次已审核，不可再修改；如需调整请推送后另编批次"


# ---- eligibility ---------------------------------------------------------------------------------


def eligibility_rules() -> Rules:
    finance = plans.active_plan_document().finance
    return Rules.from_plan(
        finance, counted=reference.counted_statuses(), completed=reference.completed_statuses()
    )


def eligibility_conditions() -> list[str]:
    """The conditions of the list as the plan sets them, in Chinese (the compile page's header)."""
    return [c.rule for c in project_eligibility({}, eligibility_rules()).conditions]


def bank_names() -> dict[str, str]:
    try:
        return {b.code: b.name for b in plans.active_plan_document().finance.banks}
    except plans.NoPlanLoaded:
        return {}


def project_facts(project: Project) -> dict:
    """The plain data the rule reads."""
    return {
        "total_investment": project.total_investment,
        "loan_demand": project.loan_demand,
        "status": project.status,
        "intended_banks": list(project.intended_banks or []),
    }


def _banks_of(project: Project) -> list[str]:
    seen: list[str] = []
    for code in project.intended_banks or []:
        code = str(code).strip()
        if code and code not in seen:
            seen.append(code)
    return seen


def _listed_pairs() -> dict[tuple[int, str], LoanBatch]:
    """(project id, bank) → the batch that lists it: a pushed batch, or one still on its way (a
    pair is pushed once; listing it again in a second draft would push it twice)."""
    out: dict[tuple[int, str], LoanBatch] = {}
    items = (
        BatchItem.objects.select_related("batch")
        .only("project_id", "bank", "batch__name", "batch__status", "batch__created_at")
        .order_by("batch__created_at", "batch_id")
    )
    for item in items:
        key = (item.project_id, item.bank)
        if key not in out or item.batch.status == Status.PUSHED:
            out[key] = item.batch
    return out


def _listed_reason(bank: str, batch: LoanBatch, names: dict[str, str]) -> str:
    where = "已推送至" if batch.status == Status.PUSHED else "已列入待推送批次，银行："
    return f"{where}{names.get(bank, bank)}（批次“{batch.name}”）"


@dataclass
class Candidate:
    project: Project
    eligibility: Eligibility
    open_banks: list[str]  # intended banks not yet listed
    listed: list[str] = field(default_factory=list)  # reasons: banks already listed

    @property
    def can_list(self) -> bool:
        return self.eligibility.eligible and bool(self.open_banks)

    @property
    def reasons(self) -> list[str]:
        out = list(self.eligibility.reasons)
        if self.eligibility.eligible and not self.open_banks:
            out += self.listed
        return out


def _candidate(project: Project, rules: Rules, listed, names) -> Candidate:
    result = project_eligibility(project_facts(project), rules)
    open_banks, done = [], []
    for bank in _banks_of(project):
        batch = listed.get((project.pk, bank))
        if batch is None:
            open_banks.append(bank)
        else:
            done.append(_listed_reason(bank, batch, names))
    return Candidate(project, result, open_banks if result.eligible else [], done)


def candidates(*, include_ineligible: bool = False) -> list[Candidate]:
    """The city's projects that may be listed now (eligible, with a bank not yet listed), and with
    ``include_ineligible`` the others too, with their reasons (the compile page)."""
    rules = eligibility_rules()
    listed = _listed_pairs()
    names = dict(rules.banks)
    qs = Project.objects.select_related("enterprise", "area").order_by("code")
    out = [_candidate(p, rules, listed, names) for p in qs]
    return out if include_ineligible else [c for c in out if c.can_list]


# ---- services ------------------------------------------------------------------------------------


def _user_name(user) -> str:
    if user is None:
        return "系统"
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or user.username


def _user_ref(user):
    return user if getattr(user, "pk", None) else None


def snapshot(project: Project) -> dict:
    """The project as listed (amounts in yuan, as exact decimal text)."""
    ent = project.enterprise
    return {
        "code": project.code,
        "name": project.name,
        "enterprise_name": ent.name,
        "uscc": ent.uscc,
        "contact_person": ent.contact_person,
        "contact_phone": ent.contact_phone,
        "area": project.area_id,
        "area_name": project.area.name,
        "total_investment": str(project.total_investment),
        "equipment_investment": str(project.equipment_investment),
        "loan_demand": str(project.loan_demand),
        "status": project.status,
        "year": project.year,
    }


@dataclass
class Compiled:
    batch: LoanBatch
    refused: list[dict] = field(default_factory=list)  # {"project", "reasons"}


@transaction.atomic
def batch_compile(
    *,
    name: str,
    user,
    project_codes: list[str] | None = None,
    eligible: bool = False,
    note: str = "",
) -> Compiled:
    """A new draft batch: one item per intended bank of each listed project. With ``eligible`` the
    whole current list of candidates; else the given codes, ineligible ones refused with their
    reasons. Nothing is written when no project can be listed."""
    scope_for(user).require("finance.batch_compile")
    name = (name or "").strip()
    if not name:
        raise Invalid("请填写批次名称", field="name")
    if len(name) > 100:
        raise Invalid("批次名称不超过100个字", field="name")
    if LoanBatch.objects.filter(name=name).exists():
        raise Invalid(f"批次名称“{name}”已存在，请换一个名称", field="name")
    if eligible == bool(project_codes):
        raise Invalid("请选择项目，或选择全部符合条件的项目（二者选一）", field="projects")
    refused: list[dict] = []
    if eligible:
        chosen = candidates()
    else:
        codes = list(dict.fromkeys(c.strip() for c in project_codes if c and c.strip()))
        found = {
            p.code: p for p in Project.objects.select_related("enterprise", "area").filter(code__in=codes)
        }
        rules, listed = eligibility_rules(), _listed_pairs()
        chosen = []
        for code in codes:
            project = found.get(code)
            if project is None:
                refused.append({"project": code, "reasons": ["项目不存在"]})
                continue
            c = _candidate(project, rules, listed, dict(rules.banks))
            if c.can_list:
                chosen.append(c)
            else:
                refused.append({"project": code, "reasons": c.reasons})
    if not chosen:
        detail = "；".join(f"{r['project']}：{'，'.join(r['reasons'])}" for r in refused)
        raise Invalid("没有可列入批次的项目，未编制批次" + (f"（{detail}）" if detail else ""))
    try:
        with transaction.atomic():
            batch = LoanBatch.objects.create(
                name=name, note=note, created_by=_user_ref(user), created_by_name=_user_name(user)
            )
    except IntegrityError:
        raise Invalid(f"批次名称“{name}”已存在，请换一个名称", field="name") from None
    BatchItem.objects.bulk_create(
        BatchItem(
            batch=batch,
            project=c.project,
            bank=bank,
            snapshot=snapshot(c.project),
            loan_demand=c.project.loan_demand,
        )
        for c in chosen
        for bank in c.open_banks
    )
    return Compiled(batch=batch, refused=refused)


def _locked(batch: LoanBatch) -> LoanBatch:
    return LoanBatch.objects.select_for_update().get(pk=batch.pk)


def _editable(batch: LoanBatch) -> None:
    if batch.status == Status.PUSHED:
        raise Refused(FROZEN_MESSAGE)
    if batch.status != Status.DRAFT:
        raise Refused(REVIEWED_MESSAGE)


@transaction.atomic
def batch_item_remove(*, batch: LoanBatch, item_id: int, user) -> LoanBatch:
    """Take one item off a draft batch (before its review)."""
    scope_for(user).require("finance.batch_compile")
    batch = _locked(batch)
    _editable(batch)
    deleted, _ = BatchItem.objects.filter(batch=batch, pk=item_id).delete()
    if not deleted:
        raise NotFound("该批次中没有这一项目")
    return batch


@transaction.atomic
def batch_delete(*, batch: LoanBatch, user) -> None:
    """Drop a draft batch (before its review)."""
    scope_for(user).require("finance.batch_compile")
    batch = _locked(batch)
    _editable(batch)
    batch.delete()


def _step(batch: LoanBatch, user) -> tuple[LoanBatch, str]:
    if batch.status == Status.PUSHED:
        raise Refused(FROZEN_MESSAGE)
    target, permission, _ = TRANSITIONS[batch.status]
    scope_for(user).require(permission)
    return batch, target


@transaction.atomic
def batch_review(*, batch: LoanBatch, user) -> LoanBatch:
    """待审核 → 已审核 (a city reviewer or administrator)."""
    batch = _locked(batch)
    if batch.status != Status.DRAFT:
        raise Refused(FROZEN_MESSAGE if batch.status == Status.PUSHED else "批次已审核")
    batch, target = _step(batch, user)
    if not batch.items.exists():
        raise Invalid("批次中没有项目，不能审核")
    batch.status = target
    batch.reviewed_by, batch.reviewed_by_name = _user_ref(user), _user_name(user)
    batch.reviewed_at = timezone.now()
    batch.save(update_fields=["status", "reviewed_by", "reviewed_by_name", "reviewed_at"])
    return batch


@transaction.atomic
def batch_push(*, batch: LoanBatch, user, pushed_on: dt.date | None = None) -> LoanBatch:
    """已审核 → 已推送 (the city administrator). ``pushed_on``: the day the push takes effect,
    today by default; an earlier day loads a batch pushed before the platform (a city
    administrator only), never a day to come."""
    batch = _locked(batch)
    if batch.status != Status.REVIEWED:
        raise Refused(FROZEN_MESSAGE if batch.status == Status.PUSHED else "批次尚未审核，不能推送")
    batch, target = _step(batch, user)
    today = timezone.localdate()
    pushed_on = pushed_on or today
    if pushed_on > today:
        raise Invalid(f"推送生效日期 {pushed_on:%Y-%m-%d} 晚于今天，不能预先推送", field="pushed_on")
    if pushed_on < today and not scope_for(user).is_city_admin:
        raise Refused("只有市级管理员可以补录以往日期的推送")
    batch.status = target
    batch.pushed_by, batch.pushed_by_name = _user_ref(user), _user_name(user)
    batch.pushed_at = timezone.now()
    batch.pushed_on = pushed_on
    batch.save(update_fields=["status", "pushed_by", "pushed_by_name", "pushed_at", "pushed_on"])
    return batch


# ---- selectors -----------------------------------------------------------------------------------


def batch_list() -> QuerySet[LoanBatch]:
    return LoanBatch.objects.annotate(
        item_count=Count("items"),
        project_count=Count("items__project", distinct=True),
        bank_count=Count("items__bank", distinct=True),
    ).order_by("-created_at", "-pk")


def batch_get(*, pk: int) -> LoanBatch:
    batch = LoanBatch.objects.filter(pk=pk).first()
    if batch is None:
        raise NotFound("批次不存在")
    return batch


@dataclass
class BankGroup:
    code: str
    name: str
    items: list[BatchItem]

    @property
    def loan_demand(self) -> Decimal:
        return sum((i.loan_demand for i in self.items), Decimal(0))


def batch_banks(batch: LoanBatch) -> list[BankGroup]:
    """The batch's items grouped by bank, in the plan's order of banks."""
    names = bank_names()
    order = {code: i for i, code in enumerate(names)}
    groups: dict[str, list[BatchItem]] = defaultdict(list)
    for item in batch.items.select_related("project").order_by("bank", "project__code"):
        groups[item.bank].append(item)
    return [
        BankGroup(code, names.get(code, code), items)
        for code, items in sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    ]


def batch_totals(groups: list[BankGroup]) -> tuple[int, Decimal]:
    """The batch's projects and their loan demand, each project once (a project listed for two
    banks asks for one loan, not two)."""
    demand = {i.project_id: i.loan_demand for g in groups for i in g.items}
    return len(demand), sum(demand.values(), Decimal(0))


def _pushed_items(scope: Scope, bank: str | None = None) -> QuerySet[BatchItem]:
    qs = BatchItem.objects.filter(batch__status=Status.PUSHED)
    if scope.role == Role.BANK:
        return qs.filter(bank=scope.bank) if scope.bank else qs.none()
    if not scope.sees_all_records:
        return qs.none()
    return qs.filter(bank=bank) if bank else qs


def bank_projects(scope: Scope, bank: str | None = None) -> QuerySet[Project]:
    """The projects pushed to the caller's bank (a bank user), or to any bank / ``bank`` (the
    city); nothing for anyone else. ``bank_projects(scope).filter(pk=p.pk).exists()`` tells
    whether a bank may work on a project."""
    return Project.objects.filter(pk__in=_pushed_items(scope, bank).values("project_id"))


def pushed_on(*, project: Project, bank: str) -> dt.date | None:
    """The first day ``project`` was pushed to ``bank`` (None: never)."""
    item = (
        BatchItem.objects.filter(project=project, bank=bank, batch__status=Status.PUSHED)
        .order_by("batch__pushed_on")
        .values_list("batch__pushed_on", flat=True)
        .first()
    )
    return item


@dataclass
class BankRow:
    """One project pushed to a bank, for the bank's page: its latest item (snapshot, batch, date)
    and the enterprise's contact now."""

    item: BatchItem
    project: Project
    batches: list[LoanBatch]

    @property
    def snapshot(self) -> dict:
        return self.item.snapshot


def bank_rows(scope: Scope) -> list[BankRow]:
    """The bank user's pushed projects, latest push first (nothing for anyone else)."""
    if scope.role != Role.BANK:
        return []
    items = (
        _pushed_items(scope)
        .select_related("batch", "project__enterprise")
        .order_by("-batch__pushed_on", "-batch__pushed_at", "project__code")
    )
    rows: dict[int, BankRow] = {}
    for item in items:
        row = rows.get(item.project_id)
        if row is None:
            rows[item.project_id] = BankRow(item, item.project, [item.batch])
        else:
            row.batches.append(item.batch)
    return list(rows.values())


def bank_batches(scope: Scope) -> list[dict]:
    """The pushed batches that list the bank user's bank, with its count and loan demand."""
    if scope.role != Role.BANK or not scope.bank:
        return []
    rows = (
        _pushed_items(scope)
        .values("batch_id", "batch__name", "batch__pushed_on")
        .annotate(projects=Count("project", distinct=True), loan_demand=Sum("loan_demand"))
        .order_by("-batch__pushed_on", "-batch_id")
    )
    return [
        {
            "id": r["batch_id"],
            "name": r["batch__name"],
            "pushed_on": r["batch__pushed_on"],
            "projects": r["projects"],
            "loan_demand": r["loan_demand"],
        }
        for r in rows
    ]


def bank_file_items(*, scope: Scope, batch_id: int, bank: str) -> tuple[LoanBatch, list[BatchItem]]:
    """The items of one batch for one bank, if the caller may have them: the city (any batch,
    drafts included, to check them before the push) or that bank's user (pushed batches only).
    Anything else is not found (404): a bank never learns of another bank's list."""
    batch = LoanBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("批次不存在")
    if scope.role == Role.BANK:
        if not scope.bank or bank != scope.bank or batch.status != Status.PUSHED:
            raise NotFound("批次不存在")
    elif not scope.sees_all_records:
        raise Refused(f"您的角色（{scope.role_label}）不查看推送批次")
    items = list(batch.items.filter(bank=bank).select_related("project").order_by("project__code"))
    if not items:
        raise NotFound("该批次没有推送给这家银行的项目")
    return batch, items


# ---- the bank's sheet ----------------------------------------------------------------------------

SHEET_NAME = "推送项目清单"


def _wan_cell(value) -> units.Shown | None:
    return units.shown(value, "CNY", units.column("CNY"))


def bank_sheet(batch: LoanBatch, items: list[BatchItem]) -> X.ExportSheet:
    """One batch's projects of one bank, as listed (the snapshot: the file says what was pushed)."""

    def snap(key):
        return lambda item: item.snapshot.get(key)

    columns = [
        X.ExportColumn("批次", lambda item: batch.name),
        X.ExportColumn("推送日期", lambda item: batch.pushed_on, X.DATE),
        X.ExportColumn("项目编号", snap("code")),
        X.ExportColumn("项目名称", snap("name"), width=30),
        X.ExportColumn("企业名称", snap("enterprise_name"), width=30),
        X.ExportColumn("统一社会信用代码", snap("uscc"), width=22),
        X.ExportColumn("所属区域", snap("area_name")),
        X.ExportColumn("联系人", snap("contact_person")),
        X.ExportColumn("联系电话", snap("contact_phone")),
        X.ExportColumn("总投资(万元)", lambda item: _wan_cell(item.snapshot.get("total_investment"))),
        X.ExportColumn("设备投资(万元)", lambda item: _wan_cell(item.snapshot.get("equipment_investment"))),
        X.ExportColumn("贷款需求(万元)", lambda item: _wan_cell(item.loan_demand)),
        X.ExportColumn("项目状态", snap("status")),
    ]
    return X.ExportSheet(SHEET_NAME, columns, items, autofilter=True)


def bank_filename(batch: LoanBatch, bank: str) -> str:
    return f"{batch.name}-{bank_names().get(bank, bank)}-推送项目清单.xlsx"


# ---- `renewal finance batch …` ---------------------------------------------------------------------


def _command_user(username: str | None):
    from django.core.management.base import CommandError

    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        return user
    user = (
        User.objects.filter(is_active=True, profile__role=Role.CITY_ADMIN).order_by("pk").first()
        or User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
    )
    if user is None:
        raise CommandError("没有在用的市级管理员：请用 --user 指定编制人")
    return user


def batch_json(batch: LoanBatch, refused: list[dict]) -> dict:
    return {
        "batch": batch.name,
        "status": batch.status,
        "pushed_on": batch.pushed_on.isoformat() if batch.pushed_on else None,
        "items": [
            {"project": i.project.code, "bank": i.bank, "loan_demand": number(i.loan_demand)}
            for i in batch.items.select_related("project").order_by("project__code", "bank")
        ],
        "refused": refused,
        "unit": "CNY",
    }


def batch_command(cmd, **options) -> None:
    """`renewal finance batch NAME --projects … | --eligible [--push] [--pushed-on D] [--user U]`."""
    from django.core.management.base import CommandError

    day = None
    if options.get("pushed_on"):
        if not options.get("push"):
            raise CommandError("--pushed-on 须与 --push 一同使用")
        try:
            day = dt.date.fromisoformat(options["pushed_on"])
        except ValueError:
            raise CommandError(f"推送生效日期格式有误：{options['pushed_on']}（应为 YYYY-MM-DD）") from None
    user = _command_user(options.get("user"))
    if day is not None and not scope_for(user).is_city_admin:
        raise CommandError("只有市级管理员可以用 --pushed-on 补录以往批次")
    codes = [c for c in (options.get("projects") or "").split(",") if c.strip()]
    try:
        with transaction.atomic():
            out = batch_compile(
                name=options["name"],
                user=user,
                project_codes=codes or None,
                eligible=bool(options.get("eligible")),
            )
            batch = out.batch
            if options.get("push"):
                batch = batch_review(batch=batch, user=user)
                batch = batch_push(batch=batch, user=user, pushed_on=day)
    except plans.NoPlanLoaded as exc:
        raise CommandError(str(exc)) from None
    except (Invalid, Refused, NotFound) as exc:
        raise CommandError(exc.message) from None
    if options.get("json"):
        cmd.stdout.write(json.dumps(batch_json(batch, out.refused), ensure_ascii=False, indent=2))
        return
    groups = batch_banks(batch)
    projects, total = batch_totals(groups)
    lines = [
        f"批次“{batch.name}”：{batch.get_status_display()}"
        + (f"，推送生效日期 {batch.pushed_on:%Y-%m-%d}" if batch.pushed_on else ""),
        f"项目 {projects} 个，推送 {len(groups)} 家银行，贷款需求合计 {units.wan(total)} 万元（每个项目计一次）",
    ]
    for g in groups:
        lines.append(f"  {g.name}：{len(g.items)} 个项目，贷款需求 {units.wan(g.loan_demand)} 万元")
    if out.refused:
        lines.append(f"未列入 {len(out.refused)} 个项目：")
        lines += [f"  {r['project']}：{'；'.join(r['reasons'])}" for r in out.refused]
    cmd.stdout.write("\n".join(lines))
