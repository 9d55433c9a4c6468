"""园区企业 (T7, T9): which park an enterprise is in — one park per enterprise, keyed by 统一社会信用代码.
The enterprise and the park are in the importer's scope and in the same area; a park the importer
may not see reads as unknown."""

from __future__ import annotations

from dataclasses import replace

from renewal.parks import selectors as parks
from renewal.parks.models import ParkMember

from ..spec import ListPage, Sheet
from ._common import DELETED, OWNER, owner_uscc
from ._parks import PARK, park_check, parks_resolve


def check(imp, spec: Sheet, v: dict) -> None:
    v["area"] = imp.owned_area(spec, v["uscc"])
    park_check(imp, spec, v)


def write(imp, data, rows, sheet_report, positions) -> None:
    spec = data.spec
    kept = []
    for number, v in parks_resolve(imp, data, rows, positions):
        if v["park_area"] != v["area"]:
            names = imp.area_names
            imp.row_error(
                data,
                number,
                spec.column("park_code"),
                positions,
                f"园区 {v['park_code']} 属于{names.get(v['park_area'], v['park_area'])}，"
                f"企业 {v['uscc']} 属于{names.get(v['area'], v['area'])}（园区企业须与园区在同一区域）",
            )
            continue
        kept.append((number, v))
    ids = {imp.enterprise_id(v["uscc"]) for _, v in kept} - {None}
    deleted = set(
        ParkMember.all_objects.filter(enterprise_id__in=ids, is_deleted=True).values_list(
            "enterprise_id", flat=True
        )
    )
    rows = []
    for number, v in kept:
        if imp.enterprise_id(v["uscc"]) in deleted:
            what = f"企业 {v['uscc']} 的园区企业记录"
            imp.row_error(data, number, spec.column("uscc"), positions, DELETED.format(what=what))
        else:
            rows.append((number, v))
    imp.upsert(
        ParkMember,
        rows,
        ParkMember.objects.filter(enterprise_id__in=ids),
        lambda v: {"enterprise_id": imp.enterprise_id(v["uscc"]), "park_id": v["park_id"]},
        sheet_report,
        ("enterprise_id",),
    )


SPEC = Sheet(
    kind="park-members",
    name="园区企业",
    label="园区企业",
    key=("uscc",),
    order=81,  # after 企业 and 园区
    model=ParkMember,
    columns=(PARK, replace(OWNER, comment="企业须已登记或在本文件“企业”表中；一家企业只属于一个园区")),
    check=check,
    write=write,
    getters={"park_code": lambda m: m.park.code, "uscc": owner_uscc},
    rows=parks.member_list,
    list_params={"area": "area", "park": "park", "q": "q"},
    list_page=ListPage("park-members/", "park_member_list", "parks/registry_members.html"),
    scope={"area": "park__area_id", "uscc": "enterprise__uscc"},
)
