"""The checks on the one write path: an error refuses the save (service and import), a warning
flags the value, a correction closes the flag, the area or the city reviews it (issue 17)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renewal.lib.errors import Conflict, Invalid, Refused
from renewal.quality import selectors
from renewal.quality.models import ValueFlag
from renewal.quality.services import flag_review
from renewal.registry.models import MonthlyProgress, Project
from renewal.reporting.services import progress_report
from tests.factories import project
from tests.quality.conftest import MONTHS, WAN, progress

pytestmark = pytest.mark.django_db
JAN, FEB, MAR, APR, MAY = MONTHS[:5]


def test_an_error_refuses_the_save_with_the_chinese_message_naming_the_field(series):
    # 10 + 12 + 11 + 13 = 46万元 reported; May of 955万元 makes 1,001万元 > 总投资 1,000万元
    op = series["op_nanhu"]
    with pytest.raises(Invalid) as refused:
        progress_report(user=op, project=series["NH"], month=MAY, data={"investment": 955 * WAN})
    assert refused.value.errors == {
        "investment": "完成投资：截至2024年5月累计1,001.00万元，超过项目总投资1,000.00万元"
    }
    assert not MonthlyProgress.objects.filter(month=MAY).exists()
    progress_report(
        user=op, project=series["NH"], month=MAY, data={"investment": 954 * WAN, "equipment_investment": 0}
    )
    assert MonthlyProgress.objects.get(month=MAY).investment == 954 * WAN


def test_raising_an_early_month_is_refused_when_a_later_sum_exceeds_the_total(series):
    row = MonthlyProgress.objects.get(project=series["NH"], month=JAN)
    with pytest.raises(Invalid) as refused:
        progress_report(
            user=series["op_nanhu"],
            project=series["NH"],
            month=JAN,
            data={"investment": 965 * WAN},
            version=row.version,
        )
    assert "截至2024年4月累计1,001.00万元" in refused.value.message


def test_cumulative_equipment_above_cumulative_investment_is_refused(series):
    # the model already refuses a month whose equipment exceeds its investment, so only a month
    # written before the checks can leave the sums wrong: April imported as 13万元 with 50万元 of
    # equipment. Cumulative to May: investment 46 + 10 = 56, equipment 50 + 10 = 60 > 56.
    op, nh = series["op_nanhu"], series["NH"]
    MonthlyProgress.objects.filter(project=nh, month=APR).update(equipment_investment=50 * WAN)
    with pytest.raises(Invalid) as refused:
        progress_report(
            user=op, project=nh, month=MAY, data={"investment": 10 * WAN, "equipment_investment": 10 * WAN}
        )
    assert refused.value.errors == {
        "equipment_investment": "完成设备投资：截至2024年5月累计60.00万元，超过累计完成投资56.00万元"
    }
    # with no equipment in May: 50 ≤ 56
    progress_report(user=op, project=nh, month=MAY, data={"investment": 10 * WAN, "equipment_investment": 0})


def test_a_warning_creates_a_flag_and_a_correction_closes_it(series):
    op, nh = series["op_nanhu"], series["NH"]
    # May 40万元: median of 10, 12, 11, 13, 40 is 12, MAD 1 → 28 MADs (> 10); 40 ≤ 10 × 13 (no jump)
    row = progress_report(user=op, project=nh, month=MAY, data={"investment": 40 * WAN})
    flag = ValueFlag.objects.get()
    assert (flag.project, flag.month, flag.rule, flag.field, flag.state) == (
        nh,
        MAY,
        "outlier_mad",
        "investment",
        "待核实",
    )
    assert flag.value == 40 * WAN and flag.reference == 12 * WAN and flag.raised_by == op
    assert flag.message.startswith("完成投资：2024年5月为40.00万元")
    # the same value saved again refreshes nothing
    row = progress_report(user=op, project=nh, month=MAY, data={"investment": 40 * WAN}, version=row.version)
    assert ValueFlag.objects.get().version == 1
    admin = series["city_admin"]
    progress_report(user=admin, project=nh, month=MAY, data={"investment": 14 * WAN}, version=row.version)
    flag.refresh_from_db()
    assert (flag.state, flag.closed_by) == ("已更正", admin) and flag.closed_at is not None
    assert [h.state for h in flag.history.order_by("history_date")] == ["待核实", "已更正"]


def test_a_lowered_month_is_flagged_as_a_drop_until_the_figure_is_back(series):
    op, nh = series["op_nanhu"], series["NH"]
    row = MonthlyProgress.objects.get(project=nh, month=FEB)
    row = progress_report(user=op, project=nh, month=FEB, data={"investment": 11 * WAN}, version=row.version)
    flag = ValueFlag.objects.get(rule="cumulative_drop")
    assert flag.message == "完成投资：更正后截至2024年2月累计由22.00万元降至21.00万元"
    # another save of the month that does not bring it back leaves the flag open
    row = progress_report(user=op, project=nh, month=FEB, data={"robots": 1}, version=row.version)
    flag.refresh_from_db()
    assert flag.state == "待核实"
    progress_report(user=op, project=nh, month=FEB, data={"investment": 12 * WAN}, version=row.version)
    flag.refresh_from_db()
    assert flag.state == "已更正"


@pytest.fixture
def flagged(series):
    progress_report(user=series["op_nanhu"], project=series["NH"], month=MAY, data={"investment": 40 * WAN})
    series["flag"] = ValueFlag.objects.get()
    return series


def test_the_area_operator_confirms_a_flag_with_a_comment(flagged):
    op, flag = flagged["op_nanhu"], flagged["flag"]
    with pytest.raises(Invalid) as invalid:
        flag_review(user=op, flag=flag, state="已核实", comment="", version=1)
    assert invalid.value.errors == {"comment": "核实说明：标记为已核实须填写说明"}
    done = flag_review(user=op, flag=flag, state="已核实", comment="5月设备到货集中付款", version=1)
    assert (done.state, done.closed_by, done.comment, done.version) == (
        "已核实",
        op,
        "5月设备到货集中付款",
        2,
    )
    assert done.history.first().history_user == op
    with pytest.raises(Conflict):
        flag_review(user=op, flag=flag, state="待核实", comment="重新核对", version=1)


@pytest.mark.parametrize("who", ["op_haining", "viewer", "unit", "outsider"])
def test_a_flag_is_not_reviewed_outside_its_scope(flagged, who):
    with pytest.raises((Refused, Exception)) as refused:
        flag_review(user=flagged[who], flag=flagged["flag"], state="已核实", comment="核实无误", version=1)
    assert refused.value.status in (403, 404)
    assert ValueFlag.objects.get().state == "待核实"


def test_the_enterprise_comments_on_its_own_flag_but_does_not_confirm_it(flagged):
    ent, flag = flagged["enterprise"], flagged["flag"]
    with pytest.raises(Refused) as refused:
        flag_review(user=ent, flag=flag, state="已核实", comment="数据无误", version=1)
    assert refused.value.message == "您（企业用户）只能填写说明，核实由区县操作员或市级用户进行"
    done = flag_review(user=ent, flag=flag, state="待核实", comment="5月集中付款，附发票", version=1)
    assert (done.state, done.comment) == ("待核实", "5月集中付款，附发票")


def test_nobody_sets_corrected_by_hand(flagged):
    with pytest.raises(Invalid):
        flag_review(
            user=flagged["city_reviewer"], flag=flagged["flag"], state="已更正", comment="x", version=1
        )


def test_open_errors_re_evaluates_the_area_month_in_two_queries(series):
    # data that came in before the checks: HN-1 (海宁) reported 1,200万元 in May, over its 1,000万元;
    # NH-1 in 南湖 reports May within its total but its equipment (60) exceeds its investment (50)
    progress(series["HN"], MAY, 1200)
    progress(series["NH"], MAY, 4, 60)  # cumulative: 50万元 invested, 60万元 of equipment
    project("HN-2", series["HN"].enterprise)
    progress(Project.objects.get(code="HN-2"), MAY, 5)
    with CaptureQueriesContext(connection) as queries:
        haining = selectors.open_errors("330481", MAY)
    # two queries whatever the number of projects (the others read the active plan)
    assert len([q for q in queries.captured_queries if 'FROM "planning_' not in q["sql"]]) == 2
    assert haining == [
        "项目 HN-1（HN-1 技改项目）完成投资：截至2024年5月累计1,200.00万元，超过项目总投资1,000.00万元"
    ]
    assert selectors.open_errors("330402", MAY) == [
        "项目 NH-1（NH-1 技改项目）完成设备投资：截至2024年5月累计60.00万元，超过累计完成投资50.00万元"
    ]
    assert selectors.open_errors("330402", APR) == []  # April's sums were fine
    assert selectors.open_errors("330481", APR) == []  # HN-1 did not report April


def test_open_flags_lists_the_area_months_open_flags(flagged):
    assert [f.rule for f in selectors.open_flags("330402", MAY)] == ["outlier_mad"]
    assert selectors.open_flags("330481", MAY) == []
    flag_review(user=flagged["op_nanhu"], flag=flagged["flag"], state="已核实", comment="属实", version=1)
    assert selectors.open_flags("330402", MAY) == []


def test_a_deleted_month_is_not_in_the_series(series):
    MonthlyProgress.objects.filter(month=APR).update(is_deleted=True)
    assert list(selectors.series_of([series["NH"].pk])[series["NH"].pk]) == [JAN, FEB, MAR]


def test_no_plan_no_checks(people, monkeypatch):
    monkeypatch.setattr(selectors, "check_rules", lambda: [])
    row = progress_report(
        user=people["op_nanhu"], project=people["NH"], month=JAN, data={"investment": Decimal(10**9)}
    )
    assert row.investment == 10**9 and not ValueFlag.objects.exists()


def test_the_sweep_flags_data_registered_before_the_checks(series):
    from renewal.quality.services import flags_sweep

    progress(series["NH"], MAY, 40)  # imported before the checks: 28 MADs from the median
    assert flags_sweep() == 1
    assert flags_sweep() == 1  # a second run changes nothing
    assert ValueFlag.objects.get().version == 1


def test_an_area_cannot_approve_its_month_while_an_error_check_fails(series):
    """The ladder asks the data checks (approval.BLOCKERS): 海宁's May holds HN-1's 1,200万元 over
    its 1,000万元 total, so 审核本月 is refused naming it; once corrected, the month is approved."""
    from renewal.lib.errors import Invalid
    from renewal.reporting.models import MonthApproval
    from renewal.reporting.services import month_approve, progress_report

    progress(series["HN"], MAY, 1200)
    operator = series["op_haining"]
    with pytest.raises(Invalid) as refused:
        month_approve(user=operator, area="330481", month=MAY)
    assert "HN-1" in refused.value.message and "超过项目总投资1,000.00万元" in refused.value.message
    assert not MonthApproval.objects.filter(area_id="330481", month=MAY).exists()
    row = series["HN"].progress.get(month=MAY)
    progress_report(
        user=operator, project=series["HN"], month=MAY, data={"investment": 900 * 10_000}, version=row.version
    )
    assert month_approve(user=operator, area="330481", month=MAY).state == MonthApproval.State.APPROVED
