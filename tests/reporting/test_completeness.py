"""Completeness and timeliness of reporting (issue 17), counted by hand on a small fixture: who must
report for a month by the workflow history (a project that starts or finishes mid-month does), on
time, late and missing reports, rates, the same for the task reports of responsible units."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from renewal.accounts.scope import scope_for
from renewal.registry.models import Enterprise, MonthlyProgress, Project
from renewal.reporting import completeness, selectors
from renewal.reporting.models import TaskReport
from renewal.reporting.services import task_report_submit
from tests.factories import project, reach

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
JUL, AUG, SEP = dt.date(2024, 7, 1), dt.date(2024, 8, 1), dt.date(2024, 9, 1)
JAN1 = dt.date(2024, 1, 1)
NOW = dt.datetime(2024, 10, 20, tzinfo=SH)  # past the August (9-05) and September (10-05) deadlines


def reported(p, month, at: dt.datetime):
    row = MonthlyProgress.objects.create(project=p, month=month, investment=Decimal(1))
    MonthlyProgress.objects.filter(pk=row.pk).update(created_at=at)


@pytest.fixture
def nanhu(people):
    """南湖 (progress due on the 5th of the next month):

    NH-1  在建, no workflow history (read by its current status) — Aug on time
    NH-A  在建 since 1 Jan — Jul on time, Aug on time
    NH-B  在建 since 1 Jan — Aug late (9-08)
    NH-C  在建 since 1 Jan — nothing
    NH-D  已入库 since 1 Jan, 在建 from 15 Aug (starts mid-month) — Aug on time
    NH-E  在建 since 1 Jan, 竣工 from 20 Aug (finishes mid-month) — nothing
    NH-F  在建 since 1 Jan, 竣工 from 10 Jul — nothing (due in July only)
    NH-G  草稿, no history — never due
    NH-H  在建 now, but only from 2 Sep — not due in August
    海宁: HN-1 在建 without history — nothing.
    """
    ent = people["NH"].enterprise
    a, b, c = (project(f"NH-{k}", ent, since=JAN1) for k in "ABC")
    d = reach(project("NH-D", ent, status="已入库", since=JAN1), "在建", since=dt.date(2024, 8, 15))
    e = reach(project("NH-E", ent, since=JAN1), "竣工", since=dt.date(2024, 8, 20))
    reach(project("NH-F", ent, since=JAN1), "竣工", since=dt.date(2024, 7, 10))
    project("NH-G", ent, status="草稿")
    reach(project("NH-H", ent, status="已入库", since=JAN1), "在建", since=dt.date(2024, 9, 2))
    reported(people["NH"], AUG, dt.datetime(2024, 9, 5, 23, 0, tzinfo=SH))  # the last hour counts
    reported(a, JUL, dt.datetime(2024, 8, 1, 9, tzinfo=SH))
    reported(a, AUG, dt.datetime(2024, 9, 3, 9, tzinfo=SH))
    reported(b, AUG, dt.datetime(2024, 9, 8, 9, tzinfo=SH))
    reported(d, AUG, dt.datetime(2024, 9, 2, 9, tzinfo=SH))
    assert e.status == "竣工" and c.status == "在建"
    return people


def codes(ids):
    return sorted(Project.objects.filter(pk__in=ids).values_list("code", flat=True))


def counts(cell):
    return (cell.expected, cell.on_time, cell.late, cell.missing)


def test_a_month_expects_the_projects_in_construction_at_some_moment_of_it(nanhu):
    assert sorted(completeness.expected(AUG).values_list("code", flat=True)) == [
        "HN-1", "NH-1", "NH-A", "NH-B", "NH-C", "NH-D", "NH-E",
    ]  # fmt: skip
    assert sorted(completeness.expected(JUL).values_list("code", flat=True)) == [
        "HN-1", "NH-1", "NH-A", "NH-B", "NH-C", "NH-E", "NH-F",
    ]  # fmt: skip
    # September: NH-H starts on the 2nd, NH-D goes on; NH-E and NH-F are completed
    assert sorted(completeness.expected(SEP).values_list("code", flat=True)) == [
        "HN-1", "NH-1", "NH-A", "NH-B", "NH-C", "NH-D", "NH-H",
    ]  # fmt: skip


def test_the_board_counts_on_time_late_and_missing_reports_per_area_and_month(nanhu):
    board = completeness.progress_board(months=[JUL, AUG], now=NOW)
    rows = {r.key: r for r in board["rows"]}
    jul, aug = rows["330402"].cells
    # August: NH-1, NH-A, NH-D on time; NH-B late; NH-C, NH-E missing
    assert counts(aug) == (6, 3, 1, 2)
    assert codes(aug.missing_ids) == ["NH-C", "NH-E"]
    assert aug.on_time_rate == Decimal(1) / 2 and aug.reported_rate == Decimal(4) / 6
    assert (aug.on_time_text, aug.reported_text) == ("50.0%", "66.7%")
    # July: NH-A on time; NH-1, NH-B, NH-C, NH-E, NH-F missing
    assert counts(jul) == (6, 1, 0, 5)
    assert counts(rows["330481"].cells[1]) == (1, 0, 0, 1)
    assert counts(rows["330402"].total) == (12, 4, 1, 7)
    city_jul, city_aug = board["city"].cells
    assert counts(city_aug) == (7, 3, 1, 3) and counts(city_jul) == (7, 1, 0, 6)
    # an area without projects expects nothing and has no rate (not 100 %)
    empty = rows["330411"].cells[1]
    assert counts(empty) == (0, 0, 0, 0) and empty.on_time_rate is None and empty.on_time_text == "—"


def test_before_the_deadline_an_unreported_project_is_pending_not_missing(nanhu):
    before = dt.datetime(2024, 9, 4, 12, tzinfo=SH)
    aug = {r.key: r for r in completeness.progress_board(months=[AUG], now=before)["rows"]}["330402"].cells[0]
    # NH-C and NH-E have not reported and may still do so: 待报, not 未报
    assert (aug.expected, aug.missing, aug.pending) == (6, 0, 2) and not aug.due


def test_the_cells_are_coloured_by_the_plans_bands(nanhu):
    rows = {r.key: r for r in completeness.progress_board(months=[JUL, AUG], now=NOW)["rows"]}
    # plan: reporting.completeness good 0.95, fair 0.8 (示例): 50 % and 16.7 % are red
    assert [c.band() for c in rows["330402"].cells] == ["poor", "poor"]
    assert rows["330411"].cells[0].band() == "none"


def test_the_trend_gives_the_citys_rates_in_percent(nanhu):
    board = completeness.progress_board(months=[JUL, AUG], now=NOW)
    assert completeness.trend(board) == {
        "months": ["2024-07", "2024-08"],
        "on_time": [14.3, 42.9],  # 1/7, 3/7
        "reported": [14.3, 57.1],  # 1/7, 4/7
    }


def test_the_overdue_list_uses_the_same_dated_rule(nanhu):
    data = selectors.overdue_list(scope=scope_for(nanhu["city_admin"]), month=AUG, now=NOW)
    nh = {a.code: a for a in data["areas"]}["330402"]
    assert (nh.expected, nh.on_time, nh.late, nh.missing) == (6, 3, 1, 2)
    assert [p.code for p in nh.missing_projects] == ["NH-C", "NH-E"]


# -- task reports by responsible unit -------------------------------------------------------


def submit(user, clause, unit, month, at):
    task_report_submit(user=user, clause=clause, unit=unit, month=month, status="按计划推进", text="进展")
    TaskReport.objects.filter(clause=clause, unit_id=unit, month=month).update(submitted_at=at)


@pytest.fixture
def tasks(people):
    """Tasks due on the 10th: 税务 leads P13, 财政 P11 and P12.
    税务: Aug P13 on time (9-09); Sep nothing.
    财政: Aug P11 on time (9-10 noon), P12 late (9-11); Sep P11 on time (10-01), P12 nothing."""
    admin = people["city_admin"]
    submit(people["unit"], "P13", "tax", AUG, dt.datetime(2024, 9, 9, tzinfo=SH))
    submit(admin, "P11", "finance", AUG, dt.datetime(2024, 9, 10, 12, tzinfo=SH))
    submit(admin, "P12", "finance", AUG, dt.datetime(2024, 9, 11, tzinfo=SH))
    submit(admin, "P11", "finance", SEP, dt.datetime(2024, 10, 1, tzinfo=SH))
    return people


def test_the_units_board_counts_each_units_clauses_per_month(tasks):
    board = completeness.task_board(scope=completeness.all_units_scope(), months=[AUG, SEP], now=NOW)
    rows = {r.key: r for r in board["rows"]}
    assert [counts(c) for c in rows["tax"].cells] == [(1, 1, 0, 0), (1, 0, 0, 1)]
    assert [counts(c) for c in rows["finance"].cells] == [(2, 1, 1, 0), (2, 1, 0, 1)]
    assert rows["finance"].cells[1].missing_ids == ["P12"]
    assert rows["finance"].total.on_time_rate == Decimal(2) / 4
    # the plan's 35 (clause, lead unit) pairs of T/P/O clauses: 3 on time, 1 late in August
    aug = board["city"].cells[0]
    assert counts(aug) == (35, 2, 1, 32)


def test_a_unit_reporter_sees_only_its_own_units_row(tasks):
    board = completeness.task_board(scope=scope_for(tasks["unit"]), months=[AUG, SEP], now=NOW)
    assert [r.key for r in board["rows"]] == ["tax"]


# -- the board pages and their exports ---------------------------------------------------------


def test_the_board_page_shows_the_rates_coloured_with_a_legend_and_the_trend(nanhu, client):
    client.force_login(nanhu["viewer"])  # figures: the viewer reads the board
    page = client.get(reverse("reporting:completeness"), {"month": "2024-08", "n": "2"})
    text = page.content.decode()
    assert page.status_code == 200
    assert '<td class="rate c-poor" title="应报 6，按时 3，逾期 1，未报 2"><b>50.0%</b>' in text
    assert "及时率 ≥ 95%" in text and "分档为示例" in text
    assert 'id="rp-trend-data"' in text and "vendor/echarts/echarts.min.js" in text
    assert "NH-C" not in text  # counts, not records
    assert '<a href="/reporting/completeness/export.xlsx?month=2024-08&amp;n=2">导出 Excel</a>' in text


def test_the_board_export_has_one_row_per_area_and_month_with_the_rates(nanhu, client):
    client.force_login(nanhu["city_admin"])
    resp = client.get(reverse("reporting:completeness_export"), {"month": "2024-08", "n": "2"})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:4] == ["区域", "月份", "报送截止", "应报(份)"]
    [aug] = [r for r in rows if r[0] == "南湖区" and r[1] == "2024-08"]
    assert aug[3:8] == [6, 3, 1, 2, 0] and aug[8] == pytest.approx(0.5)
    assert aug[9] == pytest.approx(4 / 6)


def test_the_units_board_is_open_to_a_unit_reporter_and_refused_to_an_enterprise(tasks, client):
    client.force_login(tasks["unit"])
    text = client.get(
        reverse("reporting:completeness_units"), {"month": "2024-09", "n": "2"}
    ).content.decode()
    assert "国家税务总局" in text or "税务" in text
    assert "财政" not in text
    client.force_login(tasks["enterprise"])
    assert client.get(reverse("reporting:completeness")).status_code == 403
    assert client.get(reverse("reporting:completeness_units_export")).status_code == 403


def test_bad_board_parameters_give_a_chinese_message_not_an_error(nanhu, client):
    client.force_login(nanhu["city_admin"])
    page = client.get(reverse("reporting:completeness"), {"month": "2024-13", "n": "abc"})
    assert page.status_code == 200 and "月份应为 YYYY-MM" in page.content.decode()


# -- the 督办 list names whom to chase -----------------------------------------------------------


@pytest.fixture
def contacts(nanhu):
    Enterprise.objects.filter(uscc=nanhu["NH"].enterprise.uscc).update(
        contact_person="王建国", contact_phone="0573-82345678"
    )
    return nanhu


def test_the_overdue_list_names_the_contact_of_each_missing_project_for_an_area_operator(contacts, client):
    client.force_login(contacts["op_nanhu"])
    text = client.get(reverse("reporting:overdue"), {"month": "2024-08"}).content.decode()
    assert "催报清单" in text and "王建国" in text and "0573-82345678" in text
    assert "NH-E" in text  # finished mid-August: still due for August


def test_the_viewer_sees_no_contact(contacts, client):
    client.force_login(contacts["viewer"])
    page = client.get(reverse("reporting:overdue"), {"month": "2024-08"})
    assert page.status_code == 403 and "0573-82345678" not in page.content.decode()
    assert client.get(reverse("reporting:overdue_export"), {"month": "2024-08"}).status_code == 403


def test_the_overdue_export_is_the_areas_chase_list(contacts, client):
    client.force_login(contacts["op_nanhu"])
    resp = client.get(reverse("reporting:overdue_export"), {"month": "2024-08"})
    ws = openpyxl.load_workbook(io.BytesIO(resp.content))["催报清单"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["区域", "项目编号", "项目名称", "企业", "联系人", "联系电话", "报送截止"]
    assert [r[1] for r in rows[1:]] == ["NH-C", "NH-E"]
    assert rows[1][4:6] == ["王建国", "0573-82345678"]
    assert rows[1][6] == dt.datetime(2024, 9, 5, 23, 59, 59)
