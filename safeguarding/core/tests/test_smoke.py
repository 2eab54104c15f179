import datetime as dt

from django.urls import reverse

from safeguarding.testing.factories import make_incident, rapid_review_of


def test_recorded_incident_shows_its_rapid_review_due_on_the_dashboard(world, client_for):
    today = dt.date.today()
    incident = make_incident(world, la_aware_on=today - dt.timedelta(days=14))
    review = rapid_review_of(incident)
    response = client_for(world.business_unit).get(reverse("reviews:dashboard"))
    assert response.status_code == 200
    assert review.title in response.content.decode()
