from notifications.selectors import unread_count


def bell(request):
    """The unread count for the navigation's bell: one query per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": unread_count(user)}
