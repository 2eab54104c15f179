"""One partnership's records for the API tests: some records of each kind, each involving
chosen agencies, so that every role's scope differs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safeguarding.actionplans import services as action_services
from safeguarding.dissemination import services as practice_services
from safeguarding.escalations import services as escalation_services
from safeguarding.escalations.models import EscalationStage
from safeguarding.learning import services as learning_services
from safeguarding.learning.models import Theme
from safeguarding.reviews import services as review_services
from safeguarding.reviews.models import CaseIdentity
from safeguarding.testing.factories import World, make_case, make_incident, rapid_review_of

D = dt.date
IDENTIFYING_NAME = "Zebedee Identifiable-Name"


@dataclass
class Records:
    """Records by kind, then by a name the tests use."""

    world: World
    by_kind: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, kind: str, name: str, obj: Any) -> Any:
        self.by_kind.setdefault(kind, {})[name] = obj
        return obj

    def ids(self, kind: str, *names: str) -> set[int]:
        return {self.by_kind[kind][n].pk for n in names}

    def all_ids(self, kind: str) -> set[int]:
        return {o.pk for o in self.by_kind[kind].values()}


def populate(world: World) -> Records:
    bu = world.business_unit
    r = Records(world)
    police_case = r.add("cases", "police", make_case(world, agencies=[world.police]))
    health_case = r.add("cases", "health", make_case(world, agencies=[world.health]))
    r.add("cases", "none", make_case(world))
    review_services.case_identity_save(
        actor=bu, case=police_case, child_name=IDENTIFYING_NAME, date_of_birth=D(2019, 3, 4)
    )
    assert CaseIdentity.objects.filter(case=police_case).exists()
    aware = D(2023, 3, 1)
    police_incident = make_incident(world, la_aware_on=aware, notified_on=aware, case=police_case)
    health_incident = make_incident(world, la_aware_on=aware, notified_on=aware, case=health_case)
    r.add("incidents", "police", police_incident)
    r.add("incidents", "health", health_incident)
    r.add(
        "incidents",
        "none",
        make_incident(
            world, la_aware_on=aware, decision="pending", case=r.by_kind["cases"]["none"]
        ),
    )
    r.add("reviews", "police", rapid_review_of(police_incident))
    r.add("reviews", "health", rapid_review_of(health_incident))
    school_review = review_services.review_create(
        actor=bu,
        partnership=world.partnership,
        agencies=[world.school, world.police],
        kind="local_learning",
        title="Local review with schools",
        opened_on=D(2023, 4, 3),
    )
    r.add("reviews", "school_police", school_review)
    r.add(
        "reviews",
        "audit",
        review_services.review_create(
            actor=bu,
            partnership=world.partnership,
            kind="audit",
            title="Audit",
            opened_on=D(2023, 5, 2),
        ),
    )
    theme = Theme.objects.filter(partnership=world.partnership).order_by("name").first()
    assert theme is not None
    for name in ("police", "health", "audit"):
        r.add(
            "findings",
            name,
            learning_services.finding_create(
                actor=bu,
                review=r.by_kind["reviews"][name],
                kind="improvement",
                text=f"Finding of the {name} review.",
                themes=[theme],
            ),
        )
    for agency in (world.police, world.health):
        r.add(
            "actions",
            agency.name,
            action_services.action_create(
                actor=bu,
                partnership=world.partnership,
                title=f"Action for {agency}",
                owner_agency=agency,
                lead="A lead",
                agreed_on=D(2023, 6, 1),
                due_on=D(2023, 9, 1),
            ),
        )
    product = practice_services.product_save(
        actor=bu,
        partnership=world.partnership,
        kind="learning_brief",
        title="Brief",
        summary="A learning brief.",
        issued_on=D(2023, 6, 5),
        themes=[theme],
    )
    r.add("learning_products", "brief", product)
    r.add(
        "learning_events",
        "session",
        practice_services.event_save(
            actor=bu,
            product=product,
            audience_agencies=[world.police, world.health],
            title="Session",
            held_on=D(2023, 7, 3),
            status="planned",
            capacity=30,
        ),
    )
    for record in practice_services.assurance_request(
        actor=bu, product=product, agencies=[world.police, world.health], on=D(2023, 7, 10)
    ):
        r.add("assurance_records", record.agency.name, record)
    stage = EscalationStage.objects.filter(partnership=world.partnership).order_by("number")[0]
    for by, about in ((world.police, world.health), (world.la, world.school)):
        r.add(
            "escalations",
            f"{by.name}->{about.name}",
            escalation_services.escalation_record(
                actor=bu,
                partnership=world.partnership,
                raised_by_agency=by,
                about_agency=about,
                category="threshold",
                raised_on=D(2023, 8, 1),
                stage=stage,
            ),
        )
    for s in EscalationStage.objects.filter(partnership=world.partnership):
        r.add("escalation_stages", str(s.number), s)
    for t in Theme.objects.filter(partnership=world.partnership):
        r.add("themes", t.name, t)
    for a in (world.la, world.health, world.police, world.school):
        r.add("agencies", a.name, a)
    return r
