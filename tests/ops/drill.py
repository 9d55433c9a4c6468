"""The drill's view of a database: the `renewal` command run against it in a process of its own (as
an operator runs it), and its tables and files read directly — SQL through sqlite3 or psycopg, not
through the ORM under test."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 600


@dataclass
class Db:
    engine: str  # sqlite | postgresql
    url: str  # DATABASE_URL
    var: Path  # RENEWAL_VAR_DIR: media/ and attachments/ under it

    @property
    def media(self) -> Path:
        return self.var / "media"

    @property
    def attachments(self) -> Path:
        return self.var / "attachments"

    def env(self) -> dict[str, str]:
        return os.environ | {
            "DJANGO_SETTINGS_MODULE": "renewal.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DATABASE_URL": self.url,
            "RENEWAL_VAR_DIR": str(self.var),
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }

    def python(self, *args: str) -> list[str]:
        return [sys.executable, *args]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """``renewal ARGS`` against this database; fails the test, with its output, if it fails."""
        done = self.try_run(*args)
        assert done.returncode == 0, f"renewal {' '.join(args)}: {done.stdout}\n{done.stderr}"
        return done

    def try_run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            self.python("-m", "renewal.cli", *args),
            env=self.env(),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            text=True,
        )

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(self.python(*args), env=self.env(), stderr=subprocess.PIPE, text=True)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.engine == "sqlite":
            db = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            try:
                return db.execute(sql, params).fetchall()
            finally:
                db.close()
        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as db:
            return db.execute(sql.replace("?", "%s"), params).fetchall()

    def tables(self) -> list[str]:
        if self.engine == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return sorted(r[0] for r in self.query(sql))

    def rows(self) -> dict[str, list[tuple]]:
        """Every row of every table, in one order (sorted by value, independent of storage)."""
        return {t: sorted(self.query(f'SELECT * FROM "{t}"'), key=repr) for t in self.tables()}

    def files(self) -> dict[str, bytes]:
        """Every media file (uploads, bulletins, task-report files, attachments) by relative path."""
        out = {}
        for name, root in (("media", self.media), ("attachments", self.attachments)):
            for p in sorted(root.rglob("*")) if root.is_dir() else []:
                if p.is_file():
                    out[f"{name}/{p.relative_to(root).as_posix()}"] = p.read_bytes()
        return out


def postgres_url(settings_dict: dict, name: str | None = None) -> str:
    s = settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = f"{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{name or s['NAME']}"


def postgres_admin(settings_dict: dict, sql: str) -> None:
    """A statement that cannot run in a transaction (CREATE/DROP DATABASE), on the server's
    maintenance database."""
    with psycopg.connect(
        postgres_url(settings_dict, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True
    ) as db:
        db.execute(sql)
