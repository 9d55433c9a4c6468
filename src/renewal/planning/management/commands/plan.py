"""`renewal plan check FILE` · `renewal plan load FILE` · `renewal plan show [--json]`, and the
subcommands other apps add (``planning.commands``; `renewal plan draft` comes from drafting)."""

import json

from django.core.management.base import BaseCommand, CommandError

from renewal.planning import commands, schema, selectors, services


class Command(BaseCommand):
    help = "校验、载入或显示行动方案文件（plan file）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="校验方案文件")
        check.add_argument("file")
        load = sub.add_parser("load", help="校验并载入方案文件，设为当前方案")
        load.add_argument("file")
        show = sub.add_parser("show", help="显示当前方案")
        show.add_argument("--json", action="store_true", help="输出 JSON（契约格式）")
        for name, extra in commands.SUBCOMMANDS.items():
            extra.add_arguments(sub.add_parser(name, help=extra.help))

    def handle(self, *args, action, **options):
        if action in commands.SUBCOMMANDS:
            return commands.SUBCOMMANDS[action].handle(self, options)
        if action in {"check", "load"}:
            try:
                plan = schema.read_plan(options["file"])
            except schema.PlanError as exc:
                for line in exc.problems:
                    self.stderr.write(line)
                raise CommandError(f"方案文件无效：{len(exc.problems)} 处问题") from None
            if action == "check":
                self.stdout.write(
                    f"方案文件有效：{plan.document.title}（{len(plan.targets)} 个目标指标，"
                    f"{len(plan.clauses)} 个条款，{len(plan.parameters)} 个政策参数）"
                )
                return
            services.plan_load(plan=plan, source_file=str(options["file"]))
            self.stdout.write(f"已载入方案 {plan.id}：{plan.document.title}")
            return
        try:
            plan = selectors.active_plan()
        except selectors.NoPlanLoaded as exc:
            raise CommandError(str(exc)) from None
        data = selectors.plan_as_json(plan)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{plan.title}（{plan.document_number}）")
        for t in data["targets"]:
            self.stdout.write(f"  {t['id']:<16} {t['name']}：{t['display']}（{t['period']['label']}）")
