"""`renewal finance batch NAME --projects … | --eligible [--push] [--pushed-on D] [--user U] [--json]`."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from renewal.accounts.models import Profile
from renewal.finance.models import LoanBatch

from . import batch_data

pytestmark = pytest.mark.django_db
world = batch_data.world


def run(*args) -> str:
    out = StringIO()
    call_command("finance", "batch", *args, stdout=out)
    return out.getvalue()


def test_it_compiles_a_draft_and_answers_in_json_with_yuan_numbers(world):
    answer = json.loads(run("第一批", "--projects", "NH-E1,NH-X1", "--json"))
    assert answer["batch"] == "第一批" and answer["status"] == "draft" and answer["pushed_on"] is None
    assert answer["items"] == [
        {"project": "NH-E1", "bank": "abc", "loan_demand": 10_000_000},
        {"project": "NH-E1", "bank": "icbc", "loan_demand": 10_000_000},
    ]
    assert [r["project"] for r in answer["refused"]] == ["NH-X1"]
    assert "低于" in answer["refused"][0]["reasons"][0]
    batch = LoanBatch.objects.get(name="第一批")
    assert batch.created_by == world["city_admin"]  # the first active city administrator


def test_push_reviews_and_pushes_today(world):
    answer = json.loads(run("第一批", "--eligible", "--push", "--json"))
    assert answer["status"] == "pushed" and answer["pushed_on"] == timezone.localdate().isoformat()
    assert {(i["project"], i["bank"]) for i in answer["items"]} == {
        ("NH-E1", "abc"),
        ("NH-E1", "icbc"),
        ("HN-E2", "abc"),
    }
    with pytest.raises(CommandError, match="没有可列入批次的项目"):
        run("第二批", "--eligible")


def test_pushed_on_loads_an_earlier_batch(world):
    answer = json.loads(
        run("2024年第一批", "--projects", "HN-E2", "--push", "--pushed-on", "2024-05-06", "--json")
    )
    assert answer["pushed_on"] == "2024-05-06"
    assert LoanBatch.objects.get().pushed_on == dt.date(2024, 5, 6)


def test_pushed_on_needs_push(world):
    with pytest.raises(CommandError, match="--pushed-on 须与 --push 一同使用"):
        run("第一批", "--projects", "HN-E2", "--pushed-on", "2024-05-06")


def test_pushed_on_is_for_a_city_administrator_only(world):
    with pytest.raises(CommandError, match="只有市级管理员可以用 --pushed-on 补录以往批次"):
        run("第一批", "--projects", "HN-E2", "--push", "--pushed-on", "2024-05-06", "--user", "city-reviewer")
    assert not LoanBatch.objects.exists()


def test_a_pushed_on_to_come_is_refused(world):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="晚于今天"):
        run("第一批", "--projects", "HN-E2", "--push", "--pushed-on", tomorrow)
    assert not LoanBatch.objects.exists()  # the compile is rolled back with the refused push


def test_a_bad_date_is_named(world):
    with pytest.raises(CommandError, match="推送生效日期格式有误：2024/05/06"):
        run("第一批", "--projects", "HN-E2", "--push", "--pushed-on", "2024/05/06")


def test_another_role_is_refused_in_chinese(world):
    with pytest.raises(CommandError, match="只有市级管理员可以编制推送批次"):
        run("第一批", "--projects", "HN-E2", "--user", "op-330402")
    with pytest.raises(CommandError, match="用户“nobody”不存在或已停用"):
        run("第一批", "--projects", "HN-E2", "--user", "nobody")


def test_without_a_city_administrator_it_says_so(world):
    Profile.objects.filter(user=world["city_admin"]).delete()
    with pytest.raises(CommandError, match="没有在用的市级管理员"):
        run("第一批", "--projects", "HN-E2")


def test_the_summary_is_in_chinese_and_wan_yuan(world):
    text = run("第一批", "--projects", "NH-E1,HN-E2,NH-X1", "--push")
    assert "批次“第一批”：已推送" in text
    assert "项目 2 个，推送 2 家银行，贷款需求合计 3,000.00 万元（每个项目计一次）" in text
    assert "中国工商银行：1 个项目，贷款需求 1,000.00 万元" in text
    assert "中国农业银行：2 个项目，贷款需求 3,000.00 万元" in text
    assert "未列入 1 个项目" in text and "NH-X1" in text
