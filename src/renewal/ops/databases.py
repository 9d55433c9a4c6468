"""The database half of a backup, one pair of functions per engine: ``dump`` writes a consistent copy
of the database into the backup directory and reports, read from that same consistent state, the
row count of every table and the last applied migration of every app; ``load`` puts such a copy into
an empty database.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one step under
one read transaction, so the copy is a committed state even while others write — a plain ``cp`` of
the file (and its ``-wal``) is not. PostgreSQL: ``pg_dump`` in custom format, started on a snapshot
exported by our own REPEATABLE READ transaction, in which the rows are counted: the counts in the
manifest are those of the dump. Restored with ``pg_restore`` in one transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Dumped:
    file: str  # name inside the backup directory
    tables: dict[str, int]
    migrations: dict[str, str]
    versions: dict[str, str] = field(default_factory=dict)


SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}


def engine_of(connection: BaseDatabaseWrapper) -> str:
    engine = ENGINES.get(connection.settings_dict["ENGINE"])
    if engine is None:
        raise BackupError(
            f"不支持的数据库引擎 {connection.settings_dict['ENGINE']}：只能备份 SQLite 与 PostgreSQL"
        )
    return engine


def _outside_transaction(connection: BaseDatabaseWrapper) -> None:
    if connection.in_atomic_block:
        raise BackupError("备份与恢复须在数据库事务之外进行")


def last_migrations(rows) -> dict[str, str]:
    """``(app, name)`` rows in the order applied → the last applied migration of each app."""
    last: dict[str, str] = {}
    for app, name in rows:
        last[app] = name
    return dict(sorted(last.items()))


# -- SQLite ----------------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _sqlite_dump(connection: BaseDatabaseWrapper, directory: Path) -> Dumped:
    connection.ensure_connection()
    target = directory / SQLITE_FILE
    copy = sqlite3.connect(target)
    try:
        # pages=-1 (the default): the whole database in one step, one read transaction
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"备份副本未通过完整性检查（{check}）：源数据库可能已损坏")
        tables = _sqlite_tables(copy)
        rows = (
            copy.execute("SELECT app, name FROM django_migrations ORDER BY id")
            if "django_migrations" in tables
            else []
        )
        migrations = last_migrations(rows)
    finally:
        copy.close()
    return Dumped(SQLITE_FILE, tables, migrations, {"sqlite": sqlite3.sqlite_version})


def _sqlite_load(connection: BaseDatabaseWrapper, file: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)  # never changes the backup
    try:
        source.backup(connection.connection)
    finally:
        source.close()


# -- PostgreSQL ------------------------------------------------------------------------------------


def _client(program: str, server_major: int | None = None) -> tuple[str, int, str]:
    """The path, major version and full version of a PostgreSQL client program."""
    path = shutil.which(program)
    wanted = f" {server_major} 或更新版本的" if server_major else "的"
    if path is None:
        raise BackupError(
            f"找不到 {program}：请安装{wanted} PostgreSQL 客户端（Debian/Ubuntu：postgresql-client）"
        )
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    if match is None:
        raise BackupError(f"无法识别 {program} 的版本（{out.strip()}）")
    return path, int(match.group(1)), match.group(0)


def _server_version(connection: BaseDatabaseWrapper) -> tuple[int, str]:
    number = connection.pg_version  # e.g. 150020
    major = number // 10000
    return major, f"{major}.{number % 10000}"


def _libpq_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore through libpq's variables: the password never
    appears on a command line (``ps`` shows those to every user)."""
    s = connection.settings_dict
    env = dict(os.environ)
    pairs = {
        "PGHOST": s.get("HOST"),
        "PGPORT": s.get("PORT"),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGDATABASE": s.get("NAME"),
        "PGSSLMODE": (s.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({k: str(v) for k, v in pairs.items() if v})
    return env


def _pg_tables(connection: BaseDatabaseWrapper, cursor) -> dict[str, int]:
    quote = connection.ops.quote_name
    names = sorted(connection.introspection.table_names(cursor))
    counts = {}
    for n in names:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(n)}")
        counts[n] = cursor.fetchone()[0]
    return counts


def _tail(text: str, lines: int = 5) -> str:
    return "；".join(line.strip() for line in text.strip().splitlines()[-lines:])


def _postgres_dump(connection: BaseDatabaseWrapper, directory: Path) -> Dumped:
    connection.ensure_connection()
    server_major, server = _server_version(connection)
    pg_dump, client_major, client = _client("pg_dump", server_major)
    if client_major < server_major:
        # pg_dump refuses a newer server itself, in English; say it first, with what to install
        raise BackupError(
            f"pg_dump 版本 {client} 低于数据库服务器版本 {server}：请安装 PostgreSQL {server_major} 或更新版本的客户端"
        )
    target = directory / POSTGRES_FILE
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _pg_tables(connection, cursor)
        migrations = {}
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = last_migrations(cursor.fetchall())
        # the dump reads the snapshot this transaction sees: it must stay open until pg_dump ends
        done = subprocess.run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=_libpq_env(connection),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise BackupError(f"pg_dump 失败（退出码 {done.returncode}）：{_tail(done.stderr)}")
    return Dumped(POSTGRES_FILE, tables, migrations, {"pg_dump": client, "postgresql": server})


def _postgres_load(connection: BaseDatabaseWrapper, file: Path, versions: dict[str, str]) -> None:
    connection.ensure_connection()
    server_major, _ = _server_version(connection)
    pg_restore, client_major, client = _client("pg_restore", server_major)
    made_by = versions.get("pg_dump", "")
    if made_by and client_major < int(made_by.split(".")[0]):
        raise BackupError(
            f"pg_restore 版本 {client} 低于制作备份的 pg_dump 版本 {made_by}：请安装 PostgreSQL "
            f"{made_by.split('.')[0]} 或更新版本的客户端"
        )
    done = subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(file),
        ],
        env=_libpq_env(connection),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败（退出码 {done.returncode}），数据库未改动：{_tail(done.stderr)}")


# -- what the services call ------------------------------------------------------------------------


def dump(connection: BaseDatabaseWrapper, directory: Path) -> Dumped:
    _outside_transaction(connection)
    if engine_of(connection) == "sqlite":
        return _sqlite_dump(connection, directory)
    return _postgres_dump(connection, directory)


def tables(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Every table of the database and its row count (the check after a restore)."""
    connection.ensure_connection()
    if engine_of(connection) == "sqlite":
        return _sqlite_tables(connection.connection)
    with connection.cursor() as cursor:
        return _pg_tables(connection, cursor)


def load(connection: BaseDatabaseWrapper, file: Path, versions: dict[str, str]) -> None:
    _outside_transaction(connection)
    if engine_of(connection) == "sqlite":
        _sqlite_load(connection, file)
    else:
        _postgres_load(connection, file, versions)
