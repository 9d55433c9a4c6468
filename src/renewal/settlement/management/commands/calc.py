"""`renewal calc CASE.json`: the policy calculation, same JSON in and out as the API.

A file that cannot be calculated (not found, not JSON, an invalid request) is one Chinese line on
stderr and exit status 1, never a traceback."""

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

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not self._called_from_command_line or options.get("traceback"):
                raise
            # Django would print "CommandError: …", an English class name: the message alone.
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)

    def handle(self, *args, case: str, **options):
        try:
            if case == "-":
                text = sys.stdin.read()
            else:
                with open(case, encoding="utf-8") as fh:
                    text = fh.read()
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{case}") from None
        except IsADirectoryError:
            raise CommandError(f"{case}：是目录，不是请求文件") from None
        except UnicodeDecodeError:
            raise CommandError(f"{case}：文件不是 UTF-8 编码") from None
        try:
            data = parse_json(text) if text.strip() else None
            # A file of the shared examples holds {"request": …, "answer …": …}: take the request.
            if isinstance(data, dict) and "request" in data and "date" not in data:
                data = data["request"]
            answer = policy_calculate(data)
        except RequestError as exc:
            raise CommandError(f"{case}：请求数据有误，未计算：{exc}") from None
        except NoPlanLoaded as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
