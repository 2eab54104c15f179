"""Builders for dissemination tests, on top of the shared `world`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguarding.dissemination import services
from safeguarding.dissemination.models import AssuranceRecord, LearningEvent, LearningProduct
from safeguarding.learning.models import Theme
from safeguarding.testing.factories import World

D = dt.date
EVENT_ON = D(2023, 2, 6)


def make_product(
    world: World,
    *,
    title: str = "Escalation learning brief",
    themes: Any = ("Escalation",),
    kind: str = "learning_brief",
) -> LearningProduct:
    return services.product_save(
        actor=world.business_unit,
        partnership=world.partnership,
        kind=kind,
        title=title,
        summary="What the reviews found about escalation.",
        issued_on=D(2023, 1, 16),
        themes=[Theme.objects.get(partnership=world.partnership, name=t) for t in themes],
    )


def make_event(
    world: World,
    product: LearningProduct,
    *,
    agencies: Any,
    status: str = "delivered",
    on: dt.date = EVENT_ON,
) -> LearningEvent:
    return services.event_save(
        actor=world.business_unit,
        product=product,
        audience_agencies=agencies,
        title="Practitioner session",
        held_on=on,
        status=status,
        capacity=40,
    )


def ask(world: World, product: LearningProduct, agency: Any) -> AssuranceRecord:
    return services.assurance_request(
        actor=world.business_unit, product=product, agencies=[agency], on=D(2023, 2, 1)
    )[0]
