"""Background tasks of the reports app (arguments are ids; no logic here)."""

from django_tasks import task


@task()
def generate_bulletin(bulletin_id: int) -> None:
    from .jobs import bulletin_run

    bulletin_run(bulletin_id=bulletin_id)
