"""Sending templated email: subject, text and HTML templates side by side under templates/emails/."""

from collections.abc import Callable, Sequence
from email.mime.image import MIMEImage
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.branding.brand import Branding
from contracts.display_zone import shown_to
from contracts.selectors.display_zones import display_time_zone_of_address

#: The Content-ID the HTML part names the provider's logo by (``<img src="cid:…">``).
LOGO_CID = "provider-logo@sla-portal"


class EmailWithInlineImages(EmailMultiAlternatives):
    """An email whose HTML part comes with images it shows inline (``cid:`` links).

    The HTML part and its images go together in a multipart/related part inside the
    multipart/alternative, so that attachments (PDFs) stay ordinary attachments and the
    text part is untouched. ``inline_images``: (Content-ID, PNG bytes) pairs.
    """

    def __init__(self, *args, inline_images: Sequence[tuple[str, bytes]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.inline_images = list(inline_images)

    def message(self):
        msg = super().message()
        if self.inline_images:
            self._relate_html(msg)
        return msg

    def _relate_html(self, container) -> bool:
        if not container.is_multipart():
            return False
        parts = container.get_payload()
        for index, part in enumerate(parts):
            if part.get_content_type() == "text/html":
                related = SafeMIMEMultipart(
                    _subtype="related", encoding=self.encoding or settings.DEFAULT_CHARSET
                )
                related.attach(part)
                for cid, png in self.inline_images:
                    image = MIMEImage(png, _subtype="png")
                    image.add_header("Content-ID", f"<{cid}>")
                    image.add_header("Content-Disposition", "inline", filename="logo.png")
                    related.attach(image)
                parts[index] = related
                return True
            if part.get_content_type() == "multipart/alternative" and self._relate_html(part):
                return True
        return False


def email_send(
    *,
    template: str,
    context: dict,
    to: Sequence[str],
    cc: Sequence[str] = (),
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
    branding: Branding | None = None,
) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` and send one message.

    With the provider's ``branding``, the HTML part shows its name on its accent colour and
    its logo, attached inline (``cid:``: mail clients block remote and ``data:`` images);
    the text part is the same either way. Times in it are shown in the display time zone of
    its one recipient (see ``_recipient_zone``). Raises whatever the mail backend raises, so
    that the calling task can retry.
    """
    logo = branding.logo_png if branding else b""
    context = {
        "site_url": settings.SITE_URL,
        "branding": branding or None,
        "logo_cid": LOGO_CID if logo else "",
        **context,
    }
    with shown_to(lambda: _recipient_zone(to, cc)):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailWithInlineImages(
        subject=subject,
        body=text,
        to=list(to),
        cc=list(cc),
        headers=headers,
        inline_images=[(LOGO_CID, logo)] if logo else (),
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


def _recipient_zone(to: Sequence[str], cc: Sequence[str]) -> str:
    """The display time zone of the one person an email goes to; "" (each template's default)
    when it goes to several people, or to an address with no account."""
    if len(to) != 1 or cc:
        return ""
    return display_time_zone_of_address(to[0])


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
