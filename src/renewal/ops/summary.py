"""What the backup and restore commands print about a manifest (numbers through lib/units)."""

from __future__ import annotations

from renewal.lib.units import number

from .backup import ENGINE_LABELS

ROOT_LABELS = {"media": "上传文件与通报", "attachments": "申报附件"}


def lines(manifest: dict) -> list[str]:
    tables = manifest["database"]["tables"]
    files = [e for e in manifest["files"] if e["path"] != manifest["database"]["file"]]
    by_root = {name: sum(1 for e in files if e["path"].split("/", 1)[0] == name) for name in ROOT_LABELS}
    size = sum(e["size"] for e in manifest["files"])
    roots = "，".join(f"{label} {number(by_root[name], 0)} 个" for name, label in ROOT_LABELS.items())
    return [
        f"  制作时间：{manifest['created']}（程序 {manifest['versions'].get('renewal', '未知')}）",
        f"  数据库（{ENGINE_LABELS.get(manifest['engine'], manifest['engine'])}）：{number(len(tables), 0)} 张表，"
        f"{number(sum(tables.values()), 0)} 行",
        f"  文件：{roots}",
        f"  合计 {number(size / 1024 / 1024, 1)} MB，{number(len(manifest['files']), 0)} 个文件均有 SHA-256 校验和",
    ]
