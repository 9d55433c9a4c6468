"""企业: the enterprises of the registry, keyed by 统一社会信用代码 (GB 32100-2015)."""

from __future__ import annotations

from decimal import Decimal

from renewal.registry import models as R
from renewal.registry import reference
from renewal.registry import selectors as registry
from renewal.registry.uscc import check as uscc_check

from ..bulk import live_rows
from ..spec import (
    AREA,
    BOOL,
    DECIMAL,
    EXAMPLE_USCC,
    INDUSTRY,
    INT,
    TEXT,
    USCC,
    YES_NO,
    Column,
    ListPage,
    RowError,
    Sheet,
)
from ._common import DELETED

CONTACT_LIMITS = {"contact_person": 50, "contact_phone": 30}  # the model's max_length
FLAGS = ("above_scale", "high_tech", "ic_enterprise", "machine_tool_enterprise")


def check(imp, spec: Sheet, v: dict) -> None:
    result = uscc_check(v["uscc"])
    v["uscc"] = result.code
    if result.error:
        raise RowError(spec.column("uscc"), result.error)
    existing = imp.enterprises.get(result.code)
    if result.warning and not (existing and existing[2]):
        raise RowError(spec.column("uscc"), result.warning)
    if v["uscc"] in imp.deleted_enterprises:
        raise RowError(spec.column("uscc"), DELETED.format(what=f"企业 {v['uscc']}"))
    if not imp.in_scope(v["area"]):
        imp.refuse(spec, "area", v["area"])
    if existing and not imp.in_scope(existing[1]):  # the code is taken; its area is not told
        raise RowError(
            spec.column("uscc"),
            f"企业 {v['uscc']} 无权操作（该统一社会信用代码已被使用，请核对，或联系市级管理员）",
        )
    for field_name, limit in CONTACT_LIMITS.items():
        if len(v.get(field_name) or "") > limit:
            raise RowError(spec.column(field_name), f"不能超过 {limit} 个字符")


def seen(imp, v: dict, valid: bool) -> None:
    """Later sheets of the file (项目, 试点示范 …) refer to the enterprises of this one."""
    if v.get("uscc"):
        imp.file_enterprise_rows[v["uscc"]] = v.get("area")
        if valid:
            imp.file_enterprises[v["uscc"]] = v["area"]


def write(imp, data, rows, sheet_report, positions) -> None:
    existing = live_rows(R.Enterprise, "uscc", [v["uscc"] for _, v in rows])
    # 联系人 and 联系电话 were added later (P12): a file without the column keeps what is held
    current = {e.uscc: e for e in existing}
    for f in ("contact_person", "contact_phone"):
        if f not in positions:
            for _, v in rows:
                v[f] = getattr(current[v["uscc"]], f) if v["uscc"] in current else ""
    created = imp.upsert(
        R.Enterprise,
        rows,
        existing,
        lambda v: {
            "uscc": v["uscc"],
            "name": v["name"],
            "area_id": v["area"],
            "industry_code": v["industry_code"],
            "land_mu": v.get("land_mu"),
            "employees": v.get("employees"),
            **{f: bool(v.get(f)) for f in FLAGS},
            "contact_person": v.get("contact_person") or "",
            "contact_phone": v.get("contact_phone") or "",
        },
        sheet_report,
        ("uscc",),
        return_pks=True,  # projects of the same file refer to them
    )
    areas = {v["uscc"]: v["area"] for _, v in rows}
    for (uscc,), pk in created.items():
        imp.enterprises[uscc] = (pk, areas[uscc], False)
    for e in existing:
        imp.enterprises[e.uscc] = (e.pk, e.area_id, e.uscc_confirmed)


SPEC = Sheet(
    kind="enterprises",
    name="企业",
    label="企业",
    key=("uscc",),
    order=10,
    model=R.Enterprise,
    columns=(
        Column(
            "统一社会信用代码",
            "uscc",
            USCC,
            True,
            comment="18 位，按 GB 32100-2015 校验",
            example=EXAMPLE_USCC,
            width=22,
        ),
        Column(
            "企业名称",
            "name",
            TEXT,
            True,
            comment="营业执照上的全称",
            example="示例汽配有限公司（示例行，导入前请删除）",
            width=28,
        ),
        Column(
            "所属区域",
            "area",
            AREA,
            True,
            comment="区域名称、别名或代码（见下拉列表）",
        ),
        Column(
            "行业代码",
            "industry_code",
            INDUSTRY,
            True,
            comment="GB/T 4754-2017 制造业代码，13–43 开头（2–4 位）",
            example="36",
            width=10,
        ),
        Column(
            "是否规上", "above_scale", BOOL, comment=f"规模以上工业企业：{YES_NO}", example="是", width=10
        ),
        Column(
            "用地面积(亩)",
            "land_mu",
            DECIMAL,
            comment="单位：亩；可空",
            example=120,
            warn_above=Decimal(100_000),
        ),
        Column(
            "从业人员(人)",
            "employees",
            INT,
            comment="单位：人；可空",
            example=900,
            warn_above=Decimal(200_000),
        ),
        Column("高新技术企业", "high_tech", BOOL, comment=YES_NO, example="否", width=12),
        Column("集成电路企业", "ic_enterprise", BOOL, comment=YES_NO, example="否", width=12),
        Column("工业母机企业", "machine_tool_enterprise", BOOL, comment=YES_NO, example="否", width=12),
        Column(
            "联系人",
            "contact_person",
            TEXT,
            comment="企业联系人（融资对接推送给银行，P12）；可空",
            width=10,
            may_be_absent=True,
        ),
        Column(
            "联系电话",
            "contact_phone",
            TEXT,
            comment="可空；手机或固定电话",
            width=16,
            may_be_absent=True,
        ),
    ),
    check=check,
    write=write,
    seen=seen,
    getters={"area": lambda e: e.area.name},
    rows=registry.enterprise_list,
    list_params={"area": "area", "industry": "industry", "q": "q"},
    list_page=ListPage(
        "enterprises/",
        "enterprise_list",
        "registry/enterprise_list.html",
        lambda scope, query: {"industries": sorted(reference.industries().items())},
    ),
    scope={"area": "area_id", "uscc": "uscc"},
)
