"""`renewal remind [--today YYYY-MM-DD] [--enqueue]`: write today's reminders of reporting
deadlines (站内消息, and e-mail/hook where configured). Run it once a day (cron or a systemd timer);
``--enqueue`` hands the run to the task worker instead."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renewal.notices import reminders
from renewal.notices.models import Kind


class Command(BaseCommand):
    help = "写入报送截止前后的提醒（站内消息）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按哪一天提醒（YYYY-MM-DD，默认今天）")
        parser.add_argument("--enqueue", action="store_true", help="交由后台任务进程执行")

    def handle(self, *args, today=None, enqueue=False, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today 应为 YYYY-MM-DD，实为 {today!r}") from None
        if enqueue:
            from renewal.notices.tasks import remind_daily

            result = remind_daily.enqueue(today=day.isoformat())
            self.stdout.write(f"已排队：{day:%Y-%m-%d} 的提醒（任务 {result.id}）")
            return
        written = reminders.remind(today=day)
        total = sum(written.values())
        parts = "，".join(f"{Kind(k).label} {n} 条" for k, n in sorted(written.items()))
        self.stdout.write(f"{day:%Y-%m-%d}：写入提醒 {total} 条" + (f"（{parts}）" if parts else ""))
