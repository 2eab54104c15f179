"""The service administrator: made on the command line with a one-time link, creates, renames
and closes partnerships on their pages, invites each partnership's business unit user, and
sees no child's record."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Partnership, Role, User
from safeguarding.accounts.tests.helpers import link_path
from safeguarding.core.models import ClockRule
from safeguarding.security.policy import ROUTES

pytestmark = pytest.mark.django_db

PASSWORD = "Heron over the canal at dawn 4"


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _link(text: str) -> str:
    found = re.search(r"https?://\S+/accounts/account/enrol/\S+/", text)
    assert found, text
    return found.group(0)


@pytest.fixture
def admin(db) -> User:
    _command("create_service_admin", "sam.admin@example.org", "--first-name", "Sam")
    user = User.objects.get(email="sam.admin@example.org")
    return user


def test_create_service_admin_prints_a_one_time_link_to_a_password_and_second_factor():
    out = _command("create_service_admin", "Sam.Admin@example.org")
    user = User.objects.get(username="sam.admin@example.org")
    assert (user.role, user.partnership, user.is_superuser) == (Role.SERVICE_ADMIN, None, False)
    assert not user.has_usable_password()
    link = _link(out)
    client = Client()
    response = client.post(link_path(link), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor_setup")
    # Single use.
    assert Client().get(link_path(link)).status_code == 404
    # The same address again: refused, nothing changed.
    with pytest.raises(CommandError, match="already has an account"):
        _command("create_service_admin", "sam.admin@EXAMPLE.org")
    with pytest.raises(CommandError, match="not an email address"):
        _command("create_service_admin", "not an address")
    assert User.objects.filter(role=Role.SERVICE_ADMIN).count() == 1


def test_create_partnership_from_the_shell_invites_its_business_unit_user():
    out = _command(
        "create_partnership",
        "--name",
        "Riverford Safeguarding Children Partnership",
        "--slug",
        "riverford",
        "--business-unit-email",
        "unit@riverford.example.org",
    )
    partnership = Partnership.objects.get(slug="riverford")
    person = User.objects.get(email="unit@riverford.example.org")
    assert (person.partnership, person.role) == (partnership, Role.BUSINESS_UNIT)
    assert ClockRule.objects.filter(partnership=partnership).count() > 0
    assert partnership.age_bands.count() == 4
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["unit@riverford.example.org"]
    assert _link(out) == _link(mail.outbox[0].body)
    before = (Partnership.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="already has this short name"):
        _command(
            "create_partnership",
            "--name=Another",
            "--slug=riverford",
            "--business-unit-email=other@example.org",
        )
    with pytest.raises(CommandError, match="already has an account"):
        _command(
            "create_partnership",
            "--name=Another",
            "--slug=another",
            "--business-unit-email=UNIT@riverford.example.org",
        )
    assert (Partnership.objects.count(), User.objects.count()) == before


def test_the_service_admin_creates_renames_and_closes_a_partnership(admin, client_for):
    client = client_for(admin)
    assert client.get(reverse("reviews:dashboard")).url == reverse("service:partnerships")
    data = {
        "name": "Hallam Vale Safeguarding Partnership",
        "slug": "hallam-vale",
        "business_unit_email": "bu@hallam.example.org",
        "first_name": "Bo",
        "last_name": "Unit",
        # Fields the form does not offer: none takes.
        "role": "service_admin",
        "is_superuser": "on",
        "partnership": "1",
    }
    response = client.post(reverse("service:partnership_create"), data)
    partnership = Partnership.objects.get(slug="hallam-vale")
    assert response.url == reverse("service:partnership_detail", args=[partnership.pk])
    unit = User.objects.get(email="bu@hallam.example.org")
    assert (unit.role, unit.partnership, unit.is_superuser) == (
        Role.BUSINESS_UNIT,
        partnership,
        False,
    )
    assert mail.outbox[-1].to == ["bu@hallam.example.org"]
    page = client.get(response.url).content.decode()
    assert "bu@hallam.example.org" in page and "Invited" in page

    # The same short name again: the page says so, nothing saved.
    before = (Partnership.objects.count(), User.objects.count())
    page = client.post(
        reverse("service:partnership_create"),
        {**data, "name": "Another partnership", "business_unit_email": "x@example.org"},
    ).content.decode()
    assert "There is a problem" in page and "already has this short name" in page
    assert (Partnership.objects.count(), User.objects.count()) == before

    detail = reverse("service:partnership_detail", args=[partnership.pk])
    version = re.search(
        r'name="record_version" value="([^"]*)"', client.get(detail).content.decode()
    )
    assert version
    client.post(
        detail, {"name": "Hallam Vale Children's Partnership", "record_version": version[1]}
    )
    partnership.refresh_from_db()
    assert partnership.name == "Hallam Vale Children's Partnership"

    close = reverse("service:partnership_close", args=[partnership.pk])
    version = re.search(
        r'name="record_version" value="([^"]*)"', client.get(close).content.decode()
    )
    assert version
    response = client.post(close, {"record_version": version[1]})
    assert response.url == reverse("service:partnerships")
    partnership.refresh_from_db()
    unit.refresh_from_db()
    assert partnership.closed_at is not None and not unit.is_active
    assert "Closed" in client.get(reverse("service:partnerships")).content.decode()


def test_the_service_admin_resets_a_business_unit_users_second_factor(admin, client_for, world):
    unit = world.business_unit
    unit.email = "world.unit@example.org"
    unit.save()
    client = client_for(admin)
    url = reverse(
        "service:business_unit_action", args=[world.partnership.pk, unit.pk, "reset-two-factor"]
    )
    page = client.get(url).content.decode()
    version = re.search(r'name="record_version" value="([^"]*)"', page)
    assert version
    response = client.post(url, {"record_version": version[1]})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["world.unit@example.org"]
    assert "/accounts/account/enrol/" in mail.outbox[-1].body


def test_the_service_admin_sees_no_childs_record(admin, client_for, demo):
    """Every page route that shows or changes a partnership's records refuses the service
    administrator (the policy table's last column, checked cell by cell by the access matrix);
    here: that column is D wherever the routes hold a partnership's records."""
    column = {name: rule.cells()["service_admin"] for name, rule in ROUTES.items()}
    record_routes = [
        name
        for name in column
        if name.split(":")[0]
        in {
            "reviews",
            "learning",
            "escalations",
            "actionplans",
            "dissemination",
            "imports",
            "records",
        }
        and name != "reviews:dashboard"
    ]
    assert record_routes and all(column[name] in ("D", "M") for name in record_routes)
    client = client_for(admin)
    for name in (
        "reviews:case_list",
        "reviews:review_list",
        "learning:finding_list",
        "reports:home",
        "reviews:period_summary",
    ):
        assert client.get(reverse(name)).status_code == 403, name


def test_a_second_partnership_with_the_same_name_is_refused(admin, client_for):
    """Outside test finding 4: two partnerships of one name (invitations name the partnership)."""
    from safeguarding.accounts import people

    people.partnership_set_up(
        actor=admin, name="Ashby Partnership", slug="ashby", business_unit_email="a@example.org"
    )
    client = client_for(admin)
    before = (Partnership.objects.count(), User.objects.count())
    page = client.post(
        reverse("service:partnership_create"),
        {
            "name": "ashby partnership",
            "slug": "ashby-two",
            "business_unit_email": "b@example.org",
            "first_name": "B",
            "last_name": "C",
        },
    ).content.decode()
    assert "A partnership already has this name" in page
    assert (Partnership.objects.count(), User.objects.count()) == before
