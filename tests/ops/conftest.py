"""Backup fixtures: a small world with rows and files of every kind, and empty databases to
restore into (a new file on SQLite, a new database on the same PostgreSQL server, dropped after)."""

from __future__ import annotations

import datetime as dt
import io
import secrets
import sqlite3
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from renewal.declaration import services as declaration
from renewal.declaration.demo import sample_pdf
from renewal.exchange.services import import_job_create
from renewal.registry.models import Statistic
from renewal.reporting.services import progress_report, task_report_submit
from renewal.reports import bulletin, jobs
from renewal.reports.models import Bulletin
from tests.factories import project

from .drill import Db, postgres_admin, postgres_url


@pytest.fixture
def source_var(settings, tmp_path):
    """The media directories of the source: MEDIA_ROOT and ATTACHMENTS_DIR as the settings derive
    them from RENEWAL_VAR_DIR (so the `renewal` processes of the drill find the same ones)."""
    var = tmp_path / "source"
    settings.MEDIA_ROOT = var / "media"
    settings.ATTACHMENTS_DIR = var / "attachments"
    return var


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("企业").write_row(0, 0, ["统一社会信用代码", "企业名称", "所属区域"])
    book.close()
    return buffer.getvalue()


@pytest.fixture
def world(people, source_var):
    """Rows and files of every kind the platform keeps: the plan, users, enterprises, projects,
    monthly progress (with its roll-ups), an attachment, a task report with its file, an uploaded
    sheet and a generated bulletin."""
    since = dt.date(2024, 1, 1)  # 在建 since January: counted at every data date of 2024
    keys = {
        "op_nanhu": project("NH-K", people["NH"].enterprise, provincial_key=True, since=since),
        "op_haining": project("HN-K", people["HN"].enterprise, provincial_key=True, since=since),
    }
    for month, amount in ((6, 1_200_000), (7, 2_500_000), (8, 4_000_000)):
        for who, p in keys.items():
            progress_report(
                user=people[who],
                project=p,
                month=dt.date(2024, month, 1),
                data={
                    "investment": Decimal(amount),
                    "equipment_investment": Decimal(amount // 2),
                    "robots": month,
                },
            )
    for area, value in (("330402", 3_000_000_000), ("330481", 1_000_000_000), ("330400", 4_000_000_000)):
        Statistic.objects.create(
            indicator="mfg_investment", area_code=area, period="2024-08", year=2024, month=8, value=value
        )
    draft = project("NH-D", people["NH"].enterprise, status="草稿")
    pdf = SimpleUploadedFile(
        "备案证明.pdf", sample_pdf("备案证明", ["备份演练"]), content_type="application/pdf"
    )
    declaration.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=pdf)
    task_report_submit(
        user=people["unit"],
        clause="P13",
        unit="tax",
        month=dt.date(2024, 8, 1),
        status="按计划推进",
        text="已完成政策宣讲",
        files=[
            SimpleUploadedFile(
                "宣讲材料.pdf", sample_pdf("宣讲材料", ["P13"]), content_type="application/pdf"
            )
        ],
    )
    import_job_create(user=people["city_admin"], upload=SimpleUploadedFile("企业.xlsx", _xlsx()))
    b = Bulletin.objects.create(month="2024-08", requested_by=people["city_admin"])
    files = bulletin.generate("2024-08", jobs.bulletin_dir(b), pdf=False, issued_on=dt.date(2024, 9, 5))
    Bulletin.objects.filter(pk=b.pk).update(status=Bulletin.Status.DONE, files=[f.name for f in files])
    return people


@pytest.fixture
def source(world, source_var, tmp_path):
    """The source database as the `renewal` processes see it. PostgreSQL: the test database itself
    (the test commits: ``transaction=True``). SQLite: the test database is in memory, out of reach
    of another process, so it is copied (backup API) to a file in WAL mode, which becomes the source."""
    if connection.vendor == "sqlite":
        path = tmp_path / "source.sqlite3"
        copy = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
        copy.close()
        return Db("sqlite", f"sqlite:///{path}", source_var)
    return Db("postgresql", postgres_url(connection.settings_dict), source_var)


@pytest.fixture
def new_db(tmp_path):
    """A factory of empty databases (with empty media directories) to restore into."""
    made = []

    def make(label: str) -> Db:
        var = tmp_path / label
        if connection.vendor == "sqlite":
            return Db("sqlite", f"sqlite:///{tmp_path / f'{label}.sqlite3'}", var)
        name = f"test_restore_{secrets.token_hex(4)}"
        postgres_admin(connection.settings_dict, f'CREATE DATABASE "{name}"')
        made.append(name)
        return Db("postgresql", postgres_url(connection.settings_dict, name), var)

    yield make
    for name in made:
        postgres_admin(connection.settings_dict, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
