"""The business unit sets the small-number threshold on the Settings page: a GOV.UK field with a
hint, refused below 1 with an error summary, kept in the partnership's history and audited; the
next published version applies it and says so.

Before, no page set the threshold at all, so every partnership kept the default of 0 and every
public copy was its draft; no test opened the Settings page with a threshold in mind."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.reports.scrutiny import build_scrutiny_report

URL = "accounts:settings"


def _post(client, partnership, value):
    data = {"small_number_threshold": value, **version_data(partnership)}
    return client.post(reverse(URL), data)


def test_the_business_unit_sets_the_threshold_and_it_is_kept_in_history_and_audited(
    world, client_for
):
    partnership = world.partnership
    assert partnership.small_number_threshold == 5  # the default
    client = client_for(world.business_unit)
    page = client.get(reverse(URL)).content.decode()
    assert 'name="small_number_threshold"' in page
    assert "Small-number threshold" in page
    assert "govuk-hint" in page and "cannot be less than 1" in page

    response = _post(client, partnership, "3")
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.small_number_threshold == 3
    event = AuditEvent.objects.filter(summary__contains="small-number threshold").latest("pk")
    assert event.changes["small_number_threshold"] == [5, 3]
    assert event.actor_id == world.business_unit.pk
    history = list(
        partnership.history.order_by("history_id").values_list("small_number_threshold", flat=True)
    )
    assert history[-2:] == [5, 3]
    # The next published version applies it and says so; the draft shows every count.
    start, end = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
    public = build_scrutiny_report(partnership=partnership, start=start, end=end, published=True)
    assert "Counts from 1 to 3 are shown as [c]" in public.plain_text()
    draft = build_scrutiny_report(partnership=partnership, start=start, end=end)
    assert "[c]" not in draft.plain_text()


def test_a_threshold_below_1_is_refused_with_an_error_summary(world, client_for):
    partnership = world.partnership
    client = client_for(world.business_unit)
    for value in ("0", "-2", "", "five"):
        response = _post(client, partnership, value)
        assert response.status_code == 200, value
        page = response.content.decode()
        assert "govuk-error-summary" in page, value
        assert "<title>Error:" in page, value
        partnership.refresh_from_db()
        assert partnership.small_number_threshold == 5, value
    page = _post(client, partnership, "0").content.decode()
    assert "The small-number threshold must be 1 or more" in page


def test_only_the_business_unit_may_change_the_threshold(world, client_for):
    for role in ("rag_member", "scrutineer", "scrutiny_reader", "agency_lead"):
        response = _post(client_for(world.users[role]), world.partnership, "1")
        assert response.status_code == 403, role
    world.partnership.refresh_from_db()
    assert world.partnership.small_number_threshold == 5
