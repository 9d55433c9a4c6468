"""`renewal settle --year Y [--area CODE] [--dry-run] --json`: the batch settlement of the page, on
the command line; every amount is what `renewal calc` answers for the request made of the lines."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renewal.registry.models import Enterprise, Project
from renewal.settlement import selectors
from renewal.settlement.models import DecisionRecord

from .conftest import make_project

pytestmark = pytest.mark.django_db
DATE = "2024-10-08"
AMOUNTS = {
    "eligible_equipment_investment": ("eligible_equipment_investment",),
    "first_set_bonus": ("first_set_bonus",),
    "subsidy_total": ("subsidy_total",),
    "capped": ("capped",),
    "expensing_eligible": ("tax", "one_time_expensing", "eligible_amount"),
    "special_equipment_credit": ("tax", "special_equipment_credit", "credit"),
}


@pytest.fixture
def year(enterprise):
    haining = Enterprise.objects.create(
        uscc="91110000600037341L", name="海宁某经编有限公司", area_id="330481", industry_code="17"
    )
    make_project(enterprise, code="NH-1")  # 42M: provincial key 2.1M + city 3.36M
    make_project(
        haining,
        code="HN-1",
        provincial_key=False,
        types="绿色化改造",
        lines=[
            {
                "name": "高效节能空压机",
                "category": "节能节水专用设备",
                "unit_price": Decimal("1234567.89"),
                "quantity": 3,
                "acquired_on": dt.date(2024, 9, 1),
            },
            {
                "name": "经编机",
                "acquisition": "租赁",
                "lease_fee": Decimal(8_000_000),
                "first_set_level": "国家级",
            },
        ],
    )
    make_project(enterprise, code="NH-2", lines=())  # settleable, no lines
    make_project(haining, code="HN-2", lines=(), status="已兑现")
    make_project(enterprise, code="NH-3", status="在建")  # not settleable
    make_project(enterprise, code="NH-OLD", year=2023)


def settle(*args: str) -> dict:
    out = StringIO()
    call_command("settle", "--year", "2024", "--date", DATE, "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def calc(request: dict, tmp_path) -> dict:
    """`renewal calc` on the request, as a file."""
    case = tmp_path / "case.json"
    case.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("calc", str(case), stdout=out)
    return json.loads(out.getvalue())


def pick(answer: dict, path: tuple[str, ...]):
    for part in path:
        answer = answer[part]
    return answer


def test_every_item_is_what_renewal_calc_answers_for_its_lines(year, tmp_path):
    data = settle()
    assert data["year"] == 2024
    assert [i["project"] for i in data["items"]] == ["HN-1", "NH-1"]
    assert data["missing_lines"] == ["HN-2", "NH-2"]
    for item in data["items"]:
        project = Project.objects.get(code=item["project"])
        answer = calc(selectors.project_request(project, date=dt.date.fromisoformat(DATE)), tmp_path)
        assert {k: item[k] for k in AMOUNTS} == {k: pick(answer, path) for k, path in AMOUNTS.items()}
        assert item["status"] == "created"
    assert DecisionRecord.objects.count() == 2


def test_the_amounts_are_the_ones_computed_by_hand(year):
    items = {i["project"]: i for i in settle()["items"]}
    assert items["NH-1"] == {
        "project": "NH-1",
        "eligible_equipment_investment": 42_000_000,
        "first_set_bonus": 2_000_000,
        "subsidy_total": 5_460_000,
        "capped": False,
        "expensing_eligible": 4_000_000,  # the 400万 grinder; the 900万 units exceed 500万
        "special_equipment_credit": 0,
        "status": "created",
    }
    # HN-1: 3 × 1,234,567.89 = 3,703,703.67 bought; 800万 leased 国家级 → + 400万 bonus: 15,703,703.67.
    # city 8 % = 1,256,296.2936 → 1,256,296.29; green 5 % = 785,185.1835 → 785,185.18; sum 2,041,481.47
    hn = items["HN-1"]
    assert hn["eligible_equipment_investment"] == 15_703_703.67
    assert hn["first_set_bonus"] == 4_000_000
    assert hn["subsidy_total"] == 2_041_481.47
    assert hn["expensing_eligible"] == 3_703_703.67  # the lease is never expensed
    assert hn["special_equipment_credit"] == 370_370.37  # 10 % of 3,703,703.67, to the fen


def test_amounts_are_json_numbers_and_capped_a_bool(year):
    out = StringIO()
    call_command("settle", "--year", "2024", "--date", DATE, "--json", stdout=out)
    for item in json.loads(out.getvalue())["items"]:
        for key in AMOUNTS:
            if key == "capped":
                assert isinstance(item[key], bool)
            else:
                assert isinstance(item[key], int | float) and not isinstance(item[key], bool)
    assert '"subsidy_total": "' not in out.getvalue()


def test_a_second_run_keeps_the_latest_records(year):
    settle()
    again = settle()
    assert [i["status"] for i in again["items"]] == ["unchanged", "unchanged"]
    assert DecisionRecord.objects.count() == 2


def test_a_dry_run_computes_and_writes_nothing(year):
    data = settle("--dry-run")
    assert [i["status"] for i in data["items"]] == ["dry_run", "dry_run"]
    assert data["items"][1]["subsidy_total"] == 5_460_000
    assert not DecisionRecord.objects.exists()


def test_area_filters_the_projects_and_the_missing_ones(year):
    data = settle("--area", "330481")
    assert [i["project"] for i in data["items"]] == ["HN-1"]
    assert data["missing_lines"] == ["HN-2"]
    assert list(DecisionRecord.objects.values_list("project__code", flat=True)) == ["HN-1"]


def test_an_unknown_area_is_refused_in_chinese(year):
    with pytest.raises(CommandError, match="未知区域代码：330000"):
        settle("--area", "330000")
    assert not DecisionRecord.objects.exists()


def test_without_json_a_chinese_summary_names_the_projects_without_lines(year):
    out = StringIO()
    call_command("settle", "--year", "2024", "--date", DATE, "--dry-run", stdout=out)
    text = out.getvalue()
    assert "2024年度补助核定（试算，未写入）" in text
    assert "NH-1\t4,200.00\t200.00\t546.00\t400.00\t0.00\t否\t试算（未写入）" in text
    assert "共试算2个项目，未写入核定记录；补助合计 750.15 万元" in text  # 546 + 204.148147
    assert "缺少设备清单（未核定）：HN-2、NH-2" in text


def test_on_the_demo_every_settled_project_is_what_renewal_calc_answers_for_its_lines(
    loaded_plan, jiaxing, tmp_path
):
    """The demo world (a small one): every accepted or paid project has lines, and each amount of
    `renewal settle` is `renewal calc`'s for the request made of them."""
    from renewal.registry import demo
    from renewal.registry.services import demo_dataset_load

    demo_dataset_load(
        data=demo.build(jiaxing, seed=7, enterprises=150, projects_per_year=100), plan_id=jiaxing.id
    )
    items = []
    for year in ("2023", "2024"):  # a small world has few projects of 2024 accepted by September
        out = StringIO()
        call_command("settle", "--year", year, "--date", DATE, "--json", "--dry-run", stdout=out)
        data = json.loads(out.getvalue())
        assert data["missing_lines"] == [] and data["invalid_lines"] == []
        assert len(data["items"]) == selectors.settleable_projects(year=int(year)).count()
        items += data["items"]
    assert len(items) > 10
    for item in items:
        project = Project.objects.get(code=item["project"])
        answer = calc(selectors.project_request(project, date=dt.date.fromisoformat(DATE)), tmp_path)
        assert {k: item[k] for k in AMOUNTS} == {k: pick(answer, path) for k, path in AMOUNTS.items()}
        assert item["status"] == "dry_run"
    assert sum(i["eligible_equipment_investment"] for i in items) > 0
    assert DecisionRecord.objects.count() == 0
