"""Reads of signing: requests a user may see, the signing panel of a contract, signer choices.

Scoped through ``contracts.selectors.tenancy``: a request of another tenant's contract is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from contracts.models import (
    Contract,
    Membership,
    RequestStatus,
    Role,
    SealStatus,
    SignatureRequest,
    Signer,
    SignerStatus,
    SigningEvent,
    Version,
)
from contracts.selectors.tenancy import contracts_authored_by, contracts_for_user, get_for_user_or_404

SIGNER_ROLES = (Role.SIGNER, Role.ADMIN)


def signature_requests_for_user(user) -> QuerySet[SignatureRequest]:
    """Requests of the contracts the user is a party to."""
    return SignatureRequest.objects.filter(version__contract__in=contracts_for_user(user)).select_related(
        "version__contract__provider", "version__contract__customer"
    )


def signature_request_for_user(user, reference: str, request_id: int) -> SignatureRequest:
    return get_for_user_or_404(
        signature_requests_for_user(user), pk=request_id, version__contract__reference=reference
    )


def signature_request_for_author(user, reference: str, request_id: int) -> SignatureRequest:
    """A request of a contract the user drafts (provider admin or author), or 404."""
    requests = SignatureRequest.objects.filter(
        version__contract__in=contracts_authored_by(user)
    ).select_related("version__contract__provider", "version__contract__customer")
    return get_for_user_or_404(requests, pk=request_id, version__contract__reference=reference)


def signer_memberships(contract: Contract) -> dict[str, list[Membership]]:
    """The members who may sign for each party (signer or admin role), by side."""
    members = (
        Membership.objects.filter(
            organisation__in=[contract.customer_id, contract.provider_id], role__in=SIGNER_ROLES
        )
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    by_side: dict[str, list[Membership]] = {"customer": [], "provider": []}
    for membership in members:
        side = "customer" if membership.organisation_id == contract.customer_id else "provider"
        by_side[side].append(membership)
    return by_side


def waiting_slot_of(request: SignatureRequest, user) -> Signer | None:
    """The user's waiting signer slot in ``request`` (matched by account, or by email for an
    invited person), if any."""
    if not user.is_authenticated:
        return None
    return (
        Signer.objects.filter(request=request, status=SignerStatus.WAITING)
        .filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .select_related("organisation")
        .first()
    )


def signatures_awaiting(user) -> list[Signer]:
    """The user's signer slots whose turn it is (open request, no one before them still
    waiting), on contracts the user is a party to; one query."""
    if not user.is_authenticated:
        return []
    earlier_waiting = Signer.objects.filter(
        request=OuterRef("request"), status=SignerStatus.WAITING, order__lt=OuterRef("order")
    )
    return list(
        Signer.objects.filter(
            status=SignerStatus.WAITING,
            request__status=RequestStatus.OPEN,
            request__version__contract__in=contracts_for_user(user),
        )
        .filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .exclude(Exists(earlier_waiting))
        .select_related("organisation", "request__version__contract")
        .order_by("request__created_at")
    )


@dataclass
class SigningPanel:
    """What the contract page shows about signing."""

    current: SignatureRequest | None
    signers: list[Signer]
    events: list[SigningEvent]
    sendable: Version | None
    my_slot: Signer | None = None
    earlier: list[SignatureRequest] = field(default_factory=list)

    @property
    def preparing(self) -> bool:
        """The current request's document to sign is still being rendered by a worker."""
        return bool(self.current and self.current.is_open and not self.current.document)

    @property
    def sealing(self) -> bool:
        """Every party has signed and the signed PDF is being sealed."""
        return bool(
            self.current
            and self.current.status == RequestStatus.COMPLETED
            and self.current.seal_status == SealStatus.PENDING
        )

    @property
    def in_progress(self) -> bool:
        """Background work the page waits for (the panel polls itself meanwhile)."""
        return self.preparing or self.sealing


def signing_panel(contract: Contract, user, *, author: bool) -> SigningPanel:
    """The latest request with its signers, the timeline of every request, and — for
    authors — the version that could be sent now. A constant number of queries."""
    requests = list(
        SignatureRequest.objects.filter(version__contract=contract)
        .select_related("version")
        .order_by("-created_at", "-id")
    )
    current = requests[0] if requests else None
    signers = (
        list(
            Signer.objects.filter(request=current)
            .select_related("user", "organisation")
            .order_by("order", "id")
        )
        if current
        else []
    )
    events = list(
        SigningEvent.objects.filter(request__version__contract=contract)
        .select_related("user", "request__version")
        .order_by("at", "id")
    )
    sendable = None
    if author and not any(r.is_open for r in requests):
        latest = Version.objects.filter(contract=contract).order_by("-number").first()
        if latest is not None and not latest.in_force_from and not latest.signed_outside_portal:
            sendable = latest
    my_slot = None
    if current is not None and current.is_open and current.document and user.is_authenticated:
        email = user.email.lower()
        my_slot = next(
            (
                s
                for s in signers
                if s.status == SignerStatus.WAITING
                and (s.user_id == user.pk or (s.user_id is None and s.email == email))
            ),
            None,
        )
    return SigningPanel(
        current=current,
        signers=signers,
        events=events,
        sendable=sendable,
        my_slot=my_slot,
        earlier=requests[1:],
    )
