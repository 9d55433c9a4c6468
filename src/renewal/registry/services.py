"""Writes of the registry: demo data, and every write by a person (scoped, versioned, attributed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope, scope_for
from renewal.lib.errors import Conflict, Invalid, NotFound, Refused, stale_message
from renewal.lib.races import created_once
from renewal.lib.text import model_text_check
from renewal.planning.models import Area

from . import models, spells, workflow
from .demo import DemoData


class DemoExists(Exception):
    def __init__(self, dataset: models.DemoDataset):
        self.dataset = dataset
        super().__init__(
            f"数据库中已有演示数据（seed {dataset.seed}）；如需换用其他 seed，请先清空数据库（rm var/renewal.sqlite3）"
        )


@transaction.atomic
def demo_dataset_load(*, data: DemoData, plan_id: str) -> dict[str, int]:
    """Write a built demo dataset. Re-running with the same seed changes nothing; another seed on
    a database that already holds demo data is refused (``DemoExists``). Rows go in with their
    history (simple-history), attributed to no user (the system)."""
    existing = models.DemoDataset.objects.first()
    if existing is not None:
        if existing.seed == data.seed and existing.through == data.through and existing.plan_id == plan_id:
            return {}
        raise DemoExists(existing)

    areas = {a.code: a for a in Area.objects.all()}
    enterprises = bulk_create_with_history(
        [models.Enterprise(**{**e, "area": areas[e["area"]]}) for e in data.enterprises],
        models.Enterprise,
        batch_size=500,
    )
    by_uscc = {e.uscc: e for e in enterprises}
    projects = bulk_create_with_history(
        [
            models.Project(**{**p, "enterprise": by_uscc[p["enterprise"]], "area": areas[p["area"]]})
            for p in data.projects
        ],
        models.Project,
        batch_size=500,
    )
    by_code = {p.code: p for p in projects}
    models.ProjectTransition.objects.bulk_create(
        [
            models.ProjectTransition(
                **{**s, "project": by_code[s["project"]], "comment": "演示数据：流转历史"}
            )
            for s in data.transitions
        ],
        batch_size=1000,
    )
    spells.refresh(p.pk for p in projects)
    bulk_create_with_history(
        [models.MonthlyProgress(**{**r, "project": by_code[r["project"]]}) for r in data.progress],
        models.MonthlyProgress,
        batch_size=1000,
    )
    bulk_create_with_history(
        [models.Honour(**{**h, "enterprise": by_uscc[h["enterprise"]]}) for h in data.honours],
        models.Honour,
    )
    bulk_create_with_history(
        [models.FirstSetProduct(**{**f, "enterprise": by_uscc[f["enterprise"]]}) for f in data.first_sets],
        models.FirstSetProduct,
    )
    bulk_create_with_history(
        [models.CatalogueEntry(**{**c, "enterprise": by_uscc[c["enterprise"]]}) for c in data.catalogue],
        models.CatalogueEntry,
    )
    providers = bulk_create_with_history(
        [models.ServiceProvider(**{**p, "area": areas[p["area"]]}) for p in data.providers],
        models.ServiceProvider,
    )
    by_provider = {p.uscc: p for p in providers}
    bulk_create_with_history(
        [
            models.TypicalCase(
                **{**c, "enterprise": by_uscc[c["enterprise"]], "provider": by_provider[c["provider"]]}
            )
            for c in data.cases
        ],
        models.TypicalCase,
    )
    bulk_create_with_history(
        [
            models.Fund(
                **{
                    **f,
                    "area": areas[f["area"]] if f["area"] else None,
                    "project": by_code.get(f.get("project")),
                }
            )
            for f in data.funds
        ],
        models.Fund,
    )
    stats = []
    for s in data.statistics:
        row = models.Statistic(**s, year=0, month=0)
        row.clean()  # derives year and month from the period
        stats.append(row)
    bulk_create_with_history(stats, models.Statistic, batch_size=1000)
    for c in data.chains:
        chain = models.IndustrialChain.objects.create(
            name=c["name"], leader=c["leader"], leader_unit_id=c["leader_unit"]
        )
        chain.masters.set([by_uscc[u] for u in c["masters"]])
    # equipment lines and ledgers (the equipment app's records of these projects and enterprises)
    from renewal.equipment.models import EquipmentLine, LedgerItem  # noqa: PLC0415 - equipment reads registry
    from renewal.equipment.services import sample_catalogue_load  # noqa: PLC0415

    catalogue = sample_catalogue_load()  # the 示例 elimination catalogue the ledgers are matched against

    bulk_create_with_history(
        [EquipmentLine(**{**x, "project": by_code[x["project"]]}) for x in data.lines],
        EquipmentLine,
        batch_size=1000,
    )
    bulk_create_with_history(
        [
            LedgerItem(
                **{k: v for k, v in x.items() if k not in ("replacement", "enterprise")},
                enterprise=by_uscc[x["enterprise"]],
                replacement_project=by_code.get(x["replacement"]),
            )
            for x in data.ledger
        ],
        LedgerItem,
        batch_size=1000,
    )
    models.DemoDataset.objects.create(seed=data.seed, through=data.through, plan_id=plan_id)
    return {
        "企业": len(data.enterprises),
        "项目": len(data.projects),
        "月度进度": len(data.progress),
        "试点示范": len(data.honours),
        "首台套": len(data.first_sets),
        "优质产品目录": len(data.catalogue),
        "服务商": len(data.providers),
        "典型案例": len(data.cases),
        "补助资金": len(data.funds),
        "统计指标": len(data.statistics),
        "产业链": len(data.chains),
        "设备清单": len(data.lines),
        "设备台账": len(data.ledger),
        "淘汰目录（示例）": catalogue["new"],
    }


# ---------------------------------------------------------------------------------------------
# Writes by people (pages, API, imports, admin): scoped, versioned, attributed.
#
# Every function here takes the acting ``user``, decides through ``accounts.scope`` whether the
# user may do it (``Refused``), refuses a stale edit (``Conflict``: ``version`` is the version the
# caller read), validates (``Invalid``, messages in Chinese naming the field) and saves with the
# user as the history author (django-simple-history), on every path, with or without a request.
# ---------------------------------------------------------------------------------------------

ENTERPRISE_FIELDS = [
    "uscc",
    "uscc_confirmed",
    "name",
    "area",
    "industry_code",
    "above_scale",
    "land_mu",
    "employees",
    "high_tech",
    "ic_enterprise",
    "machine_tool_enterprise",
]
PROJECT_FIELDS = [
    "code",
    "name",
    "year",
    "types",
    "provincial_key",
    "total_investment",
    "equipment_investment",
    "first_set_purchase",
    "new_robots",
    "new_cnc",
    "energy_saving",
    "new_land",
    "start_date",
    "end_date",
]


def attribute(obj, user, reason: str = "") -> None:
    """Name the author (and reason) of the next history row of ``obj``: covers paths without a
    request (commands, imports, tasks) as well as API token requests."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]


def validated(obj, *, exclude: list[str] | None = None) -> None:
    model_text_check(type(obj), obj)  # control characters, lengths: the message of every path
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = {f: "；".join(m) for f, m in exc.message_dict.items()}
        label = {f.name: str(f.verbose_name) for f in obj._meta.fields}
        summary = "；".join(f"{label.get(f, f)}：{m}" for f, m in errors.items())
        raise Invalid(f"数据有误：{summary}", errors=errors) from None


def version_check(obj, version: int | None, label: str) -> None:
    if version is not None and int(version) != obj.version:
        raise Conflict(stale_message(label, obj.version, int(version)))


def _scope(user) -> Scope:
    return scope_for(user)


def _apply(obj, data: dict, fields: list[str]) -> None:
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if name == "area":
            obj.area_id = value.code if isinstance(value, Area) else value
        elif name == "types" and isinstance(value, list | tuple):
            obj.types = models.TYPES_SEPARATOR.join(value)
        else:
            setattr(obj, name, value)


def _save(obj, user, reason: str = "") -> None:
    attribute(obj, user, reason)
    if not obj._state.adding:
        obj.save()
        return
    # a new record whose key another request is registering at the same moment: 409, not 500
    with created_once(
        f"保存冲突：{obj._meta.verbose_name}“{obj}”刚由他人同时登记，请刷新后查看，未保存任何内容。"
    ):
        obj.save()


@transaction.atomic
def enterprise_create(*, user, data: dict) -> models.Enterprise:
    scope = _scope(user)
    area = data.get("area")
    area = area.code if isinstance(area, Area) else area
    if not scope.can_write_model(models.Enterprise) or not scope.covers(area=area, uscc=data.get("uscc")):
        raise Refused(f"无权在区域 {area or '（未填）'} 登记企业 {data.get('uscc', '')}")
    if not Area.objects.filter(code=area).exists():
        raise Invalid(f"所属区域：未知的区域 {area!r}", field="area")
    e = models.Enterprise()
    _apply(e, data, ENTERPRISE_FIELDS)
    validated(e)
    existing = models.Enterprise.all_objects.filter(uscc=e.uscc).first()
    if existing is not None:
        more = "（已删除，可由市级管理员恢复）" if existing.is_deleted else ""
        raise Invalid(f"统一社会信用代码：企业 {e.uscc} 已存在{more}", field="uscc")
    _save(e, user)
    return e


@transaction.atomic
def enterprise_update(*, user, enterprise: models.Enterprise, data: dict, version: int | None):
    e = models.Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    scope = _scope(user)
    if not scope.can_change(e):
        raise Refused(f"无权修改企业 {e.uscc}")
    version_check(e, version, f"企业 {e.uscc} ")
    _apply(e, {k: v for k, v in data.items() if k != "uscc"}, ENTERPRISE_FIELDS)
    if not scope.covers(area=e.area_id, uscc=e.uscc):
        raise Refused(f"无权把企业 {e.uscc} 划到区域 {e.area_id}")
    validated(e)
    e.version += 1
    _save(e, user)
    return e


@transaction.atomic
def project_create(*, user, data: dict) -> models.Project:
    """A new project, always in 草稿, in its enterprise's area."""
    scope = _scope(user)
    uscc = data.get("uscc") or getattr(data.get("enterprise"), "uscc", None)
    ent = models.Enterprise.objects.filter(uscc=uscc).first()
    if ent is None or not scope.can_see(ent):
        raise NotFound(f"统一社会信用代码：未找到企业 {uscc}（或无权查看）", field="uscc")
    if not scope.can_write_model(models.Project):
        raise Refused(f"您（{scope.role_label}）无权登记项目")
    p = models.Project(enterprise=ent, area_id=ent.area_id, status="草稿")
    _apply(p, data, PROJECT_FIELDS)
    validated(p)
    existing = models.Project.all_objects.filter(code=p.code).first()
    if existing is not None:
        more = "（已删除，可由市级管理员恢复）" if existing.is_deleted else ""
        raise Invalid(f"项目编号：项目 {p.code} 已存在{more}", field="code")
    _save(p, user)
    return p


def project_may_edit(scope: Scope, project: models.Project) -> bool:
    """Edit rights on the project's data (not its status): the city administrator always; the
    area operator until the project is settled or withdrawn; the enterprise only while it is a
    draft or returned."""
    if not scope.can_change(project):
        return False
    if scope.is_city_admin:
        return True
    if project.status in workflow.FINAL_STATES:
        return False
    if scope.role == Role.ENTERPRISE:
        return project.status in workflow.EDITABLE_STATES
    return True


@transaction.atomic
def project_update(*, user, project: models.Project, data: dict, version: int | None) -> models.Project:
    p = models.Project.objects.select_for_update().get(pk=project.pk)
    scope = _scope(user)
    if not scope.can_see(p):
        raise NotFound(f"未找到项目 {project.code}（或无权查看）")
    if not project_may_edit(scope, p):
        raise Refused(f"项目 {p.code} 当前状态为“{p.status}”，您（{scope.role_label}）无权修改")
    version_check(p, version, f"项目 {p.code} ")
    if "status" in data and data["status"] not in (None, p.status):
        raise Invalid("状态：项目状态只能通过流转操作改变", field="status")
    _apply(p, {k: v for k, v in data.items() if k != "code"}, PROJECT_FIELDS)
    validated(p)
    p.version += 1
    _save(p, user)
    return p


def project_actions(*, project: models.Project, user) -> list[workflow.Transition]:
    """The workflow actions the user may take on this project now (pages show only these)."""
    scope = _scope(user)
    if not scope.can_see(project) or scope.role is None:
        return []
    return workflow.transitions_from(project.status, scope.role)


@transaction.atomic
def project_transition(
    *, project: models.Project, to: str, user, comment: str = "", version: int | None = None
) -> models.ProjectTransition:
    """Move a project to state ``to`` along the workflow table, or refuse in Chinese."""
    p = models.Project.objects.select_for_update().get(pk=project.pk)
    scope = _scope(user)
    if not scope.can_see(p):
        raise NotFound(f"未找到项目 {project.code}（或无权查看）")
    if to not in workflow.STATES:
        raise Invalid(f"目标状态：未知的状态 {to!r}（可选：{'、'.join(workflow.STATES)}）", field="to")
    step = workflow.find(p.status, to)
    if step is None:
        allowed = "、".join(t.target for t in workflow.transitions_from(p.status)) or "无（流程已结束）"
        raise Refused(f"项目 {p.code} 当前状态为“{p.status}”，不能转为“{to}”（可转为：{allowed}）")
    if scope.role not in step.roles:
        who = "、".join(Role(r).label for r in sorted(step.roles))
        raise Refused(f"“{step.action}”（{p.status}→{to}）只能由{who}操作，您是{scope.role_label}")
    version_check(p, version, f"项目 {p.code} ")
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise Invalid(f"意见：“{step.action}”须填写理由", field="comment")
    record = models.ProjectTransition.objects.create(
        project=p,
        from_status=p.status,
        to_status=to,
        action=step.action,
        user=user if getattr(user, "is_authenticated", False) else None,
        comment=comment,
    )
    p.status = to
    p.version += 1
    _save(p, user, reason=f"{step.action}：{comment}" if comment else step.action)
    spells.refresh([p.pk])
    return record


# What a soft delete takes with it (issue 13): (parent, child, the child's foreign key to the
# parent). Deleting a record soft-deletes its live children, and theirs, so that no measure counts
# a record of a deleted enterprise; restoring it brings back exactly those. A new kind of record
# that belongs to an enterprise or a project is one more line (another app's: ``cascade_register``
# from its ``ready``). Typical cases and industrial chains only name an enterprise (SET_NULL,
# many-to-many) and stay.
CASCADE: list[tuple[type, type, str]] = [
    (models.Enterprise, models.Project, "enterprise"),
    (models.Enterprise, models.Honour, "enterprise"),
    (models.Enterprise, models.FirstSetProduct, "enterprise"),
    (models.Enterprise, models.CatalogueEntry, "enterprise"),
    (models.Project, models.MonthlyProgress, "project"),
    (models.Project, models.Fund, "project"),
]


def cascade_register(parent: type, child: type, fk: str) -> None:
    """Another app's record that belongs to ``parent`` through ``fk`` (equipment lines, ledgers)."""
    if (parent, child, fk) not in CASCADE:
        CASCADE.append((parent, child, fk))


# the project states an area operator may still delete (later ones are withdrawn, not deleted)
DELETABLE_STATES = {"草稿", "退回"}
SOFT_FIELDS = ["is_deleted", "deleted_at", "version", "updated_at"]


def record_cascade(obj, *, deleted_at=None) -> list[tuple[type, list]]:
    """(model, rows) of what deleting ``obj`` takes with it (its live children through ``CASCADE``,
    theirs in turn), or with ``deleted_at`` what restoring it brings back: the children deleted in
    that same moment. Read before anything is written."""
    select = {"is_deleted": False} if deleted_at is None else {"is_deleted": True, "deleted_at": deleted_at}

    def below(model, parents) -> list[tuple[type, list]]:
        found = []
        for parent, child, fk in CASCADE:
            if parent is not model:
                continue
            rows = child.all_objects.filter(**{f"{fk}__in": parents}, **select).order_by("pk")
            listed = list(rows)
            if listed:
                found.append((child, listed))
                found += below(child, [r.pk for r in listed])
        return found

    return below(type(obj), [obj.pk])


def _deleted_owner(obj):
    """The furthest record up ``CASCADE`` that ``obj`` belongs to and that is deleted (the one to
    restore first: an enterprise before its project), or None."""
    for parent, child, fk in CASCADE:
        if not isinstance(obj, child) or getattr(obj, f"{fk}_id") is None:
            continue
        owner = parent.all_objects.filter(pk=getattr(obj, f"{fk}_id")).first()
        if owner is not None:
            return _deleted_owner(owner) or (owner if owner.is_deleted else None)
    return None


def _owner_check(obj, action: str) -> None:
    owner = _deleted_owner(obj)
    if owner is not None:
        what = owner._meta.verbose_name
        raise Refused(
            f"{obj._meta.verbose_name}“{obj}”所属的{what}“{owner}”已删除：请先恢复该{what}，不能单独{action}"
        )


def _soft_mark(taken: list[tuple[type, list]], *, user, deleted_at, reason: str) -> None:
    """Delete (``deleted_at`` set) or restore (None) the cascade's rows in bulk, each with its history
    row (simple-history: the author, the reason)."""
    now = timezone.now()
    author = user if getattr(user, "is_authenticated", False) else None
    for model, rows in taken:
        for row in rows:
            row.is_deleted = deleted_at is not None
            row.deleted_at = deleted_at
            row.version += 1
            row.updated_at = now
        bulk_update_with_history(
            rows,
            model,
            SOFT_FIELDS,
            batch_size=500,
            default_user=author,
            default_change_reason=reason[:100],
            manager=model.all_objects,  # the default manager hides deleted rows: a restore would miss them
        )


@transaction.atomic
def record_delete(*, user, obj, reason: str = "", as_edit_of=None):
    """Soft-delete a registry record (restorable by a city administrator) with what belongs to it
    (``CASCADE``: an enterprise's projects with their progress and funds, honours, first-set
    products, catalogue entries). Every row gets the same ``deleted_at`` and a history row with the
    reason (“随企业删除：…”), which is how the restore finds them again. A record whose enterprise
    (or project) is deleted is not deleted on its own; an area operator deletes an enterprise only
    while none of its projects has entered the workflow (as for a project itself). ``as_edit_of``:
    the project whose data this record is (an equipment line): deleting it is an edit of that
    project, allowed to whoever may edit it (``project_may_edit``), the enterprise of a draft too."""
    scope = _scope(user)
    if as_edit_of is not None:
        if not project_may_edit(scope, as_edit_of):
            raise Refused(
                f"项目 {as_edit_of.code} 当前状态为“{as_edit_of.status}”，您（{scope.role_label}）无权修改"
            )
    elif not scope.can_delete(obj):
        raise Refused(f"无权删除“{obj}”")
    if obj.is_deleted:
        raise Invalid(f"“{obj}”已删除（在回收站中）")
    _owner_check(obj, "删除")
    if isinstance(obj, models.Project) and not scope.is_city_admin and obj.status not in DELETABLE_STATES:
        raise Refused(f"项目 {obj.code} 已进入流程（{obj.status}），只能撤销，不能删除")
    taken = record_cascade(obj)
    if not scope.is_city_admin:
        busy = [
            p.code
            for model, rows in taken
            if model is models.Project
            for p in rows
            if p.status not in DELETABLE_STATES
        ]
        if busy:
            more = "等" if len(busy) > 5 else ""
            raise Refused(
                f"{obj._meta.verbose_name}“{obj}”的项目 {'、'.join(busy[:5])}{more}已进入流程，"
                "只有市级管理员可以删除"
            )
    now = timezone.now()
    obj.is_deleted = True
    obj.deleted_at = now
    obj.version += 1
    _save(obj, user, reason=f"删除：{reason}" if reason else "删除")
    label = obj._meta.verbose_name
    _soft_mark(
        taken, user=user, deleted_at=now, reason=f"随{label}删除：{reason}" if reason else f"随{label}删除"
    )
    return obj


@transaction.atomic
def record_restore(*, user, obj):
    """Restore a soft-deleted record and exactly what its deletion took with it: the records of its
    ``CASCADE`` deleted in the same moment (``deleted_at`` equal to its own). A child deleted on its
    own before (an earlier ``deleted_at``) stays in the recycle bin and is restored by itself. A
    record whose enterprise (or project) is still deleted is refused: restore that first."""
    scope = _scope(user)
    if not scope.can("records.restore"):
        raise Refused("只有市级管理员可以恢复已删除的记录")
    if not obj.is_deleted:
        raise Invalid(f"“{obj}”未被删除")
    _owner_check(obj, "恢复")
    taken = record_cascade(obj, deleted_at=obj.deleted_at)
    obj.is_deleted = False
    obj.deleted_at = None
    obj.version += 1
    _save(obj, user, reason="恢复")
    _soft_mark(taken, user=user, deleted_at=None, reason=f"随{obj._meta.verbose_name}恢复")
    return obj
