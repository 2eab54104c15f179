"""Two partnerships for the scope tests: the demo (with every kind of record) and a second,
smaller one whose users are outsiders to the demo. Every record of a kind that pages, exports,
the API or documents can show carries a marker in one text field, `SCOPEMARK-<kind>-<pk>-END`,
so any surface can be checked for the records it lets out; each case's restricted identifying
record holds canary values that must appear on the business unit's identifying-details page only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

from safeguarding.accounts.models import Partnership, Role, User
from safeguarding.accounts.services import user_create
from safeguarding.api.tests.data import populate
from safeguarding.reports import services as report_services
from safeguarding.reviews.models import Case, CaseIdentity
from safeguarding.reviews.services import case_identity_save
from safeguarding.security.scope import KINDS
from safeguarding.testing.factories import make_world

MARKER = re.compile(r"SCOPEMARK-([a-z_]+)-(\d+)-END")
# The text field that carries each kind's marker.
MARKED_FIELDS = {
    "case": "reference",
    "incident": "summary",
    "review": "title",
    "finding": "text",
    "comment": "text",
    "theme": "definition",
    "theme_response": "narrative",
    "action": "title",
    "evidence": "description",
    "recommendation": "title",
    "product": "title",
    "event": "title",
    "submission": "evidence",
    "escalation": "summary",
}
# Canary values planted in every case's identifying record (with the case id appended to the
# text ones), plus the demo's own identifying values, which are just as secret.
CANARY_NAME = "Canaryqz Childname"
CANARY_ADDRESS = "17 Canaryqz Close"
CANARY_NUMBERS = "CANARYQZ-REC"
CANARY_BIRTH = dt.date(1987, 11, 29)
PERIOD = (dt.date(2021, 5, 1), dt.date(2022, 12, 31))


@dataclass
class Worlds:
    demo: Partnership
    other: Partnership
    users: dict[str, User]

    @property
    def bu(self) -> User:
        return self.users["business.unit"]


def _stamp_markers() -> None:
    for kind, field in MARKED_FIELDS.items():
        KINDS[kind].objects.update(
            **{
                field: Concat(
                    Value(f"SCOPEMARK-{kind}-"),
                    Cast("pk", CharField()),
                    Value("-END "),
                    F(field),
                    output_field=CharField(),
                )
            }
        )


def _plant_canaries(actor_for: dict[int, User]) -> None:
    # Every case gets a restricted record; the demo's existing values are kept as they are.
    kept = set(CaseIdentity.objects.values_list("case_id", flat=True))
    for case in Case.objects.exclude(pk__in=kept).order_by("pk")[:40]:
        case_identity_save(
            actor=actor_for[case.partnership_id],
            case=case,
            child_name=f"{CANARY_NAME}{case.pk}",
            date_of_birth=CANARY_BIRTH,
            address=f"{CANARY_ADDRESS} {case.pk}",
            agency_record_numbers=f"{CANARY_NUMBERS}-{case.pk}",
        )


def canaries() -> list[str]:
    """Every identifying value held, in the forms a page or document could print it."""
    values: set[str] = set()
    for name, birth, address, numbers in CaseIdentity.objects.values_list(
        "child_name", "date_of_birth", "address", "agency_record_numbers"
    ):
        values.update(v.strip() for v in [name, *address.splitlines(), *numbers.splitlines()])
        if birth:
            values.update(
                {
                    birth.isoformat(),
                    f"{birth.day} {birth:%B %Y}",
                    f"{birth:%d/%m/%Y}",
                    f"{birth.day} {birth:%b %Y}",
                }
            )
    return sorted(v for v in values if len(v) >= 6)


def _reports(partnership: Partnership, actor: User, *, scrutiny: bool, draft: bool) -> None:
    """A published learning brief and a later draft of it; with `scrutiny`, a published
    scrutiny report for the period too. (Each version renders every document format, which
    takes seconds, so the second partnership gets a brief only.)"""
    if scrutiny:
        start, end = PERIOD
        version = report_services.scrutiny_report_issue(
            actor=actor, partnership=partnership, start=start, end=end, introduction="Intro."
        )
        assert version.is_ready, version.error
        assert report_services.version_publish(actor=actor, version=version) == []
    review = partnership.reviews.filter(findings__isnull=False).order_by("pk").first()
    assert review is not None
    report = report_services.brief_save(
        actor=actor, review=review, summary="What happened.", questions="What next?"
    )
    brief = report_services.brief_issue(actor=actor, report=report)
    brief.refresh_from_db()
    assert brief.is_ready, brief.error
    assert report_services.version_publish(actor=actor, version=brief) == []
    if draft:
        report_services.brief_issue(actor=actor, report=report)  # a draft: not for every role


def _audit_rechecks(demo: Partnership, actor: User) -> None:
    """A multi-agency audit no agency lead's agency took part in, named as re-checking every
    learning product: each product page (the crawl opens one per route) lists it under
    "Re-checked by", a review title outside every lead's scope."""
    from safeguarding.dissemination.models import LearningProduct
    from safeguarding.dissemination.services import audit_recheck_link
    from safeguarding.reviews.services import review_create

    audit = review_create(
        actor=actor,
        partnership=demo,
        kind="audit",
        title="Multi-agency audit of children's services files",
        opened_on=PERIOD[1],
        agencies=[demo.agencies.get(short_name="LA")],
    )
    for product in LearningProduct.objects.filter(partnership=demo):
        audit_recheck_link(actor=actor, audit=audit, product=product)


def build(demo: Partnership, *, reports: bool | str = True) -> Worlds:
    """Add the second partnership, a third agency lead, markers, canaries and reports (with
    `reports="draft"`: only a published and a draft learning brief of the demo)."""
    users = {u.username: u for u in User.objects.filter(partnership=demo)}
    users["regional.analyst"] = User.objects.get(username="regional.analyst")
    users["service.admin"] = User.objects.get(username="service.admin")
    education = demo.agencies.get(short_name="Education")
    users["education.lead"] = user_create(
        actor=None,
        partnership=demo,
        username="education.lead",
        password="education-lead-password",
        role=Role.AGENCY_LEAD,
        agency=education,
        first_name="Ed",
        last_name="Lead",
    )
    other_world = make_world(slug="outsiders")
    populate(other_world)
    other = other_world.partnership
    users["outsider.unit"] = other_world.business_unit
    users["outsider.police"] = other_world.users["agency_lead"]
    _audit_rechecks(demo, users["business.unit"])
    _stamp_markers()
    _plant_canaries({demo.pk: users["business.unit"], other.pk: other_world.business_unit})
    if reports:
        _reports(demo, users["business.unit"], scrutiny=reports is True, draft=True)
    if reports is True:
        _reports(other, other_world.business_unit, scrutiny=False, draft=False)
    for user in users.values():
        user.refresh_from_db()
    return Worlds(demo=demo, other=other, users=users)


def marker_hits(text: str) -> list[tuple[str, int]]:
    return [(kind, int(pk)) for kind, pk in MARKER.findall(text)]


def squeeze(text: str) -> str:
    """A PDF's text with line breaks taken out, so a wrapped marker reads whole again."""
    return re.sub(r"\s+", "", text)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def build_small() -> Worlds:
    """Two factory partnerships with some records of every kind (no demo: quicker), the same
    markers, canaries and reports, and one user per role plus an analyst and an outsider."""
    world = make_world(slug="fields")
    populate(world)
    other = make_world(slug="fields-other")
    populate(other)
    analyst = user_create(
        actor=None,
        partnership=None,
        username="fields-analyst",
        password="fields-analyst-password",
        role=Role.ANALYST,
    )
    u = world.users
    users = {
        "business.unit": world.business_unit,
        "rag.member": u["rag_member"],
        "police.lead": u["agency_lead"],
        "health.lead": u["agency_lead_health"],
        "independent.chair": u["scrutineer"],
        "councillor": u["scrutiny_reader"],
        "regional.analyst": analyst,
        "outsider.unit": other.business_unit,
    }
    _stamp_markers()
    _plant_canaries(
        {world.partnership.pk: world.business_unit, other.partnership.pk: other.business_unit}
    )
    _reports(world.partnership, world.business_unit, scrutiny=True, draft=True)
    _reports(other.partnership, other.business_unit, scrutiny=False, draft=False)
    return Worlds(demo=world.partnership, other=other.partnership, users=users)
