"""月度进度: a project's monthly progress (完成投资, 设备投资, 机器人和数控机床到位), keyed by project + month.

The same rule as the progress form (reporting/rules.py): a settled or withdrawn project reports no
more, a month its area approved (区县已审核) is locked until the approval is undone, and a month the
city confirmed (市级已确认) is changed only by a city administrator who gave a reason.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from renewal.quality import rules as quality_rules
from renewal.quality import selectors as quality
from renewal.quality import services as quality_services
from renewal.registry import models as R
from renewal.registry import rules
from renewal.registry import selectors as registry
from renewal.reporting import approval as ladder
from renewal.reporting.rules import progress_refusal
from renewal.reporting.selectors import approval_states

from ..spec import AMOUNT_LIMIT, CODE, INT, MONTH, WAN, Column, RowError, Sheet
from ._common import DELETED

ZERO = Decimal(0)
REASON_HINT = "（请在上传页填写“更正理由”，或 renewal import --reason）"


def check(imp, spec: Sheet, v: dict) -> None:
    for field_name, message in rules.progress_problems(v).items():
        raise RowError(spec.column(field_name), message)
    area = imp.file_projects.get(v["code"])
    if area is None and v["code"] in imp.deleted_projects:
        raise RowError(spec.column("code"), DELETED.format(what=f"项目 {v['code']}"))
    if area is None and v["code"] in imp.file_project_rows:
        raise RowError(spec.column("code"), f"项目 {v['code']} 在本文件“项目”表中的行有错误，请先更正")
    v["area"] = area  # None: looked up in the database with the batch


def _refusal(imp, v: dict, known, states: dict) -> tuple[str, str] | None:
    """(field, message) of a row the importer may not write, or None."""
    area = v["area"] or (known[1] if known else None)
    if area is None:
        return "code", imp.refusal(f"项目 {v['code']}", "项目")
    if not imp.in_scope(area):
        return "code", imp.refusal(f"项目 {v['code']}", "项目")
    if known and known[1] != area and not imp.in_scope(known[1]):
        return "code", imp.refusal(f"项目 {v['code']}", "项目")
    status = known[2] if known else imp.file_project_status.get(v["code"], "草稿")
    # a project the file moves to another area stays locked by its current area's approval too
    held = {states.get((a, v["month"]), ladder.OPEN) for a in {area, known[1] if known else area}}
    state = max(held, key=ladder.STATES.index)
    refusal = progress_refusal(
        imp.scope, code=v["code"], status=status, month=v["month"], approval=state, reason=imp.correction
    )
    if refusal is None:
        return None
    if refusal.field == "reason":
        return "month", refusal.message.removeprefix("更正理由：") + REASON_HINT
    return ("month" if ladder.is_locked(state) else "code"), refusal.message


def write(imp, data, rows, sheet_report, positions) -> None:
    spec = data.spec
    projects = {
        code: (pk, area, status)
        for code, pk, area, status in R.Project.objects.filter(
            code__in={v["code"] for _, v in rows}
        ).values_list("code", "id", "area_id", "status")
    }
    # the ladder's state of each (area, month) of the batch, read at once
    areas = {v["area"] for _, v in rows if v["area"]} | {p[1] for p in projects.values()}
    states = approval_states(areas=areas, months={v["month"] for _, v in rows})
    kept = []
    for number, v in rows:
        known = projects.get(v["code"])
        refusal = _refusal(imp, v, known, states)
        if refusal is not None:
            imp.row_error(data, number, spec.column(refusal[0]), positions, refusal[1])
            continue
        v["project_id"] = known[0] if known else None
        kept.append((number, v))
    kept, checked = _checked(imp, data, kept, positions)
    ids = [v["project_id"] for _, v in kept if v["project_id"]]
    imp.upsert(
        R.MonthlyProgress,
        kept,
        R.MonthlyProgress.objects.filter(project_id__in=ids),
        lambda v: {
            "project_id": v["project_id"] or _project_id(imp, v["code"]),
            "month": v["month"],
            "investment": v.get("investment") or ZERO,
            "equipment_investment": v.get("equipment_investment") or ZERO,
            "robots": v.get("robots") or 0,
            "cnc": v.get("cnc") or 0,
        },
        sheet_report,
        ("project_id", "month"),
    )
    if checked is not None and imp.writing:
        _flag(imp, checked)


def _values(v: dict) -> dict:
    """A row's figures as the table will hold them (a missing column writes 0, see ``write``)."""
    return {f: Decimal(v.get(f) or 0) for f in quality.FIELDS}


def _checked(imp, data, kept: list, positions: dict):
    """The data checks of the plan file (issue 17) on the rows about to be written, at preview as at
    commit: a row an error check refuses is a row error naming its column (and is not written); a
    warning is told on the row and, once written, flagged (``_flag``). The series is the database's
    with this file's accepted rows (earlier batches too); a project's rows are checked in month
    order, each up to the next month the file writes for it."""
    rules = quality.check_rules()
    if not rules:
        return kept, None
    spec = data.spec
    codes = {v["code"] for _, v in kept}
    state = imp.file_records.setdefault("progress_checks", {"series": {}, "before": {}, "figures": {}})
    fresh = codes - set(state["figures"])
    if fresh:
        found = quality.figures_of(R.Project.objects.filter(code__in=fresh))
        db = quality.series_of(list(found))
        file_figures = imp.file_records.get("project_figures", {})
        for pid, (project, figures) in found.items():
            state["before"][project.code] = db.get(pid, {})
            state["series"][project.code] = dict(db.get(pid, {}))
            state["figures"][project.code] = figures
        for code in fresh:
            total, robots = file_figures.get(code, (None, None))
            figures = state["figures"].get(code) or quality_rules.Figures(code)
            if total is not None:
                figures = replace(figures, total_investment=total, new_robots=robots)
            state["figures"][code] = figures
            state["before"].setdefault(code, {})
            state["series"].setdefault(code, {})
    out = []
    ordered = sorted(kept, key=lambda item: (item[1]["code"], item[1]["month"]))
    for i, (number, v) in enumerate(ordered):
        code, month = v["code"], v["month"]
        series = state["series"][code]
        nxt = ordered[i + 1][1] if i + 1 < len(ordered) else None
        until = nxt["month"] if nxt is not None and nxt["code"] == code else None
        old = series.get(month)
        series[month] = _values(v)
        finding = quality_services.save_refusal(rules, state["figures"][code], series, month, until=until)
        if finding is not None:
            if old is None:
                del series[month]
            else:
                series[month] = old
            imp.row_error(data, number, spec.column(finding.field), positions, finding.message)
            continue
        out.append((number, v))
    warned: dict[str, list] = {}
    for number, v in out:
        code = v["code"]
        if code not in warned:
            warned[code] = quality_services.findings(
                rules, state["figures"][code], state["series"][code], state["before"][code]
            )
        for f in warned[code]:
            if f.month == v["month"]:
                imp.row_warning(
                    data, number, spec.column(f.field), positions, f"{f.message}（保存后标记为待核实）"
                )
    state["batch"] = {v["code"] for _, v in out}
    accepted = {number for number, _ in out}
    return [(n, v) for n, v in kept if n in accepted], state


def _flag(imp, state) -> None:
    """Raise or close the flags of the projects this batch wrote (``quality.services``)."""
    for project in R.Project.objects.filter(code__in=state["batch"]):
        quality_services.flags_refresh(
            user=imp.user,
            project=project,
            figures=state["figures"][project.code],
            series=state["series"][project.code],
            before=state["before"][project.code],
        )


def _project_id(imp, code: str) -> int | None:
    """A project of this file, written by its sheet before this one (None in a dry run)."""
    if not imp.writing:
        return None
    return R.Project.objects.filter(code=code).values_list("id", flat=True).first()


def rows(*, scope, **filters):
    """The monthly progress of the projects the project list shows (same filters)."""
    projects = registry.project_list(scope=scope, **filters)
    return (
        R.MonthlyProgress.objects.filter(project__in=projects.values("id"))
        .select_related("project")
        .order_by("project__code", "month")
    )


SPEC = Sheet(
    kind="progress",
    name="月度进度",
    label="月度进度",
    key=("code", "month"),
    order=25,
    model=R.MonthlyProgress,
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
        Column(
            "月份(YYYY-MM)", "month", MONTH, True, comment="当月，如 2024-03", example="2024-02", width=14
        ),
        Column(
            "完成投资(万元)",
            "investment",
            WAN,
            comment="单位：万元；当月完成",
            example=30000,
            warn_above=AMOUNT_LIMIT,
        ),
        Column(
            "完成设备投资(万元)",
            "equipment_investment",
            WAN,
            comment="单位：万元；不大于完成投资",
            example=18000,
            warn_above=AMOUNT_LIMIT,
            width=16,
        ),
        Column("机器人到位(台)", "robots", INT, comment="单位：台", example=6, warn_above=Decimal(10_000)),
        Column(
            "数控机床到位(台)",
            "cnc",
            INT,
            comment="单位：台",
            example=2,
            warn_above=Decimal(10_000),
            width=16,
        ),
    ),
    check=check,
    write=write,
    getters={"code": lambda m: m.project.code},
    rows=rows,
    list_params={"area": "area", "year": "year", "status": "status", "q": "q"},
    scope={"area": "project__area_id", "uscc": "project__enterprise__uscc"},
)
