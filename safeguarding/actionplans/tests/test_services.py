"""Action services: links, clocks, evidence rules and completion."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.actionplans import services
from safeguarding.actionplans.models import Action, ActionStatus, EvidenceItem
from safeguarding.actionplans.tests.helpers import D, add_note, make_action
from safeguarding.audit.models import AuditEvent
from safeguarding.core.models import Clock, ClockKey
from safeguarding.learning.models import Theme
from safeguarding.learning.services import theme_response_save

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def clock_of(action: Action) -> Clock:
    return Clock.objects.get(
        subject_type=ContentType.objects.get_for_model(Action), subject_id=action.pk
    )


def test_an_action_runs_a_clock_to_its_due_date(world):
    action = make_action(world, agreed_on=D(2023, 1, 9), due_on=D(2023, 3, 31))
    clock = clock_of(action)
    assert clock.rule.key == ClockKey.ACTION
    assert (clock.starts_on, clock.due_on, clock.stopped_on) == (
        D(2023, 1, 9),
        D(2023, 3, 31),
        None,
    )
    # Ten working days before Friday 31 March 2023 is Friday 17 March.
    assert clock.due_soon_from == D(2023, 3, 17)


def test_completing_an_action_without_evidence_is_refused_and_nothing_changes(world):
    action = make_action(world)
    with pytest.raises(services.ActionError, match="Add evidence"):
        services.action_set_status(
            actor=world.business_unit, action=action, status="completed", on=D(2023, 3, 1)
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    assert action.completed_on is None
    assert clock_of(action).stopped_on is None


def test_an_action_with_evidence_can_be_completed_and_its_clock_stops(world):
    action = make_action(world, due_on=D(2023, 3, 31))
    add_note(world, action)
    services.action_set_status(
        actor=world.users["agency_lead"], action=action, status="completed", on=D(2023, 3, 29)
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    clock = clock_of(action)
    assert clock.stopped_on == D(2023, 3, 29)
    assert clock.variance_working_days == -2  # Wed 29 to Fri 31 March: two working days early


def test_adding_evidence_moves_a_not_started_action_into_progress(world):
    action = make_action(world)
    add_note(world, action)
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_links_are_filled_from_the_theme_response(world):
    theme = Theme.objects.get(partnership=world.partnership, name="Escalation")
    response = theme_response_save(
        actor=world.business_unit,
        partnership=world.partnership,
        theme=theme,
        period_start=D(2021, 5, 1),
        period_end=D(2022, 12, 31),
        narrative="New guidance and training.",
    )
    action = make_action(world, theme_response=response)
    assert action.theme == theme
    assert list(response.actions.all()) == [action]


def test_a_theme_of_another_partnership_cannot_be_linked(world, other_world):
    theme = Theme.objects.get(partnership=other_world.partnership, name="Escalation")
    with pytest.raises(services.ActionError, match="another partnership"):
        make_action(world, theme=theme)
    assert not Action.objects.exists()


def test_an_owner_agency_of_another_partnership_is_refused(world, other_world):
    with pytest.raises(services.ActionError):
        make_action(world, agency=other_world.police)


def test_a_due_date_before_the_date_agreed_is_refused(world):
    with pytest.raises(services.ActionError, match="due date"):
        make_action(world, agreed_on=D(2023, 2, 1), due_on=D(2023, 1, 31))


def test_every_change_writes_history_and_an_audit_row(world):
    action = make_action(world)
    add_note(world, action)
    assert action.history.count() == 2  # created, then moved into progress
    summaries = list(
        AuditEvent.objects.filter(object_type="actionplans.Action").values_list(
            "summary", flat=True
        )
    )
    assert any("Set action" in s for s in summaries)
    assert AuditEvent.objects.filter(object_type="actionplans.EvidenceItem").count() == 1


def test_a_pdf_is_stored_under_a_random_name(world, settings):
    action = make_action(world)
    item = services.evidence_add(
        actor=world.business_unit,
        action=action,
        kind="file",
        description="Minutes of the meeting",
        upload=SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
    )
    assert item.original_name == "minutes.pdf"
    assert item.content_type == "application/pdf"
    assert "minutes" not in item.file.name
    assert item.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "must be one of these types"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "not a real PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused(world, name, content, message):
    action = make_action(world)
    with pytest.raises(services.ActionError, match=message):
        services.evidence_add(
            actor=world.business_unit,
            action=action,
            kind="file",
            description="A file",
            upload=SimpleUploadedFile(name, content),
        )
    assert not EvidenceItem.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(world):
    action = make_action(world)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(services.ActionError, match="10 MB"):
        services.evidence_add(
            actor=world.business_unit, action=action, kind="file", description="x", upload=big
        )
