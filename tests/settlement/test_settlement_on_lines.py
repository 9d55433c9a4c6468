"""Settlement on the real equipment lines (issue 14 part 2): every line is counted as it is, a project
without lines is not settled, and a decision record keeps the lines it was computed from."""

import datetime as dt
from decimal import Decimal

import pytest

from renewal.equipment.models import EquipmentLine
from renewal.policy.contract import parse_request
from renewal.policy.rules import calculate
from renewal.settlement import selectors, services
from renewal.settlement.models import DecisionRecord, SettlementRun

from .conftest import make_project
from .test_pages import user_with_role

pytestmark = pytest.mark.django_db
DATE = dt.date(2024, 10, 8)

# The issue's case: all bought (or leased) in June 2024.
ISSUE_LINES = (
    {  # 1 · a 省级 first-set machine, one unit of 600万
        "name": "智能装配生产线",
        "unit_price": Decimal(6_000_000),
        "quantity": 1,
        "first_set_level": "省级",
        "first_set_product": "智能装配生产线",
        "acquired_on": dt.date(2024, 6, 3),
    },
    {  # 2 · five CNC lathes of 80万 each: 400万 on the line, 80万 per unit
        "name": "数控车床",
        "category": "数控机床",
        "unit_price": Decimal(800_000),
        "quantity": 5,
        "acquired_on": dt.date(2024, 6, 12),
    },
    {  # 3 · a leased robot cell, 30万 of lease fees
        "name": "焊接机器人工作站",
        "category": "工业机器人",
        "acquisition": "租赁",
        "lease_fee": Decimal(300_000),
        "acquired_on": dt.date(2024, 6, 18),
    },
    {  # 4 · catalogue special equipment, 60万
        "name": "废气处理装置",
        "category": "环境保护专用设备",
        "unit_price": Decimal(600_000),
        "quantity": 1,
        "acquired_on": dt.date(2024, 6, 25),
    },
)


def plan_value(jiaxing, pid: str) -> Decimal:
    [value] = next(p for p in jiaxing.parameters if p.id == pid).values
    return Decimal(str(value.value))


@pytest.fixture
def issue_project(enterprise):
    return make_project(
        enterprise, code="P-2024-014", lines=ISSUE_LINES, total_investment=Decimal(15_000_000)
    )


def test_the_issue_case_counts_each_line_as_it_is(issue_project, jiaxing):
    rate = plan_value(jiaxing, "P11.first_set_bonus_rate")
    assert rate == Decimal("0.50")
    request = selectors.project_request(issue_project, date=DATE)
    answer = calculate(parse_request(request), selectors.policy_data())
    # P11: 600万 + 5 × 80万 + lease 30万 + 60万 = 1,090万 counted at cost; the 省级 first-set machine
    # adds 50 % of 600万 = 300万, and the engine's 设备投资额 includes it: 1,390万
    bonus = Decimal(6_000_000) * rate
    assert answer["first_set_bonus"] == bonus == 3_000_000
    assert answer["eligible_equipment_investment"] == 10_900_000 + bonus == 13_900_000
    # programmes of the plan: 省级重点 needs 2,000万 (1,390万: no); 市级 8 % × 1,390万 = 111.2万
    # (under its 500万 cap); 绿色化 needs the type 绿色化改造 (no)
    amounts = {s["programme"]: s["amount"] for s in answer["subsidies"]}
    assert amounts == {"example-provincial-key": 0, "example-city-renewal": 1_112_000, "example-green": 0}
    assert answer["subsidy_total"] == 1_112_000 and answer["capped"] is False
    # P13 expensing, per UNIT ≤ 500万: the lathes (80万 each, 400万 on the line) and the 60万 special
    # equipment; not the 600万 unit, never the lease
    expensing = answer["tax"]["one_time_expensing"]
    assert expensing["eligible_amount"] == 4_000_000 + 600_000
    assert [i["eligible"] for i in expensing["items"]] == [False, True, False, True]
    # first-year deferral at 25 %: (400万 − 400万/10) × 25 % + (60万 − 60万/10) × 25 %
    assert expensing["first_year_tax_deferral"] == 900_000 + 135_000
    # P13 special-equipment credit: 10 % of the purchased 60万
    assert answer["tax"]["special_equipment_credit"]["credit"] == 60_000


def test_a_decision_record_keeps_the_lines_it_was_computed_from(issue_project):
    record, _ = services.decision_record_settle(project=issue_project, date=DATE)
    assert [e["name"] for e in record.inputs["equipment"]] == [
        "1. 智能装配生产线",
        "2. 数控车床",
        "3. 焊接机器人工作站",
        "4. 废气处理装置",
    ]
    assert record.lines[1] == {
        "number": 2,
        "name": "数控车床",
        "spec": "",
        "category": "数控机床",
        "acquisition": "购置",
        "unit_price": 800000,
        "quantity": 5,
        "lease_fee": None,
        "origin": "国产",
        "first_set_level": "无",
        "first_set_product": "",
        "acquired_on": "2024-06-12",
        "depreciation_class": "机器设备",
    }
    assert record.lines[2]["lease_fee"] == 300000 and record.lines[2]["unit_price"] is None
    # the stored inputs are still a valid request of the contract
    parse_request(record.inputs)
    assert record.subsidy_total == Decimal(1_112_000)


def test_a_changed_line_makes_a_new_version_whose_diff_names_the_line(issue_project):
    first, _ = services.decision_record_settle(project=issue_project, date=DATE)
    EquipmentLine.objects.filter(project=issue_project, number=2).update(quantity=6, spec="CK6150")
    second, created = services.decision_record_settle(project=issue_project, date=DATE)
    assert created and second.version == 2 and second.previous == first
    changed = {d["field"]: (d["before"], d["after"]) for d in second.diff}
    assert changed["lines[2].quantity"] == (5, 6)
    assert changed["lines[2].spec"] == ("", "CK6150")
    assert changed["inputs.equipment[2. 数控车床].quantity"] == (5, 6)
    # one more lathe: 8 % × (1,390万 + 80万) = 117.6万
    assert changed["result.subsidy_total"] == (1_112_000, 1_176_000)


def test_a_change_of_spec_alone_is_kept_as_a_new_version(issue_project):
    services.decision_record_settle(project=issue_project, date=DATE)
    EquipmentLine.objects.filter(project=issue_project, number=4).update(spec="RTO-2000")
    second, created = services.decision_record_settle(project=issue_project, date=DATE)
    assert created
    assert [d["field"] for d in second.diff] == ["lines[4].spec"]


def test_a_project_without_lines_is_refused_with_a_chinese_message_and_no_record(enterprise):
    bare = make_project(enterprise, code="P-BARE", lines=())
    with pytest.raises(services.ProjectWithoutLines, match="项目 P-BARE 缺少设备清单，未核定"):
        services.decision_record_settle(project=bare, date=DATE)
    assert not DecisionRecord.objects.exists()


def test_a_project_whose_lines_were_all_deleted_has_no_lines(enterprise):
    gone = make_project(enterprise, code="P-GONE")
    EquipmentLine.objects.filter(project=gone).update(is_deleted=True)
    with pytest.raises(services.ProjectWithoutLines):
        services.decision_record_settle(project=gone, date=DATE)
    assert [p.code for p in selectors.projects_without_lines(year=2024)] == ["P-GONE"]


def test_settling_a_year_lists_the_projects_without_lines_and_settles_the_others(enterprise):
    make_project(enterprise, code="A-1")
    make_project(enterprise, code="A-2", lines=())
    make_project(enterprise, code="A-3", lines=(), status="已兑现")
    make_project(enterprise, code="B-1", lines=(), status="在建")  # not settleable: not listed
    out = services.settle_projects(year=2024, date=DATE)
    assert out.missing_lines == ["A-2", "A-3"]
    assert [(i["project"], i["status"]) for i in out.items] == [("A-1", "created")]
    assert list(DecisionRecord.objects.values_list("project__code", flat=True)) == ["A-1"]


def test_a_project_whose_lines_the_engine_refuses_is_reported_and_the_others_settled(enterprise):
    make_project(enterprise, code="A-1")
    broken = make_project(enterprise, code="A-2", lines=())
    # a purchase without its price (the form refuses it; an old row may still be so)
    EquipmentLine.objects.create(project=broken, number=1, name="旧设备", category="通用设备", quantity=1)
    out = services.settle_projects(year=2024, date=DATE)
    assert [i["project"] for i in out.items] == ["A-1"]
    [bad] = out.invalid_lines
    assert bad["project"] == "A-2"
    assert bad["message"].startswith("项目 A-2 的设备清单有误，未核定：")
    assert "购置设备须填写单价" in bad["message"]
    with pytest.raises(services.LinesInvalid):
        services.decision_record_settle(project=broken, date=DATE)


def test_the_batch_run_counts_the_projects_without_lines_in_its_message(
    enterprise, django_capture_on_commit_callbacks
):
    make_project(enterprise, code="A-1")
    make_project(enterprise, code="A-2", lines=())
    with django_capture_on_commit_callbacks(execute=True):
        run = services.settlement_run_start(year=2024, date=DATE)
    run = SettlementRun.objects.get(pk=run.pk)
    assert run.status == SettlementRun.Status.DONE
    assert (run.total, run.done, run.created, run.unchanged) == (1, 1, 1, 0)
    assert run.message == "共核定1个项目，新增版本1个，结果未变0个；缺少设备清单1个，未核定"
    assert run.subsidy_total == Decimal(5_460_000)


def test_the_settlement_page_lists_the_projects_without_lines_with_links(enterprise, client):
    make_project(enterprise, code="A-1")
    make_project(enterprise, code="A-2", lines=(), name="无清单的项目")
    client.force_login(user_with_role("reviewer", "city_reviewer"))
    page = client.get("/settlement/", {"year": 2024}).content.decode()
    assert "缺少设备清单的项目（2024 年度，1 个，不予核定）" in page
    assert '<a href="/registry/projects/A-2/">A-2</a>' in page and "无清单的项目" in page
    assert '<a href="/registry/projects/A-1/">' not in page


def test_settling_one_project_without_lines_on_the_page_says_why(enterprise, client):
    bare = make_project(enterprise, code="P-BARE", lines=())
    client.force_login(user_with_role("admin", "city_admin"))
    response = client.post(f"/settlement/projects/{bare.code}/settle", {"reason": "试核定"}, follow=True)
    assert response.status_code == 200
    assert "项目 P-BARE 缺少设备清单，未核定" in response.content.decode()
    assert not DecisionRecord.objects.exists()


def test_resettling_a_project_whose_lines_were_removed_says_so_on_its_record(enterprise, client):
    project = make_project(enterprise, code="P-1")
    record, _ = services.decision_record_settle(project=project, date=DATE)
    EquipmentLine.objects.filter(project=project).update(is_deleted=True)
    client.force_login(user_with_role("admin", "city_admin"))
    response = client.post(f"/settlement/projects/{project.code}/settle", follow=True)
    assert response.redirect_chain[-1][0] == f"/settlement/records/{record.pk}/"
    assert "项目 P-1 缺少设备清单，未核定" in response.content.decode()
    assert project.decisions.count() == 1


def test_the_record_page_shows_the_frozen_lines(issue_project, client):
    record, _ = services.decision_record_settle(project=issue_project, date=DATE)
    client.force_login(user_with_role("reviewer", "city_reviewer"))
    page = client.get(f"/settlement/records/{record.pk}/").content.decode()
    assert "设备清单（核定所依据" in page
    assert "焊接机器人工作站" in page and "<td>租赁</td>" in page
    assert '<td class="num">80.00</td><td class="num">5</td>' in page  # 80万 × 5


def test_the_simulation_says_how_many_projects_have_no_lines(enterprise, client):
    make_project(enterprise, code="S-1", status="在建")
    make_project(enterprise, code="S-2", status="在建", lines=())
    client.force_login(user_with_role("reviewer", "city_reviewer"))
    response = client.get("/policy/simulation/", {"year": 2024})
    result = response.context["result"]
    assert (result["projects"], result["without_lines"]) == (2, 1)
    assert result["totals"]["current"] == pytest.approx(5_460_000)  # S-1 only
    assert "其中 1 个尚无设备清单，补助按 0 计" in response.content.decode()
