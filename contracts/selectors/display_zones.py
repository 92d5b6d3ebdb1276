"""The zone a person's times are shown in."""

from contracts.models import Organisation, User


def display_time_zone_of(user: User) -> str:
    """The zone ``user`` picked; else the default of their organisations when those that set
    one agree on it; else "" (a contract's zone on its pages, UTC elsewhere).

    Organisations that disagree give no default: the portal does not guess which one counts."""
    if user.display_time_zone:
        return user.display_time_zone
    defaults = set(
        Organisation.objects.filter(memberships__user=user)
        .exclude(default_time_zone="")
        .values_list("default_time_zone", flat=True)
    )
    return defaults.pop() if len(defaults) == 1 else ""


def display_time_zone_of_address(address: str) -> str:
    """As ``display_time_zone_of``, for the account with this email address ("" without one)."""
    user = User.objects.filter(email__iexact=address).only("pk", "display_time_zone").first()
    return display_time_zone_of(user) if user is not None else ""
