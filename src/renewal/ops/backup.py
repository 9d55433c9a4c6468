"""Backup and restore (备份与恢复): the database and the files kept beside it, with a manifest.

A backup is a new directory::

    manifest.json                         written last: a directory without it is not a backup
    database.sqlite3 | database.pgdump    the database (ops/databases.py)
    media/…                               MEDIA_ROOT: uploaded sheets, bulletins, task-report files
    attachments/…                         ATTACHMENTS_DIR: declaration attachments

The manifest names the engine, the program versions, the last applied migration of every app, the
row count of every table (read from the same consistent state as the dump) and every file with its
size and SHA-256. A restore checks all of it before it touches anything, refuses a target that is
not empty, and after loading checks the row counts again. The database is copied first and the
files second: a file written while the backup runs is at worst an extra file, never a row whose
file is missing (files are written before the row that names them commits).
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import databases
from .databases import BackupError

FORMAT, FORMAT_VERSION = "renewal-backup", 1
MANIFEST = "manifest.json"
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024

__all__ = ["BackupError", "backup_create", "backup_restore", "backup_verify", "media_roots"]


def media_roots() -> dict[str, Path]:
    """The file stores kept beside the database, by the folder name they get in a backup."""
    return {"media": Path(settings.MEDIA_ROOT), "attachments": Path(settings.ATTACHMENTS_DIR)}


def _files(root: Path) -> list[PurePosixPath]:
    if not root.is_dir():
        return []
    return sorted(PurePosixPath(p.relative_to(root).as_posix()) for p in root.rglob("*") if p.is_file())


def _digest(path: Path) -> tuple[int, str]:
    h, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def _copy(source: Path, target: Path) -> tuple[int, str]:
    """Copy one file, hashing the bytes as they are written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    h, size = hashlib.sha256(), 0
    with source.open("rb") as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            h.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return size, h.hexdigest()


def _version() -> str:
    try:
        return metadata.version("renewal")
    except metadata.PackageNotFoundError:
        return "unknown"


def _roots_apart(roots: dict[str, Path]) -> None:
    resolved = {name: root.resolve() for name, root in roots.items()}
    for a, ra in resolved.items():
        for b, rb in resolved.items():
            if a != b and ra.is_relative_to(rb):
                raise BackupError(f"文件目录 {roots[a]} 位于 {roots[b]} 之内：请把附件目录与 MEDIA_ROOT 分开")


def backup_create(*, directory: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write a backup of the database ``using`` and of the media files into the new ``directory``;
    return its manifest."""
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"备份目录 {directory} 已存在且不是空目录：请指定一个新目录")
    connection = connections[using]
    engine = databases.engine_of(connection)
    roots = media_roots()
    _roots_apart(roots)
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.localtime()
    dumped = databases.dump(connection, directory)
    size, digest = _digest(directory / dumped.file)
    entries = [{"path": dumped.file, "size": size, "sha256": digest}]
    for name, root in roots.items():
        for rel in _files(root):
            try:
                size, digest = _copy(root / rel, directory / name / rel)
            except FileNotFoundError:
                continue  # deleted since it was listed: not part of any state worth keeping
            entries.append({"path": f"{name}/{rel}", "size": size, "sha256": digest})
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": created.isoformat(timespec="seconds"),
        "engine": engine,
        "versions": {
            "renewal": _version(),
            "django": django.__version__,
            "python": platform.python_version(),
            **dumped.versions,
        },
        "migrations": dumped.migrations,
        "database": {"file": dumped.file, "tables": dumped.tables},
        "media": {name: str(root) for name, root in roots.items()},
        "files": entries,
    }
    partial = directory / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(directory / MANIFEST)
    return manifest


def _safe(path: str, roots: dict[str, Path], database_file: str) -> PurePosixPath:
    p = PurePosixPath(path)
    inside = p.parts and (str(p) == database_file or (len(p.parts) > 1 and p.parts[0] in roots))
    if p.is_absolute() or ".." in p.parts or not inside:
        raise BackupError(f"清单中的路径 {path} 不合法：备份可能被改动")
    return p


def backup_verify(*, directory: Path) -> dict:
    """Check that ``directory`` holds a complete, unaltered backup: the manifest is there and every
    file it lists has its size and SHA-256, and no other file is there. Returns the manifest."""
    directory = Path(directory)
    path = directory / MANIFEST
    if not directory.is_dir():
        raise BackupError(f"备份目录 {directory} 不存在")
    if not path.is_file():
        raise BackupError(f"备份不完整：{directory} 中没有 {MANIFEST}（备份可能未完成）")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        database_file = manifest["database"]["file"]
        entries = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} 无法读取（{exc}）：备份已损坏或被改动") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{MANIFEST} 不是本程序能识别的备份格式（{manifest.get('format')} {manifest.get('format_version')}）"
        )
    roots = media_roots()
    listed = set()
    for entry in entries:
        rel = _safe(entry["path"], roots, database_file)
        listed.add(rel)
        file = directory / rel
        if not file.is_file():
            raise BackupError(f"备份不完整：缺少文件 {rel}")
        size, digest = _digest(file)
        if size != entry["size"]:
            raise BackupError(
                f"文件 {rel} 大小不符（清单 {entry['size']} 字节，实为 {size} 字节）：备份已损坏或被改动"
            )
        if digest != entry["sha256"]:
            raise BackupError(f"文件 {rel} 的校验和（SHA-256）与清单不符：备份已损坏或被改动")
    if PurePosixPath(database_file) not in listed:
        raise BackupError(f"清单中没有数据库文件 {database_file}：备份已损坏或被改动")
    for rel in _files(directory):
        if rel not in listed and str(rel) != MANIFEST:
            raise BackupError(f"备份中有清单以外的文件 {rel}：备份可能被改动")
    return manifest


def _unknown_migrations(applied: dict[str, str]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in applied.items() if (app, name) not in known]


def _first_difference(expected: dict[str, int], got: dict[str, int]) -> str:
    for table in sorted(set(expected) | set(got)):
        if table not in got:
            return f"缺少表 {table}"
        if table not in expected:
            return f"多出表 {table}"
        if expected[table] != got[table]:
            return f"表 {table} 应有 {expected[table]} 行，实有 {got[table]} 行"
    return ""


def backup_restore(*, directory: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Restore the backup in ``directory`` onto the empty database ``using`` and the empty media
    directories. Everything is checked first; a refusal changes nothing. Returns the manifest and
    the migrations of this program not yet applied to the restored database."""
    directory = Path(directory)
    manifest = backup_verify(directory=directory)
    connection = connections[using]
    engine = databases.engine_of(connection)
    if manifest["engine"] != engine:
        made, here = ENGINE_LABELS.get(manifest["engine"], manifest["engine"]), ENGINE_LABELS[engine]
        raise BackupError(f"这是 {made} 数据库的备份，当前数据库是 {here}：只能恢复到同一种数据库")
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"备份中的数据库迁移 {'、'.join(unknown[:3])} 在本程序中不存在：备份来自更新的版本"
            f"（{manifest['versions'].get('renewal', '未知')}），请先升级程序再恢复"
        )
    existing = databases.tables(connection)
    if existing:
        raise BackupError(
            f"目标数据库 {connection.settings_dict['NAME']} 不是空库（已有 {len(existing)} 张表，如 "
            f"{next(iter(existing))}）：只能恢复到新建的空数据库"
        )
    roots = media_roots()
    for name, root in roots.items():
        if _files(root):
            raise BackupError(f"文件目录 {root} 不是空目录：只能恢复到空目录（{name}）")
    database = manifest["database"]
    databases.load(connection, directory / database["file"], manifest["versions"])
    difference = _first_difference(database["tables"], databases.tables(connection))
    if difference:
        raise BackupError(f"恢复后核对失败：{difference}")
    for entry in manifest["files"]:
        rel = PurePosixPath(entry["path"])
        if rel.parts[0] not in roots:
            continue  # the database file
        size, digest = _copy(directory / rel, roots[rel.parts[0]].joinpath(*rel.parts[1:]))
        if (size, digest) != (entry["size"], entry["sha256"]):
            raise BackupError(f"恢复后核对失败：文件 {rel} 与清单不符")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {"manifest": manifest, "pending_migrations": [f"{m.app_label}.{m.name}" for m, _ in pending]}
