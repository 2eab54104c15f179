"""The agency lead's home page: their agency's actions, the assurance the business unit asked
them for, and the reminders sent to them; nothing of another agency's."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from safeguarding.actionplans.tests.helpers import D, make_action
from safeguarding.dissemination import services as practice
from safeguarding.dissemination.models import Stage
from safeguarding.dissemination.tests.helpers import ask, make_product


@pytest.fixture(autouse=True)
def emails(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in world.users.values():
        user.email = f"{user.username}@example.invalid"
        user.save()


def rows(html: str, caption: str) -> list[str]:
    """The text of each body row of the table with this caption, tags stripped."""
    table = html[html.index(caption) :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_home_lists_their_agencys_actions_requests_and_reminders_only(client_for, world):
    lead = world.users["agency_lead"]  # the police lead
    ours = make_action(world, title="Police: brief response officers", due_on=D(2023, 3, 31))
    make_action(
        world, title="Health: remind health visitors", agency=world.health, due_on=D(2023, 6, 30)
    )
    asked = ask(world, make_product(world, title="Escalation brief"), world.police)
    returned = ask(world, make_product(world, title="Curiosity session"), world.police)
    waiting = ask(world, make_product(world, title="Travel policy newsletter"), world.police)
    ask(world, make_product(world, title="Health only brief"), world.health)
    for record, decision in ((returned, "return"), (waiting, None)):
        submission = practice.assurance_submit(
            actor=lead,
            record=record,
            stage=Stage.RECEIVED,
            achieved_on=D(2023, 2, 20),
            evidence="Sent to every team.",
        )
        if decision == "return":
            practice.assurance_return(
                actor=world.business_unit, submission=submission, note="Which teams?"
            )
    # The daily run on 20 March 2023: the police action is due soon (due 31 March).
    out = io.StringIO()
    call_command("send_reminders", "--date", "2023-03-20", stdout=out)
    assert out.getvalue().strip() == "Sent 1 reminder e-mail about 1 item."

    html = client_for(lead).get(reverse("actionplans:agency_home")).content.decode()

    actions = rows(html, "Open actions, soonest due first")
    assert len(actions) == 1 and actions[0].startswith("Police: brief response officers")
    assert "Health: remind health visitors" not in html
    requests = rows(html, "Assurance requests waiting for your agency")
    assert [r.split(" Not yet confirmed")[0] for r in requests] == [
        "Escalation brief",
        "Curiosity session Returned",
    ]
    for record in (asked, returned):
        assert reverse("dissemination:record_detail", args=[record.pk]) in html
    # Submitted and not yet decided: listed apart, as waiting for the business unit.
    waiting_part = html[html.index("Waiting for the business unit") :]
    assert "Travel policy newsletter" in waiting_part.split("Reminders sent to you")[0]
    assert "Health only brief" not in html
    (reminder,) = rows(html, "Reminder e-mails sent to you")
    assert "Police: brief response officers" in reminder
    assert "Due soon (due 31 March 2023)" in reminder
    # The reminder opens the action it is about.
    link = f'href="{reverse("actionplans:action_detail", args=[ours.pk])}"'
    reminders_part = html[html.index("Reminders sent to you") :]
    assert link in reminders_part


def test_a_reminder_about_an_action_since_given_to_another_agency_is_not_a_link(client_for, world):
    from safeguarding.actionplans import services

    action = make_action(world, title="Police, then health", due_on=D(2023, 3, 31))
    call_command("send_reminders", "--date", "2023-03-20", stdout=io.StringIO())
    services.action_update(actor=world.business_unit, action=action, owner_agency=world.health)
    html = client_for(world.users["agency_lead"]).get(reverse("actionplans:agency_home"))
    (reminder,) = rows(html.content.decode(), "Reminder e-mails sent to you")
    assert "Police, then health" in reminder
    assert reverse("actionplans:action_detail", args=[action.pk]) not in html.content.decode()
