"""`renewal template [KIND] -o FILE.xlsx` — a blank import template (all kinds by default)."""

from django.core.management.base import BaseCommand, CommandError

from renewal.exchange import sheets as S
from renewal.exchange.template import write_template


class Command(BaseCommand):
    help = "生成导入模板（表头、下拉列表、批注与示例行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "kind", nargs="?", help="种类：" + "、".join(f"{s.name}({s.kind})" for s in S.SHEETS)
        )
        parser.add_argument("-o", "--output", required=True, help="输出文件 FILE.xlsx")

    def handle(self, *args, kind, output, **options):
        kinds = None
        if kind:
            spec = S.sheet_for(kind)
            if spec is None:
                raise CommandError(f"未知的种类“{kind}”（可选：{'、'.join(s.name for s in S.SHEETS)}）")
            kinds = [spec.kind]
        names = write_template(output, kinds)
        self.stdout.write(f"已生成模板 {output}（工作表：{'、'.join(names)}）")
