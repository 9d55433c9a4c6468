"""`renewal import FILE [--dry-run] [--user USERNAME]` — the CLI contract of DESIGN.md.

On any invalid row prints `sheet, row, column: message` lines, writes nothing and exits 1.
Runs as a city administrator unless ``--user`` names the importer (then that user's scope and
name in the audit trail).
"""

from __future__ import annotations

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope, scope_for
from renewal.exchange import services


class ProgressBar:
    """A text progress bar on stderr (only on a terminal unless forced)."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.last = stream, enabled, 0.0

    def __call__(self, done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.2 and done < total):
            return
        self.last = now
        share = done / total if total else 1.0
        bar = "█" * int(share * 30) + "░" * (30 - int(share * 30))
        self.stream.write(f"\r{stage:<16} {bar} {share:6.1%}  {done:,}/{total:,} 行")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "导入 Excel/CSV 文件（企业、项目、月度进度、试点示范、首台套、资金下达、统计指标）：全部成功才写入"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只校验并预览，不写入")
        parser.add_argument("--user", help="以该用户身份导入（权限范围与审计记录）；默认市级管理员")
        parser.add_argument("--progress", action="store_true", help="总是显示进度条（默认仅在终端显示）")
        parser.add_argument("--reason", default="", help="更正已锁定月份的理由（仅市级管理员；记入修改历史）")

    def handle(self, *args, file, dry_run, user, progress, reason, **options):
        importer = None
        scope = Scope(role=Role.CITY_ADMIN)
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"用户 {user} 不存在")
            scope = scope_for(importer)
        bar = ProgressBar(sys.stderr, progress or sys.stderr.isatty())
        report = services.workbook_import(
            path=file, filename=file, user=importer, scope=scope, dry_run=dry_run, progress=bar, reason=reason
        )
        if report.fatal:
            self.stdout.write(f"{file}: {report.fatal}")
            for issue in report.errors:
                self.stdout.write(issue.line())
            sys.exit(1)
        for issue in report.warnings:
            self.stdout.write("提示 " + issue.line())
        if not report.ok:
            for issue in report.errors:
                self.stdout.write(issue.line())
            if report.truncated:
                self.stdout.write(f"……另有 {report.truncated} 条问题未列出")
            self.stdout.write(f"共 {report.error_count} 个错误，未写入任何数据。")
            sys.exit(1)
        verb = "预览（未写入）" if dry_run else "已导入"
        self.stdout.write(f"{verb}：{report.summary()}")
