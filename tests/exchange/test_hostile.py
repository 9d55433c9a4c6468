"""The hostile corpus (issue 20): each file is refused with its exact message before it is parsed,
through the command line's reader and through the upload page's job, and nothing is written.
The files are in tests/fixtures/hostile/ (made by its make.py); bench/uploads.py measures the
memory of the process that reads them."""

import hashlib
import importlib.util
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import FakePayload
from django.urls import reverse

from renewal.exchange.models import ImportJob
from renewal.registry.models import Enterprise, MonthlyProgress, Project
from tests.conftest import FIXTURES
from tests.factories import named_users

HOSTILE = FIXTURES / "hostile"
COLUMNS = "工作表“项目”用到 16,384 列（到第 XFD 列），超过该表的上限 39 列，已拒收；请删除多余的列后再上传"
HTML = "内容是网页（HTML），不是表格文件：请在 Excel 中打开后“另存为” .xlsx 文件再上传"
MEMORY = "读取文件所需内存超过 512 MB 上限，已停止读取，未写入任何数据"
# file → the reader's message (the 项目 kind has 19 columns: 39 with the slack of 20)
REFUSED = {
    "bomb.xlsx": "文件解压后为 256.0 MB，超过 200 MB 上限，已拒收",
    "bomb-formulas.xlsx": "文件内部的“xl/worksheets/sheet1.xml”解压后与其声明的大小（1,024 字节）或校验值不符，"
    "文件已损坏或被篡改，已拒收",
    "columns.xlsx": COLUMNS,
    "rows.xlsx": "工作表“项目”（使用范围 A1:Q1048576）有 1,048,576 行 × 17 列，超过 2,000,000 个单元格上限，"
    "已拒收；请删除多余的行和列后再上传",
    "laughs.xlsx": "文件内部的“xl/sharedStrings.xml”含有 XML 实体声明（<!DOCTYPE>），正常的 Excel 文件没有，已拒收",
    "html.xls": "文件" + HTML,
    "random.xlsx": "文件已损坏或不是有效的 Excel 文件（ZipError）",
    "wide.csv": COLUMNS,
}
# refused by the upload page itself (type and first bytes), before a job exists
REFUSED_ON_UPLOAD = {
    "html.xls": "文件 html.xls：" + HTML,
    "random.xlsx": "文件 random.xlsx：文件内容与扩展名 .xlsx 不符",
}


def nothing_written() -> bool:
    return (Enterprise.objects.count(), Project.objects.count(), MonthlyProgress.objects.count()) == (0, 0, 0)


@pytest.fixture
def users(loaded_plan):
    return named_users()


def test_the_corpus_is_what_its_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    made = make.make(tmp_path)
    assert set(made) == set(REFUSED)
    for name, path in made.items():
        assert (
            hashlib.sha256(path.read_bytes()).digest()
            == hashlib.sha256((HOSTILE / name).read_bytes()).digest()
        )
    assert sum(p.stat().st_size for p in made.values()) < 2 * 1024 * 1024  # small on disk


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_hostile_file_is_refused_by_the_reader_with_its_message(run_import, tmp_path, name):
    path = tmp_path / name
    shutil.copy(HOSTILE / name, path)
    report = run_import(path)
    assert report.fatal == REFUSED[name]
    assert not report.committed and report.sheets == []
    assert nothing_written()


def upload(client, name):
    data = (HOSTILE / name).read_bytes()
    return client.post(reverse("exchange:upload"), {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_hostile_upload_is_refused_with_its_message_and_nothing_written(client, users, name):
    client.force_login(users["city_admin"])
    response = upload(client, name)
    if name in REFUSED_ON_UPLOAD:
        assert response.status_code == 400
        assert REFUSED_ON_UPLOAD[name] in response.content.decode()
        assert not ImportJob.objects.exists()
    else:
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.DONE and job.background  # read by the worker's task
        assert job.report["fatal"] == REFUSED[name] and not job.committed
        assert client.post(reverse("exchange:job_commit", args=[job.id])).status_code == 400
    assert nothing_written()


@pytest.mark.parametrize("name", ["rows.xlsx", "columns.xlsx"])
def test_past_the_bounds_the_memory_limit_of_the_reading_process_stops_the_file(
    run_import, settings, tmp_path, name
):
    """With the cell and column bounds lifted, python-calamine would allocate the sheet's whole
    range (1,048,576 × 17 or 1,001 × 16,384 cells, over 512 MB): the child process's
    address-space limit refuses it, and the importer says so."""
    settings.RENEWAL_UPLOAD_MAX_CELLS = 10**10
    settings.RENEWAL_UPLOAD_COLUMN_SLACK = 20_000
    path = tmp_path / name
    shutil.copy(HOSTILE / name, path)
    report = run_import(path)
    assert report.fatal == MEMORY
    assert not report.committed and nothing_written()


class Unread(FakePayload):
    """A request body that must not be read."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(client, users):
    client.force_login(users["city_admin"])
    response = client.generic(
        "POST",
        reverse("exchange:upload"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(101 * 1024 * 1024),
        **{"wsgi.input": Unread(b"")},
    )
    assert response.status_code == 413
    assert response.content.decode() == "上传的内容过大（101.0 MB，上限 11 MB），未接收；请拆分后再上传"
    assert not ImportJob.objects.exists()


def test_an_11_6_mb_upload_is_refused_early_and_a_10_5_mb_one_by_its_size(client, users):
    client.force_login(users["city_admin"])
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * int(11.6 * 1024 * 1024))
    response = client.post(reverse("exchange:upload"), {"file": big})
    assert response.status_code == 413 and "上限 11 MB" in response.content.decode()
    less = SimpleUploadedFile("less.xlsx", b"PK\x03\x04" + b"\0" * int(10.5 * 1024 * 1024))
    response = client.post(reverse("exchange:upload"), {"file": less})
    assert response.status_code == 400
    assert "文件 less.xlsx：文件过大（10.5 MB，上限 10 MB）" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_encrypted_workbook_passes_the_upload_check_and_is_named_as_such_by_the_reader(client, users):
    client.force_login(users["city_admin"])
    data = (FIXTURES / "exchange" / "agile-password.xlsx").read_bytes()
    client.post(reverse("exchange:upload"), {"file": SimpleUploadedFile("p.xlsx", data)})
    assert ImportJob.objects.get().report["fatal"] == "文件有密码保护，请取消密码后再上传"


def test_other_pages_take_at_most_ten_files_of_the_larger_limit(client, users):
    client.force_login(users["city_admin"])
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": Unread(b"")},
    )
    assert response.status_code == 413  # 10 × 20 MB (attachments) + 5 MB of fields
    assert response.content.decode() == "上传的内容过大（300.0 MB，上限 205 MB），未接收；请拆分后再上传"
