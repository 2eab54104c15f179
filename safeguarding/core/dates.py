"""Dates as the partnership sees them: Europe/London, not UTC."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today's date in the site's time zone (a clock due today is due until midnight there)."""
    return timezone.localdate()
