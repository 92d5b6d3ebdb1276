"""A person's own settings, and their organisation's default for them."""

from contracts.models import Organisation, User
from contracts.models.parties import validate_display_time_zone


def user_display_time_zone_set(*, user: User, time_zone: str) -> User:
    """Store the zone ``user`` wants times shown in ("" for the default); raises ValidationError
    for a zone that does not exist, and then changes nothing.

    Only what is shown changes: stored times, contracts' clocks and sealed PDFs stay as they are.
    """
    time_zone = time_zone.strip()
    validate_display_time_zone(time_zone)
    User.objects.filter(pk=user.pk).update(display_time_zone=time_zone)
    user.display_time_zone = time_zone
    return user


def organisation_default_time_zone_set(*, organisation: Organisation, time_zone: str) -> Organisation:
    """Store the zone times are shown in to ``organisation``'s members who picked none ("" for
    none); raises ValidationError for a zone that does not exist, and then changes nothing."""
    time_zone = time_zone.strip()
    validate_display_time_zone(time_zone)
    Organisation.objects.filter(pk=organisation.pk).update(default_time_zone=time_zone)
    organisation.default_time_zone = time_zone
    return organisation
