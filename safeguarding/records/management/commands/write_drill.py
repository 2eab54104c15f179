"""A writer for the killed-writer drill: records cases one transaction at a time and prints
each case's id as soon as its transaction has committed, until stopped (or --count reached).

    python manage.py write_drill [--count N]

Used by the test that kills it mid-write and checks that no printed id was lost. It writes to
a drill partnership of its own; run it only against a scratch database.
"""

from __future__ import annotations

import itertools
import sys
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safeguarding.accounts.services import partnership_create
from safeguarding.reviews.services import case_create


class Command(BaseCommand):
    help = "Record cases in a loop, one transaction each, printing each committed id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=0, help="Stop after N (0: never).")

    def handle(self, *args: Any, **options: Any) -> None:
        tag = uuid.uuid4().hex[:8]
        partnership = partnership_create(actor=None, name=f"Write drill {tag}", slug=f"drill-{tag}")
        counter = itertools.count(1) if not options["count"] else range(1, options["count"] + 1)
        for n in counter:
            # case_create is one transaction: when it returns, the case is committed.
            case = case_create(
                actor=None,
                partnership=partnership,
                reference=f"Drill {n}",
                outcome="seriously_harmed",
            )
            sys.stdout.write(f"{case.pk}\n")
            sys.stdout.flush()
