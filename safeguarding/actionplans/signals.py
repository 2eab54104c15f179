"""Hooks into the foundation without changing its services.

- A new partnership gets the action clock rule (post_save on Partnership), so
  `accounts.services.partnership_create` needs no change.
- A new closure day or a change to the action clock rule recomputes the action clocks, as
  `reviews.services.clocks_sync_partnership` does for review clocks.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from safeguarding.accounts.models import ClosureDay, Partnership
from safeguarding.core.models import ClockKey, ClockRule


@receiver(post_save, sender=Partnership, dispatch_uid="actionplans_partnership_rule")
def _partnership_created(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from safeguarding.actionplans.clocks import action_rule_for

        action_rule_for(instance)


@receiver(post_save, sender=ClosureDay, dispatch_uid="actionplans_closure_day")
def _closure_day_saved(sender: Any, instance: ClosureDay, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        from safeguarding.actionplans.clocks import clocks_sync_actions

        clocks_sync_actions(partnership=instance.partnership)


@receiver(post_save, sender=ClockRule, dispatch_uid="actionplans_clock_rule")
def _clock_rule_saved(sender: Any, instance: ClockRule, created: bool, **kwargs: Any) -> None:
    if instance.key == ClockKey.ACTION and not created and not kwargs.get("raw"):
        from safeguarding.actionplans.clocks import clocks_sync_actions

        clocks_sync_actions(partnership=instance.partnership)
