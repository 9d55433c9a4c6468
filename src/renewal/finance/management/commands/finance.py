"""`renewal finance batch …` and `renewal finance subsidy …` (P12, issue 15).

- ``batch NAME --projects CODE,CODE… | --eligible [--push] [--pushed-on YYYY-MM-DD] [--user NAME]``:
  compile a batch of the list pushed to banks (备选项目清单) and, with ``--push``, review and push it
  (``finance.batches``);
- ``subsidy --from YYYY-MM-DD --to YYYY-MM-DD [--area CODE] [--json]``: the interest subsidy (贴息) of
  every eligible loan over a period (``finance.subsidy``).
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "融资支持（P12）：编制和推送备选项目清单批次；计算贷款贴息"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        batch = sub.add_parser("batch", help="编制（并推送）备选项目清单批次")
        batch.add_argument("name", help="批次名称")
        which = batch.add_mutually_exclusive_group(required=True)
        which.add_argument("--projects", help="项目编号，以逗号分隔")
        which.add_argument("--eligible", action="store_true", help="全部符合条件且未推送的项目")
        batch.add_argument("--push", action="store_true", help="审核并推送")
        batch.add_argument("--pushed-on", help="推送生效日期 YYYY-MM-DD（仅用于载入以往批次）")
        batch.add_argument("--user", help="以该用户身份编制（默认：第一个市级管理员）")
        batch.add_argument("--json", action="store_true")
        subsidy = sub.add_parser("subsidy", help="计算贷款贴息")
        subsidy.add_argument("--from", dest="date_from", required=True, help="期间起 YYYY-MM-DD")
        subsidy.add_argument("--to", dest="date_to", required=True, help="期间止 YYYY-MM-DD")
        subsidy.add_argument("--area", help="区域代码")
        subsidy.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        if options["action"] == "batch":
            from renewal.finance.batches import batch_command

            batch_command(self, **options)
        else:
            from renewal.finance.subsidy import subsidy_command

            subsidy_command(self, **options)
