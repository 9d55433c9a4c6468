"""The exact matching rule of T9 (docs/decisions/0016-elimination-matching.md): equal 设备类别, the
item's folded 规格型号 starts with one of the entry's folded prefixes, the entry in force on the day —
each condition on both of its sides; and the selectors' fast matching gives exactly the rule's answer."""

import datetime as dt

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.equipment import rules, selectors
from renewal.equipment.models import EliminationEntry, LedgerItem

from . import data as D

DAY = dt.date(2024, 6, 30)
CITY = Scope(role=Role.CITY_ADMIN)
ENTRY = {"category": "通用设备", "prefixes": "EXM-、JO2", "effective_on": dt.date(2024, 1, 1)}

CASES = [
    # (what, item, entry changes, day, matches) — clause T9
    ("the same category and a prefix", {"spec": "EXM-132"}, {}, DAY, True),
    ("another category", {"spec": "EXM-132", "category": "数控机床"}, {}, DAY, False),
    ("the second prefix", {"spec": "JO2-51-4"}, {}, DAY, True),
    ("full-width letters and digits fold", {"spec": "ＥＸＭ－１３２"}, {}, DAY, True),
    ("lower case folds", {"spec": "exm-132"}, {}, DAY, True),
    ("spaces around are trimmed", {"spec": "  EXM-132 \t"}, {}, DAY, True),
    (
        "a prefix typed in full width and lower case",
        {"spec": "EXM-132"},
        {"prefixes": " ｅｘｍ－ "},
        DAY,
        True,
    ),
    ("prefixes joined by a full-width comma", {"spec": "JO2-51"}, {"prefixes": "EXM-，JO2"}, DAY, True),
    ("the prefix inside, not at the start", {"spec": "Y-EXM-132"}, {}, DAY, False),
    ("a spec shorter than the prefix", {"spec": "EX"}, {}, DAY, False),
    ("a space inside the prefix part is not dropped", {"spec": "EX M-132"}, {}, DAY, False),
    ("no spec never matches", {"spec": ""}, {}, DAY, False),
    ("in force from the day itself", {"spec": "EXM-1"}, {"effective_on": DAY}, DAY, True),
    (
        "in force the day after: not yet",
        {"spec": "EXM-1"},
        {"effective_on": DAY + dt.timedelta(days=1)},
        DAY,
        False,
    ),
    ("in force the day before", {"spec": "EXM-1"}, {"effective_on": DAY - dt.timedelta(days=1)}, DAY, True),
    ("an entry without prefixes", {"spec": "EXM-1"}, {"prefixes": "、 ,"}, DAY, False),
]


@pytest.mark.parametrize(("what", "item", "changes", "day", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_rule(what, item, changes, day, expected):
    assert rules.matches({"category": "通用设备", **item}, ENTRY | changes, day) is expected


@pytest.mark.django_db
def test_the_selectors_match_exactly_what_the_rule_matches(people):
    """Every case of the table as a ledger item and an entry: ``candidates`` lists exactly the items
    that ``rules.matches`` matches with some entry (brute force over all of them)."""
    ent = people["NH"].enterprise
    for i, (_, item, changes, _day, _) in enumerate(CASES):
        fields = ENTRY | changes
        D.entry(str(i), fields["prefixes"], effective_on=fields["effective_on"])
        D.item(ent, f"M-{i:02}", item["spec"], category=item.get("category", "通用设备"))
    found = {c.number for c in selectors.candidates(scope=CITY, day=DAY)}
    entries = [e.__dict__ for e in EliminationEntry.objects.all()]
    by_rule = {
        i.number for i in LedgerItem.objects.all() if any(rules.matches(i.__dict__, e, DAY) for e in entries)
    }
    assert found == by_rule
    assert {f"M-{i:02}" for i, case in enumerate(CASES) if case[4]} <= found
    assert "M-01" not in found and "M-08" not in found  # another category; the prefix inside
