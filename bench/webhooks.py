"""Outgoing webhooks: N events sent to a real HTTP receiver on loopback.

Builds a throw-away SQLite database, one provider with one subscription pointing at a local
receiver (``http.server``, threaded), publishes N events and makes each delivery's attempt
as the task does (claim, sign, resolve and check the address, POST, log the attempt). Then
the same deliveries are attempted again, as a redelivered task would: nothing is sent.
Prints deliveries per second, p50/p95 of one delivery, the ratio to a bare POST of the same
body to the same receiver, and the signing cost alone.

    .venv/bin/python bench/webhooks.py [--events 500]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        scratch_django(data_dir)
        from django.db import transaction

        from tests import factories
        from tests.webhooks.receiver import start_receiver
        from webhooks import services
        from webhooks.models import Delivery
        from webhooks.sending import client

        receiver, server = start_receiver()
        provider = factories.organisation("Bench provider", is_provider=True)
        admin = factories.member(provider, "admin", "owner@provider.example")
        subscription, _ = services.subscription_create(
            organisation=provider, user=admin, url=receiver.url, event_types=["report.issued"]
        )
        data = {"contract": {"reference": "SLA-2026-0001", "title": "Bench"}, "report": {"period": "2026-03"}}
        # Published inside one transaction whose queued tasks are dropped: the bench makes the
        # attempts itself, one at a time, to time each.
        with transaction.atomic():
            for _ in range(args.events):
                services.event_publish(organisation=provider, event_type="report.issued", data=data)
            transaction.get_connection().run_on_commit.clear()
        ids = list(Delivery.objects.values_list("pk", flat=True))

        durations = []
        started = time.perf_counter()
        for pk in ids:
            t = time.perf_counter()
            assert services.delivery_attempt(delivery_id=pk).state == "sent"
            durations.append(time.perf_counter() - t)
        wall = time.perf_counter() - started

        started = time.perf_counter()
        again = [services.delivery_attempt(delivery_id=pk).state for pk in ids]
        replay = time.perf_counter() - started
        sent_again = len(receiver.requests) - args.events
        assert set(again) == {"done"} and sent_again == 0

        body = b'{"type":"report.issued","data":{}}'
        started = time.perf_counter()
        for _ in range(args.events):
            assert client.post(
                receiver.url, body, {"Content-Type": "application/json"}, allow_private=True
            ).ok
        bare = time.perf_counter() - started

        from django.utils import timezone

        now = timezone.now()
        started = time.perf_counter()
        for n in range(args.events):
            services.sign(subscription=subscription, message_id=f"msg_{n}", body=body.decode(), now=now)
        signing = time.perf_counter() - started
        server.shutdown()

        ms = sorted(d * 1000 for d in durations)
        p50, p95 = statistics.median(ms), ms[int(len(ms) * 0.95) - 1]
        print(f"deliveries:           {args.events} in {wall:.2f} s = {args.events / wall:,.0f} per second")
        print(f"one delivery:         p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        print(f"bare POST, same body: {args.events / bare:,.0f} per second; delivery/bare {wall / bare:.1f}")
        print(f"signing alone:        {signing / args.events * 1e6:.0f} µs per message")
        print(f"replay of all:        {replay:.2f} s, {sent_again} sent again")


if __name__ == "__main__":
    main()
