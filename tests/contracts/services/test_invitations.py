from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Invitation, Membership, User


def _invite(client, org, email="newbie@brightline.example", role="author", reports=False):
    data = {"email": email, "role": role}
    if reports:
        data["receives_reports"] = "on"
    return client.post(reverse("contracts:invitation_create", args=[org.slug]), data)


def _link_from(message) -> str:
    return next(line for line in message.body.splitlines() if "/invitations/" in line).strip()


@pytest.mark.django_db(transaction=True)
def test_admin_invites_and_invitee_gets_a_one_time_link(tenants, client_for):
    response = _invite(client_for(tenants.provider_admin), tenants.provider, reports=True)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newbie@brightline.example"]
    assert "Brightline Managed IT" in message.subject
    assert message.alternatives and "Accept the invitation" in message.alternatives[0][0]
    invitation = Invitation.objects.get(email="newbie@brightline.example")
    assert invitation.email_sent_at is not None
    assert services.invitation_token(invitation) in _link_from(message)


@pytest.mark.django_db(transaction=True)
def test_invitee_sets_password_and_lands_in_the_portal(tenants, client_for, client):
    _invite(client_for(tenants.provider_admin), tenants.provider, reports=True)
    link = _link_from(mail.outbox[0])
    client.logout()
    path = link.split("127.0.0.1:8000", 1)[-1]
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "first_name": "New",
            "last_name": "Person",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 302 and response.url == reverse("compliance:dashboard")
    user = User.objects.get(email="newbie@brightline.example")
    assert user.check_password("a-long-passphrase")
    membership = Membership.objects.get(user=user, organisation=tenants.provider)
    assert (membership.role, membership.receives_reports) == ("author", True)
    dashboard = client.get(reverse("compliance:dashboard"))
    assert tenants.contract.reference in dashboard.content.decode()

    # Single use: the same link now says so and creates nothing.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


@pytest.mark.django_db
def test_weak_password_rerenders_with_field_errors_and_creates_nothing(tenants):
    invitation = services.invitation_create(
        organisation=tenants.customer,
        email="x@harbour.example",
        role="viewer",
        receives_reports=False,
        invited_by=tenants.customer_admin,
    )
    from django.test import Client

    client = Client()
    path = reverse("contracts:invitation_accept", args=[services.invitation_token(invitation)])
    response = client.post(
        path, {"first_name": "X", "last_name": "Y", "password1": "password", "password2": "password"}
    )
    assert response.status_code == 400
    assert "too common" in response.content.decode() or "too short" in response.content.decode()
    assert not User.objects.filter(email="x@harbour.example").exists()


@pytest.mark.django_db
def test_expired_invitation_is_refused(tenants, client):
    invitation = services.invitation_create(
        organisation=tenants.customer,
        email="late@harbour.example",
        role="viewer",
        receives_reports=False,
        invited_by=tenants.customer_admin,
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    path = reverse("contracts:invitation_accept", args=[services.invitation_token(invitation)])
    response = client.post(
        path,
        {
            "first_name": "L",
            "last_name": "Ate",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="late@harbour.example").exists()


@pytest.mark.django_db
def test_forged_or_tampered_token_is_404(tenants, client):
    invitation = services.invitation_create(
        organisation=tenants.customer,
        email="f@harbour.example",
        role="viewer",
        receives_reports=False,
        invited_by=tenants.customer_admin,
    )
    token = services.invitation_token(invitation)
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    for bad in (tampered, f"{invitation.pk}-", "nonsense", "999999-abc"):
        assert client.get(reverse("contracts:invitation_accept", args=[bad])).status_code == 404


@pytest.mark.django_db
def test_reinviting_withdraws_the_older_link(tenants):
    kwargs = {
        "organisation": tenants.customer,
        "email": "twice@harbour.example",
        "role": "viewer",
        "receives_reports": False,
        "invited_by": tenants.customer_admin,
    }
    first = services.invitation_create(**kwargs)
    second = services.invitation_create(**kwargs)
    first.refresh_from_db()
    assert first.status == "revoked" and second.status == "pending"


@pytest.mark.django_db
def test_existing_user_accepts_when_signed_in_as_the_invitee(tenants, client_for):
    invitation = services.invitation_create(
        organisation=tenants.customer,
        email=tenants.provider_viewer.email,
        role="viewer",
        receives_reports=False,
        invited_by=tenants.customer_admin,
    )
    path = reverse("contracts:invitation_accept", args=[services.invitation_token(invitation)])
    client = client_for(tenants.outsider_admin)
    client.post(path)
    assert not Membership.objects.filter(user=tenants.outsider_admin, organisation=tenants.customer).exists()
    client = client_for(tenants.provider_viewer)
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=tenants.provider_viewer, organisation=tenants.customer).exists()


@pytest.mark.django_db
def test_inviting_an_existing_member_is_a_form_error(tenants, client_for):
    response = _invite(
        client_for(tenants.provider_admin), tenants.provider, email=tenants.provider_author.email
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_only_admins_invite(tenants, client_for):
    response = _invite(client_for(tenants.provider_author), tenants.provider)
    assert response.status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_admin_withdraws_a_pending_invitation(tenants, client_for):
    invitation = services.invitation_create(
        organisation=tenants.provider,
        email="w@brightline.example",
        role="viewer",
        receives_reports=False,
        invited_by=tenants.provider_admin,
    )
    client = client_for(tenants.provider_admin)
    client.post(reverse("contracts:invitation_revoke", args=[tenants.provider.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    path = reverse("contracts:invitation_accept", args=[services.invitation_token(invitation)])
    client.logout()
    assert client.get(path).status_code == 410


@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_sent_once_when_the_task_runs_twice(tenants):
    invitation = services.invitation_create(
        organisation=tenants.customer,
        email="twice@harbour.example",
        role="viewer",
        receives_reports=False,
        invited_by=tenants.customer_admin,
    )
    assert len(mail.outbox) == 1
    assert services.invitation_email_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_failed_invitation_email_is_sent_by_the_retry(tenants, monkeypatch):
    from contracts.services import emails

    invitation = Invitation.objects.create(
        organisation=tenants.customer,
        email="retry@harbour.example",
        invited_by=tenants.customer_admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    real_send = emails.email_send

    def smtp_down(**kwargs):
        raise ConnectionRefusedError("SMTP server unreachable")

    monkeypatch.setattr(emails, "email_send", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        services.invitation_email_send(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.email_sent_at is None  # not counted as sent

    monkeypatch.setattr(emails, "email_send", real_send)
    assert services.invitation_email_send(invitation_id=invitation.pk) is True
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None
    assert [m.to for m in mail.outbox] == [["retry@harbour.example"]]


@pytest.mark.django_db(transaction=True)
def test_mail_server_down_saves_the_invitation_and_says_the_email_is_not_sent(tenants, client_for, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    client = client_for(tenants.provider_admin)
    response = _invite(client, tenants.provider, email="later@brightline.example")
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="later@brightline.example")
    assert invitation.email_sent_at is None
    page = client.get(reverse("contracts:organisation_detail", args=[tenants.provider.slug]))
    assert "later@brightline.example" in page.content.decode()
    assert "email not sent yet" in page.content.decode()
