"""The demo's reports as a customer reads them (pdftotext): plain words on the first page, no
raw keys, and no page left holding only the tail of a table."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from compliance.models import Report
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)

#: The report's headings (templates/pdf/report.html); a service level's own section reads
#: "<name>: met" / "<name>: missed".
HEADINGS = re.compile(
    r"^(Service levels|Events that did not count|Service credits|Credit tiers in the contract|Hours bank"
    r"|Words used in this report|Appendix|Incidents \(|Outages \(|.+: (met|missed|not measured)$)"
)
FURNITURE = re.compile(r"^(Page \d+ of \d+|SLA-\d{4}-\d{4} · compliance report .+)$")
RAW_KEY = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
JARGON = ("revision", "error budget", "overspent", "Shortfall no longer carried", "2026-1")


def _pages(data: bytes) -> list[list[str]]:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    text = subprocess.run([tool, "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return [
        [line.strip() for line in page.splitlines() if line.strip()] for page in text.decode().split("\f")
    ][:-1]


@pytest.fixture
def demo_reports(report_settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    reports = list(Report.objects.select_related("contract").order_by("contract__reference"))
    assert reports
    return reports


@pytest.mark.django_db(transaction=True)
def test_demo_reports_read_in_plain_words_with_no_orphaned_table_rows(demo_reports):
    for report in demo_reports:
        pages = _pages(stored_pdf(report))
        where = f"{report.contract.reference} {report.period}"
        first = " ".join(pages[0])
        # Page 1 answers the month: each level met or missed, the credits, the change.
        assert "Service levels this month" in first, where
        assert "service credits" in first or "No service credits are owed" in first, where
        assert "Since " in first, where
        assert re.search(
            r"(January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d",
            first,
        )
        text = "\n".join("\n".join(page) for page in pages)
        assert not RAW_KEY.findall(text.replace("SHA-256", "")), (where, RAW_KEY.findall(text))
        for word in JARGON:
            assert word not in text, (where, word)
        for number, page in enumerate(pages[1:], start=2):
            content = [line for line in page if not FURNITURE.match(line)]
            headed = any(HEADINGS.match(line) for line in content)
            # A page with no heading of its own continues a table: it must hold more than
            # a tail (WeasyPrint repeats the table's header row there).
            assert headed or len(content) >= 8, (where, number, content)
