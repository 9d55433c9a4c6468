"""`renewal db_worker`: django-tasks-db's worker, plus the leases of our jobs (renewal.lib.jobs).

At start it fails the jobs whose worker died (heartbeat older than the lease), then keeps sweeping
every RENEWAL_JOB_SWEEP_SECONDS; the jobs it runs renew their heartbeat from a keep-alive thread.
django_tasks_db is listed after our apps in INSTALLED_APPS so that this command takes its name."""

import logging

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from renewal.lib import jobs

log = logging.getLogger("renewal.lib.jobs")


class Command(DatabaseWorker):
    help = "后台任务进程（数据库队列）：启动时及定期把心跳超时的任务标记为失败，可在页面重试"

    def handle(self, *args, **options):
        jobs.KEEPALIVE = True
        for line in jobs.sweep_dead_jobs():
            log.warning("后台任务心跳超时，已标记失败：%s", line)
        jobs.start_sweeper()
        super().handle(*args, **options)
