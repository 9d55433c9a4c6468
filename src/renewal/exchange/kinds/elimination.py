"""淘汰目录: entries of the catalogues of backward equipment to eliminate (T9), keyed by 目录 + 批次 +
序号 — reference data the ledger is matched against (``equipment.rules.matches``).

The catalogues themselves (《产业结构调整指导目录》淘汰类, 《高耗能落后机电设备（产品）淘汰目录》 …)
are loaded by the city administrator from their published text; only the city administrator may
import this sheet. 示例 marks an entry of the demonstration sample (``equipment/data``), which is no
real catalogue entry.
"""

from __future__ import annotations

from renewal.equipment import rules
from renewal.equipment import selectors as equipment
from renewal.equipment.models import EliminationEntry
from renewal.registry import reference

from ..spec import BOOL, DATE, ENUM, TEXT, YES_NO, Column, ListPage, RowError, Sheet
from ._common import DELETED

NATURAL = ("catalogue", "batch", "number")
FIELDS = ("name", "category", "prefixes", "reason", "document_no", "effective_on")
CITY_ONLY = "淘汰目录为全市统一的参考数据，只有市级管理员可以导入"


def check(imp, spec: Sheet, v: dict) -> None:
    if not imp.scope.is_city_admin:
        raise RowError(None, CITY_ONLY)
    if not rules.prefixes(v["prefixes"]):
        raise RowError(spec.column("prefixes"), "型号前缀不能为空（多个以“、”分隔）")
    v["batch"] = v.get("batch") or ""


def write(imp, data, rows, sheet_report, positions) -> None:
    spec = data.spec
    catalogues = {v["catalogue"] for _, v in rows}
    existing, deleted = {}, set()
    for entry in EliminationEntry.all_objects.filter(catalogue__in=catalogues):
        key = tuple(getattr(entry, f) for f in NATURAL)
        if entry.is_deleted:
            deleted.add(key)
        else:
            existing[key] = entry
    kept = []
    for number, v in rows:
        key = tuple(v[f] for f in NATURAL)
        if key in deleted:
            what = f"淘汰目录“{v['catalogue']}{v['batch']}”第 {v['number']} 项"
            imp.row_error(data, number, spec.column("number"), positions, DELETED.format(what=what))
        else:
            kept.append((number, v))
    # 示例 may be absent (a catalogue typed from its published text has none): a file without the
    # column keeps what the record holds; a new record is then no example
    has_example = "example" in positions

    def build(v: dict) -> dict:
        current = existing.get(tuple(v[f] for f in NATURAL))
        if has_example:
            example = v.get("example") is True
        else:
            example = current.example if current else False
        return {
            **{f: v[f] for f in NATURAL},
            **{f: v.get(f) or "" for f in FIELDS if f != "effective_on"},
            "effective_on": v["effective_on"],
            "example": example,
        }

    imp.upsert(EliminationEntry, kept, existing.values(), build, sheet_report, NATURAL)


def list_context(scope, query: str) -> dict:
    return {
        "categories": reference.values("equipment_categories"),
        "catalogues": equipment.elimination_catalogues(),
    }


SPEC = Sheet(
    kind="elimination",
    name="淘汰目录",
    label="淘汰目录",
    key=("catalogue", "batch", "number"),
    order=70,
    model=EliminationEntry,
    columns=(
        Column(
            "目录",
            "catalogue",
            TEXT,
            True,
            comment="目录名称，如《高耗能落后机电设备（产品）淘汰目录》",
            example="示例淘汰目录（示例行）",
            width=30,
        ),
        Column("批次", "batch", TEXT, comment="如 第一批；可空", example="第一批", width=10),
        Column("序号", "number", TEXT, True, comment="目录中的序号", example="1", width=8),
        Column("设备名称", "name", TEXT, True, example="示例落后电动机", width=22),
        Column("设备类别", "category", ENUM, True, enum="equipment_categories", example="通用设备", width=16),
        Column(
            "型号前缀",
            "prefixes",
            TEXT,
            True,
            comment="一个或多个，以“、”分隔；台账规格型号以其中之一开头即匹配（不区分全角半角、大小写）",
            example="Y-、JO2",
            width=24,
        ),
        Column("淘汰原因", "reason", TEXT, comment="可空", example="能效低于国家标准", width=24),
        Column("文号", "document_no", TEXT, comment="发布目录的文件文号；可空", example="示例文号", width=22),
        Column(
            "生效日期", "effective_on", DATE, True, comment="如 2024-01-01", example="2024-01-01", width=12
        ),
        Column(
            "示例",
            "example",
            BOOL,
            comment=f"{YES_NO}；“是”表示演示用示例条目，非真实目录；可空",
            width=8,
            may_be_absent=True,
        ),
    ),
    check=check,
    write=write,
    rows=equipment.elimination_list,
    list_params={"catalogue": "catalogue", "category": "category", "q": "q"},
    list_page=ListPage("elimination/", "elimination_list", "equipment/elimination_list.html", list_context),
    # reference data, registered by the equipment app (every signed-in role reads it)
    scope=None,
)
