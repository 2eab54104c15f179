"""Background tasks of the imports app, on django-tasks (as the reports app's).

With the database backend (`django_tasks_db`) a worker (`manage.py db_worker`) runs them; with
the immediate backend they run at once, within the request (as in the tests).
"""

from __future__ import annotations

from django_tasks import task

from safeguarding.imports.jobs import run_import_job


@task()
def run_import(job_id: int) -> None:
    """Import one uploaded file (its progress is saved as it goes)."""
    run_import_job(job_id)
