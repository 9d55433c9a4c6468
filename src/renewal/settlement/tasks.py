"""Background tasks (django-tasks; database backend in production, immediate in tests)."""

from django_tasks import task

from . import services


@task()
def settle_year(run_id: int) -> None:
    services.settlement_run_execute(run_id=run_id)
