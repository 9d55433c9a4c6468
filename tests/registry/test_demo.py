"""`renewal demo`: deterministic, realistic, never duplicated."""

from io import StringIO

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from renewal.registry import demo
from renewal.registry.models import Enterprise, MonthlyProgress, Project
from renewal.registry.uscc import check

SMALL = ["--enterprises", "120", "--projects", "90"]


def test_the_same_seed_builds_the_same_city(jiaxing):
    a = demo.build(jiaxing, seed=7, enterprises=150, projects_per_year=100)
    b = demo.build(jiaxing, seed=7, enterprises=150, projects_per_year=100)
    c = demo.build(jiaxing, seed=8, enterprises=150, projects_per_year=100)
    assert a == b
    assert a.enterprises != c.enterprises


def test_the_demo_city_is_realistic(jiaxing):
    data = demo.build(jiaxing, seed=7)
    assert len(data.enterprises) == 2000
    assert {e["area"] for e in data.enterprises} == {a.code for a in jiaxing.areas}
    assert all(check(e["uscc"]).ok for e in data.enterprises)
    assert len({e["uscc"] for e in data.enterprises}) == 2000
    this_year = [p for p in data.projects if p["year"] == jiaxing.start_year]
    assert len(this_year) == 1500
    assert {p["status"] for p in this_year} == {
        "草稿",
        "已申报",
        "区县审核通过",
        "已入库",
        "在建",
        "竣工",
        "验收通过",
        "已兑现",
        "退回",
        "撤销",
    }
    assert all(p["equipment_investment"] <= p["total_investment"] for p in data.projects)
    assert max(r["month"] for r in data.progress) == data.through
    # most enterprises sit in their area's focus industries (T5)
    focus = {a.code: {d for f in a.focus for d in f.divisions} for a in jiaxing.areas}
    in_focus = sum(e["industry_code"] in focus[e["area"]] for e in data.enterprises)
    assert in_focus / len(data.enterprises) > 0.6


def dump() -> str:
    out = []
    for model in (Enterprise, Project, MonthlyProgress):
        rows = serializers.serialize("python", model.objects.order_by("pk"))
        for r in rows:
            r["fields"].pop("created_at", None)
            r["fields"].pop("updated_at", None)
        out.append(repr(rows))
    return "\n".join(out)


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_demo_twice_with_the_same_seed_gives_identical_databases():
    call_command("demo", "--seed", "7", *SMALL, stdout=StringIO())
    first = dump()
    call_command("demo", "--seed", "7", *SMALL, stdout=StringIO())
    assert dump() == first  # re-running adds nothing
    call_command("flush", interactive=False)
    call_command("demo", "--seed", "7", *SMALL, stdout=StringIO())
    assert dump() == first  # a fresh database gets the very same rows


@pytest.mark.django_db
def test_demo_refuses_another_seed_on_a_database_that_has_demo_data():
    call_command("demo", "--seed", "7", *SMALL, stdout=StringIO())
    with pytest.raises(CommandError, match="已有演示数据（seed 7）"):
        call_command("demo", "--seed", "8", *SMALL, stdout=StringIO())
    assert Enterprise.objects.count() == 120


@pytest.mark.django_db
def test_demo_prints_its_users_with_their_password():
    out = StringIO()
    call_command("demo", *SMALL, stdout=out)
    text = out.getvalue()
    for user in (
        "city-admin",
        "city-reviewer",
        "viewer",
        "op-330402",
        "op-jxedz",
        "op-jxport",
        "unit-econ-it",
        "ent-",
    ):
        assert user in text
    assert "密码均为 Renewal-demo-2024" in text
