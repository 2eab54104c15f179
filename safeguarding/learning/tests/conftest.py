"""Builders for the learning tests: reviews on chosen dates and findings tagged by theme name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest

from safeguarding.learning.models import Finding, Theme
from safeguarding.learning.services import finding_create
from safeguarding.reviews import services as review_services
from safeguarding.reviews.models import Review
from safeguarding.testing.factories import World


class Builder:
    def __init__(self, world: World) -> None:
        self.world = world
        self.n = 0

    def theme(self, name: str) -> Theme:
        return Theme.objects.get(partnership=self.world.partnership, name=name)

    def review(
        self, opened_on: dt.date, *, kind: str = "local_learning", agencies: Iterable[Any] = ()
    ) -> Review:
        self.n += 1
        return review_services.review_create(
            actor=self.world.business_unit,
            partnership=self.world.partnership,
            agencies=list(agencies),
            kind=kind,
            title=f"Review {self.n}",
            opened_on=opened_on,
        )

    def finding(
        self,
        review: Review,
        kind: str,
        *themes: str,
        agencies: Iterable[Any] = (),
        text: str = "A finding written for a test.",
    ) -> Finding:
        return finding_create(
            actor=self.world.business_unit,
            review=review,
            kind=kind,
            text=text,
            themes=[self.theme(t) for t in themes],
            agencies=list(agencies),
        )


@pytest.fixture
def build(world: World) -> Builder:
    return Builder(world)
