"""``spells.status_on_subquery`` (one query for many projects, the 亩均 bonus's read) gives what
``status_on`` gives over ``history``: the last transition effective on or before the day, the later
recorded of one day, nothing before the first."""

import datetime as dt

import pytest

from renewal.registry import spells
from renewal.registry.models import Project
from tests.factories import enterprise, project, reach

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 12, 31)


def test_the_status_on_a_day_in_sql_is_the_status_on_over_the_history(loaded_plan):
    ent = enterprise("91330402MA0000001X", "330402")
    done = project("P-1", ent, since=dt.date(2024, 1, 1))
    reach(done, "竣工", since=dt.date(2024, 6, 1))
    reach(done, "验收通过", since=dt.date(2025, 1, 10))  # after the day: not yet
    same_day = project("P-2", ent, since=dt.date(2024, 3, 1))
    reach(same_day, "竣工", since=dt.date(2024, 3, 1))  # the same day, recorded later: it counts
    later = project("P-3", ent, year=2025, since=dt.date(2025, 2, 1))  # no transition by the day
    got = dict(Project.objects.annotate(at_day=spells.status_on_subquery(DAY)).values_list("code", "at_day"))
    steps = spells.history()
    want = {p.code: spells.status_on(steps.get(p.pk, []), DAY) for p in Project.objects.all()}
    assert got == want == {"P-1": "竣工", "P-2": "竣工", "P-3": None}
    assert later.transitions.exists()
