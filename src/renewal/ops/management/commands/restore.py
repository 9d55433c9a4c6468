"""`renewal restore DIR [--check]`: a backup onto an empty database and empty media directories."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from renewal.ops import summary
from renewal.ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "把 renewal backup 的备份恢复到空数据库与空文件目录（先核对清单与校验和，不符则不动任何数据）"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（renewal backup 所写）")
        parser.add_argument("--check", action="store_true", help="只核对备份是否完整、未被改动，不恢复")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（默认 default）")

    def handle(self, *args, **opts):
        directory = Path(opts["directory"])
        try:
            if opts["check"]:
                manifest = backup_verify(directory=directory)
                self.stdout.write(f"备份完好：{directory}")
            else:
                result = backup_restore(directory=directory, using=opts["database"])
                manifest = result["manifest"]
                self.stdout.write(f"恢复完成：{directory}")
        except BackupError as exc:
            raise CommandError(exc.message) from None
        for line in summary.lines(manifest):
            self.stdout.write(line)
        if not opts["check"] and result["pending_migrations"]:
            n = len(result["pending_migrations"])
            self.stdout.write(
                self.style.WARNING(f"本程序比备份新：还有 {n} 个数据库迁移未应用，请运行 renewal migrate")
            )
