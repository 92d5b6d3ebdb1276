"""Agreement templates: whole contracts kept as contract files, saved from a contract and
used to start new ones (see ``contracts.contract_files.starter_agreements`` for the starter ones)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts.contract_files.export import contract_file_text
from contracts.models import AgreementTemplate, Contract, User
from contracts.selectors.versions import latest_version, version_terms

NAME_MAX = 200


@transaction.atomic
def agreement_template_save(
    *, contract: Contract, user: User, name: str, description: str = ""
) -> AgreementTemplate:
    """The contract's latest version (clauses in order, every term and value) kept as a
    template of its provider, under a name no other template of the provider has."""
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({"name": "Name the template."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"At most {NAME_MAX} characters."})
    version = latest_version(contract)
    if version is None:
        raise ValidationError("This contract has no version to keep as a template yet.")
    try:
        with transaction.atomic():
            template = AgreementTemplate.objects.create(
                owner_id=contract.provider_id,
                name=name,
                description=str(description or "").strip(),
                document=contract_file_text(contract, version_terms(version)),
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError({"name": f"Your organisation already has a template named “{name}”."}) from None
    return template


def agreement_template_delete(*, template: AgreementTemplate) -> None:
    """Contracts started from it keep their terms: they were copied, not linked."""
    template.delete()
