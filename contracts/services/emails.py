"""Sending templated email: subject, text and HTML templates side by side under templates/emails/."""

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.display_zone import shown_to
from contracts.models import User


def email_send(
    *,
    template: str,
    context: dict,
    to: Sequence[str],
    cc: Sequence[str] = (),
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` and send one message.

    Times in it are shown in the display time zone of its one recipient (see
    ``_recipient_zone``). Raises whatever the mail backend raises, so that the calling task can
    retry.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with shown_to(lambda: _recipient_zone(to, cc)):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to), cc=list(cc), headers=headers)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def _recipient_zone(to: Sequence[str], cc: Sequence[str]) -> str:
    """The display time zone of the one person an email goes to; "" (each template's default)
    when it goes to several people, or to an address with no account."""
    if len(to) != 1 or cc:
        return ""
    return User.objects.filter(email__iexact=to[0]).values_list("display_time_zone", flat=True).first() or ""


def email_send_once(
    *, unclaimed: QuerySet, pk: int, field: str, send: Callable[[], Any], previous=None
) -> bool:
    """Send an email recorded by the timestamp ``field`` of one row, at most once per claim.

    The row is claimed before sending by setting ``field``, if it is still among ``unclaimed``
    (so that a task delivered twice, or retried while another copy runs, sends once); if
    ``send`` fails, the claim is given back (``field`` set to ``previous``) so that a retry can
    send, and the error is raised. True when this call sent the email.
    """
    claimed_at = timezone.now()
    if not unclaimed.filter(pk=pk).update(**{field: claimed_at}):
        return False
    try:
        send()
    except Exception:
        unclaimed.model.objects.filter(pk=pk, **{field: claimed_at}).update(**{field: previous})
        raise
    return True
