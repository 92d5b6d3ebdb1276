"""Monthly report work still to do, read back from its records (see ``slaportal.requeue``):
a report run item never started, a credit note whose PDF was never rendered, a delivery
(of a report, or of a credit note with its PDF) never attempted, and claims left running
or sending by a worker that died, once stale."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from compliance.models import (
    CreditNote,
    CreditNoteDelivery,
    Delivery,
    DeliveryStatus,
    ItemStatus,
    ReportRunItem,
    ReportStatus,
)


def pending_work(*, now: datetime, cutoff: datetime, since: datetime) -> list[tuple[str, tuple]]:
    """(task name, args) of the work recorded after ``since`` and pending since before ``cutoff``."""
    work: list[tuple[str, tuple]] = []
    items = ReportRunItem.objects.filter(
        status=ItemStatus.PENDING, attempts=0, run__started_at__lt=cutoff, run__started_at__gte=since
    )
    work += [("compliance.tasks.report_make", (pk,)) for pk in items.values_list("pk", flat=True)]
    deliveries = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        attempts=0,
        report__status=ReportStatus.READY,
        created_at__lt=cutoff,
        created_at__gte=since,
    )
    work += [("compliance.tasks.report_deliver", (pk,)) for pk in deliveries.values_list("pk", flat=True)]

    # Claims left behind by a dead worker. The tasks take over a stale claim themselves.
    stale_items = ReportRunItem.objects.filter(
        status=ItemStatus.RUNNING,
        claimed_at__lt=min(cutoff, now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)),
        run__started_at__gte=since,
    )
    work += [("compliance.tasks.report_make", (pk,)) for pk in stale_items.values_list("pk", flat=True)]
    stale_deliveries = Delivery.objects.filter(
        status=DeliveryStatus.SENDING,
        claimed_at__lt=min(cutoff, now - timedelta(seconds=settings.REPORT_DELIVERY_STALE_AFTER)),
        created_at__gte=since,
    )
    work += [
        ("compliance.tasks.report_deliver", (pk,)) for pk in stale_deliveries.values_list("pk", flat=True)
    ]
    unrendered = CreditNote.objects.filter(pdf="", created_at__lt=cutoff, created_at__gte=since)
    work += [("compliance.tasks.credit_note_render", (pk,)) for pk in unrendered.values_list("pk", flat=True)]
    notes = CreditNoteDelivery.objects.filter(
        status=DeliveryStatus.PENDING, attempts=0, created_at__gte=since
    ).exclude(credit_note__pdf="")
    work += [
        ("compliance.tasks.credit_note_deliver", (pk,))
        for pk in notes.filter(created_at__lt=cutoff).values_list("pk", flat=True)
    ]
    stale_notes = CreditNoteDelivery.objects.filter(
        status=DeliveryStatus.SENDING,
        claimed_at__lt=min(cutoff, now - timedelta(seconds=settings.REPORT_DELIVERY_STALE_AFTER)),
        created_at__gte=since,
    )
    work += [
        ("compliance.tasks.credit_note_deliver", (pk,)) for pk in stale_notes.values_list("pk", flat=True)
    ]
    return work
