"""`renewal calc CASE.json`: the policy calculation, same JSON in and out as the API."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from renewal.planning.selectors import NoPlanLoaded
from renewal.policy.contract import RequestError

from ...calc import parse_json, policy_calculate


class Command(BaseCommand):
    help = "政策计算：读取 CASE.json（与 POST /api/v1/policy/calculate 相同的请求），输出 JSON 结果（金额单位：元）"

    def add_arguments(self, parser):
        parser.add_argument("case", help="请求 JSON 文件路径；“-” 表示从标准输入读取")

    def handle(self, *args, case: str, **options):
        try:
            if case == "-":
                text = sys.stdin.read()
            else:
                with open(case, encoding="utf-8") as fh:
                    text = fh.read()
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{case}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{case}：文件不是 UTF-8 编码") from None
        data = parse_json(text) if text.strip() else None
        # A file of the shared examples holds {"request": …, "answer …": …}: take the request.
        if isinstance(data, dict) and "request" in data and "date" not in data:
            data = data["request"]
        try:
            answer = policy_calculate(data)
        except RequestError as exc:
            for e in exc.errors:
                self.stderr.write(f"{case}: {e['field']}（{e['label']}）：{e['message']}")
            raise CommandError("请求数据有误，未计算") from None
        except NoPlanLoaded as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
