"""Each person's display time zone: picked on the profile, applied to the times on pages and
in emails, never to the contract's clock, to sealed PDFs or to what is stored."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from compliance import services as compliance_services
from compliance.models import ApiToken
from contracts import services
from contracts.display_zone import DisplayTimeZoneMiddleware, shown_to, viewer_time_zone
from contracts.models import AuditAction, AuditEvent, User
from contracts.texts.formats import format_datetime
from tests.compliance.event_fixtures import incident_row, with_terms
from tests.contracts.documents.test_signed_pdf_pages import _certificate

pytestmark = pytest.mark.django_db

PROFILE = "compliance:profile"
SET_ZONE = "compliance:profile_time_zone"


def pick(client, zone: str):
    return client.post(reverse(SET_ZONE), {"display_time_zone": zone})


# ---------------------------------------------------------------- picking the zone


def test_a_person_picks_a_zone_and_the_profile_shows_it(tenants, client_for):
    client = client_for(tenants.provider_author)
    response = pick(client, "America/New_York")
    assert response.status_code == 302 and response.url == reverse(PROFILE)
    tenants.provider_author.refresh_from_db()
    assert tenants.provider_author.display_time_zone == "America/New_York"
    body = client.get(reverse(PROFILE)).content.decode()
    assert "Times are now shown in America/New_York." in body
    assert 'value="America/New_York"' in body
    assert "Times are shown in America/New_York" in body
    assert '<option value="Europe/Amsterdam">' in body  # the list the field searches


def test_a_zone_typed_loosely_is_the_zone_of_that_name(tenants, client_for):
    pick(client_for(tenants.provider_author), " america/new york ")
    tenants.provider_author.refresh_from_db()
    assert tenants.provider_author.display_time_zone == "America/New_York"


def test_an_unknown_zone_is_refused_and_nothing_changes(tenants, client_for):
    client = client_for(tenants.provider_author)
    pick(client, "Europe/Amsterdam")
    response = pick(client, "Mars/Olympus_Mons")
    assert response.status_code == 400
    body = response.content.decode()
    assert "“Mars/Olympus_Mons” is not a known time zone" in body
    assert 'aria-invalid="true"' in body or "is-invalid" in body
    tenants.provider_author.refresh_from_db()
    assert tenants.provider_author.display_time_zone == "Europe/Amsterdam"


def test_an_empty_zone_goes_back_to_the_default(tenants, client_for):
    client = client_for(tenants.provider_author)
    pick(client, "Asia/Tokyo")
    pick(client, "")
    tenants.provider_author.refresh_from_db()
    assert tenants.provider_author.display_time_zone == ""
    assert "You have not picked a time zone" in client.get(reverse(PROFILE)).content.decode()


def test_the_service_refuses_an_unknown_zone(tenants):
    with pytest.raises(ValidationError):
        services.user_display_time_zone_set(user=tenants.provider_author, time_zone="Nowhere/Town")
    assert User.objects.get(pk=tenants.provider_author.pk).display_time_zone == ""


def test_anonymous_visitors_cannot_set_a_zone(client):
    response = client.post(reverse(SET_ZONE), {"display_time_zone": "Asia/Tokyo"})
    assert response.status_code == 302 and "/login" in response.url


# ---------------------------------------------------------------- the times shown


def _log(contract, at: datetime) -> AuditEvent:
    """An event in ``contract``'s log at ``at`` (the log is append-only: made, never moved)."""
    return AuditEvent.objects.create(
        contract=contract,
        actor_name="Alice",
        action=AuditAction.EVENT_RECORDED,
        summary=f"Recorded at {at:%H:%M} UTC",
        created_at=at,
    )


def _activity(client, contract) -> str:
    return client.get(reverse("contracts:contract_activity", args=[contract.reference])).content.decode()


def test_new_york_sees_the_activity_time_converted_with_est_and_edt(tenants, client_for):
    _log(tenants.contract, datetime(2026, 12, 3, 14, 15, tzinfo=UTC))  # winter: UTC−5
    _log(tenants.contract, datetime(2026, 7, 1, 13, 0, tzinfo=UTC))  # summer: UTC−4
    services.user_display_time_zone_set(user=tenants.provider_admin, time_zone="America/New_York")
    client = client_for(tenants.provider_admin)
    body = _activity(client, tenants.contract)
    assert ">3 December 2026, 09:15 EST (America/New_York)</time>" in body
    assert ">1 July 2026, 09:00 EDT (America/New_York)</time>" in body
    assert "(Europe/Amsterdam)</time>" not in body
    org = reverse("contracts:organisation_activity", kwargs={"slug": tenants.provider.slug})
    assert ">3 December 2026, 09:15 EST (America/New_York)</time>" in client.get(org).content.decode()


def test_without_a_zone_the_activity_is_on_the_contracts_zone(tenants, client_for):
    _log(tenants.contract, datetime(2026, 12, 3, 14, 15, tzinfo=UTC))
    _log(tenants.contract, datetime(2026, 7, 1, 13, 0, tzinfo=UTC))
    body = _activity(client_for(tenants.provider_admin), tenants.contract)
    assert ">3 December 2026, 15:15 CET (Europe/Amsterdam)</time>" in body
    assert ">1 July 2026, 15:00 CEST (Europe/Amsterdam)</time>" in body


def test_summer_times_read_edt(tenants, client_for):
    token, _ = compliance_services.api_token_create(user=tenants.provider_author, name="Monitoring")
    ApiToken.objects.filter(pk=token.pk).update(created_at=datetime(2026, 7, 1, 13, 0, tzinfo=UTC))
    services.user_display_time_zone_set(user=tenants.provider_author, time_zone="America/New_York")
    body = client_for(tenants.provider_author).get(reverse(PROFILE)).content.decode()
    assert "<td>1 July 2026, 09:00 EDT (America/New_York)</td>" in body


def test_event_times_stay_on_the_contracts_clock_with_its_zone(tenants, client_for):
    contract = with_terms(tenants)
    compliance_services.events_upsert(
        kind="incidents", contract=contract, user=tenants.provider_author, rows=[incident_row(1)]
    )
    services.user_display_time_zone_set(user=tenants.provider_author, time_zone="America/New_York")
    body = (
        client_for(tenants.provider_author)
        .get(reverse("compliance:incidents", args=[contract.reference]))
        .content.decode()
    )
    # 2 March 2026 09:00 in Amsterdam, as recorded; not 03:00 New York time.
    assert "2026-03-02 09:00 CET" in body and "2026-03-02 09:20 CET" in body
    assert "2026-03-02 10:00–10:30 CET" in body  # the pause
    assert "EST" not in body


def test_the_page_leaves_djangos_clock_alone(tenants):
    """Services take today's date from Django's current zone: a person's zone must not move it."""
    request = RequestFactory().get("/")
    tenants.provider_author.display_time_zone = "Pacific/Kiritimati"
    request.user = tenants.provider_author
    seen = {}

    def view(request):
        seen.update(viewer=viewer_time_zone(), django=timezone.get_current_timezone_name())

    DisplayTimeZoneMiddleware(view)(request)
    assert seen == {"viewer": "Pacific/Kiritimati", "django": "UTC"}
    assert viewer_time_zone() == ""


# ---------------------------------------------------------------- emails


def _invite(tenants, email):
    invitation = services.invitation_create(
        organisation=tenants.provider,
        email=email,
        role="viewer",
        receives_reports=False,
        invited_by=tenants.provider_admin,
    )
    invitation.__class__.objects.filter(pk=invitation.pk).update(
        expires_at=datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
    )
    assert services.invitation_email_send(invitation_id=invitation.pk)


def test_an_email_shows_its_times_in_the_recipients_zone(tenants, mailoutbox):
    services.user_display_time_zone_set(user=tenants.outsider_admin, time_zone="Asia/Tokyo")
    _invite(tenants, tenants.outsider_admin.email)
    message = mailoutbox[-1]
    expected = "11 December 2026, 02:00 JST (Asia/Tokyo)"
    assert expected in message.body
    assert expected in message.alternatives[0][0]


def test_an_email_to_someone_without_an_account_shows_utc(tenants, mailoutbox):
    _invite(tenants, "newcomer@brightline.example")
    assert "10 December 2026, 17:00 UTC" in mailoutbox[-1].body


def test_format_matches_the_filter():
    assert format_datetime(datetime(2026, 12, 10, 17, 0, tzinfo=UTC), "Asia/Tokyo").endswith(
        "JST (Asia/Tokyo)"
    )


# ---------------------------------------------------------------- PDFs


def test_the_signing_certificate_names_utc_whoever_renders_it():
    with shown_to("America/New_York"):
        html = render_to_string("pdf/certificate.html", {"cert": _certificate(), "first_page": 1})
    assert "<td>2026-11-30 09:15:00 UTC</td>" in html
    assert "Completed 2026-11-30 09:15:00 UTC." in html
    assert "America/New_York" not in html


# ---------------------------------------------------------------- the organisation's default

ORG_ZONE = "contracts:organisation_time_zone"


def _set_default(client, organisation, zone: str):
    return client.post(reverse(ORG_ZONE, kwargs={"slug": organisation.slug}), {"display_time_zone": zone})


@pytest.mark.parametrize(
    ("own", "defaults", "shown"),
    [
        ("", [], ""),  # nobody set anything: the contract's zone, or UTC
        ("", ["America/New_York"], "America/New_York"),
        ("Asia/Tokyo", ["America/New_York"], "Asia/Tokyo"),  # the person's own pick wins
        ("", ["America/New_York", "America/New_York"], "America/New_York"),  # two that agree
        ("", ["America/New_York", "Europe/London"], ""),  # two that disagree: no guess
        ("", ["America/New_York", ""], "America/New_York"),  # one without a default does not count
    ],
)
def test_the_zone_shown_to_a_person(tenants, own, defaults, shown):
    from contracts.models import Membership
    from contracts.selectors.display_zones import display_time_zone_of
    from tests import factories

    person = factories.member(tenants.provider, "viewer", "zoned@brightline.example")
    services.user_display_time_zone_set(user=person, time_zone=own)
    for number, zone in enumerate(defaults):
        organisation = factories.organisation(f"Org {number}")
        Membership.objects.create(user=person, organisation=organisation, role="viewer")
        services.organisation_default_time_zone_set(organisation=organisation, time_zone=zone)
    assert display_time_zone_of(person) == shown


def test_an_admin_sets_the_default_and_members_without_a_zone_see_it(tenants, client_for):
    admin = client_for(tenants.provider_admin)
    detail = reverse("contracts:organisation_detail", kwargs={"slug": tenants.provider.slug})
    assert "No default: members who picked no zone" in admin.get(detail).content.decode()
    response = _set_default(admin, tenants.provider, "america/new york")
    assert response.status_code == 302 and response.url == detail
    tenants.provider.refresh_from_db()
    assert tenants.provider.default_time_zone == "America/New_York"
    assert (
        "Members who picked no time zone now see times in America/New_York."
        in admin.get(detail).content.decode()
    )

    _log(tenants.contract, datetime(2026, 12, 3, 14, 15, tzinfo=UTC))
    # Neither the admin nor the author picked a zone of their own.
    assert ">3 December 2026, 09:15 EST (America/New_York)</time>" in _activity(admin, tenants.contract)
    profile = client_for(tenants.provider_author).get(reverse(PROFILE)).content.decode()
    assert "times are shown in your organisation's default, America/New_York" in profile
    # The customer's people are not the provider's members: their default stays their own.
    customer = client_for(tenants.customer_admin)
    assert ">3 December 2026, 15:15 CET (Europe/Amsterdam)</time>" in _activity(customer, tenants.contract)


def test_a_bad_default_is_refused_keeping_what_was_typed(tenants, client_for):
    admin = client_for(tenants.provider_admin)
    _set_default(admin, tenants.provider, "Europe/Amsterdam")
    response = _set_default(admin, tenants.provider, "Mars/Olympus_Mons")
    assert response.status_code == 400
    body = response.content.decode()
    assert "“Mars/Olympus_Mons” is not a known time zone" in body and 'value="Mars/Olympus_Mons"' in body
    tenants.provider.refresh_from_db()
    assert tenants.provider.default_time_zone == "Europe/Amsterdam"


@pytest.mark.parametrize("who", ["provider_author", "customer_admin", "outsider_admin"])
def test_only_the_organisations_admins_set_its_default(tenants, client_for, who):
    assert _set_default(client_for(getattr(tenants, who)), tenants.provider, "Asia/Tokyo").status_code == 404
    tenants.provider.refresh_from_db()
    assert tenants.provider.default_time_zone == ""


def test_an_email_follows_the_recipients_organisation_default(tenants, mailoutbox):
    services.organisation_default_time_zone_set(organisation=tenants.outsider, time_zone="Asia/Tokyo")
    _invite(tenants, tenants.outsider_admin.email)
    assert "11 December 2026, 02:00 JST (Asia/Tokyo)" in mailoutbox[-1].body
