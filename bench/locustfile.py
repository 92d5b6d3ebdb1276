"""The simulated users of bench/load.py; not meant to be run on its own.

``LOAD_CONFIG`` names a JSON file written by bench/load.py with the pages (name, path, how
to authenticate, expected content type, weight), the cookies (session and CSRF) of users who signed in
through the login form, and an API token. ``LOAD_SCENARIO`` picks one page, or ``mixed`` for
every page but /healthz by weight. Each simulated user sends its next request as soon as the
previous one is answered; any answer other than 200 with the expected content type counts as
a failure (a redirect to the login page included).
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

with open(os.environ["LOAD_CONFIG"], encoding="utf-8") as config_file:
    CONFIG = json.load(config_file)
SCENARIO = os.environ["LOAD_SCENARIO"]
PAGES = [
    page for page in CONFIG["pages"] if page["name"] == SCENARIO or (SCENARIO == "mixed" and page["weight"])
]
if not PAGES:
    raise SystemExit(f"unknown scenario {SCENARIO!r}")
WEIGHTS = [page["weight"] or 1 for page in PAGES]
_sessions = itertools.cycle(CONFIG["sessions"])


class PortalUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        # One signed-in browser per simulated user (bench/load.py signed in through the form):
        # its session and CSRF cookies, as a browser sends them with every page.
        self.session_headers = {"Cookie": next(_sessions)}
        self.token_headers = {"Authorization": f"Token {CONFIG['token']}"}

    @task
    def visit(self):
        page = PAGES[0] if len(PAGES) == 1 else random.choices(PAGES, WEIGHTS)[0]
        headers = {"session": self.session_headers, "token": self.token_headers}.get(page["auth"], {})
        with self.client.get(
            page["path"], name=page["name"], headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            content_type = response.headers.get("Content-Type", "")
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location', '')}")
            elif not content_type.startswith(page["content_type"]):
                response.failure(f"content type {content_type!r}")
            else:
                response.success()
