"""Write the counts of repeated anonymous refusals whose window has closed into the audit trail
(each is otherwise written with the next refusal after it). Run from cron, e.g. every 10
minutes; prints how many rows it wrote."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safeguarding.api import services


class Command(BaseCommand):
    help = "Write closed windows of repeated anonymous refusals as audit rows."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"rows written {services.refusal_windows_close()}")
