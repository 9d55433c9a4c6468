"""Pieces shared by the kinds of records that belong to an enterprise (试点示范, 首台套 …)."""

from __future__ import annotations

from collections.abc import Callable

from ..spec import EXAMPLE_USCC, USCC, Column, Sheet

# The first column of every kind that belongs to an enterprise
OWNER = Column(
    "统一社会信用代码",
    "uscc",
    USCC,
    True,
    comment="企业须已登记或在本文件“企业”表中",
    example=EXAMPLE_USCC,
    width=22,
)


def owned_check(imp, spec: Sheet, v: dict) -> None:
    """The row's enterprise is registered (or in the file) and in the importer's scope."""
    imp.owned_area(spec, v["uscc"])


def owned_write(model, fields: tuple[str, ...], key: tuple[str, ...]) -> Callable:
    """The batch write of a kind keyed by its enterprise and ``fields`` (every column but the
    credit code is a field of the model); ``key``: the fields that with the enterprise identify a record."""

    def write(imp, data, rows, sheet_report, positions) -> None:
        ids = {imp.enterprise_id(v["uscc"]) for _, v in rows} - {None}
        rows = _not_deleted(imp, data, rows, positions, model, ids, key)
        imp.upsert(
            model,
            rows,
            model.objects.filter(enterprise_id__in=ids),
            lambda v: {"enterprise_id": imp.enterprise_id(v["uscc"]), **{f: v[f] for f in fields}},
            sheet_report,
            ("enterprise_id", *key),
        )

    return write


def owner_uscc(record) -> str:
    return record.enterprise.uscc


DELETED = "{what} 已被删除（在回收站中），请由市级管理员恢复后再导入"


def unknown_key(what: str, sheet: str) -> str:
    """A key a row names that the caller cannot use: not registered, or registered outside its
    scope — one message for both (issue 20: no existence oracle)."""
    return f"{what} 未登记或无权操作，且不在本文件的“{sheet}”表中"


def _not_deleted(imp, data, rows, positions, model, ids, key: tuple[str, ...]) -> list:
    """The rows that are not a soft-deleted record of their enterprise (the recycle bin keeps its
    key: the row is refused until a city administrator restores the record, not inserted again)."""
    deleted = {
        (r.enterprise_id, *(getattr(r, f) for f in key)): r
        for r in model.all_objects.filter(enterprise_id__in=ids, is_deleted=True)
    }
    if not deleted:
        return rows
    kept = []
    for number, v in rows:
        record = deleted.get((imp.enterprise_id(v["uscc"]), *(v[f] for f in key)))
        if record is None:
            kept.append((number, v))
        else:
            what = f"{model._meta.verbose_name}“{record}”"
            imp.row_error(data, number, data.spec.column(key[0]), positions, DELETED.format(what=what))
    return kept
