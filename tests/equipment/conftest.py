"""The ledger of the T9 tests, hand-computed on D = 2024-06-30 (tests/equipment/test_candidates.py
says what each item is)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import project

from . import data as D

D_DAY = dt.date(2024, 6, 30)


@pytest.fixture
def ledger(people):
    nanhu, haining = people["NH"].enterprise, people["HN"].enterprise
    counted = project("NH-2", nanhu, since=dt.date(2024, 3, 1))  # 在建 from 1 March: counted on D
    not_counted = people["NH"]  # no transition: never counted
    hn_counted = project("HN-2", haining, since=dt.date(2024, 6, 1))
    D.entry("1", "EXM-")
    D.entry("2", "EXT-", effective_on=dt.date(2024, 7, 1))  # in force after D
    D.entry("3", "EXP-", category="环境保护专用设备", effective_on=dt.date(2023, 1, 1))
    D.item(nanhu, "A", "EXM-100")  # candidate
    D.item(nanhu, "B", "ｅｘｍ－２００", status="停用", original_value=Decimal(250_000))  # candidate (folded)
    D.item(
        nanhu, "C", "EXM-300", status="已淘汰", eliminated_on=dt.date(2024, 5, 1), replacement_project=counted
    )
    D.item(
        nanhu, "D", "EXM-400", status="已淘汰", eliminated_on=dt.date(2024, 8, 1), replacement_project=counted
    )
    D.item(
        nanhu,
        "E",
        "EXM-500",
        status="已淘汰",
        eliminated_on=dt.date(2024, 5, 1),
        replacement_project=not_counted,
    )
    D.item(nanhu, "F", "EXT-1")  # its entry is not in force on D
    D.item(nanhu, "G", "EXM-600", category="数控机床")  # another category
    D.item(nanhu, "H", "EXP-1", category="环境保护专用设备", original_value=None)  # candidate
    D.item(haining, "I", "EXM-700")  # candidate
    D.item(haining, "J", "EXM-800", status="已淘汰", eliminated_on=D_DAY, replacement_project=hn_counted)
    gone = D.item(haining, "K", "EXM-900")
    D.LedgerItem.objects.filter(pk=gone.pk).update(is_deleted=True)  # in the recycle bin
    return people
