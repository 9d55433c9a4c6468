"""What a backup holds, and the backups a restore refuses — each with a Chinese message naming what
is wrong, before anything is touched."""

from __future__ import annotations

import hashlib
import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from renewal.ops import backup, databases
from renewal.ops.backup import BackupError, backup_create, backup_restore, backup_verify
from renewal.registry.models import Enterprise


def _files(var) -> None:
    (var / "media" / "imports" / "1").mkdir(parents=True)
    (var / "media" / "imports" / "1" / "upload.xlsx").write_bytes(b"PK\x03\x04 sheet")
    (var / "attachments" / "7").mkdir(parents=True)
    (var / "attachments" / "7" / "a1b2.pdf").write_bytes(b"%PDF-1.4 proof")


@pytest.fixture(scope="module")
def pristine(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup of the migrated test database (no rows of its own) with one uploaded file and one
    attachment, made once for the module: the refusals below each spoil a copy of it."""
    root = tmp_path_factory.mktemp("pristine")
    _files(root / "var")
    media = {"MEDIA_ROOT": root / "var" / "media", "ATTACHMENTS_DIR": root / "var" / "attachments"}
    with django_db_blocker.unblock(), override_settings(**media):
        backup_create(directory=root / "backup")
    return root / "backup"


@pytest.fixture
def made(pristine, tmp_path):
    directory = tmp_path / "backup"
    shutil.copytree(pristine, directory)
    return directory


def edit(directory, change) -> None:
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.django_db(transaction=True)  # a backup reads committed rows, outside any transaction
def test_a_backup_lists_every_file_with_its_size_and_checksum_and_the_tables_it_holds(
    people, source_var, tmp_path
):
    _files(source_var)
    directory = tmp_path / "backup"
    manifest = backup_create(directory=directory)
    assert manifest["engine"] == {"sqlite": "sqlite", "postgresql": "postgresql"}[connection.vendor]
    paths = {e["path"]: e for e in manifest["files"]}
    database = manifest["database"]["file"]
    assert set(paths) == {database, "media/imports/1/upload.xlsx", "attachments/7/a1b2.pdf"}
    entry = paths["attachments/7/a1b2.pdf"]
    assert (entry["size"], entry["sha256"]) == (14, hashlib.sha256(b"%PDF-1.4 proof").hexdigest())
    assert (directory / "attachments/7/a1b2.pdf").read_bytes() == b"%PDF-1.4 proof"
    assert paths[database]["size"] == (directory / database).stat().st_size
    tables = manifest["database"]["tables"]
    assert tables["registry_enterprise"] == Enterprise.objects.count() == 2
    assert tables["registry_project"] == 2 and tables["auth_user"] == 8
    assert manifest["migrations"]["registry"] == "0009_enterprise_contact_project_loan"
    assert manifest["versions"]["django"].startswith("5.2")
    assert backup_verify(directory=directory) == manifest


def test_it_refuses_a_backup_directory_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(BackupError, match=f"备份目录 {tmp_path} 已存在且不是空目录"):
        backup_create(directory=tmp_path)
    with pytest.raises(CommandError, match="已存在且不是空目录"):
        call_command("backup", str(tmp_path))


@pytest.mark.parametrize(
    "spoil, message",
    [
        (
            lambda d: (d / "attachments/7/a1b2.pdf").write_bytes(b"%PDF-1.4 pro0f"),
            "文件 attachments/7/a1b2.pdf 的校验和",
        ),
        (
            lambda d: (d / "media/imports/1/upload.xlsx").write_bytes(b"PK"),
            "文件 media/imports/1/upload.xlsx 大小不符",
        ),
        (lambda d: (d / "attachments/7/a1b2.pdf").unlink(), "备份不完整：缺少文件 attachments/7/a1b2.pdf"),
        (lambda d: (d / "manifest.json").unlink(), "备份不完整：.* 中没有 manifest.json"),
        (lambda d: (d / "media/extra.txt").write_text("x"), "备份中有清单以外的文件 media/extra.txt"),
        (lambda d: (d / "manifest.json").write_text("{"), "manifest.json 无法读取"),
        (
            lambda d: edit(d, lambda m: m["files"][-1].update(path="../../etc/passwd")),
            "清单中的路径 ../../etc/passwd 不合法",
        ),
    ],
    ids=["changed", "truncated", "missing", "no-manifest", "extra", "bad-manifest", "path-outside"],
)
@pytest.mark.django_db
def test_a_restore_refuses_a_spoilt_backup_naming_the_file(made, spoil, message):
    directory = made
    spoil(directory)
    with pytest.raises(BackupError, match=message):
        backup_restore(directory=directory)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(directory), "--check")


@pytest.mark.django_db
def test_a_restore_refuses_a_database_that_is_not_empty(made, people):
    with pytest.raises(BackupError, match="不是空库（已有 .* 张表，如 .*）：只能恢复到新建的空数据库"):
        backup_restore(directory=made)
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_a_restore_refuses_a_backup_of_the_other_engine(made):
    directory = made
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[manifest["engine"]]
    edit(directory, lambda m: m.update(engine=other))
    labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    expected = f"这是 {labels[other]} 数据库的备份，当前数据库是 {labels[manifest['engine']]}"
    with pytest.raises(BackupError, match=expected):
        backup_restore(directory=directory)


@pytest.mark.django_db
def test_a_restore_refuses_a_backup_from_a_newer_version(made):
    directory = made
    edit(directory, lambda m: m["migrations"].update(registry="0099_from_the_future"))
    with pytest.raises(
        BackupError, match="迁移 registry.0099_from_the_future 在本程序中不存在：备份来自更新的版本"
    ):
        backup_restore(directory=directory)


def test_the_check_option_verifies_without_restoring(made):
    directory = made
    out = StringIO()
    call_command("restore", str(directory), "--check", stdout=out)
    text = out.getvalue()
    assert text.startswith(f"备份完好：{directory}")
    assert "申报附件 1 个" in text and "上传文件与通报 1 个" in text and "3 个文件均有 SHA-256 校验和" in text


def test_a_restore_refuses_media_directories_that_are_not_empty(made, new_db):
    directory = made
    target = new_db("target")
    (target.media / "bulletins").mkdir(parents=True)
    (target.media / "bulletins" / "old.docx").write_bytes(b"old")
    done = target.try_run("restore", str(directory))
    assert done.returncode == 1
    assert f"文件目录 {target.media} 不是空目录：只能恢复到空目录（media）" in done.stderr
    assert target.tables() == []  # refused before the database was touched


def only_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is PostgreSQL's")


def test_it_says_in_chinese_when_pg_dump_is_older_than_the_server(
    django_db_setup, django_db_blocker, monkeypatch, tmp_path
):
    only_postgres()
    # outside any transaction, as the command runs; refused before anything is read
    with django_db_blocker.unblock():
        connection.ensure_connection()
        server = connection.pg_version // 10000
        older = lambda program, major=None: ("/usr/bin/pg_dump", server - 1, f"{server - 1}.9")  # noqa: E731
        monkeypatch.setattr(databases, "_client", older)
        expected = f"pg_dump 版本 {server - 1}.9 低于数据库服务器版本 {server}\\..*请安装 PostgreSQL {server} 或更新版本的客户端"
        with pytest.raises(BackupError, match=expected):
            backup_create(directory=tmp_path / "again")


def test_it_says_in_chinese_when_pg_dump_is_missing(
    django_db_setup, django_db_blocker, monkeypatch, tmp_path
):
    only_postgres()
    monkeypatch.setattr(databases.shutil, "which", lambda program: None)
    with (
        django_db_blocker.unblock(),
        pytest.raises(BackupError, match="找不到 pg_dump：请安装 .* PostgreSQL 客户端"),
    ):
        backup_create(directory=tmp_path / "again")


@pytest.mark.django_db  # the test runs inside a transaction
def test_a_backup_refuses_to_run_inside_a_transaction(tmp_path):
    with pytest.raises(BackupError, match="须在数据库事务之外进行"):
        backup_create(directory=tmp_path / "again")


def test_the_media_roots_are_the_settings_directories(settings, tmp_path):
    settings.MEDIA_ROOT, settings.ATTACHMENTS_DIR = tmp_path / "m", tmp_path / "a"
    assert backup.media_roots() == {"media": tmp_path / "m", "attachments": tmp_path / "a"}
