"""Writes on organisations, memberships and invitations."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from contracts.models import Invitation, Membership, Organisation, Role, User
from contracts.services import emails
from slaportal.queueing import enqueue_on_commit

_INVITATION_SALT = "contracts.invitation"


# ---------------------------------------------------------------- organisations and members


def organisation_create(
    *, name: str, slug: str, parent: Organisation | None = None, is_provider: bool = False
) -> Organisation:
    organisation = Organisation(name=name, slug=slug, parent=parent, is_provider=is_provider)
    organisation.full_clean()
    organisation.save()
    return organisation


def membership_set(
    *, user: User, organisation: Organisation, role: str, receives_reports: bool = False
) -> Membership:
    """Make the user a member with this role (or update their existing membership)."""
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": role, "receives_reports": receives_reports},
    )
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, role: str, receives_reports: bool) -> Membership:
    """Change a member's role; an organisation always keeps at least one admin."""
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_another_admin(membership)
    membership.role = role
    membership.receives_reports = receives_reports
    membership.save(update_fields=["role", "receives_reports"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN:
        _ensure_another_admin(membership)
    membership.delete()


def _ensure_another_admin(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError("An organisation needs at least one admin: make someone else admin first.")


# ---------------------------------------------------------------- invitations


def invitation_token(invitation: Invitation) -> str:
    """The secret part of an invitation link, derived from the row and SECRET_KEY."""
    digest = salted_hmac(
        _INVITATION_SALT, f"{invitation.pk}:{invitation.nonce}", algorithm="sha256"
    ).hexdigest()
    return f"{invitation.pk}-{digest[:40]}"


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its status, or None if forged."""
    pk, _, _digest = token.partition("-")
    if not pk.isdigit():
        return None
    invitation = Invitation.objects.select_related("organisation").filter(pk=int(pk)).first()
    if invitation is None or not constant_time_compare(invitation_token(invitation), token):
        return None
    return invitation


def invitation_url(invitation: Invitation) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("contracts:invitation_accept", args=[invitation_token(invitation)])


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, receives_reports: bool, invited_by: User
) -> Invitation:
    """Invite a person by email; the email goes out once the invitation is committed."""

    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {organisation}."})
    # A new invitation replaces any pending one, so only the newest link works.
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        receives_reports=receives_reports,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    enqueue_on_commit("contracts.tasks.invitation_send_email", invitation.pk)
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> User:
    """Use an invitation once: create the account (or take the signed-in user) and the membership.

    Raises ValidationError when the invitation is expired, revoked or already used.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at:
        raise ValidationError("This invitation has already been used.")
    if locked.revoked_at:
        raise ValidationError("This invitation has been withdrawn. Ask for a new one.")
    if locked.is_expired:
        raise ValidationError("This invitation has expired. Ask the organisation's admin for a new one.")
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise ValidationError(f"An account for {locked.email} exists already: sign in to accept.")
        user = User.objects.create_user(
            email=locked.email, password=password, first_name=first_name, last_name=last_name
        )
    elif user.email.lower() != locked.email.lower():
        raise ValidationError(f"This invitation is for {locked.email}; you are signed in as {user.email}.")
    membership_set(
        user=user,
        organisation=locked.organisation,
        role=locked.role,
        receives_reports=locked.receives_reports,
    )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return user


def invitation_email_send(*, invitation_id: int) -> bool:
    """Send the invitation email unless it was sent already; True when sent now.

    Claimed by setting ``email_sent_at`` before sending (see ``email_send_once``). Inviting
    the same address again sends a new link.
    """

    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    if invitation.email_sent_at or not invitation.is_pending:
        return False
    return emails.email_send_once(
        unclaimed=Invitation.objects.filter(email_sent_at=None),
        pk=invitation.pk,
        field="email_sent_at",
        send=lambda: emails.email_send(
            template="invitation",
            context={"invitation": invitation, "url": invitation_url(invitation)},
            to=[invitation.email],
        ),
    )
