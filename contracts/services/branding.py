"""Writes on a provider's branding: its accent colour and logo."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from contracts.branding.colours import normalise_hex
from contracts.branding.logos import LogoRefused, prepared_logo
from contracts.models import Organisation


@transaction.atomic
def organisation_branding_update(
    *, organisation: Organisation, accent_colour: str, logo: bytes | None = None
) -> Organisation:
    """Set the accent colour (empty for none) and, when ``logo`` is given, replace the logo.

    The upload is checked and re-encoded (``contracts.branding.logos``) before anything is
    stored; a refused logo raises ValidationError on ``logo`` and changes nothing. Documents
    rendered and sealed earlier keep the branding they were made with.
    """
    try:
        accent = normalise_hex(accent_colour) if accent_colour else ""
    except ValueError:
        raise ValidationError(
            {"accent_colour": "Enter the colour as # and six hex digits, e.g. #1f6feb."}
        ) from None
    png = None
    if logo is not None:
        try:
            png = prepared_logo(logo)
        except LogoRefused as exc:
            raise ValidationError({"logo": str(exc)}) from None
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.accent_colour = accent
    fields = ["accent_colour"]
    if png is not None:
        previous = organisation.logo.name
        # The content hash in the name changes with the logo, so pages can cache it for long.
        name = f"branding/{organisation.pk}-{hashlib.sha256(png).hexdigest()[:16]}.png"
        organisation.logo.name = default_storage.save(name, ContentFile(png))
        fields.append("logo")
        _delete_after_commit(previous, keep=organisation.logo.name)
    organisation.save(update_fields=fields)
    return organisation


@transaction.atomic
def organisation_logo_remove(*, organisation: Organisation) -> Organisation:
    """Remove the logo; pages, new documents and emails show the provider's name alone."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    previous = organisation.logo.name
    organisation.logo = ""
    organisation.save(update_fields=["logo"])
    _delete_after_commit(previous)
    return organisation


def _delete_after_commit(name: str, keep: str = "") -> None:
    # Only once the row no longer names the file: a rolled-back change keeps its logo.
    if name and name != keep:
        transaction.on_commit(lambda: default_storage.delete(name))
