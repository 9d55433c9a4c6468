"""Who sees what, and who may change what: one place that turns a user into the records it may see
and the writes it may make.

Every selector, service, page, API operation, export, import and the admin filter through here, so
an area operator of 南湖 never sees a record of 海宁, and an enterprise user only its own.

- ``scope_for(user)`` → ``Scope`` (role + the one area, unit or credit code the user is bound to);
- ``Scope.filter_by_area`` / ``filter_by_enterprise`` / ``filter_records``: narrow a queryset;
- ``Scope.can_see(obj)`` / ``can_change(obj)``: the same decision for one record;
- ``Scope.can(permission)``: role-level rights (approve or confirm a month, restore, export the audit log …).

Records against figures: the viewer (领导/观察员) reads the city's aggregated figures (cockpit,
indicators, ranking, bulletins, public catalogues) and never a record: ``sees_records`` is false for
it, so every queryset filter here answers nothing and every one-record check answers no. Pages, the
API and exports refuse a role that does not see records with ``records_refusal`` (403, in Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model, QuerySet

from .models import Profile, Role

# The city's breadth: figures of every area (the viewer's figures too, not its records).
CITY_ROLES = {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.VIEWER}
# Roles that read records (row by row): lists, details, exports, history, imports, drill-downs.
# The viewer reads aggregated figures only; a unit reporter reads its unit's task reports only.
RECORD_ROLES = {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.AREA_OPERATOR, Role.ENTERPRISE}
# Roles that may create and edit registry records (within their area / enterprise).
WRITER_ROLES = {Role.CITY_ADMIN, Role.AREA_OPERATOR, Role.ENTERPRISE}

# Enterprise users declare and report their projects; their enterprise's own data is kept by the
# area operator.
ENTERPRISE_WRITES = {"registry.project", "registry.monthlyprogress"}

# Where each scoped model keeps its area code and its enterprise credit code (a lookup path, or
# None when the record has none: such records are seen by the city only). Each app registers its
# models from its ``AppConfig.ready()`` with ``register`` (the sheet kinds from their declaration,
# exchange/kinds/); accounts knows no other app's models.
SCOPED_MODELS: dict[str, dict] = {}

# Roles that read the city's aggregated figures and internal reports (cockpit, area matrix, target
# pages, ranking, monthly bulletin). Closed by default: an enterprise user sees its own records, the
# calculator and the public catalogues, not other areas' figures; a user without a role nothing.
FIGURE_ROLES = {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.VIEWER, Role.AREA_OPERATOR, Role.UNIT_REPORTER}

# Role-level rights that do not depend on a record. Pages declare theirs with ``pages.requires``;
# the header, tabs and buttons ask the page's own gate (``pages.can_open``), never this table again.
PERMISSIONS: dict[str, set[str]] = {
    # cockpit, area matrix, target pages, the cockpit's export, /api/v1/indicators
    "figures.cockpit": FIGURE_ROLES,
    "assessment.ranking": FIGURE_ROLES,  # the ranking page, its export, /api/v1/assessment
    "reports.bulletins": FIGURE_ROLES,  # the internal monthly bulletin: list and files
    "reports.bulletin_request": {Role.CITY_ADMIN, Role.CITY_REVIEWER},
    "plans.draft": {Role.CITY_ADMIN},  # draft a plan from a document and load it
    "records.write": WRITER_ROLES,
    "records.delete": {Role.CITY_ADMIN, Role.AREA_OPERATOR},
    "records.restore": {Role.CITY_ADMIN},
    # the approval ladder of an area's month (reporting/approval.py): the area approves its month
    # (and undoes that), the city confirms or returns it, only a city administrator undoes a
    # confirmation or corrects a confirmed month (with a reason)
    "months.approve": {Role.CITY_ADMIN, Role.AREA_OPERATOR},
    "months.confirm": {Role.CITY_ADMIN, Role.CITY_REVIEWER},
    "months.unconfirm": {Role.CITY_ADMIN},
    "months.correct": {Role.CITY_ADMIN},  # change a confirmed month, with a reason
    # the approval page: the area's month for its operator, every area for the city
    "months.view": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.AREA_OPERATOR},
    "tasks.accept": {Role.CITY_ADMIN, Role.CITY_REVIEWER},  # accept or return a unit's task report
    # the 督办 list names the projects that did not report: records, so not the viewer's
    "reports.overdue": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.AREA_OPERATOR},
    # completeness and timeliness per area and month (issue 17): counts and rates, figures only
    "reports.completeness": FIGURE_ROLES,
    "tasks.report": {Role.UNIT_REPORTER, Role.CITY_ADMIN},
    "tasks.matrix": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.VIEWER, Role.UNIT_REPORTER},
    "audit.history": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.AREA_OPERATOR, Role.ENTERPRISE},
    "audit.export": {Role.CITY_ADMIN},
    "settlement.view": {Role.CITY_ADMIN, Role.CITY_REVIEWER},  # runs and decision records
    "settlement.run": {Role.CITY_ADMIN},
    # finance (P12, issue 15): the funnel is the city's; a batch is compiled and pushed by the city
    # administrator after a city review; a bank user works through its own bank's page and records
    "finance.funnel": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.VIEWER},
    "finance.batch_compile": {Role.CITY_ADMIN},
    "finance.batch_review": {Role.CITY_ADMIN, Role.CITY_REVIEWER},
    "finance.batch_push": {Role.CITY_ADMIN},
    "finance.bank": {Role.BANK},
    "finance.loans_write": {Role.CITY_ADMIN, Role.BANK},
    # 亩均 evaluation (P14, issue 16): the area runs, publishes and answers objections; the city
    # confirms; an enterprise reads its own score card and objects; the viewer reads the figures
    "mujun.view": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.AREA_OPERATOR, Role.ENTERPRISE},
    "mujun.figures": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.VIEWER, Role.AREA_OPERATOR},
    "mujun.run": {Role.CITY_ADMIN, Role.AREA_OPERATOR},
    "mujun.confirm": {Role.CITY_ADMIN, Role.CITY_REVIEWER},
    "mujun.object": {Role.ENTERPRISE},
    # parks (T7, T8, issue 16): the city's roles and the area operators; the viewer reads the
    # figures of /parks/ only (its park pages and drill-downs also ask for records)
    "parks.view": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.VIEWER, Role.AREA_OPERATOR},
    # 数据核查 (issue 17): flagged progress values are records; the area and the city review them,
    # an enterprise reads and comments on its own
    "quality.flags": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.AREA_OPERATOR, Role.ENTERPRISE},
    "quality.review": {Role.CITY_ADMIN, Role.CITY_REVIEWER, Role.AREA_OPERATOR},
}

# Rights a deployment may open to everyone, anonymous visitors included, with a setting: aggregate
# pages published on purpose (off by default; README, "Configuration").
PUBLIC_WHEN: dict[str, str] = {"figures.cockpit": "RENEWAL_PUBLIC_COCKPIT"}

# Why a role without the right is refused (403); ``{who}`` is the role, or that the user has none.
REFUSALS: dict[str, str] = {
    "figures.cockpit": "{who}不查看驾驶舱和各区域的汇总指标",
    "assessment.ranking": "{who}不查看考核排名",
    "reports.bulletins": "{who}不查看内部月度通报",
    "reports.bulletin_request": "只有市级用户可以生成月度通报",
    "quality.flags": "{who}不查看数据核查标记",
    "quality.review": "只有区县操作员或市级用户可以核实数据核查标记",
    "plans.draft": "方案起草与载入仅限市级管理员",
    "reports.overdue": "{who}不查看督办清单",
    "months.approve": "只有区域操作员和市级管理员可以审核本区域的月度进度",
    "months.confirm": "只有市级审核员和市级管理员可以确认或退回区县已审核的月份",
    "months.unconfirm": "只有市级管理员可以撤销已确认的月份",
    "months.view": "{who}不查看月度审核确认",
    "tasks.accept": "只有市级审核员和市级管理员可以确认或退回任务报送",
    "reports.completeness": "{who}不查看报送及时率",
    "tasks.matrix": "{who}不查看任务报送",
    "settlement.view": "仅市级管理员或审核员可使用此功能",
    "settlement.run": "仅市级管理员可使用此功能",
    "finance.funnel": "{who}不查看融资对接汇总",
    "finance.batch_compile": "只有市级管理员可以编制推送批次",
    "finance.batch_review": "只有市级用户可以审核推送批次",
    "finance.batch_push": "只有市级管理员可以推送批次",
    "finance.bank": "仅银行用户可使用此功能",
    "finance.loans_write": "只有银行用户和市级管理员可以填报贷款、放款和还款",
    "mujun.view": "{who}不查看亩均评价明细",
    "mujun.figures": "{who}不查看亩均评价汇总",
    "mujun.run": "只有区域操作员和市级管理员可以运行、发布亩均评价和答复异议",
    "mujun.confirm": "只有市级用户可以确认亩均评价结果",
    "mujun.object": "只有企业用户可以对本企业的评价结果提出异议",
    "parks.view": "{who}不查看园区页面（仅市级用户和区域操作员）",
}


def register(model_label: str, *, area: str | None, uscc: str | None, bank: str | None = None) -> None:
    """Declare where a model of another app keeps its area code and credit code (and, for the
    finance records a bank user reads, its bank code)."""
    SCOPED_MODELS[model_label.lower()] = {"area": area, "uscc": uscc, "bank": bank}


def _label(model) -> str:
    return model._meta.label_lower


def _value(obj, path: str):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


@dataclass(frozen=True)
class Scope:
    role: str | None
    area: str | None = None  # area code, for area operators
    unit: str | None = None  # responsible unit id, for unit reporters
    uscc: str | None = None  # credit code, for enterprise users
    bank: str | None = None  # bank code, for bank users (P12)

    @property
    def is_city(self) -> bool:
        """The whole city's breadth (city administrator, reviewer, viewer): figures of every area.
        Records of every area only together with ``sees_records`` (``sees_all_records``)."""
        return self.role in CITY_ROLES

    @property
    def sees_all_records(self) -> bool:
        """Every record of every area (city administrator, reviewer)."""
        return self.sees_records and self.is_city

    @property
    def is_city_admin(self) -> bool:
        return self.role == Role.CITY_ADMIN

    @property
    def sees_records(self) -> bool:
        """Reads records row by row (within its scope); false for the viewer, a unit reporter and a
        user without a role."""
        return self.role in RECORD_ROLES

    def records_refusal(self, noun: str = "记录") -> str | None:
        """The Chinese reason a page, API operation or export of records refuses this caller (403),
        or None when the role reads records (its scope still narrows which)."""
        if self.sees_records:
            return None
        if self.role == Role.VIEWER:
            return (
                f"您的角色（{self.role_label}）只查看汇总数据（驾驶舱、指标、排名、通报），不查看{noun}明细"
            )
        return f"您的角色（{self.role_label}）不查看{noun}明细"

    def require_records(self, noun: str = "记录") -> Scope:
        """This scope, or ``Refused`` (403 with the Chinese reason) for a role without records."""
        reason = self.records_refusal(noun)
        if reason:
            from renewal.lib.errors import Refused

            raise Refused(reason)
        return self

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "无角色"

    def can(self, permission: str) -> bool:
        if self.role in PERMISSIONS[permission]:
            return True
        setting = PUBLIC_WHEN.get(permission)
        return bool(setting and getattr(settings, setting, False))

    def refusal(self, permission: str) -> str | None:
        """The Chinese reason this caller may not use ``permission`` (403), or None when it may."""
        if self.can(permission):
            return None
        who = f"您的角色（{self.role_label}）" if self.role else "当前用户没有角色，"
        return REFUSALS.get(permission, "{who}无权进行此操作").format(who=who)

    def require(self, permission: str) -> Scope:
        """This scope, or ``Refused`` (403 with the Chinese reason) without the right (API)."""
        reason = self.refusal(permission)
        if reason:
            from renewal.lib.errors import Refused

            raise Refused(reason)
        return self

    # -- querysets -------------------------------------------------------------------------
    def filter_by_area(self, qs: QuerySet, field: str = "area_id") -> QuerySet:
        """Records of the caller's area (``field``: the lookup of the area code)."""
        if self.sees_all_records:
            return qs
        if self.role == Role.AREA_OPERATOR and self.area:
            return qs.filter(**{field: self.area})
        return qs.none()

    def filter_by_enterprise(self, qs: QuerySet, uscc_field: str, area_field: str) -> QuerySet:
        """Records of the caller's enterprise, or of its area, or all for the city."""
        if self.role == Role.ENTERPRISE:
            return qs.filter(**{uscc_field: self.uscc}) if self.uscc else qs.none()
        return self.filter_by_area(qs, area_field)

    def filter_records(self, qs: QuerySet) -> QuerySet:
        """Any scoped model's queryset narrowed to what the caller may see (SCOPED_MODELS)."""
        fields = SCOPED_MODELS.get(_label(qs.model))
        if self.sees_all_records:
            return qs
        if fields is None:
            return qs.none()
        if self.role == Role.ENTERPRISE:
            return qs.filter(**{fields["uscc"]: self.uscc}) if fields["uscc"] and self.uscc else qs.none()
        if self.role == Role.AREA_OPERATOR and fields["area"] and self.area:
            return qs.filter(**{fields["area"]: self.area})
        if self.role == Role.BANK and fields.get("bank") and self.bank:
            return qs.filter(**{fields["bank"]: self.bank})
        return qs.none()

    # -- one record ------------------------------------------------------------------------
    def covers(self, *, area: str | None, uscc: str | None = None) -> bool:
        """Whether a record of this area / enterprise is within the caller's scope."""
        if self.sees_all_records:
            return True
        if self.role == Role.ENTERPRISE:
            return bool(self.uscc) and uscc == self.uscc
        if self.role == Role.AREA_OPERATOR:
            return bool(self.area) and area == self.area
        return False

    def can_see(self, obj: Model) -> bool:
        fields = SCOPED_MODELS.get(_label(obj))
        if fields is None:
            return self.sees_all_records
        area = _value(obj, fields["area"]) if fields["area"] else None
        uscc = _value(obj, fields["uscc"]) if fields["uscc"] else None
        if self.role == Role.ENTERPRISE and fields["uscc"] is None:
            return False
        if self.role == Role.AREA_OPERATOR and fields["area"] is None:
            return False
        if self.role == Role.BANK:
            return bool(self.bank and fields.get("bank")) and _value(obj, fields["bank"]) == self.bank
        return self.covers(area=area, uscc=uscc)

    def can_write_model(self, model) -> bool:
        """May create/edit records of this kind at all (before looking at the record's scope)."""
        if not self.can("records.write"):
            return False
        return self.role != Role.ENTERPRISE or _label(model) in ENTERPRISE_WRITES

    def can_change(self, obj: Model) -> bool:
        """May edit this record: a writer role for this kind of record and the record in its
        scope. Reviewers and viewers never edit records (reviewers act through the workflow)."""
        return self.can_write_model(obj) and self.can_see(obj)

    def can_delete(self, obj: Model) -> bool:
        return self.can("records.delete") and self.can_see(obj)

    def covers_unit(self, unit_id: str) -> bool:
        if self.role == Role.UNIT_REPORTER:
            return bool(self.unit) and unit_id == self.unit
        return self.role == Role.CITY_ADMIN


NOBODY = Scope(role=None)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated:
        return NOBODY
    if user.is_superuser:
        return Scope(role=Role.CITY_ADMIN)
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return NOBODY
    return Scope(
        role=profile.role,
        area=profile.area_id,
        unit=profile.unit_id,
        uscc=profile.enterprise_uscc or None,
        bank=profile.bank or None,
    )
