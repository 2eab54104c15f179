from typing import Any

from django.core.management.base import BaseCommand

from safeguarding.accounts.models import Partnership
from safeguarding.demo.loader import load_demo
from safeguarding.demo.partnership import SLUG


class Command(BaseCommand):
    help = "Load the fictional demo partnership (skipped if it is already loaded)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Partnership.objects.filter(slug=SLUG).exists():
            self.stdout.write(f"The demo partnership '{SLUG}' is already loaded.")
            return
        partnership = load_demo()
        self.stdout.write(
            f"Loaded {partnership.name}: {partnership.reviews.count()} reviews, "
            f"{partnership.incidents.count()} incidents, {partnership.users.count()} users."
        )
