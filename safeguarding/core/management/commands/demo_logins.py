from typing import Any

from django.core.management.base import BaseCommand

from safeguarding.accounts.models import User
from safeguarding.demo import partnership as p


class Command(BaseCommand):
    help = "Print the demo logins, one per role."

    def handle(self, *args: Any, **options: Any) -> None:
        names = [*p.USERS, *p.OTHER_USERS, p.ANALYST[0], p.SERVICE_ADMIN[0]]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=names).select_related("partnership", "agency")
        }
        self.stdout.write(f"Demo logins (password for all: {p.PASSWORD}):")
        for name in names:
            user = users.get(name)
            if user is None:
                continue
            where = (
                user.agency.name
                if user.agency
                else (user.partnership.name if user.partnership else "no partnership")
            )
            self.stdout.write(f"  {name:<20} {user.get_role_display()} — {where}")
