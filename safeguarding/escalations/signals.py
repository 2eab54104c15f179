"""Hooks into the foundation without changing its services.

- A new partnership gets the default escalation stages (post_save on Partnership), so
  `accounts.services.partnership_create` needs no change and every way of creating a
  partnership is covered. It runs inside that service's transaction.
- `reviews.services.clocks_sync_partnership` recomputes review clocks when a closure day or a
  clock rule changes; the stage clocks are recomputed here on the same events.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from safeguarding.accounts.models import ClosureDay, Partnership
from safeguarding.core.models import ClockKey, ClockRule


@receiver(post_save, sender=Partnership, dispatch_uid="escalations_partnership_defaults")
def _partnership_created(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from safeguarding.escalations.clocks import stages_install_defaults

        stages_install_defaults(partnership=instance)


@receiver(post_save, sender=ClosureDay, dispatch_uid="escalations_closure_day")
def _closure_day_saved(sender: Any, instance: ClosureDay, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        from safeguarding.escalations.clocks import clocks_sync_escalations

        clocks_sync_escalations(partnership=instance.partnership)


@receiver(post_save, sender=ClockRule, dispatch_uid="escalations_clock_rule")
def _clock_rule_saved(sender: Any, instance: ClockRule, created: bool, **kwargs: Any) -> None:
    if instance.key == ClockKey.ESCALATION_STAGE and not created and not kwargs.get("raw"):
        from safeguarding.escalations.clocks import clocks_sync_escalations

        clocks_sync_escalations(partnership=instance.partnership)
