"""Background imports (django-tasks): arguments are ids, no logic here."""

from django_tasks import task

from . import services


@task()
def import_job_task(job_id: str, commit: bool) -> None:
    services.import_job_run(job_id=job_id, commit=commit)
