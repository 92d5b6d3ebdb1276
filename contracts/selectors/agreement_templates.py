"""The agreement templates a provider's staff may start contracts from: the starter ones
and those their provider organisations saved."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from contracts.contract_files.starter_agreements import STARTER_AGREEMENTS, starter_agreement
from contracts.models import AgreementTemplate
from contracts.selectors import tenancy

STARTER, SAVED = "starter", "saved"


def agreement_templates_for(user) -> QuerySet[AgreementTemplate]:
    """Saved templates of the provider organisations in which the user drafts."""
    return AgreementTemplate.objects.filter(owner__in=tenancy.organisations_authored_by(user)).select_related(
        "owner"
    )


def agreement_template_for_user_or_404(user, template_id: int) -> AgreementTemplate:
    return get_object_or_404(agreement_templates_for(user), pk=template_id)


def agreement_choices_for(user) -> list[tuple[str, str]]:
    """(value, label) of every template the user may start from, the starter ones first."""
    choices = [(f"{STARTER}:{a.key}", f"{a.name} (starter)") for a in STARTER_AGREEMENTS]
    for template in agreement_templates_for(user).order_by("owner__name", "name"):
        choices.append((f"{SAVED}:{template.pk}", f"{template.name} ({template.owner.name})"))
    return choices


def agreement_of_choice(user, value: str):
    """The starter agreement or the user's saved template a choice names, or None."""
    kind, _, key = str(value or "").partition(":")
    if kind == STARTER:
        return starter_agreement(key)
    if kind == SAVED and key.isdigit():
        return agreement_templates_for(user).filter(pk=int(key)).first()
    return None
