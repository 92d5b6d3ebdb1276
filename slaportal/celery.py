"""The Celery application. Its configuration lives in Django settings under CELERY_*."""

import os

from celery import Celery
from celery.signals import worker_process_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slaportal.settings")


def beat_schedule(entries: dict) -> dict:
    """Celery's beat schedule from the settings' ``CELERY_BEAT_SCHEDULE``, whose entries name
    a ``cron`` ("minute hour day month weekday") or a ``schedule`` in seconds."""
    from celery.schedules import crontab

    schedule = {}
    for name, entry in entries.items():
        entry = dict(entry)
        if "cron" in entry:
            minute, hour, day, month, weekday = entry.pop("cron").split()
            entry["schedule"] = crontab(
                minute, hour, day_of_week=weekday, day_of_month=day, month_of_year=month
            )
        schedule[name] = entry
    return schedule


app = Celery("slaportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = beat_schedule(settings.CELERY_BEAT_SCHEDULE)
app.autodiscover_tasks()


def freeze_startup_heap() -> None:
    """Load what rendering needs and move everything the process holds by then out of the
    garbage collector's reach. A WeasyPrint render triggers full collections, and each one
    would otherwise walk all of Django, WeasyPrint and pyHanko again (about 0.2 s each)."""
    import gc

    import pyhanko.sign.signers  # noqa: F401
    import weasyprint  # noqa: F401

    gc.collect()
    gc.freeze()


@worker_process_init.connect
def _freeze_worker_heap(**kwargs) -> None:
    freeze_startup_heap()
