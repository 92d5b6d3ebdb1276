"""Loaded with ``-p tests.pytest_env`` before Django's settings are imported (see pyproject.toml).

The live server builds its middleware once per session, so settings that middleware reads at
start-up must already hold when the settings module is first imported.
"""

import os

# Tests talk plain HTTP to the live server; production keeps HTTPS-only cookies and redirects.
os.environ.setdefault("SECURE_HTTPS", "0")
# Static files are served from their source folders, without a collectstatic manifest.
os.environ.setdefault("STATICFILES_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
