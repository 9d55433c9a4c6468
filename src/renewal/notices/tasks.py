"""The daily reminder run (django-tasks; queued by `renewal remind --enqueue`, or run in place by
`renewal remind`): arguments are plain values, no logic here."""

import datetime as dt

from django_tasks import task

from . import reminders


@task()
def remind_daily(today: str) -> dict:
    return reminders.remind(today=dt.date.fromisoformat(today))
