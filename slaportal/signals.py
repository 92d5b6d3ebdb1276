"""Sending a domain signal once the transaction that made the change has committed.

The apps announce what happened with signals they declare (``contracts.signals``,
``compliance.signals``); the layers above (notifications, webhooks) connect to them. A
receiver runs after the commit, so it never sees a change that was rolled back, and its
failure never undoes the change: it is logged instead.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("Receiver %r of %r failed", receiver, sender, exc_info=result)

    transaction.on_commit(send)
