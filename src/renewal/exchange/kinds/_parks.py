"""Pieces shared by the park kinds (园区, 园区企业, 智慧园区建设, 绿色园区, 企业环保绩效评级; T7, T8):
the 园区代码 column of the kinds that belong to a park, its look-up with the batch, the recycle bin
of park-keyed records.

A park the importer may not see reads as unknown (the same message as a code that does not
exist), so the import tells nobody which parks exist in other areas — as 资金下达 does for projects.
"""

from __future__ import annotations

from renewal.parks.models import Park

from ..spec import CODE, Column, RowError, Sheet
from ._common import DELETED, unknown_key

PARK = Column(
    "园区代码",
    "park_code",
    CODE,
    True,
    comment="园区须已登记或在本文件“园区”表中",
    example="示例-YQ-001",
    width=16,
)


def file_parks(imp) -> dict:
    """What the file's 园区 sheet told: valid rows' code → area, and every row's code."""
    return imp.file_records.setdefault("parks", {"valid": {}, "rows": set()})


def unknown(code: str) -> str:
    return unknown_key(f"园区 {code}", "园区")


def park_check(imp, spec: Sheet, v: dict) -> None:
    """Row check of a record of a park: a park of this file with errors is named as such."""
    parks = file_parks(imp)
    code = v["park_code"]
    if code not in parks["valid"] and code in parks["rows"]:
        raise RowError(spec.column("park_code"), f"园区 {code} 在本文件“园区”表中的行有错误，请先更正")


def parks_resolve(imp, data, rows, positions) -> list:
    """The batch's rows whose park the importer may name, each with ``park_id`` (None: a park of
    this file in a dry run) and ``park_area``; the others get their row error."""
    column = data.spec.column("park_code")
    known = {
        code: (pk, area, deleted)
        for code, pk, area, deleted in Park.all_objects.filter(
            code__in={v["park_code"] for _, v in rows}
        ).values_list("code", "id", "area_id", "is_deleted")
    }
    in_file = file_parks(imp)["valid"]
    kept = []
    for number, v in rows:
        code = v["park_code"]
        found = known.get(code)
        if found is not None and not found[2]:
            pk, area = found[0], found[1]
        elif code in in_file:
            pk, area = None, in_file[code]  # written by this file (a dry run: not yet)
        else:
            pk, area = None, None
        if found is not None and found[2] and code not in in_file and imp.in_scope(found[1]):
            imp.row_error(data, number, column, positions, DELETED.format(what=f"园区 {code}"))
            continue
        if area is None or not imp.in_scope(area):
            imp.row_error(data, number, column, positions, unknown(code))
            continue
        v["park_id"], v["park_area"] = pk, area
        kept.append((number, v))
    return kept


def not_deleted(imp, data, rows, positions, model, key: tuple[str, ...], what) -> list:
    """The rows that are not a soft-deleted record of their park (refused until a city
    administrator restores it); ``key``: the row fields that with the park identify a record."""
    ids = {v["park_id"] for _, v in rows} - {None}
    deleted = {
        (r.park_id, *(getattr(r, f) for f in key)): r
        for r in model.all_objects.filter(park_id__in=ids, is_deleted=True)
    }
    if not deleted:
        return rows
    kept = []
    for number, v in rows:
        record = deleted.get((v["park_id"], *(v[f] for f in key)))
        if record is None:
            kept.append((number, v))
        else:
            column = data.spec.column(key[0])
            imp.row_error(data, number, column, positions, DELETED.format(what=what(v)))
    return kept
