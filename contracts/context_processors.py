from contracts.models import Role
from contracts.selectors.tenancy import memberships_for_user


def portal(request):
    """Navigation facts for the base template: one query per page, done lazily."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    memberships = list(memberships_for_user(user))
    return {
        "nav_memberships": memberships,
        "nav_is_provider_staff": any(m.organisation.is_provider and m.can_author for m in memberships),
        "nav_administers": [m.organisation for m in memberships if m.can_manage_members],
        "nav_manages_webhooks": any(m.organisation.is_provider and m.role == Role.ADMIN for m in memberships),
    }
