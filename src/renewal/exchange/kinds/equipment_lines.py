"""设备清单: the machines a project buys or leases (issue 14), keyed by 项目编号 + 序号.

A line is the unit of settlement (P11's eligible investment and first-set bonus, P13's expensing
per unit and special-equipment credit: ``equipment.policy.line_item``) and of the domestic
equipment figures (T3, T6). Its rules are ``equipment.rules``; who may write a project's lines is
who may edit the project (``registry.services.project_may_edit``). After the sheet, each project's
lines are compared with its registered 设备投资 and its reported robots (warnings).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum

from renewal.equipment import rules
from renewal.equipment.models import EquipmentLine
from renewal.equipment.services import LINE_FIELDS as FIELDS
from renewal.planning import selectors as plans
from renewal.registry import models as R
from renewal.registry import selectors as registry
from renewal.registry.services import project_may_edit

from ..bulk import rows_by
from ..spec import AMOUNT_LIMIT, CODE, DATE, ENUM, INT, TEXT, WAN, Column, ListPage, RowError, Sheet
from ._common import DELETED, unknown_key

ZERO = Decimal(0)
NATURAL = ("project_id", "number")
DEFAULTS = {"first_set_level": "无", "depreciation_class": "机器设备"}
ROBOT = "工业机器人"
CHUNK = 500  # ids per IN list


def unknown(code: str) -> str:
    return unknown_key(f"项目 {code}", "项目")


def check(imp, spec: Sheet, v: dict) -> None:
    for name, value in DEFAULTS.items():
        if not v.get(name):
            v[name] = value
    if v["number"] < 1:
        raise RowError(spec.column("number"), "序号应为不小于 1 的整数")
    for field_name, message in rules.line_problems(v).items():
        raise RowError(spec.column(field_name), message)
    if v.get("acquired_on") and v["acquired_on"] > imp.today:
        raise RowError(spec.column("acquired_on"), "购置日期不能晚于今天")
    area = imp.file_projects.get(v["code"])
    if area is None and v["code"] in imp.file_project_rows:
        raise RowError(spec.column("code"), f"项目 {v['code']} 在本文件“项目”表中的行有错误，请先更正")
    v["area"] = area  # None: looked up in the database with the batch


def _refusal(imp, v: dict, project, deleted: bool, cache: dict) -> str | None:
    """Why the row may not write its project's line (unknown, out of scope, not editable), or None;
    ``project``: (id, area, status) or None. A project of another area reads as unknown: the import
    tells nobody which codes exist elsewhere."""
    if project is None:
        if deleted and v["area"] is None:
            return DELETED.format(what=f"项目 {v['code']}")
        if v["area"] is not None and imp.in_scope(v["area"]):
            return None  # a new project of this file (not yet written in a dry run)
        return unknown(v["code"])
    _, area, status = project
    if not imp.in_scope(area):
        return unknown(v["code"])
    if not _may_edit(imp, area, status, cache):
        return f"项目 {v['code']} 当前状态为“{status}”，您（{imp.scope.role_label}）无权修改其设备清单"
    return None


def _state(imp) -> dict:
    state = imp.sheet_state
    if "projects" not in state:
        state["projects"] = {}  # project id or code → [last row, {number: (amount, robots)}]
        state["products"] = set(
            R.FirstSetProduct.objects.filter(level__in=rules.REGISTERED_LEVELS).values_list(
                "product_name", flat=True
            )
        )
    return state


def write(imp, data, rows, sheet_report, positions) -> None:
    spec = data.spec
    state = _state(imp)
    codes = list({v["code"] for _, v in rows})
    projects = _projects(codes)
    deleted = set(imp.deleted_projects) & set(codes)
    refusals: dict[str, str | None] = {}  # one decision per project of the batch
    edits = imp.sheet_state.setdefault("edits", {})
    kept = []
    for number, v in rows:
        project = projects.get(v["code"])
        if v["code"] not in refusals:
            refusals[v["code"]] = _refusal(imp, v, project, v["code"] in deleted, edits)
        refusal = refusals[v["code"]]
        if refusal is not None:
            imp.row_error(data, number, spec.column("code"), positions, refusal)
            continue
        v["project_id"] = project[0] if project else None
        kept.append((number, v))
    ids = {v["project_id"] for _, v in kept} - {None}
    existing, gone = [], set()  # the batch's keys only (a project's other lines stay unread)
    keys = {(v["project_id"], v["number"]) for _, v in kept}
    numbers = sorted({n for _, n in keys})
    found = rows_by(
        EquipmentLine,
        "project",
        sorted(ids),
        ("id", "project", "number", "is_deleted"),
        also=("number", numbers),
    )
    gone = {(p, n) for _, p, n, deleted in found if deleted and (p, n) in keys}
    live = [pk for pk, p, n, deleted in found if not deleted and (p, n) in keys]
    for start in range(0, len(live), CHUNK):  # the lines a row may change, as records
        existing += EquipmentLine.objects.filter(pk__in=live[start : start + CHUNK])
    rows = []
    for number, v in kept:
        if (v["project_id"], v["number"]) in gone:
            what = f"项目 {v['code']} 的设备清单第 {v['number']} 项"
            imp.row_error(data, number, spec.column("number"), positions, DELETED.format(what=what))
            continue
        warning = rules.first_set_warning(v, state["products"])
        if warning:
            imp.row_warning(data, number, spec.column("first_set_product"), positions, warning)
        seen = state["projects"].setdefault(v["project_id"] or v["code"], [number, {}])
        seen[0] = number
        seen[1][v["number"]] = (
            rules.line_amount(v),
            (v.get("quantity") or 0) if v["category"] == ROBOT else 0,
        )
        rows.append((number, v))
    imp.upsert(
        EquipmentLine,
        rows,
        existing,
        lambda v: {
            "project_id": v["project_id"] or _project_id(imp, v["code"]),
            "number": v["number"],
            **{f: v.get(f) if v.get(f) is not None else _blank(f) for f in FIELDS},
        },
        sheet_report,
        NATURAL,
    )


def _projects(codes: list[str]) -> dict[str, tuple]:
    """code → (id, area, status) of the live projects of these codes."""
    rows = rows_by(R.Project, "code", codes, ("code", "id", "area", "status", "is_deleted"))
    return {code: (pk, area, status) for code, pk, area, status, deleted in rows if not deleted}


def _may_edit(imp, area: str, status: str, cache: dict) -> bool:
    """``project_may_edit`` for the importer: the roles that import (city, area operator) are
    decided by the project's area and status alone, so once per (area, status)."""
    key = (area, status)
    if key not in cache:
        cache[key] = project_may_edit(imp.scope, R.Project(area_id=area, status=status))
    return cache[key]


def _blank(field_name: str):
    """What an empty cell stores: nothing for amounts, quantities and dates, '' for text."""
    return None if field_name in ("unit_price", "quantity", "lease_fee", "acquired_on") else ""


def _project_id(imp, code: str) -> int | None:
    """A project of this file, written by its sheet before this one (None in a dry run)."""
    if not imp.writing:
        return None
    return R.Project.objects.filter(code=code).values_list("id", flat=True).first()


def finish(imp, data, positions) -> None:
    """Each project's lines (those of the file and those it already had) against its registered
    设备投资 (the plan file's tolerance) and the robots its monthly progress reported."""
    seen = imp.sheet_state.get("projects") or {}
    ids = [k for k in seen if isinstance(k, int)]
    if not ids:
        return
    plan = plans.active_plan_document()
    tolerance = plan.equipment.lines_tolerance if plan else Decimal("0.05")
    spec = data.spec
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        invested = dict(R.Project.objects.filter(pk__in=chunk).values_list("id", "equipment_investment"))
        reported = dict(
            R.MonthlyProgress.objects.filter(project_id__in=chunk)
            .values_list("project_id")
            .annotate(s=Sum("robots"))
            .values_list("project_id", "s")
        )
        # a project may have lines the file does not name only when it holds more than the file
        # wrote (committing) or any at all (a dry run writes none): only those are read
        held = dict(
            EquipmentLine.objects.filter(project_id__in=chunk)
            .values_list("project_id")
            .annotate(n=Count("id"))
            .values_list("project_id", "n")
        )
        more = [pid for pid in chunk if held.get(pid, 0) > (len(seen[pid][1]) if imp.writing else 0)]
        others: dict[int, list] = {}
        for pid, number, *values in EquipmentLine.objects.filter(project_id__in=more).values_list(
            "project_id", "number", "acquisition", "unit_price", "quantity", "lease_fee", "category"
        ):
            if number not in seen[pid][1]:
                others.setdefault(pid, []).append(values)
        for pid in chunk:
            row, lines = seen[pid]
            total = sum((a for a, _ in lines.values()), ZERO)
            robots = sum(r for _, r in lines.values())
            for acquisition, unit_price, quantity, lease_fee, category in others.get(pid, []):
                v = {
                    "acquisition": acquisition,
                    "unit_price": unit_price,
                    "quantity": quantity,
                    "lease_fee": lease_fee,
                }
                total += rules.line_amount(v)
                robots += (quantity or 0) if category == ROBOT else 0
            warning = rules.lines_total_warning(total, invested.get(pid) or ZERO, tolerance)
            if warning:
                imp.row_warning(data, row, spec.column("code"), positions, warning)
            warning = rules.robots_warning(reported.get(pid) or 0, robots)
            if warning:
                imp.row_warning(data, row, spec.column("code"), positions, warning)


def rows(*, scope, origin: str = "", first_set: str = "", category: str = "", **filters):
    """The lines of the projects the project list shows (same filters), and by origin, first-set
    level (``higher``: 省级 and above) and category."""
    projects = registry.project_list(scope=scope, **filters)
    qs = EquipmentLine.objects.filter(project__in=projects.values("id"))
    if origin:
        qs = qs.filter(origin=origin)
    if first_set == "higher":
        qs = qs.filter(first_set_level__in=rules.REGISTERED_LEVELS)
    elif first_set:
        qs = qs.filter(first_set_level=first_set)
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("project", "project__area", "project__enterprise").order_by(
        "project__code", "number"
    )


def list_context(scope, query) -> dict:
    from renewal.registry import reference  # noqa: PLC0415

    return {
        "categories": reference.values("equipment_categories"),
        "origins": reference.values("equipment_origins"),
        "levels": reference.values("first_set_levels"),
    }


SPEC = Sheet(
    kind="equipment-lines",
    name="设备清单",
    label="设备清单",
    key=("code", "number"),
    order=45,  # after 首台套 (the first-set warning) and 月度进度 (the robots warning)
    model=EquipmentLine,
    columns=(
        Column(
            "项目编号",
            "code",
            CODE,
            True,
            comment="项目须已登记或在本文件“项目”表中",
            example="示例-2024-001",
            width=16,
        ),
        Column("序号", "number", INT, True, comment="项目内设备的序号：1, 2, 3 …", example=1, width=6),
        Column("设备名称", "name", TEXT, True, example="示例数控车床（示例行）", width=22),
        Column("规格型号", "spec", TEXT, comment="可空", example="CK6150", width=14),
        Column("设备类别", "category", ENUM, True, enum="equipment_categories", example="数控机床", width=16),
        Column("购置方式", "acquisition", ENUM, True, enum="acquisition_modes", example="购置", width=10),
        Column(
            "单价(万元)",
            "unit_price",
            WAN,
            comment="单位：万元；购置必填（一次性税前扣除按单位价值判断）",
            example=80,
            warn_above=AMOUNT_LIMIT,
        ),
        Column("数量", "quantity", INT, comment="台/套；购置必填，不小于 1", example=5, width=8),
        Column(
            "租赁费(万元)",
            "lease_fee",
            WAN,
            comment="单位：万元；租赁必填",
            example=None,
            warn_above=AMOUNT_LIMIT,
        ),
        Column("国产/进口", "origin", ENUM, enum="equipment_origins", example="国产", width=10),
        Column(
            "首台套级别",
            "first_set_level",
            ENUM,
            enum="first_set_levels",
            comment="可空（= 无）；省级及以上按 150% 计入设备投资（P11）",
            example="无",
            width=10,
        ),
        Column(
            "首台套产品",
            "first_set_product",
            TEXT,
            comment="省级/国家级首台套须填写首台套登记库中的产品名称",
            width=20,
        ),
        Column("供应商", "supplier", TEXT, example="示例机床有限公司", width=20),
        Column("发票号", "invoice_no", TEXT, width=14),
        Column(
            "购置日期",
            "acquired_on",
            DATE,
            comment="如 2024-06-30；购置必填，不晚于今天",
            example="2024-06-30",
            width=12,
        ),
        Column(
            "折旧类别",
            "depreciation_class",
            ENUM,
            enum="depreciation_classes",
            comment="可空（= 机器设备）；决定最低折旧年限",
            example="机器设备",
            width=12,
        ),
    ),
    check=check,
    write=write,
    finish=finish,
    getters={"code": lambda line: line.project.code},
    rows=rows,
    list_params={
        "area": "area",
        "year": "year",
        "status": "status",
        "q": "q",
        "origin": "origin",
        "first_set": "first_set",
        "category": "category",
    },
    list_page=ListPage("equipment-lines/", "equipment_line_list", "equipment/line_list.html", list_context),
    scope={"area": "project__area_id", "uscc": "project__enterprise__uscc"},
)
