"""A full disk while storing a report's PDF: the report is marked failed with the reason,
nothing half-written stays behind, no email goes out, and the report is made and sent once
when space is back — by a new run in-process, or by the worker's own retry.

The disk is real: a small tmpfs mounted as the media directory (needs root, as in CI).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from compliance.models import Delivery, ItemStatus, Report, ReportRunItem, ReportStatus
from compliance.services import reports
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)
from tests.services import require

DISK_SIZE = "1m"


class TinyDisk:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self, leave: int = 4096) -> None:
        """Take all the space but ``leave`` bytes (less than any report PDF)."""
        free = os.statvfs(self.path).f_bavail * os.statvfs(self.path).f_frsize
        self.filler.write_bytes(b"\0" * max(0, free - leave))

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def report_files(self) -> list[Path]:
        return sorted((self.path / "reports").glob("*")) if (self.path / "reports").exists() else []


def _mount(path: Path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path, report_settings):
    """A 1 MB file system mounted as MEDIA_ROOT."""
    path = tmp_path / "tiny-disk"
    require(_mount(path), "mounting a small tmpfs needs root (CI runs as root)")
    report_settings.MEDIA_ROOT = path
    yield TinyDisk(path)
    subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_fails_the_report_visibly_and_a_later_run_sends_it_once(
    tiny_disk, active_contract, tenants, client_for, django_capture_on_commit_callbacks
):
    tiny_disk.fill()
    with django_capture_on_commit_callbacks(execute=True):
        run = reports.report_run_start(period=PERIOD)

    item = ReportRunItem.objects.get(run=run)
    report = Report.objects.get(contract=active_contract)
    assert item.status == ItemStatus.FAILED
    assert "No space left on device" in item.error
    assert report.status == ReportStatus.FAILED
    assert report.error == "storing the PDF failed: No space left on device"
    assert tiny_disk.report_files() == []  # the half-written file was removed
    assert mail.outbox == [] and not Delivery.objects.exists()

    # Provider staff see why, on the run and on the report.
    client = client_for(tenants.provider_admin)
    page = client.get(reverse("compliance:report_run", args=[run.pk])).content.decode()
    assert "No space left on device" in page
    detail = reverse("compliance:report_detail", args=[active_contract.reference, report.pk])
    assert "The PDF could not be made: storing the PDF failed: No space left on device" in (
        client.get(detail).content.decode()
    )

    tiny_disk.free()
    with django_capture_on_commit_callbacks(execute=True):
        again = reports.report_run_start(period=PERIOD)
    report.refresh_from_db()
    assert ReportRunItem.objects.get(run=again).status == ItemStatus.DONE
    assert report.status == ReportStatus.READY and report.error == ""
    assert [p.name for p in tiny_disk.report_files()] == [Path(report.pdf.name).name]
    # Each recipient gets the report once (and, as the month owes a credit, its credit note once).
    report_mail = [m.to[0] for m in mail.outbox if "compliance report for" in m.subject]
    credit_mail = [m.to[0] for m in mail.outbox if ": credit note " in m.subject]
    assert report_mail and len(report_mail) == len(set(report_mail))
    assert len(credit_mail) == len(set(credit_mail))
