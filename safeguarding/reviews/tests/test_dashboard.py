"""The dashboard: the partnership's due and overdue clocks, soonest first, with how late the
overdue ones are so far; running clocks not yet due soon under "Next due"; finished ones not at
all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.core.dates import today as site_today
from safeguarding.core.workingdays import WorkingCalendar
from safeguarding.reviews import services
from safeguarding.testing.factories import make_incident, rapid_review_of

NEXT_DUE = "Next due</caption>"


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def reviews(world):
    """Rapid reviews whose 15-working-day clocks end at different distances from today,
    recorded out of order so that the order on the page is not the order they were made."""
    calendar = WorkingCalendar()
    today = site_today()

    def rapid(name: str, aware_working_days_ago: int):
        aware = calendar.add(today, -aware_working_days_ago)
        incident = make_incident(
            world, la_aware_on=aware, notified_on=aware, reference=f"Child {name}"
        )
        return rapid_review_of(incident)

    made = {
        "due soon": rapid("Charlie", 12),  # due in 3 working days
        "overdue by 5": rapid("Alpha", 20),
        "on track": rapid("Delta", 2),  # due in 13 working days
        "overdue by 1": rapid("Bravo", 16),
        "sent": rapid("Echo", 30),
    }
    services.review_update(
        actor=world.business_unit,
        review=made["sent"],
        sent_to_panel_on=calendar.add(today, -16),
    )
    return made


def test_due_and_overdue_clocks_are_listed_soonest_first(world, client_for, reviews):
    html = client_for(world.business_unit).get(reverse("reviews:dashboard")).content.decode()
    due, upcoming = html.split(NEXT_DUE)
    order = ("overdue by 5", "overdue by 1", "due soon")
    positions = [due.index(f">{reviews[name].title}</a>") for name in order]
    assert positions == sorted(positions)
    assert reviews["on track"].title not in due
    assert reviews["on track"].title in upcoming
    assert reviews["sent"].title not in html


def test_overdue_clocks_say_how_many_working_days_late_they_are_so_far(world, client_for, reviews):
    calendar = WorkingCalendar()
    html = client_for(world.business_unit).get(reverse("reviews:dashboard")).content.decode()
    due = html.split(NEXT_DUE)[0]
    for name, late in (
        ("overdue by 5", "5 working days late so far"),
        ("overdue by 1", "1 working day late so far"),
    ):
        review = reviews[name]
        row = due[due.index(f">{review.title}</a>") :].split("</tr>")[0]
        assert "Overdue" in row
        assert late in row
    row = due[due.index(f">{reviews['due soon'].title}</a>") :].split("</tr>")[0]
    assert "Due soon" in row and "so far" not in row
    start = due.rindex("<tr", 0, due.index(f">{reviews['overdue by 5'].title}</a>"))
    aware = reviews["overdue by 5"].incident.la_aware_on
    assert long_date(calendar.add(aware, 15)) in due[start:]


def test_the_review_page_shows_the_same_lateness(world, client_for, reviews):
    review = reviews["overdue by 5"]
    html = (
        client_for(world.business_unit)
        .get(reverse("reviews:review_detail", args=[review.pk]))
        .content.decode()
    )
    assert "5 working days late so far" in html
