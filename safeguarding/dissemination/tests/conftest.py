from __future__ import annotations

import pytest

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import user_create
from safeguarding.testing.factories import PASSWORD

# Who: the roles of `world`; "health_lead" is the agency lead of another agency of the same
# partnership; "outsider" is the business unit of another partnership; "analyst" belongs to
# no partnership.
WHO = (
    "business_unit",
    "police_lead",
    "health_lead",
    "rag_member",
    "scrutineer",
    "scrutiny_reader",
    "outsider",
    "analyst",
)


@pytest.fixture
def people(world, other_world, db):
    analyst = user_create(
        actor=None, partnership=None, username="analyst", password=PASSWORD, role=Role.ANALYST
    )
    return {
        "business_unit": world.business_unit,
        "police_lead": world.users["agency_lead"],
        "health_lead": world.users["agency_lead_health"],
        "rag_member": world.users["rag_member"],
        "scrutineer": world.users["scrutineer"],
        "scrutiny_reader": world.users["scrutiny_reader"],
        "outsider": other_world.business_unit,
        "analyst": analyst,
    }
