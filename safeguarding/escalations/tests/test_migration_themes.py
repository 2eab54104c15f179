"""Migration 0003: theme names held as text become links to the partnership's themes, and a
name that matches no theme is kept in the summary rather than lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safeguarding.escalations.models import Escalation, EscalationStage
from safeguarding.escalations.tests.helpers import D
from safeguarding.testing.factories import make_world

BEFORE = [("escalations", "0002_install_defaults")]
AFTER = [("escalations", "0003_themes_link_to_taxonomy")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_theme_names_become_links_and_unknown_names_are_kept_in_the_summary():
    world = make_world()
    other = make_world()
    stage = EscalationStage.objects.get(partnership=world.partnership, number=1)
    try:
        old = _migrate(BEFORE)
        OldEscalation = old.get_model("escalations", "Escalation")
        OldEscalation.objects.create(
            partnership_id=world.partnership.pk,
            number=1,
            raised_by_agency_id=world.police.pk,
            about_agency_id=world.la.pk,
            raised_on=D(2022, 6, 1),
            stage_id=stage.pk,
            summary="Threshold disagreement.",
            theme_names="escalation, Professional Curiosity ,A theme nobody defined",
        )
        _migrate(AFTER)
    finally:
        _migrate([("escalations", _latest())])

    escalation = Escalation.objects.get(partnership=world.partnership, number=1)
    themes = list(escalation.themes.order_by("name"))
    assert [t.name for t in themes] == ["Escalation", "Professional curiosity"]
    # The partnership's own themes, not the other partnership's of the same name.
    assert all(t.partnership_id == world.partnership.pk for t in themes)
    assert not other.partnership.escalations.exists()
    assert escalation.summary.startswith("Threshold disagreement.")
    assert escalation.summary.endswith("not found in it: A theme nobody defined.")


def _latest() -> str:
    executor = MigrationExecutor(connection)
    leaves = [name for app, name in executor.loader.graph.leaf_nodes() if app == "escalations"]
    return leaves[0]
