"""Contract status moves made by authoring: a published draft goes to review."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from contracts.models import Contract, User, Version
from contracts.models.contract import ContractStatus
from contracts.services.versions import version_publish


@transaction.atomic
def version_publish_for_review(*, version: Version, user: User | None) -> Version:
    """Publish (freeze) a draft version and move its contract from draft to in review.

    Refused like ``version_publish`` (ValidationError listing the consistency errors); a
    contract already past draft keeps its status.
    """
    version = version_publish(version=version, user=user)
    Contract.objects.filter(pk=version.contract_id, status=ContractStatus.DRAFT).update(
        status=ContractStatus.IN_REVIEW, updated_at=timezone.now()
    )
    return version
