"""`renewal backup DIR`: the database and the media files into a new directory, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from renewal.ops import summary
from renewal.ops.backup import MANIFEST, BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库与文件（上传文件、申报附件、月度通报）到一个新目录，附清单（manifest.json）与校验和"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（须不存在或为空）")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（默认 default）")

    def handle(self, *args, **opts):
        directory = Path(opts["directory"])
        try:
            manifest = backup_create(directory=directory, using=opts["database"])
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"备份完成：{directory}")
        for line in summary.lines(manifest):
            self.stdout.write(line)
        self.stdout.write(f"  清单：{directory / MANIFEST}")
