"""The project package. Its Celery app is loaded on first use (by a worker, or the first task
published), not at every start: a ``manage.py`` command or a web process that queues nothing
never pays for Celery's imports. Every tasks module imports ``slaportal.celery`` itself, so
its tasks always bind to this app."""

__all__ = ["celery_app"]


def __getattr__(name: str):
    if name == "celery_app":  # the name Celery's Django guide gives it
        from slaportal.celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
