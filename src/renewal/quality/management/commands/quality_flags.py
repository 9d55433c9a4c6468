"""`renewal quality_flags [--area CODE]`: flag the values the plan's warning checks find in the
monthly progress already registered (data imported before the checks)."""

from django.core.management.base import BaseCommand

from renewal.quality.services import flags_sweep


class Command(BaseCommand):
    help = "按方案的数据核查规则检查已登记的月度进度，生成待核实标记"

    def add_arguments(self, parser):
        parser.add_argument("--area", default=None, help="只检查该区域（区域代码）")

    def handle(self, *args, area, **options):
        count = flags_sweep(area=area)
        self.stdout.write(f"数据核查完成：待核实标记 {count} 条")
