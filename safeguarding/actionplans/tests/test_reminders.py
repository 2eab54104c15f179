"""`manage.py send_reminders`: each owner is told once per item and threshold."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from safeguarding.accounts.models import User
from safeguarding.actionplans import services
from safeguarding.actionplans.models import ReminderSent
from safeguarding.actionplans.tests.helpers import D, add_note, make_action
from safeguarding.testing.factories import make_incident


@pytest.fixture(autouse=True)
def emails(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in User.objects.all():
        user.email = f"{user.username}@example.invalid"
        user.save()


def email(user: User) -> str:
    return f"{user.username}@example.invalid"


def run(on: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", on, stdout=out)
    return out.getvalue().strip()


def test_running_twice_sends_nothing_new(world):
    # Due Friday 31 March 2023; due soon from Friday 17 March (ten working days before).
    make_action(world, title="Police action", due_on=D(2023, 3, 31))
    assert run("2023-03-20") == "Sent 1 reminder e-mail about 1 item."
    assert len(mail.outbox) == 1
    assert run("2023-03-20") == "Sent 0 reminder e-mails about 0 items."
    assert run("2023-03-21") == "Sent 0 reminder e-mails about 0 items."
    assert len(mail.outbox) == 1


def test_the_owner_agencys_lead_is_told_and_nobody_else(world):
    make_action(world, title="Police action", due_on=D(2023, 3, 31))
    run("2023-03-20")
    (message,) = mail.outbox
    assert message.to == [email(world.users["agency_lead"])]
    assert "Police action" in message.body
    assert "due on 31 March 2023" in message.body
    assert message.subject == "Safeguarding Review Hub: 1 due soon"


def test_an_overdue_action_is_a_second_threshold_told_once(world):
    make_action(world, title="Police action", due_on=D(2023, 3, 31))
    run("2023-03-20")
    assert run("2023-04-03") == "Sent 1 reminder e-mail about 1 item."
    assert run("2023-04-04") == "Sent 0 reminder e-mails about 0 items."
    assert [m.subject for m in mail.outbox] == [
        "Safeguarding Review Hub: 1 due soon",
        "Safeguarding Review Hub: 1 overdue",
    ]
    assert ReminderSent.objects.count() == 2


def test_nothing_is_sent_before_an_item_is_due_soon_or_after_it_is_done(world):
    action = make_action(world, due_on=D(2023, 3, 31))
    assert run("2023-03-16") == "Sent 0 reminder e-mails about 0 items."
    add_note(world, action)
    services.action_set_status(
        actor=world.business_unit, action=action, status="completed", on=D(2023, 3, 15)
    )
    assert run("2023-04-03") == "Sent 0 reminder e-mails about 0 items."
    assert mail.outbox == []


def test_review_clocks_go_to_the_business_unit_in_one_email_per_person(world):
    # Aware Monday 6 March 2023: the notification is due Monday 13 March, the rapid review on
    # Monday 27 March; on 3 April both are overdue.
    make_incident(world, la_aware_on=D(2023, 3, 6))
    make_action(world, due_on=D(2023, 3, 31))
    assert run("2023-04-03") == "Sent 2 reminder e-mails about 3 items."
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted([email(world.business_unit), email(world.users["agency_lead"])])
    business_unit_mail = next(m for m in mail.outbox if m.to == [email(world.business_unit)])
    assert business_unit_mail.subject == "Safeguarding Review Hub: 2 overdue"


def test_an_agency_without_a_lead_is_chased_by_the_business_unit(world):
    lead = User.objects.get(pk=world.users["agency_lead"].pk)
    lead.email = ""
    lead.save()
    make_action(world, due_on=D(2023, 3, 31), agency=world.school)  # schools have no lead
    make_action(world, due_on=D(2023, 3, 31), title="Police, lead without e-mail")
    assert run("2023-03-20") == "Sent 1 reminder e-mail about 2 items."
    assert mail.outbox[0].to == [email(world.business_unit)]
