"""Every new partnership starts with the standard theme taxonomy."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from safeguarding.accounts.models import Partnership


@receiver(post_save, sender=Partnership)
def _install_taxonomy(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    # Not for fixtures being loaded (raw): they bring their own rows.
    if created and not kwargs.get("raw"):
        from safeguarding.learning.taxonomy import taxonomy_install_defaults

        taxonomy_install_defaults(partnership=instance)
