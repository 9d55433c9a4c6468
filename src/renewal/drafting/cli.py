"""`renewal plan draft DOCUMENT [-o draft.yaml | --json]`: a plan file drafted from a policy
document, for people to review (registered with planning's `renewal plan` in ``apps.py``)."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from . import output
from .reader import DraftError

HELP = "从政策文件（.txt/.docx/.pdf）起草方案文件，供人工审核"


def add_arguments(parser) -> None:
    parser.add_argument("file")
    parser.add_argument("-o", "--output", help="草稿写入的 YAML 文件")
    parser.add_argument("--json", action="store_true", help="输出 JSON（与 plan show --json 同形）")


def handle(command, options) -> None:
    try:
        draft = output.draft_file(options["file"])
    except DraftError as exc:
        raise CommandError(str(exc)) from None
    if options["json"]:
        command.stdout.write(json.dumps(output.draft_as_json(draft), ensure_ascii=False, indent=1))
        return
    text = output.draft_to_yaml(draft)
    if not options["output"]:
        command.stdout.write(text)
        return
    with open(options["output"], "w", encoding="utf-8") as f:
        f.write(text)
    command.stdout.write(
        f"已写出草稿 {options['output']}：{len(draft['targets'])} 个目标指标，{len(draft['parameters'])} 个政策参数，"
        f"{len(draft['clauses'])} 个条款，{len(draft['units'])} 个责任单位，{len(draft['areas'])} 个区域"
    )
    for warning in draft["draft"]["warnings"]:
        command.stdout.write(f"  注意：{warning}")
    command.stdout.write("  草稿须经人工审核（审核页 /drafting/）确认后方可载入")
