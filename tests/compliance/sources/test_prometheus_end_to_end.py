"""A real Prometheus and Alertmanager against the portal's live server.

Prometheus scrapes a tiny target on loopback every second; its rule fires when the target is
down. Alertmanager's webhook receiver is the portal's hook URL, with the source's secret as a
bearer token. The target goes down: the outage appears with its start. The target comes back:
the outage ends, and the month's figures count it.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from compliance.models import Outage, SourceDelivery
from compliance.selectors.evaluations import evaluation_current
from compliance.services.sources import source_create
from tests.compliance.event_fixtures import with_terms
from tests.services import require

PROMETHEUS = "prometheus"
ALERTMANAGER = "prometheus-alertmanager"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Metrics(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = b"# TYPE portal_test_target gauge\nportal_test_target 1\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Target:
    """A metrics endpoint that can be taken down and brought back on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.server = None

    def up(self) -> None:
        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _Metrics)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def _start(command: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)  # noqa: S603


@pytest.mark.django_db(transaction=True)
def test_target_down_opens_an_outage_and_back_up_ends_it(tenants, live_server, tmp_path):
    require(
        shutil.which(PROMETHEUS) is not None and shutil.which(ALERTMANAGER) is not None,
        "prometheus and prometheus-alertmanager are not installed "
        "(apt-get install prometheus prometheus-alertmanager)",
    )
    contract = with_terms(tenants)
    source = source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="Prom")
    target_port, prom_port, am_port = _free_port(), _free_port(), _free_port()
    (tmp_path / "alertmanager.yml").write_text(
        f"""
route:
  receiver: portal
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: portal
    webhook_configs:
      - url: {live_server.url}/hooks/{source.token}/
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: {source.secret}
"""
    )
    (tmp_path / "rules.yml").write_text(
        """
groups:
  - name: portal
    interval: 1s
    rules:
      - alert: EmailDown
        expr: up{job="mail"} == 0
        labels:
          service: Email
        annotations:
          summary: The mail server does not answer
"""
    )
    (tmp_path / "prometheus.yml").write_text(
        f"""
global:
  scrape_interval: 1s
  scrape_timeout: 500ms
  evaluation_interval: 1s
rule_files: [{tmp_path / "rules.yml"}]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:{am_port}"]
scrape_configs:
  - job_name: mail
    static_configs:
      - targets: ["127.0.0.1:{target_port}"]
"""
    )
    target = _Target(target_port)
    target.up()
    processes = [
        _start(
            [
                ALERTMANAGER,
                f"--config.file={tmp_path / 'alertmanager.yml'}",
                f"--storage.path={tmp_path / 'am-data'}",
                f"--web.listen-address=127.0.0.1:{am_port}",
                "--cluster.listen-address=",
            ],
            tmp_path / "alertmanager.log",
        ),
        _start(
            [
                PROMETHEUS,
                f"--config.file={tmp_path / 'prometheus.yml'}",
                f"--storage.tsdb.path={tmp_path / 'prom-data'}",
                f"--web.listen-address=127.0.0.1:{prom_port}",
                "--rules.alert.resend-delay=1s",
            ],
            tmp_path / "prometheus.log",
        ),
    ]
    try:
        # Let Prometheus see the target up before taking it down.
        time.sleep(3)
        assert not Outage.objects.exists()
        went_down = datetime.now(UTC)
        target.down()
        outage = _wait_for(lambda: Outage.objects.filter(contract=contract).first(), 30, "the outage")
        assert outage.service == "Email"
        assert outage.end is None
        assert outage.source_id == source.pk
        assert outage.summary == "The mail server does not answer"
        assert went_down - timedelta(seconds=1) <= outage.start <= went_down + timedelta(seconds=5)

        came_back = datetime.now(UTC)
        target.up()
        outage = _wait_for(
            lambda: Outage.objects.filter(pk=outage.pk, end__isnull=False).first(), 30, "the outage's end"
        )
        assert came_back - timedelta(seconds=1) <= outage.end <= came_back + timedelta(seconds=5)
        assert Outage.objects.filter(contract=contract).count() == 1
        assert not SourceDelivery.objects.filter(outcome="refused").exists()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        target.down()

    # The month evaluated from its events counts the outage against availability.
    run = evaluation_current(contract=contract, period=f"{outage.start:%Y-%m}")
    figures = json.dumps(run.evaluation.figures)
    assert outage.external_id in figures
