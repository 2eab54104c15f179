"""Background tasks of the reports app, on django-tasks (Django's task framework, backported).

With the database backend (`django_tasks_db`) a worker (`manage.py db_worker`) runs them; with
no backend configured django-tasks runs them at once, in the request (as in the tests).
"""

from __future__ import annotations

from django_tasks import task

from safeguarding.reports.generation import run_generation


@task()
def generate_report_version(version_id: int) -> None:
    """Generate the files of one issued version (its progress is saved as it goes)."""
    run_generation(version_id)
