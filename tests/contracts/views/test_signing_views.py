"""Signing pages: send for signature, the signer's page, decline, author actions, the panel."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import EventKind, RequestStatus, Side, Signature, SignatureRequest, SigningEvent
from contracts.services import signing
from tests import factories
from tests.contracts.signing_support import fast_document, sealing_key_files, send, signing_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings", "fast_document")]


def _send_url(tenants):
    return reverse("contracts:signing_send", args=[tenants.contract.reference])


def _page_url(request):
    return reverse("contracts:signing_page", args=[request.version.contract.reference, request.pk])


def _membership(org, user):
    return str(org.memberships.get(user=user).pk)


def test_author_sends_for_signature(tenants, client_for):
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    client = client_for(tenants.provider_author)
    page = client.get(_send_url(tenants))
    assert page.status_code == 200
    assert tenants.customer_signer.email in page.content.decode()
    response = client.post(
        _send_url(tenants),
        {
            "customer_signers": [_membership(tenants.customer, tenants.customer_signer)],
            "provider_signers": [_membership(tenants.provider, tenants.provider_admin)],
            "order": "customer_first",
        },
    )
    assert response.status_code == 302
    request = SignatureRequest.objects.get()
    assert [(s.email, s.order) for s in request.signers.all()] == [
        (tenants.customer_signer.email, 1),
        (tenants.provider_admin.email, 2),
    ]


def test_the_sender_sets_reminders_and_the_deadline(tenants, client_for):
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    client = client_for(tenants.provider_author)
    page = client.get(_send_url(tenants)).content.decode()
    assert "Remind signers every (days)" in page and "Signing deadline (days)" in page
    signers = {
        "customer_signers": [_membership(tenants.customer, tenants.customer_signer)],
        "provider_signers": [_membership(tenants.provider, tenants.provider_admin)],
        "order": "customer_first",
    }
    response = client.post(_send_url(tenants), {**signers, "remind_every_days": "-1", "deadline_days": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "greater than or equal to 0" in body and "greater than or equal to 1" in body
    assert not SignatureRequest.objects.exists()
    response = client.post(_send_url(tenants), {**signers, "remind_every_days": "7", "deadline_days": "30"})
    assert response.status_code == 302
    request = SignatureRequest.objects.get()
    assert request.remind_every_days == 7
    assert (request.expires_at - request.created_at).days == 30
    page = client.get(f"/contracts/{tenants.contract.reference}/sign/{request.pk}/").content.decode()
    assert "to be signed by" in page and "reminders every 7 days" in page


def test_send_without_signers_is_a_400_and_sends_nothing(tenants, client_for):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    response = client_for(tenants.provider_author).post(_send_url(tenants), {"order": "customer_first"})
    assert response.status_code == 400
    assert "at least one signer for the customer" in response.content.decode()
    assert not SignatureRequest.objects.exists()
    version.refresh_from_db()
    assert version.is_draft


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer", "outsider_admin"])
def test_only_provider_authors_send_for_signature(tenants, client_for, who):
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    client = client_for(getattr(tenants, who))
    assert client.get(_send_url(tenants)).status_code == 404
    assert client.post(_send_url(tenants), {"order": "together"}).status_code == 404


def test_signing_page_shows_plain_language_first_and_records_the_view_once(tenants, client_for):
    request = send(tenants)
    client = client_for(tenants.customer_signer)
    for _ in range(2):
        response = client.get(_page_url(request))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("In plain language") < body.index("The legal version (binding)")
    assert request.document_sha256 in body
    assert "on behalf of Harbour Dental" in body
    assert SigningEvent.objects.filter(request=request, kind=EventKind.VIEWED).count() == 1


def test_signer_signs_through_the_page(tenants, client_for):
    request = send(tenants)
    response = client_for(tenants.customer_signer).post(
        _page_url(request),
        {"agree": "on", "typed_name": "Sam", "shown_sha256": request.document_sha256},
        HTTP_USER_AGENT="Test agent/1.0",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.user_agent, signature.ip_address) == ("Test agent/1.0", "198.51.100.7")


@pytest.mark.parametrize(
    ("who", "data", "message"),
    [
        ("provider_admin", {}, "must sign first"),
        ("customer_signer", {"shown_sha256": "f" * 64}, "not the version sent for signature"),
        ("customer_admin", {}, "does not name you as a signer"),
        ("customer_signer", {"agree": ""}, "Tick the box"),
    ],
)
def test_refused_signatures_are_a_400_with_the_reason(tenants, client_for, who, data, message):
    request = send(tenants)
    user = getattr(tenants, who)
    post = {
        "agree": "on",
        "typed_name": user.get_full_name(),
        "shown_sha256": request.document_sha256,
        **data,
    }
    response = client_for(user).post(_page_url(request), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_decline_needs_a_reason(tenants, client_for):
    request = send(tenants)
    url = reverse("contracts:signing_decline", args=[tenants.contract.reference, request.pk])
    client = client_for(tenants.customer_signer)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "The fee is too high"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED


def test_outsiders_get_404_on_signing_pages(tenants, client_for):
    request = send(tenants)
    client = client_for(tenants.outsider_admin)
    assert client.get(_page_url(request)).status_code == 404
    document = reverse("contracts:signing_document", args=[tenants.contract.reference, request.pk])
    assert client.get(document).status_code == 404


def test_parties_download_the_stored_document(tenants, client_for):
    request = send(tenants)
    url = reverse("contracts:signing_document", args=[tenants.contract.reference, request.pk])
    response = client_for(tenants.customer_signer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_customers_and_viewers_cannot_remind_or_withdraw(tenants, client_for):
    request = send(tenants)
    for name in ("signing_remind", "signing_withdraw", "signing_seal_retry"):
        url = reverse(f"contracts:{name}", args=[tenants.contract.reference, request.pk])
        for who in ("customer_admin", "provider_viewer"):
            assert client_for(getattr(tenants, who)).post(url).status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_author_withdraws_from_the_contract_page(tenants, client_for):
    request = send(tenants)
    client = client_for(tenants.provider_author)
    page = client.get(
        reverse("contracts:contract_detail", args=[tenants.contract.reference])
    ).content.decode()
    assert "Withdraw the request" in page and "Send a reminder" in page
    url = reverse("contracts:signing_withdraw", args=[tenants.contract.reference, request.pk])
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


def _contract_page_queries(client, tenants) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contracts:contract_detail", args=[tenants.contract.reference]))
    assert response.status_code == 200
    return len(queries)


def test_contract_page_queries_do_not_grow_with_signers_and_events(tenants, client_for):
    request = send(tenants)
    client = client_for(tenants.provider_author)
    few = _contract_page_queries(client, tenants)
    for n in range(4):
        extra = factories.member(tenants.customer, "signer", f"extra{n}@harbour.example")
        request.signers.create(
            organisation=tenants.customer, side=Side.CUSTOMER, order=1, user=extra, email=extra.email
        )
        signing.signature_request_remind(request=request, user=tenants.provider_author)
    assert _contract_page_queries(client, tenants) == few
    page = client.get(
        reverse("contracts:contract_detail", args=[tenants.contract.reference])
    ).content.decode()
    assert "extra3@harbour.example" in page and "Reminder sent" in page


def test_contract_page_shows_signing_times_in_the_contracts_zone(tenants, client_for):
    request = send(tenants)
    sent = datetime(2026, 11, 30, 1, 39, tzinfo=UTC)
    SignatureRequest.objects.filter(pk=request.pk).update(created_at=sent)
    SigningEvent.objects.filter(request=request).update(at=sent)
    page = (
        client_for(tenants.provider_author)
        .get(reverse("contracts:contract_detail", args=[tenants.contract.reference]))
        .content.decode()
    )
    assert "sent for signature 30 November 2026, 02:39 CET (Europe/Amsterdam)" in page
    assert (
        '<time datetime="2026-11-30T01:39:00+00:00">30 November 2026, 02:39 CET (Europe/Amsterdam)</time>'
        in page
    )
    assert ", 01:39" not in page


def test_the_signer_is_told_at_the_top_that_it_is_their_turn_and_where_to_sign(tenants, client_for):
    request = send(tenants)
    body = client_for(tenants.customer_signer).get(_page_url(request)).content.decode()
    notice = body.index("It is your turn to sign for")
    assert notice < body.index("In plain language")
    assert 'href="#sign-heading"' in body
    # The provider's signer signs after the customer, and is told so.
    later = client_for(tenants.provider_admin).get(_page_url(request)).content.decode()
    assert "It is your turn" not in later
    assert "You sign for <strong>Brightline Managed IT</strong> once" in later


def test_a_refused_signature_says_so_at_the_top_of_the_long_page(tenants, client_for):
    request = send(tenants)
    response = client_for(tenants.customer_signer).post(
        _page_url(request), {"agree": "", "typed_name": "Sam", "shown_sha256": request.document_sha256}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert body.index("Nothing was recorded") < body.index("In plain language")


def test_the_dashboard_lists_what_waits_for_the_users_signature_in_turn(tenants, client_for):
    request = send(tenants)
    dashboard = reverse("compliance:dashboard")
    body = client_for(tenants.customer_signer).get(dashboard).content.decode()
    assert "Waiting for your signature" in body
    assert _page_url(request) in body
    # The provider's signer signs after the customer: nothing waits for them yet.
    assert (
        "Waiting for your signature" not in client_for(tenants.provider_admin).get(dashboard).content.decode()
    )
    signing.signature_record(
        request=request,
        user=tenants.customer_signer,
        typed_name=tenants.customer_signer.get_full_name(),
        agree=True,
        ip="198.51.100.7",
        user_agent="Test",
        shown_sha256=request.document_sha256,
    )
    assert (
        "Waiting for your signature"
        not in client_for(tenants.customer_signer).get(dashboard).content.decode()
    )
    assert _page_url(request) in client_for(tenants.provider_admin).get(dashboard).content.decode()
