"""The contract PDF with a worker: a PDF not rendered yet is queued once, the page shows that
it is being prepared and polls itself, and the download is served once the worker is done."""

import pytest
from django.urls import reverse

from contracts import tasks
from contracts.views import documents
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(documents, "runs_in_background", lambda: True)
    monkeypatch.setattr(documents, "enqueue", lambda name, *args: calls.append((name, args)))
    return calls


def test_a_pdf_not_rendered_yet_is_queued_once_and_shown_as_preparing(tenants, client_for, queued):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    client = client_for(tenants.provider_author)
    url = reverse("contracts:version_pdf", args=[tenants.contract.reference, 1])

    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"].startswith("text/html")
    body = first.content.decode()
    assert "Preparing the PDF" in body and f'hx-get="{url}"' in body
    assert queued == [("contracts.tasks.contract_pdf_render", (version.pk, "both"))]

    polled = client.get(url, HTTP_HX_REQUEST="true")
    assert "Preparing the PDF" in polled.content.decode()
    assert len(queued) == 1  # the page polling does not queue it again

    assert tasks.contract_pdf_render(version.pk, "both") is True  # what the worker does

    ready = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "The PDF is ready" in ready and "hx-get" not in ready
    download = client.get(url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{tenants.contract.reference}-v1.pdf"'
    assert download.content.startswith(b"%PDF")
    assert len(queued) == 1


def test_another_rendering_is_a_pdf_of_its_own(tenants, client_for, queued):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    client = client_for(tenants.provider_author)
    url = reverse("contracts:version_pdf", args=[tenants.contract.reference, 1])
    tasks.contract_pdf_render(version.pk, "both")
    assert client.get(url)["Content-Type"] == "application/pdf"
    assert "Preparing the PDF" in client.get(url + "?rendering=plain").content.decode()
    assert queued == [("contracts.tasks.contract_pdf_render", (version.pk, "plain"))]


def test_the_outsider_gets_404_and_nothing_is_queued(tenants, client_for, queued):
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    url = reverse("contracts:version_pdf", args=[tenants.contract.reference, 1])
    assert client_for(tenants.outsider_admin).get(url).status_code == 404
    assert queued == []
