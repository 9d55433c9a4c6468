"""The upload page: upload → preview (counts, errors) → confirm; big files as a background task."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renewal.exchange import services
from renewal.exchange.models import ImportJob
from renewal.registry.models import Enterprise, Project
from tests.factories import named_users

from . import files as F


@pytest.fixture
def users(loaded_plan):
    return named_users()


def upload(client, path):
    return client.post(reverse("exchange:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())})


def test_the_upload_page_asks_for_a_login(client, loaded_plan):
    response = client.get(reverse("exchange:upload"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_clean_upload_previews_then_commits_on_confirmation(client, users, tmp_path):
    client.force_login(users["op_nanhu"])
    path = F.xlsx(tmp_path / "nanhu.xlsx", {"企业": [F.ENTERPRISE_A], "项目": [F.DECLARED_A]})
    response = upload(client, path)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exchange:job", args=[job.id])
    page = client.get(response["Location"]).content.decode()
    assert "校验通过" in page and "确认导入" in page
    assert Enterprise.objects.count() == 0  # the preview writes nothing
    response = client.post(reverse("exchange:job_commit", args=[job.id]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "已全部导入" in page
    assert Project.objects.get().history.first().history_user == users["op_nanhu"]
    # confirming twice is refused
    assert client.post(reverse("exchange:job_commit", args=[job.id])).status_code == 400


def test_a_broken_upload_lists_every_error_and_offers_the_annotated_copy(client, users, tmp_path):
    client.force_login(users["city_admin"])
    bad = [*F.ENTERPRISE_B]
    bad[3] = "99"
    response = upload(client, F.xlsx(tmp_path / "bad.xlsx", {"企业": [F.ENTERPRISE_A, bad]}))
    page = client.get(response["Location"]).content.decode()
    assert "发现 1 个错误" in page and "未知的行业代码" in page and "确认导入</button>" not in page
    job = ImportJob.objects.get()
    annotated = client.get(reverse("exchange:job_annotated", args=[job.id]))
    assert annotated.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(annotated.streaming_content)))["企业"]
    after = len(F.S.BY_KIND["enterprises"].headers) + 1  # the column after the headers
    assert ws.cell(1, after).value == "错误说明"
    assert ws.cell(3, after).value.startswith("行业代码：未知的行业代码“99”")
    assert ws.cell(3, 4).fill.fgColor.rgb.endswith("FDE2E1")  # the bad cell is highlighted
    assert ws.cell(2, 4).fill.fgColor.rgb in (None, "00000000")


def test_the_annotated_copy_reimports_once_corrected(client, users, tmp_path, run_import):
    """The 错误说明 column is ignored on re-import."""
    client.force_login(users["city_admin"])
    bad = [*F.ENTERPRISE_A]
    bad[5] = "abc"
    response = upload(client, F.xlsx(tmp_path / "bad.xlsx", {"企业": [bad]}))
    job = ImportJob.objects.get()
    content = b"".join(client.get(reverse("exchange:job_annotated", args=[job.id])).streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    wb["企业"]["F2"] = 120
    fixed = tmp_path / "fixed.xlsx"
    wb.save(fixed)
    assert response.status_code == 302
    assert run_import(fixed).committed


def test_every_upload_runs_as_a_background_task_with_progress(
    client, users, tmp_path, django_capture_on_commit_callbacks
):
    """Even a small file is read by the worker's task, never in the request (decision 0023)."""
    client.force_login(users["city_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, F.clean_workbook(tmp_path / "big.xlsx"))
    job = ImportJob.objects.get()
    assert job.background and job.status == ImportJob.Status.DONE  # the immediate backend ran it
    assert services.progress_read(job.id) == {"done": 5, "total": 5, "stage": "完成"}
    progress = client.get(reverse("exchange:job_progress", args=[job.id]))
    assert progress.status_code == 204 and progress["HX-Refresh"] == "true"
    assert "校验通过" in client.get(response["Location"]).content.decode()


def test_the_progress_bar_shows_while_the_job_runs(client, users, tmp_path):
    client.force_login(users["city_admin"])
    job = ImportJob.objects.create(
        user=users["city_admin"], filename="x.xlsx", stored_path="/nonexistent", status="running"
    )
    services.progress_write(job.id, 40_000, 100_000, "校验“项目”")
    page = client.get(reverse("exchange:job_progress", args=[job.id])).content.decode()
    assert '<progress class="bar" max="100000" value="40000">40%</progress>' in page
    assert "已处理 40000 / 100000 行" in page


def test_another_users_job_is_not_found(client, users, tmp_path):
    client.force_login(users["op_nanhu"])
    upload(client, F.xlsx(tmp_path / "n.xlsx", {"企业": [F.ENTERPRISE_A]}))
    job = ImportJob.objects.get()
    client.force_login(users["op_haining"])
    assert client.get(reverse("exchange:job", args=[job.id])).status_code == 404
    client.force_login(users["city_admin"])
    assert client.get(reverse("exchange:job", args=[job.id])).status_code == 200


def test_a_viewer_cannot_upload(client, users, tmp_path):
    client.force_login(users["viewer"])
    assert client.get(reverse("exchange:upload")).status_code == 403  # aggregated figures only
    response = upload(client, F.clean_workbook(tmp_path / "c.xlsx"))
    assert response.status_code == 403 and "只查看汇总数据" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_wrong_file_type_is_refused_on_upload(client, users, tmp_path):
    client.force_login(users["city_admin"])
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF")
    response = upload(client, path)
    assert response.status_code == 400 and "不支持的文件类型“.pdf”" in response.content.decode()


def test_templates_and_exports_download_as_xlsx(client, users):
    client.force_login(users["op_nanhu"])
    for url in (
        reverse("exchange:template"),
        reverse("exchange:template_kind", args=["项目"]),
        reverse("exchange:export", args=["projects"]) + "?year=2024",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert client.get(reverse("exchange:export", args=["nothing"])).status_code == 404
