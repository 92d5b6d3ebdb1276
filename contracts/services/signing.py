"""Writes of signing: send a version for signature, sign, decline, remind, withdraw, seal.

A request freezes its version and stores the version's signable document (its PDF, both
renderings) once, with its SHA-256. Signers sign in ``order``; when the last one has
signed the contract becomes active and a background task seals the signed PDF (document
plus certificate page) with the portal's key and mails it to every signer.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contracts import signals
from contracts.documents import sealing
from contracts.documents.sealing import SealingFailed
from contracts.models import (
    AuditAction,
    Contract,
    EventKind,
    Membership,
    Organisation,
    RequestStatus,
    SealStatus,
    Side,
    Signature,
    SignatureRequest,
    Signer,
    SignerStatus,
    SigningEvent,
    User,
    Version,
)
from contracts.models.contract import ContractStatus
from contracts.selectors.branding import branding_of
from contracts.selectors.reading import version_reading
from contracts.selectors.versions import version_findings, version_terms
from contracts.services import emails
from contracts.services.audit import audit_record
from contracts.services.parties import invitation_create
from contracts.services.versions import version_publish
from contracts.texts.consistency import errors
from slaportal.queueing import enqueue_on_commit, runs_in_background
from slaportal.signals import send_on_commit

logger = logging.getLogger("slaportal.signing")

# A request's defaults: signers at turn reminded every 3 days, unsigned after 14 it expires.
REMIND_EVERY_DAYS = 3
DEADLINE_DAYS = 14

CONSENT_TEXT = (
    "I have read this agreement — the legal text, which is binding, and its plain-language "
    "version — and I agree to it on behalf of {organisation}. Typing my full name and pressing "
    "“Sign” is my signature."
)


def consent_text_for(organisation: Organisation) -> str:
    """The exact words a signer agrees to; recorded with their signature."""
    return CONSENT_TEXT.format(organisation=organisation.name)


def normalised_name(value: str) -> str:
    return " ".join(value.split()).casefold()


@dataclass(frozen=True)
class SignerSpec:
    """One signer slot to create: a member (``user``) or a person to invite (``email``)."""

    organisation: Organisation
    side: str
    order: int
    user: User | None = None
    email: str = ""


def _event(request: SignatureRequest, kind: str, user: User | None = None, detail: str = "") -> None:
    SigningEvent.objects.create(request=request, kind=kind, user=user, detail=detail)


def _status_without_request(contract: Contract) -> str:
    """Draft again, unless an earlier signed version is still in force."""
    in_force = Version.objects.filter(contract=contract, in_force_from__isnull=False).exists()
    return ContractStatus.ACTIVE if in_force else ContractStatus.DRAFT


def _can_sign(user: User, organisation: Organisation) -> bool:
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    return membership is not None and membership.can_sign


def signing_url(request: SignatureRequest) -> str:
    return settings.SITE_URL + reverse(
        "contracts:signing_page", args=[request.version.contract.reference, request.pk]
    )


# ---------------------------------------------------------------- sending


def _resolve_signers(
    *, contract: Contract, specs: Sequence[SignerSpec], user: User
) -> list[tuple[SignerSpec, User | None, str]]:
    """(spec, user or None, email) per slot; invites people without an account."""

    parties = {Side.CUSTOMER: contract.customer, Side.PROVIDER: contract.provider}
    sides = {spec.side for spec in specs}
    if Side.CUSTOMER not in sides or Side.PROVIDER not in sides:
        raise ValidationError("Choose at least one signer for the customer and one for the provider.")
    resolved, seen = [], set()
    for spec in specs:
        if parties.get(spec.side) is None or spec.organisation.pk != parties[spec.side].pk:
            raise ValidationError(f"{spec.organisation} is not the {spec.side} of {contract.reference}.")
        person = spec.user
        email = (person.email if person else spec.email).strip().lower()
        if not email:
            raise ValidationError("Every signer needs an account or an email address.")
        if email in seen:
            raise ValidationError(f"{email} is named twice: each person signs once.")
        seen.add(email)
        if person is None:
            person = User.objects.filter(email__iexact=email).first()
        if (
            person is not None
            and Membership.objects.filter(user=person, organisation=spec.organisation).exists()
        ):
            if not _can_sign(person, spec.organisation):
                raise ValidationError(
                    f"{email} is a member of {spec.organisation} but not a signer: give them the signer "
                    "role first."
                )
            resolved.append((spec, person, email))
            continue
        # Not a member yet: invite them as a signer; they sign once they have joined.
        invitation_create(
            organisation=spec.organisation,
            email=email,
            role="signer",
            receives_reports=False,
            invited_by=user,
        )
        resolved.append((spec, None, email))
    return resolved


def _stored_signable_document(version: Version) -> tuple[str, str] | None:
    """(storage name, SHA-256) of the version's signable document stored by an earlier
    request, or None when it has to be rendered."""
    if version.document_sha256:
        earlier = (
            SignatureRequest.objects.filter(version=version, document_sha256=version.document_sha256)
            .exclude(document="")
            .first()
        )
        if earlier is not None and default_storage.exists(earlier.document.name):
            return earlier.document.name, version.document_sha256
    return None


def _signable_document(version: Version) -> tuple[str, str]:
    """(storage name, SHA-256) of the version's signable document, rendered once per version."""
    # Imported here: it loads WeasyPrint, which web processes should pay for only when rendering.
    from contracts.documents.contract_pdf import contract_pdf

    stored = _stored_signable_document(version)
    if stored is not None:
        return stored
    pdf = contract_pdf(version_reading(version), rendering="both")
    digest = hashlib.sha256(pdf).hexdigest()
    if version.document_sha256 and version.document_sha256 != digest:
        raise ValidationError(
            f"The signable document of version {version.number} is missing: start a new draft version."
        )
    name = default_storage.save(
        f"signing/{version.contract.reference}-v{version.number}.pdf", ContentFile(pdf)
    )
    if not version.document_sha256:
        version.document_sha256 = digest
        version.save(update_fields=["document_sha256"])
    return name, digest


@transaction.atomic
def signature_request_send(
    *,
    version: Version,
    user: User,
    signers: Sequence[SignerSpec],
    remind_every_days: int = REMIND_EVERY_DAYS,
    deadline_days: int = DEADLINE_DAYS,
) -> SignatureRequest:
    """Send ``version`` (the contract's latest) for signature by ``signers``.

    Freezes a draft (refused like ``version_publish`` while the consistency checker reports
    errors), stores its signable document and SHA-256, moves the contract to awaiting
    signature (an active contract stays active: its signed version stays in force) and
    emails the first signers in order once committed. People named by email without a
    membership are invited as signers first. ValidationError when the version is not the
    latest, is signed already, or another request of the contract is open.

    Signers whose turn it is are reminded every ``remind_every_days`` days (0: never) until
    they sign; the request expires unsigned ``deadline_days`` days after it was sent
    (``signature_requests_follow_up``).
    """
    if not 0 <= remind_every_days <= 60:
        raise ValidationError({"remind_every_days": "Remind every 0 (never) to 60 days."})
    if not 1 <= deadline_days <= 365:
        raise ValidationError({"deadline_days": "The deadline is 1 to 365 days after sending."})

    contract = (
        Contract.objects.select_for_update()
        .select_related("provider", "customer")
        .get(pk=version.contract_id)
    )
    version = Version.objects.get(pk=version.pk)
    latest = Version.objects.filter(contract=contract).order_by("-number").first()
    if latest.pk != version.pk:
        raise ValidationError(f"Only the latest version ({latest.number}) can be sent for signature.")
    if SignatureRequest.objects.filter(version__contract=contract, status=RequestStatus.OPEN).exists():
        raise ValidationError("This contract is already out for signature: withdraw that request first.")
    if version.in_force_from or version.signed_outside_portal:
        raise ValidationError(
            f"Version {version.number} is signed already: start a new draft version to change the contract."
        )
    resolved = _resolve_signers(contract=contract, specs=signers, user=user)
    if version.is_draft:
        version = version_publish(version=version, user=user)
    else:
        problems = errors(version_findings(version_terms(version)))
        if problems:
            raise ValidationError([ValidationError(f.message, code=f.code) for f in problems])
    # Rendering the signable document takes seconds: with a worker it is prepared in the
    # background (the signers are emailed once it is stored) and the click answers at once.
    stored = _stored_signable_document(version)
    if stored is None and runs_in_background():
        name, digest = "", ""
    else:
        name, digest = stored or _signable_document(version)
    sent_at = timezone.now()
    request = SignatureRequest.objects.create(
        version=version,
        created_by=user,
        created_at=sent_at,
        document=name,
        document_sha256=digest,
        remind_every_days=remind_every_days,
        expires_at=sent_at + timedelta(days=deadline_days),
    )
    for spec, person, email in resolved:
        Signer.objects.create(
            request=request,
            organisation=spec.organisation,
            side=spec.side,
            order=spec.order,
            user=person,
            email=email,
        )
    names = ", ".join(f"{email} ({spec.organisation})" for spec, _person, email in resolved)
    _event(request, EventKind.SENT, user, f"Version {version.number} to {names}.")
    audit_record(
        contract=contract,
        action=AuditAction.SENT_FOR_SIGNATURE,
        actor=user,
        summary=f"Sent version {version.number} for signature to {names}",
        details={"version": version.number, "signers": [email for _spec, _person, email in resolved]},
    )
    if contract.status != ContractStatus.ACTIVE:
        Contract.objects.filter(pk=contract.pk).update(
            status=ContractStatus.AWAITING_SIGNATURE, updated_at=timezone.now()
        )
    if name:
        _notify_turn(request)
    else:
        request_id = request.pk
        enqueue_on_commit("contracts.tasks.signature_document_prepare", request_id)
    send_on_commit(signals.signature_requested, sender=SignatureRequest, contract=contract, request=request)
    return request


def signature_request_prepare(*, request_id: int) -> bool:
    """Render and store the signable document of a request sent while a worker prepares it,
    then email the first signers. True when prepared now; False when already prepared (also
    by another copy of the task) or the request is no longer open.

    A version whose recorded document can no longer be reproduced closes the request as
    withdrawn, with the reason on its timeline: the contract needs a new draft version."""
    request = SignatureRequest.objects.select_related("version__contract").get(pk=request_id)
    if request.document or not request.is_open:
        return False
    unprepared = SignatureRequest.objects.filter(pk=request.pk, document="", status=RequestStatus.OPEN)
    try:
        name, digest = _signable_document(request.version)
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        with transaction.atomic():
            closed = unprepared.update(
                status=RequestStatus.WITHDRAWN, closed_at=timezone.now(), decline_reason=reason
            )
            if closed:
                _event(request, EventKind.WITHDRAWN, None, reason)
                contract = request.version.contract
                Contract.objects.filter(pk=contract.pk).update(
                    status=_status_without_request(contract), updated_at=timezone.now()
                )
        return False
    with transaction.atomic():
        prepared = unprepared.update(document=name, document_sha256=digest)
        if not prepared:
            return False
        request.document, request.document_sha256 = name, digest
        _notify_turn(request)
    return True


def signers_at_turn(request: SignatureRequest) -> list[Signer]:
    """The waiting signers whose turn it is: those with the lowest order still waiting."""
    waiting = list(request.signers.filter(status=SignerStatus.WAITING).order_by("order", "id"))
    return [s for s in waiting if s.order == waiting[0].order] if waiting else []


def _notify_turn(request: SignatureRequest, *, reminder: bool = False) -> list[Signer]:

    turn = signers_at_turn(request)
    for signer in turn:
        if reminder or signer.notified_at is None:
            signer_id = signer.pk
            enqueue_on_commit("contracts.tasks.signature_email_signer", signer_id, reminder)
    return turn


def signer_email_send(*, signer_id: int, reminder: bool = False) -> bool:
    """Email one signer the link to the signing page (once; again only as a reminder).
    True when sent now.

    The first email is claimed by setting ``notified_at`` before sending, so that a task
    delivered twice, or retried while another copy runs, sends once; a failed SMTP attempt
    gives the claim back so that the retry can send. A reminder is sent every time it is
    asked for.
    """

    signer = Signer.objects.select_related(
        "request__version__contract__provider", "request__version__contract__customer", "organisation"
    ).get(pk=signer_id)
    request = signer.request
    if not request.is_open or signer.status != SignerStatus.WAITING:
        return False
    if signer.notified_at and not reminder:
        return False
    unclaimed = Signer.objects.filter(status=SignerStatus.WAITING, request__status=RequestStatus.OPEN)
    if not reminder:
        unclaimed = unclaimed.filter(notified_at=None)
    return emails.email_send_once(
        unclaimed=unclaimed,
        pk=signer.pk,
        field="notified_at",
        previous=signer.notified_at,
        send=lambda: emails.email_send(
            template="signature_request",
            context={
                "signer": signer,
                "contract": request.version.contract,
                "version": request.version,
                "url": signing_url(request),
                "reminder": reminder,
                "has_account": signer.user_id is not None,
            },
            to=[signer.email],
            branding=branding_of(request.version.contract.provider),
        ),
    )


@transaction.atomic
def signature_request_remind(*, request: SignatureRequest, user: User) -> list[Signer]:
    """Email the signers whose turn it is again; records a reminder on the timeline."""
    request = SignatureRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ValidationError("This signature request is closed: there is nobody to remind.")
    if not request.document:
        raise ValidationError(
            "The document to sign is still being prepared: the signers are emailed once it is."
        )
    turn = _notify_turn(request, reminder=True)
    _event(request, EventKind.REMINDED, user, ", ".join(s.email for s in turn))
    return turn


@transaction.atomic
def signature_request_withdraw(*, request: SignatureRequest, user: User) -> SignatureRequest:
    """Withdraw an open request; the contract returns to draft (or stays active)."""
    request = (
        SignatureRequest.objects.select_for_update().select_related("version__contract").get(pk=request.pk)
    )
    if not request.is_open:
        raise ValidationError("Only an open signature request can be withdrawn.")
    request.status, request.closed_at = RequestStatus.WITHDRAWN, timezone.now()
    request.save(update_fields=["status", "closed_at"])
    _event(request, EventKind.WITHDRAWN, user)
    contract = request.version.contract
    audit_record(
        contract=contract,
        action=AuditAction.SIGNATURE_WITHDRAWN,
        actor=user,
        summary=f"Withdrew the signature request for version {request.version.number}",
        details={"version": request.version.number},
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=_status_without_request(contract), updated_at=timezone.now()
    )
    return request


# ---------------------------------------------------------------- reminders and the deadline


def signature_requests_follow_up(*, now: datetime | None = None) -> dict[str, int]:
    """Expire the open requests past their deadline, and remind the signers at turn of the
    others every ``remind_every_days`` days since sending or the last reminder. Each
    reminder is claimed on the request (``reminded_at``) before it is queued, so two runs
    at once remind once. How many of each."""
    now = now or timezone.now()
    open_requests = SignatureRequest.objects.filter(status=RequestStatus.OPEN)
    expired = 0
    for request_id in open_requests.filter(expires_at__lte=now).values_list("pk", flat=True):
        expired += signature_request_expire(request_id=request_id, now=now)
    reminded = 0
    for request in open_requests.filter(remind_every_days__gt=0).exclude(expires_at__lte=now):
        last = request.reminded_at or request.created_at
        if now < last + timedelta(days=request.remind_every_days):
            continue
        with transaction.atomic():
            claimed = SignatureRequest.objects.filter(
                pk=request.pk, status=RequestStatus.OPEN, reminded_at=request.reminded_at
            ).update(reminded_at=now)
            if not claimed:
                continue
            turn = _notify_turn(request, reminder=True)
            _event(
                request, EventKind.REMINDED, None, "Automatic reminder: " + ", ".join(s.email for s in turn)
            )
        reminded += 1
    return {"expired": expired, "reminded": reminded}


@transaction.atomic
def signature_request_expire(*, request_id: int, now: datetime | None = None) -> bool:
    """Close an open request past its deadline as expired; the contract returns to draft
    (or stays active on its signed version) and the sender is told. True when it expired now."""
    now = now or timezone.now()
    request = (
        SignatureRequest.objects.select_for_update().select_related("version__contract").get(pk=request_id)
    )
    if not request.is_open or request.expires_at is None or request.expires_at > now:
        return False
    request.status, request.closed_at = RequestStatus.EXPIRED, now
    request.save(update_fields=["status", "closed_at"])
    _event(request, EventKind.EXPIRED, None, f"Not signed by {request.expires_at:%d %B %Y %H:%M} UTC.")
    contract = request.version.contract
    audit_record(
        contract=contract,
        action=AuditAction.SIGNATURE_EXPIRED,
        summary=f"The signature request for version {request.version.number} expired unsigned",
        details={"version": request.version.number},
    )
    Contract.objects.filter(pk=contract.pk).update(status=_status_without_request(contract), updated_at=now)
    send_on_commit(signals.signature_expired, sender=SignatureRequest, contract=contract, request=request)
    return True


# ---------------------------------------------------------------- signing and declining


def signature_request_viewed(*, request: SignatureRequest, user: User) -> None:
    """Record on the timeline that a named signer opened the signing page (once each)."""
    if not request.is_open or not _slot_for(request, user, lock=False):
        return
    if not SigningEvent.objects.filter(request=request, kind=EventKind.VIEWED, user=user).exists():
        _event(request, EventKind.VIEWED, user)


def _slot_for(request: SignatureRequest, user: User, *, lock: bool = True) -> Signer | None:
    slots = Signer.objects.filter(request=request, status=SignerStatus.WAITING).filter(
        Q(user=user) | Q(user__isnull=True, email__iexact=user.email)
    )
    if lock:
        slots = slots.select_for_update()
    return slots.select_related("organisation").first()


def _slot_or_refuse(request: SignatureRequest, user: User) -> Signer:
    contract = request.version.contract
    slot = _slot_for(request, user)
    if slot is None:
        parties = (contract.customer, contract.provider)
        if not any(_can_sign(user, organisation) for organisation in parties):
            raise ValidationError(
                f"You are not a signer for {contract.customer} or {contract.provider}: only members with "
                "the signer or admin role sign contracts.",
                code="not_a_signer",
            )
        raise ValidationError("This signature request does not name you as a signer.", code="not_named")
    if not _can_sign(user, slot.organisation):
        raise ValidationError(
            f"You are not a signer for {slot.organisation}: ask its admin for the signer role.",
            code="not_a_signer",
        )
    return slot


def _refuse_unless_open(request: SignatureRequest) -> None:
    if not request.is_open:
        raise ValidationError(
            f"This signature request is {request.get_status_display().lower()}: nothing can be signed in it.",
            code="closed",
        )
    if not request.document:
        raise ValidationError(
            "The document to sign is still being prepared: try again in a moment.", code="preparing"
        )


@transaction.atomic
def signature_record(
    *,
    request: SignatureRequest,
    user: User,
    typed_name: str,
    agree: bool,
    ip: str | None,
    user_agent: str,
    shown_sha256: str,
) -> Signature:
    """Record ``user``'s signature on the request's document, or refuse with a ValidationError
    (and record nothing) when: the request is closed; the document shown is not the one
    sent (hash mismatch); they signed already; they are not a named signer holding the
    signer or admin role in the slot's organisation; an earlier signer has not signed yet;
    consent is missing; the typed name is empty or not their name.

    The last signature activates the contract and queues the sealing of the signed PDF.
    """
    request = (
        SignatureRequest.objects.select_for_update()
        .select_related("version__contract__provider", "version__contract__customer")
        .get(pk=request.pk)
    )
    _refuse_unless_open(request)
    if (shown_sha256 or "").strip().lower() != request.document_sha256:
        raise ValidationError(
            "The document you were shown is not the version sent for signature "
            f"(SHA-256 {request.document_sha256[:12]}…): reload the signing page and read it again.",
            code="document_mismatch",
        )
    earlier = Signature.objects.filter(request=request, user=user).first()
    if earlier is not None:
        raise ValidationError(
            f"You have already signed this request ({earlier.signed_at:%Y-%m-%d %H:%M} UTC).",
            code="signed_twice",
        )
    slot = _slot_or_refuse(request, user)
    before = Signer.objects.filter(request=request, order__lt=slot.order).exclude(status=SignerStatus.SIGNED)
    if before.exists():
        names = ", ".join(
            f"{s.name} ({s.organisation})" for s in before.select_related("organisation", "user")
        )
        raise ValidationError(f"It is not your turn yet: {names} must sign first.", code="out_of_order")
    if not agree:
        raise ValidationError(
            {"agree": "Tick the box to confirm that you have read and agree to the agreement."}
        )
    name = " ".join((typed_name or "").split())
    if not name:
        raise ValidationError({"typed_name": "Type your full name to sign."})
    full_name = user.get_full_name()
    if full_name and normalised_name(name) != normalised_name(full_name):
        raise ValidationError({"typed_name": f"Type your full name as on your account: “{full_name}”."})
    signature = Signature.objects.create(
        request=request,
        signer=slot,
        user=user,
        organisation=slot.organisation,
        side=slot.side,
        typed_name=name,
        signed_at=timezone.now(),
        ip_address=ip or None,
        user_agent=(user_agent or "")[:1000],
        document_sha256=request.document_sha256,
        consent_text=consent_text_for(slot.organisation),
    )
    slot.status, slot.user = SignerStatus.SIGNED, user
    slot.save(update_fields=["status", "user"])
    _event(request, EventKind.SIGNED, user, f"{name} for {slot.organisation}")
    audit_record(
        contract=request.version.contract,
        action=AuditAction.SIGNED,
        actor=user,
        organisation=slot.organisation,
        summary=f"Signed version {request.version.number} for {slot.organisation} as “{name}”",
        details={"version": request.version.number, "side": slot.side},
    )
    if Signer.objects.filter(request=request).exclude(status=SignerStatus.SIGNED).exists():
        _notify_turn(request)
    else:
        _complete(request)
    return signature


def _complete(request: SignatureRequest) -> None:

    now = timezone.now()
    request.status, request.closed_at, request.seal_status = RequestStatus.COMPLETED, now, SealStatus.PENDING
    request.save(update_fields=["status", "closed_at", "seal_status"])
    version = request.version
    contract = version.contract
    version.in_force_from = max(contract.start_date, timezone.localdate())
    version.save(update_fields=["in_force_from"])
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE, updated_at=now)
    _event(
        request, EventKind.ACTIVATED, None, f"Version {version.number} in force from {version.in_force_from}."
    )
    audit_record(
        contract=contract,
        action=AuditAction.CONTRACT_ACTIVATED,
        summary=f"Version {version.number} in force from {version.in_force_from}: all parties signed",
        details={"version": version.number, "in_force_from": version.in_force_from.isoformat()},
    )
    request_id = request.pk
    # robust: a sealing failure is recorded on the request and retried; it must not undo
    # or hide the signature that has just been committed.
    enqueue_on_commit("contracts.tasks.signature_seal", request_id, robust=True)
    send_on_commit(
        signals.contract_activated,
        sender=SignatureRequest,
        contract=contract,
        request=request,
        version=version,
    )


@transaction.atomic
def signature_decline(*, request: SignatureRequest, user: User, reason: str) -> SignatureRequest:
    """A named signer declines, with a reason: the request closes and the contract returns
    to draft (or stays active on its earlier signed version)."""
    request = (
        SignatureRequest.objects.select_for_update()
        .select_related("version__contract__provider", "version__contract__customer")
        .get(pk=request.pk)
    )
    _refuse_unless_open(request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why you decline, so the provider can change the contract."})
    slot = _slot_or_refuse(request, user)
    slot.status = SignerStatus.DECLINED
    slot.save(update_fields=["status"])
    request.status, request.closed_at, request.decline_reason = RequestStatus.DECLINED, timezone.now(), reason
    request.save(update_fields=["status", "closed_at", "decline_reason"])
    _event(request, EventKind.DECLINED, user, reason)
    contract = request.version.contract
    audit_record(
        contract=contract,
        action=AuditAction.DECLINED,
        actor=user,
        organisation=slot.organisation,
        summary=f"Declined to sign version {request.version.number} for {slot.organisation}: {reason}",
        details={"version": request.version.number, "reason": reason[:1000]},
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=_status_without_request(contract), updated_at=timezone.now()
    )
    send_on_commit(
        signals.signature_declined,
        sender=SignatureRequest,
        contract=contract,
        request=request,
        signer=slot,
        reason=reason,
    )
    return request


# ---------------------------------------------------------------- the signed PDF


def _certificate(request: SignatureRequest):
    # Imported here: it loads WeasyPrint (see _signable_document).
    from contracts.documents.signed_pdf import Certificate, CertificateSignature

    version = request.version
    contract = version.contract
    signatures = Signature.objects.filter(request=request).select_related("organisation", "user")
    return Certificate(
        reference=contract.reference,
        title=contract.title,
        version_number=version.number,
        provider=contract.provider.name,
        customer=contract.customer.name,
        document_sha256=request.document_sha256,
        verification_code=request.verification_code,
        verify_url=settings.SITE_URL + reverse("compliance:verify"),
        signatures=[
            CertificateSignature(
                typed_name=s.typed_name,
                email=s.user.email,
                organisation=s.organisation.name,
                side=s.get_side_display().lower(),
                signed_at=s.signed_at,
                ip_address=s.ip_address or "",
                user_agent=s.user_agent,
                document_sha256=s.document_sha256,
            )
            for s in signatures
        ],
        in_force_from=version.in_force_from,
        completed_at=request.closed_at or timezone.now(),
        branding=branding_of(contract.provider),
    )


def signature_request_seal(*, request_id: int) -> bool:
    """Produce, seal and store the signed PDF of a completed request, then mail it to every
    signer. True when sealed now; False when already sealed (also by another copy of the
    task running at the same time) or not completed.

    A failure (e.g. the configured timestamp authority is unreachable) is recorded on the
    request ("sealing failed: reason", and on the timeline) and raised as SealingFailed so
    that the task retries; nothing is sealed without the timestamp asked for.
    """
    # Imported here: it loads WeasyPrint (see _signable_document).
    from contracts.documents.signed_pdf import signed_pdf

    request = SignatureRequest.objects.select_related(
        "version__contract__provider", "version__contract__customer"
    ).get(pk=request_id)
    if request.status != RequestStatus.COMPLETED or request.seal_status == SealStatus.SEALED:
        return False
    try:
        with default_storage.open(request.document.name, "rb") as handle:
            document = handle.read()
        if hashlib.sha256(document).hexdigest() != request.document_sha256:
            raise SealingFailed("the stored signable document does not match its recorded SHA-256")
        sealed = sealing.seal_pdf(
            signed_pdf(document, _certificate(request)),
            key=sealing.sealing_key_from_settings(),
            tsa_url=settings.SIGNING_TSA_URL,
            reason=f"{request.version} signed by all parties",
        )
        # Storing is part of sealing: a full disk is recorded and retried like any failure.
        name = default_storage.save(
            f"signing/{request.version.contract.reference}-v{request.version.number}-signed.pdf",
            ContentFile(sealed),
        )
    except (SealingFailed, OSError) as exc:
        reason = str(exc)
        failed = (
            SignatureRequest.objects.filter(pk=request.pk)
            .exclude(seal_status=SealStatus.SEALED)
            .update(seal_status=SealStatus.FAILED, seal_error=reason)
        )
        if not failed:  # another copy of the task has sealed it meanwhile
            return False
        _event(request, EventKind.SEAL_FAILED, None, reason)
        logger.warning("Sealing the signed PDF of request %s failed: %s", request.pk, reason)
        if isinstance(exc, SealingFailed):
            raise
        raise SealingFailed(reason) from exc
    # Two copies of the task may seal at the same time (a retry and "seal again"); each seal
    # is a different file, so only the first to record its file wins and the other's file is
    # dropped: the file mailed and the SHA-256 recorded must be the same one.
    recorded = (
        SignatureRequest.objects.filter(pk=request.pk)
        .exclude(seal_status=SealStatus.SEALED)
        .update(
            signed_document=name,
            signed_sha256=hashlib.sha256(sealed).hexdigest(),
            sealed_at=timezone.now(),
            seal_status=SealStatus.SEALED,
            seal_error="",
        )
    )
    if not recorded:
        default_storage.delete(name)
        return False
    _event(request, EventKind.SEALED, None, f"Verification code {request.verification_code}")
    for signer_id in request.signers.values_list("pk", flat=True):
        enqueue_on_commit("contracts.tasks.signature_email_signed_pdf", signer_id)
    return True


def signature_request_seal_again(*, request: SignatureRequest) -> None:
    """Queue the sealing of a completed request whose sealing failed."""

    updated = SignatureRequest.objects.filter(
        pk=request.pk, status=RequestStatus.COMPLETED, seal_status=SealStatus.FAILED
    ).update(seal_status=SealStatus.PENDING)
    if not updated:
        raise ValidationError("Only a sealing that failed can be started again.")
    request_id = request.pk
    enqueue_on_commit("contracts.tasks.signature_seal", request_id, robust=True)


def signed_pdf_filename(request: SignatureRequest) -> str:
    return f"{request.version.contract.reference}-v{request.version.number}-signed.pdf"


def signed_pdf_email_send(*, signer_id: int) -> bool:
    """Email one signer the sealed signed PDF as an attachment (once); True when sent now.

    Claimed by setting ``signed_pdf_sent_at`` before sending, as :func:`signer_email_send`
    claims the first email; a failed attempt gives the claim back for the retry.
    """

    signer = Signer.objects.select_related(
        "request__version__contract__provider", "request__version__contract__customer", "organisation"
    ).get(pk=signer_id)
    request = signer.request
    if signer.signed_pdf_sent_at or request.seal_status != SealStatus.SEALED:
        return False

    def send() -> None:
        with default_storage.open(request.signed_document.name, "rb") as handle:
            pdf = handle.read()
        emails.email_send(
            template="signature_completed",
            context={
                "signer": signer,
                "contract": request.version.contract,
                "version": request.version,
                "request": request,
                "verify_url": settings.SITE_URL + reverse("compliance:verify"),
            },
            to=[signer.email],
            attachments=[(signed_pdf_filename(request), pdf, "application/pdf")],
            branding=branding_of(request.version.contract.provider),
        )

    return emails.email_send_once(
        unclaimed=Signer.objects.filter(signed_pdf_sent_at=None),
        pk=signer.pk,
        field="signed_pdf_sent_at",
        send=send,
    )
