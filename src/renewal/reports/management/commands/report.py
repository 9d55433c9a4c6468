"""`renewal report monthly --month YYYY-MM -o DIR`: the monthly bulletin (docx, xlsx, PDF)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renewal.planning.selectors import NoPlanLoaded
from renewal.reports import bulletin


class Command(BaseCommand):
    help = "生成月度通报（Word、Excel 附件；已安装 LibreOffice 时另生成 PDF）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        monthly = sub.add_parser("monthly", help="月度通报")
        monthly.add_argument("--month", required=True, help="月份 YYYY-MM")
        monthly.add_argument("-o", "--output", required=True, help="输出目录")
        monthly.add_argument("--no-pdf", action="store_true", help="不生成 PDF")

    def handle(self, *args, **opts):
        try:
            files = bulletin.generate(
                opts["month"],
                Path(opts["output"]),
                pdf=not opts["no_pdf"],
                progress=lambda msg: self.stderr.write(f"… {msg}"),
            )
        except (bulletin.BulletinError, NoPlanLoaded) as exc:
            raise CommandError(str(exc)) from None
        for f in files:
            self.stdout.write(str(f))
