"""Reminders of reporting deadlines (issue 17): written before and after each deadline for reports
not made, to the area operators, the enterprise users and the unit reporters; never for a report
made; once per user, kind and subject however often the daily run goes."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from renewal.notices import reminders
from renewal.notices.models import Kind, Notice
from renewal.notices.tasks import remind_daily
from renewal.registry.models import MonthlyProgress
from tests.factories import project

pytestmark = pytest.mark.django_db
JUL, AUG = dt.date(2024, 7, 1), dt.date(2024, 8, 1)
# plan: progress due on the 5th, tasks on the 10th of the next month; reminders 3 days before (示例)
SEP3 = dt.date(2024, 9, 3)


def report(p, month):
    MonthlyProgress.objects.create(project=p, month=month, investment=Decimal(1))


@pytest.fixture
def months(people):
    """NH-1 (the enterprise user's) reported July and August; NH-2 July only; HN-1 nothing."""
    nh2 = project("NH-2", people["NH"].enterprise)
    report(people["NH"], JUL)
    report(people["NH"], AUG)
    report(nh2, JUL)
    people["NH-2"] = nh2
    return people


def notices(user):
    return sorted((n.kind, n.key) for n in Notice.objects.filter(user=user))


def test_the_phase_of_a_deadline(loaded_plan):
    due = dt.datetime(2024, 9, 5, 23, 59, 59)
    following = dt.datetime(2024, 10, 5, 23, 59, 59)
    assert reminders.phase(dt.date(2024, 9, 1), due, following, 3) is None
    assert reminders.phase(dt.date(2024, 9, 2), due, following, 3) == "due"
    assert reminders.phase(dt.date(2024, 9, 5), due, following, 3) == "due"
    assert reminders.phase(dt.date(2024, 9, 6), due, following, 3) == "overdue"
    assert reminders.phase(dt.date(2024, 10, 5), due, following, 3) == "overdue"
    assert reminders.phase(dt.date(2024, 10, 6), due, following, 3) is None


def test_reminders_go_to_whom_a_report_is_missing_and_not_for_a_report_made(months):
    written = reminders.remind(today=SEP3)
    # August is due on 9-05 (3 days ahead): NH-2 and HN-1 have not reported, NH-1 has.
    # July was due on 8-05 and stays overdue up to 9-05: HN-1 is missing; the tax bureau's P13
    # task report of July (due 8-10) is missing.
    assert notices(months["op_nanhu"]) == [(Kind.PROGRESS_DUE, "2024-08:330402")]
    assert notices(months["op_haining"]) == [
        (Kind.PROGRESS_DUE, "2024-08:330481"),
        (Kind.PROGRESS_OVERDUE, "2024-07:330481"),
    ]
    assert notices(months["enterprise"]) == [(Kind.PROGRESS_DUE, "2024-08:NH-2")]  # not NH-1
    assert notices(months["unit"]) == [(Kind.TASK_OVERDUE, "2024-07:tax")]
    assert notices(months["city_admin"]) == [] and notices(months["viewer"]) == []
    assert written == {Kind.PROGRESS_DUE: 3, Kind.PROGRESS_OVERDUE: 1, Kind.TASK_OVERDUE: 1}
    area = Notice.objects.get(user=months["op_nanhu"])
    assert area.title == "2024年08月月度进度：南湖区尚有 1 个项目未报送，2024-09-05 截止"
    assert "NH-2" in area.body and "NH-1" not in area.body
    assert area.link == "/reporting/overdue/?month=2024-08"
    own = Notice.objects.get(user=months["enterprise"])
    assert own.link == "/registry/projects/NH-2/"


def test_a_second_run_writes_nothing_new(months):
    reminders.remind(today=SEP3)
    before = Notice.objects.count()
    assert reminders.remind(today=SEP3) == {}
    assert reminders.remind(today=dt.date(2024, 9, 4)) == {}
    assert Notice.objects.count() == before == 5


def test_after_the_deadline_only_the_still_missing_reports_are_reminded(months):
    reminders.remind(today=SEP3)
    report(months["NH-2"], AUG)  # the enterprise reports on 9-04
    written = reminders.remind(today=dt.date(2024, 9, 6))
    assert notices(months["enterprise"]) == [(Kind.PROGRESS_DUE, "2024-08:NH-2")]  # no overdue one
    assert (Kind.PROGRESS_OVERDUE, "2024-08:330481") in notices(months["op_haining"])
    assert (Kind.PROGRESS_OVERDUE, "2024-08:330402") not in notices(months["op_nanhu"])
    assert written == {Kind.PROGRESS_OVERDUE: 1}


def test_the_before_reminder_waits_for_its_window(months):
    # 9-01: August's window opens on 9-02; only July's overdue reports are reminded
    assert reminders.remind(today=dt.date(2024, 9, 1)) == {Kind.PROGRESS_OVERDUE: 1, Kind.TASK_OVERDUE: 1}
    assert notices(months["op_nanhu"]) == [] and notices(months["enterprise"]) == []


def test_a_notice_is_mailed_when_mail_is_on_and_the_user_has_an_address(
    months, settings, django_capture_on_commit_callbacks
):
    settings.RENEWAL_NOTICE_EMAIL = True
    settings.RENEWAL_SITE_URL = "https://renewal.example.cn"
    months["enterprise"].email = "ent@example.cn"
    months["enterprise"].save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind(today=SEP3)
    [message] = mail.outbox  # the operators and the unit reporter have no address
    assert message.to == ["ent@example.cn"]
    assert message.subject == "【设备更新行动平台】项目 NH-2 2024年08月月度进度请于 2024-09-05 前报送"
    assert "https://renewal.example.cn/registry/" in message.body
    assert Notice.objects.get(user=months["enterprise"]).emailed_at is not None


SENT = []


class RecordingHook:
    def send(self, notice):
        SENT.append(notice.key)


def test_the_sms_hook_is_a_dotted_path_and_logs_by_default(
    months, settings, django_capture_on_commit_callbacks
):
    settings.RENEWAL_NOTICE_HOOK = "tests.notices.test_reminders.RecordingHook"
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind(today=SEP3)
    assert sorted(SENT) == [
        "2024-07:330481",
        "2024-07:tax",
        "2024-08:330402",
        "2024-08:330481",
        "2024-08:NH-2",
    ]
    assert mail.outbox == []  # mail off by default (no EMAIL_HOST)


def test_the_command_and_the_task_run_the_same_reminders(months):
    out = StringIO()
    call_command("remind", today="2024-09-03", stdout=out)
    assert out.getvalue().startswith("2024-09-03：写入提醒 5 条")
    assert Notice.objects.count() == 5
    result = remind_daily.enqueue(today="2024-09-03")  # immediate backend in tests
    assert result.return_value == {}
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", today="2024-13-01")
