"""Writes for partnerships, agencies, users and partnership settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.agencies import agency_active_people
from safeguarding.accounts.models import AgeBand, Agency, ClosureDay, Partnership, Role, User
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.clocks import clock_rules_install_defaults
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.core.models import ClockRule

DEFAULT_AGE_BANDS = (
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 11", 5, 11),
    ("12 and over", 12, None),
)


@transaction.atomic
def partnership_create(*, actor: Any, name: str, slug: str) -> Partnership:
    """A new partnership with the default clocks and age bands."""
    partnership = Partnership(name=name, slug=slug)
    save_and_record(partnership, actor=actor, summary=f"Created partnership {name}")
    clock_rules_install_defaults(partnership=partnership)
    for label, low, high in DEFAULT_AGE_BANDS:
        AgeBand.objects.create(partnership=partnership, label=label, min_years=low, max_years=high)
    return partnership


@transaction.atomic
def agency_create(
    *,
    actor: Any,
    partnership: Partnership,
    name: str,
    short_name: str = "",
    is_statutory_partner: bool = False,
    workforce_size: int = 0,
) -> Agency:
    agency = Agency(
        partnership=partnership,
        name=name,
        short_name=short_name,
        is_statutory_partner=is_statutory_partner,
        workforce_size=workforce_size,
    )
    save_and_record(agency, actor=actor, summary=f"Added agency {name}")
    return agency


class AgencyStillInUse(ValueError):
    """An agency with people still switched on cannot be retired."""

    def __init__(self, agency: Agency, people: list[User]) -> None:
        self.people = people
        names = ", ".join(f"{p.get_full_name() or p.username} ({p.username})" for p in people)
        super().__init__(
            f"{agency.name} cannot be retired while these people belong to it: {names}. "
            "Switch them off, or move them to another agency, first."
        )


@transaction.atomic
def agency_update(*, actor: Any, agency: Agency, **fields: Any) -> Agency:
    """Rename an agency, mark it a statutory partner or not, or set its workforce size.
    Records that name it show the new name; its history keeps the old one."""
    before = snapshot(Agency.objects.get(pk=agency.pk))
    for name, value in fields.items():
        setattr(agency, name, value)
    save_and_record(agency, actor=actor, summary=f"Changed agency {agency.name}", before=before)
    return agency


@transaction.atomic
def agency_retire(*, actor: Any, agency: Agency) -> Agency:
    """Retire an agency: it stays on every record that names it and leaves every new choice.
    Refused (AgencyStillInUse, nothing changed) while any of its people is switched on: an
    agency lead of a retired agency could no longer be given records or choose their agency."""
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    if locked.retired_at is not None:
        raise ValueError(f"{agency.name} is already retired.")
    people = list(agency_active_people(locked))
    if people:
        raise AgencyStillInUse(locked, people)
    before = snapshot(locked)
    agency.retired_at = timezone.now()
    save_and_record(agency, actor=actor, summary=f"Retired agency {agency.name}", before=before)
    return agency


@transaction.atomic
def user_create(
    *,
    actor: Any,
    partnership: Partnership | None,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    agency: Agency | None = None,
) -> User:
    if role == Role.AGENCY_LEAD and agency is None:
        raise ValueError("An agency lead must belong to an agency.")
    if agency is not None and agency.partnership_id != getattr(partnership, "pk", None):
        raise ValueError("The agency must belong to the user's partnership.")
    if agency is not None and agency.retired_at is not None:
        raise ValueError("A retired agency takes no new people.")
    user = User(
        username=username,
        partnership=partnership,
        role=role,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    user.set_password(password)
    save_and_record(user, actor=actor, summary=f"Added user {username}")
    return user


@transaction.atomic
def clock_rule_update(*, actor: Any, rule: ClockRule, **fields: Any) -> ClockRule:
    """Change a clock rule and recompute every clock of the partnership."""
    from safeguarding.reviews.services import clocks_sync_partnership

    before = snapshot(rule)
    for name, value in fields.items():
        setattr(rule, name, value)
    save_and_record(rule, actor=actor, summary=f"Changed clock rule {rule.name}", before=before)
    clocks_sync_partnership(partnership=rule.partnership)
    return rule


@transaction.atomic
def closure_day_add(
    *, actor: Any, partnership: Partnership, date: dt.date, reason: str
) -> ClosureDay:
    from safeguarding.reviews.services import clocks_sync_partnership

    closure = ClosureDay(partnership=partnership, date=date, reason=reason)
    save_and_record(closure, actor=actor, summary=f"Added closure day {date:%d %B %Y}")
    clocks_sync_partnership(partnership=partnership)
    return closure


@transaction.atomic
def age_band_remove(*, actor: Any, band: AgeBand) -> None:
    """Remove an age band. Nothing else changes: bands are applied when figures are counted, so
    ages it covered count under the band that now covers them, or as "Outside the partnership's
    bands"."""
    before = snapshot(band)
    band._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        summary=f"Removed age band {band.label}",
        obj=band,
        partnership=band.partnership,
        changes={name: [value, None] for name, value in before.items() if name != "id"},
    )
    band.delete()  # the history table keeps it


@transaction.atomic
def age_band_save(*, actor: Any, band: AgeBand, **fields: Any) -> AgeBand:
    before = snapshot(band) if band.pk else None
    for name, value in fields.items():
        setattr(band, name, value)
    save_and_record(band, actor=actor, summary=f"Saved age band {band.label}", before=before)
    return band


@transaction.atomic
def partnership_threshold_set(
    *, actor: Any, partnership: Partnership, small_number_threshold: int
) -> Partnership:
    """Set the partnership's small-number threshold (at least 1: published output always
    suppresses). Kept in the partnership's history and audited with the old and new value.
    Versions issued afterwards apply it; issued ones keep the threshold they state."""
    if small_number_threshold < 1:
        raise ValueError("the small-number threshold is at least 1")
    # The stored row, not `partnership`: a bound ModelForm has already set the new value on it.
    before = snapshot(Partnership.objects.get(pk=partnership.pk))
    partnership.small_number_threshold = small_number_threshold
    save_and_record(
        partnership,
        actor=actor,
        summary=f"Changed the small-number threshold to {small_number_threshold}",
        before=before,
    )
    return partnership
