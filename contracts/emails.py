"""Sending templated email: subject, text and HTML templates side by side under templates/emails/."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def email_send(
    *,
    template: str,
    context: dict,
    to: Sequence[str],
    cc: Sequence[str] = (),
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` and send one message.

    Raises whatever the mail backend raises, so that the calling task can retry.
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to), cc=list(cc))
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
