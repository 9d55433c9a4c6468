"""`renewal demo` writes the parks of its one world (T7, T8, T9): a dozen 示例 parks over the areas,
their member enterprises (one park each, in the park's area), smart and green items and ratings —
deterministic, from a stream of its own, through the import of the park sheets, once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.equipment.services import sample_catalogue_read
from renewal.parks import demo as parks_demo
from renewal.parks import rules, selectors
from renewal.parks.models import EnterpriseRating, GreenParkItem, Park, ParkMember, SmartParkItem
from renewal.registry import demo

SMALL = ["--enterprises", "300", "--projects", "200"]
CITY = Scope(role=Role.CITY_ADMIN)


@pytest.fixture(scope="module")
def world(jiaxing):
    return demo.world(jiaxing, seed=7, enterprises=300, projects_per_year=200)


def catalogue():
    return [{k: e[k] for k in ("category", "prefixes", "effective_on")} for e in sample_catalogue_read()]


def test_the_world_is_the_same_for_a_seed_and_of_its_own_stream(world, jiaxing):
    one = parks_demo.parks_world(world, catalogue=catalogue())
    assert one == parks_demo.parks_world(world, catalogue=catalogue())
    other = demo.world(jiaxing, seed=8, enterprises=300, projects_per_year=200)
    assert parks_demo.parks_world(other, catalogue=catalogue()).members != one.members


def test_a_dozen_example_parks_over_every_area_one_park_per_enterprise(world, jiaxing):
    pw = parks_demo.parks_world(world, catalogue=catalogue())
    assert len(pw.parks) == 12 and all(p["name"].endswith("（示例）") for p in pw.parks)
    assert {p["area"] for p in pw.parks} == {a.code for a in jiaxing.areas}
    assert {p["kind"] for p in pw.parks} == set(rules.KINDS)
    members = [m["uscc"] for m in pw.members]
    assert len(members) == len(set(members))  # one park per enterprise
    area_of = {e["uscc"]: e["area"] for e in world.enterprises}
    park_area = {p["code"]: p["area"] for p in pw.parks}
    assert all(area_of[m["uscc"]] == park_area[m["park"]] for m in pw.members)
    assert all(any(m["park"] == p["code"] for m in pw.members) for p in pw.parks)


def test_the_cut_drops_what_is_dated_later(world):
    pw = parks_demo.parks_world(world, catalogue=catalogue())
    end = dt.date(2024, 3, 31)
    cut = parks_demo.parks_cut(pw, dt.date(2024, 3, 1))
    assert all(s["started_on"] is None or s["started_on"] <= end for s in cut.smart)
    assert all(s["completed_on"] is None or s["completed_on"] <= end for s in cut.smart)
    assert all((s["status"] == rules.BUILT) == (s["completed_on"] is not None) for s in cut.smart)
    later = [s for s in pw.smart if s["completed_on"] and s["completed_on"] > end and s["started_on"] <= end]
    assert later  # the world has items built after March: in the cut they are 在建
    assert {(s["park"], s["content"]) for s in later} <= {
        (s["park"], s["content"]) for s in cut.smart if s["status"] == "在建"
    }
    assert all(r["year"] <= 2024 for r in cut.ratings) and all(g["year"] <= 2024 for g in cut.green)


@pytest.mark.django_db
def test_renewal_demo_imports_the_parks_once_with_their_history(fast_passwords):
    out = StringIO()
    call_command("demo", "--seed", "7", *SMALL, "--through", "2024-09", stdout=out)
    assert "已生成园区演示数据：园区 12" in out.getvalue()
    assert Park.objects.count() == 12 and ParkMember.objects.count() > 60
    assert SmartParkItem.objects.exists() and GreenParkItem.objects.exists()
    assert EnterpriseRating.objects.exists()
    # written by the import as the city administrator (the history names it)
    assert {h.history_user.username for h in Park.history.all()} == {"city-admin"}
    assert all(i.completed_on <= dt.date(2024, 9, 30) for i in SmartParkItem.objects.filter(status="建成"))
    # the figures have something to say, and the chemical parks list renewal candidates (T9)
    figures = selectors.figures(as_of=dt.date(2024, 10, 1))
    city = figures["city"]
    assert city.parks == 12 and city.brain > 0 and city.a_level > 0 and city.low_carbon > 0
    candidates = selectors.chemical_candidates(scope=CITY, as_of=figures["data_date"])
    assert {c["park"] for c in candidates} == {"SL-YQ-02", "SL-YQ-08"}
    before = (
        set(Park.objects.values_list("code", "name", "version")),
        set(SmartParkItem.objects.values_list("park__code", "content", "status", "version")),
        set(EnterpriseRating.objects.values_list("enterprise__uscc", "rating", "year", "version")),
    )
    again = StringIO()
    call_command("demo", "--seed", "7", *SMALL, "--through", "2024-09", stdout=again)
    assert "园区演示数据已存在，未重复生成" in again.getvalue()
    assert before == (
        set(Park.objects.values_list("code", "name", "version")),
        set(SmartParkItem.objects.values_list("park__code", "content", "status", "version")),
        set(EnterpriseRating.objects.values_list("enterprise__uscc", "rating", "year", "version")),
    )
