"""Task reporting: a responsible unit reports on the clauses it leads, with attachments limited in
size and type; the city sees the matrix clause × unit × month with what is late or missing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renewal.accounts.scope import scope_for
from renewal.lib.errors import Conflict, Invalid, Refused
from renewal.reporting import selectors
from renewal.reporting.models import TaskAttachment, TaskReport
from renewal.reporting.services import task_report_submit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
AUG, SEP = dt.date(2024, 8, 1), dt.date(2024, 9, 1)
PDF = b"%PDF-1.4\n1 0 obj\n"


def pdf(name="说明.pdf", size=None):
    return SimpleUploadedFile(name, PDF + b"0" * ((size or 100) - len(PDF)), content_type="application/pdf")


def test_a_unit_reports_on_a_clause_it_leads_with_an_attachment(people):
    unit = people["unit"]  # tax leads P13
    report = task_report_submit(
        user=unit,
        clause="P13",
        unit="tax",
        month=AUG,
        status="按计划推进",
        text="落实加速折旧",
        files=[pdf()],
    )
    assert report.submitted_by == unit and report.version == 1
    a = TaskAttachment.objects.get(report=report)
    assert (a.name, a.content_type, a.size) == ("说明.pdf", "application/pdf", 100)


def test_a_unit_cannot_report_on_a_clause_it_does_not_lead(people):
    with pytest.raises(Refused):
        task_report_submit(
            user=people["unit"], clause="T1", unit="econ-it", month=AUG, status="已完成", text="x"
        )
    with pytest.raises(Refused):
        task_report_submit(user=people["unit"], clause="T1", unit="tax", month=AUG, status="已完成", text="x")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("run.exe", b"MZ\x90\x00"),
            "附件 run.exe：不支持的文件类型（允许：docx、jpeg、jpg、pdf、png、xlsx）",
        ),
        (SimpleUploadedFile("假.pdf", b"MZ\x90\x00 not a pdf"), "附件 假.pdf：文件内容与扩展名 .pdf 不符"),
        (pdf("大.pdf", size=11 * 1024 * 1024), "附件 大.pdf：文件过大（11.0 MB，上限 10 MB）"),
    ],
)
def test_attachments_are_limited_in_type_content_and_size(people, upload, message):
    with pytest.raises(Invalid) as exc:
        task_report_submit(
            user=people["unit"], clause="P13", unit="tax", month=AUG, status="滞后", text="x", files=[upload]
        )
    assert exc.value.message == message
    assert not TaskReport.objects.exists()


def test_a_second_report_must_carry_the_version_it_edits(people):
    kw = dict(user=people["unit"], clause="P13", unit="tax", month=AUG, status="滞后", text="第一次")
    task_report_submit(**kw)
    with pytest.raises(Conflict):
        task_report_submit(**{**kw, "text": "第二次"})
    assert task_report_submit(**{**kw, "text": "第二次", "version": 1}).version == 2


def test_the_matrix_marks_on_time_late_missing_and_not_yet_due(people):
    task_report_submit(
        user=people["unit"], clause="P13", unit="tax", month=AUG, status="按计划推进", text="按时"
    )
    TaskReport.objects.update(submitted_at=dt.datetime(2024, 9, 9, tzinfo=SH))
    task_report_submit(user=people["unit"], clause="P13", unit="tax", month=SEP, status="滞后", text="晚了")
    TaskReport.objects.filter(month=SEP).update(submitted_at=dt.datetime(2024, 10, 12, tzinfo=SH))
    now = dt.datetime(2024, 10, 11, tzinfo=SH)  # after September's task deadline (10-10)
    matrix = selectors.task_matrix(scope=scope_for(people["city_admin"]), months=[AUG, SEP], now=now)
    cells = {(r["clause"].code, r["unit"].id): [c["state"] for c in r["cells"]] for r in matrix["rows"]}
    assert cells[("P13", "tax")] == ["ok", "late"]
    assert cells[("T1", "econ-it")] == ["missing", "missing"]
    early = selectors.task_matrix(
        scope=scope_for(people["city_admin"]), months=[SEP], now=dt.datetime(2024, 10, 1, tzinfo=SH)
    )
    assert {c["state"] for r in early["rows"] for c in r["cells"]} == {"pending", "late"}


def test_the_matrix_covers_every_t_p_o_clause_with_its_lead_units(people):
    rows = selectors.task_matrix(scope=scope_for(people["city_admin"]), months=[AUG])["rows"]
    clauses = {r["clause"].code for r in rows}
    assert clauses == {f"T{i}" for i in range(1, 11)} | {"P11", "P12", "P13", "P14", "O1", "O2", "O3"}
    assert {r["unit"].id for r in rows if r["clause"].code == "P12"} == {"pboc", "finance", "changtou"}


def test_a_unit_reporter_sees_only_its_own_rows(people):
    rows = selectors.task_matrix(scope=scope_for(people["unit"]), months=[AUG])["rows"]
    assert {(r["clause"].code, r["unit"].id) for r in rows} == {("P13", "tax")}


def test_the_task_form_uploads_through_the_page(people, client):
    client.force_login(people["unit"])
    url = reverse("reporting:task_report", args=["P13", "tax", "2024-08"])
    response = client.post(url, {"status": "已完成", "text": "全部落实", "attachments": [pdf("材料.pdf")]})
    assert response.status_code == 302
    assert TaskAttachment.objects.get().name == "材料.pdf"
    bad = client.post(
        url,
        {
            "status": "已完成",
            "text": "x",
            "version": "1",
            "attachments": [SimpleUploadedFile("a.exe", b"MZ")],
        },
    )
    assert bad.status_code == 400 and "不支持的文件类型" in bad.content.decode()
