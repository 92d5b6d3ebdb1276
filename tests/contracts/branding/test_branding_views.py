"""Setting a provider's branding on its organisation page, and who sees it where."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from contracts.models import Organisation
from tests.contracts.branding.images import SVG, image_bytes, png_with_chunk

pytestmark = pytest.mark.django_db


def _branding_url(org):
    return reverse("contracts:organisation_branding", args=[org.slug])


def _upload(data: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _post(client, org, *, accent="#1f6feb", logo=None, no_accent=False):
    data = {"accent_colour": accent}
    if no_accent:
        data["no_accent"] = "on"
    if logo is not None:
        data["logo"] = logo
    return client.post(_branding_url(org), data)


def test_admin_sets_logo_and_accent_colour(tenants, client_for):
    client = client_for(tenants.provider_admin)
    page = client.get(reverse("contracts:organisation_detail", args=[tenants.provider.slug]))
    assert 'id="branding-heading"' in page.content.decode()

    response = _post(client, tenants.provider, accent="#0A3069", logo=_upload(image_bytes("PNG", (800, 400))))

    assert response.status_code == 302
    tenants.provider.refresh_from_db()
    assert tenants.provider.accent_colour == "#0a3069"
    assert tenants.provider.logo.name.startswith("branding/")
    assert tenants.provider.accent_text_colour == "#ffffff"


def test_script_in_a_png_chunk_never_reaches_storage(tenants, client_for):
    upload = png_with_chunk(b"tEXt", b"Comment\0<script>alert(1)</script>")
    _post(client_for(tenants.provider_admin), tenants.provider, logo=_upload(upload))

    tenants.provider.refresh_from_db()
    stored = tenants.provider.logo.read()
    assert stored.startswith(b"\x89PNG") and b"<script>" not in stored


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (_upload(SVG, "logo.svg", "image/svg+xml"), "PNG, JPEG or WebP"),
        (_upload(image_bytes("PNG", (2400, 300))), "limit is 2000×2000"),
        (_upload(b"\0" * (1024 * 1024 + 10), "big.png"), "limit is 1 MB"),
    ],
    ids=["svg", "too-many-pixels", "too-large"],
)
def test_bad_logo_is_refused_with_a_clear_error_and_nothing_changes(tenants, client_for, logo, message):
    services.organisation_branding_update(organisation=tenants.provider, accent_colour="#123456")

    response = _post(client_for(tenants.provider_admin), tenants.provider, accent="#ffd33d", logo=logo)

    assert response.status_code == 400
    assert message in response.content.decode()
    tenants.provider.refresh_from_db()
    assert tenants.provider.accent_colour == "#123456"
    assert not tenants.provider.logo


def test_bad_colour_is_refused(tenants, client_for):
    response = _post(client_for(tenants.provider_admin), tenants.provider, accent="javascript:x")
    assert response.status_code == 400
    assert "six hex digits" in response.content.decode()
    assert Organisation.objects.get(pk=tenants.provider.pk).accent_colour == ""


def test_no_accent_clears_the_colour(tenants, client_for):
    services.organisation_branding_update(organisation=tenants.provider, accent_colour="#123456")
    _post(client_for(tenants.provider_admin), tenants.provider, accent="#000000", no_accent=True)
    assert Organisation.objects.get(pk=tenants.provider.pk).accent_colour == ""


def test_admin_removes_the_logo_and_its_file(tenants, client_for, django_capture_on_commit_callbacks):
    services.organisation_branding_update(
        organisation=tenants.provider, accent_colour="", logo=image_bytes("PNG", (100, 50))
    )
    tenants.provider.refresh_from_db()
    storage, name = tenants.provider.logo.storage, tenants.provider.logo.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(tenants.provider_admin).post(
            reverse("contracts:organisation_logo_remove", args=[tenants.provider.slug])
        )

    assert response.status_code == 302
    assert not Organisation.objects.get(pk=tenants.provider.pk).logo
    assert not storage.exists(name)


@pytest.mark.parametrize("who", ["provider_author", "provider_viewer", "customer_admin", "outsider_admin"])
def test_only_the_providers_admins_change_branding(tenants, client_for, who):
    client = client_for(getattr(tenants, who))
    assert _post(client, tenants.provider, logo=_upload(image_bytes())).status_code == 404
    assert (
        client.post(reverse("contracts:organisation_logo_remove", args=[tenants.provider.slug])).status_code
        == 404
    )
    assert Organisation.objects.get(pk=tenants.provider.pk).has_branding is False


def test_a_customer_organisation_has_no_branding_form(tenants, client_for):
    client = client_for(tenants.customer_admin)
    page = client.get(reverse("contracts:organisation_detail", args=[tenants.customer.slug]))
    assert 'id="branding-heading"' not in page.content.decode()
    assert _post(client, tenants.customer).status_code == 404


@pytest.fixture
def branded(tenants):
    services.organisation_branding_update(
        organisation=tenants.provider, accent_colour="#0a3069", logo=image_bytes("PNG", (300, 100))
    )
    tenants.provider.refresh_from_db()
    return tenants.provider


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer"])
def test_contract_page_shows_the_providers_logo_and_colour(tenants, client_for, branded, who):
    client = client_for(getattr(tenants, who))
    body = client.get(
        reverse("contracts:contract_detail", args=[tenants.contract.reference])
    ).content.decode()

    logo_url = reverse("contracts:organisation_logo", args=[branded.slug])
    css_url = reverse("contracts:organisation_branding_css", args=[branded.slug])
    assert f'src="{logo_url}?v=' in body and 'alt="Brightline Managed IT logo"' in body
    assert f'href="{css_url}?v=0a3069"' in body

    logo = client.get(logo_url)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == branded.logo.read()
    css = client.get(css_url)
    assert css["Content-Type"].startswith("text/css")
    assert css.content.decode() == ".provider-band-accent { background-color: #0a3069; color: #ffffff; }\n"


def test_compliance_and_report_pages_show_the_band(tenants, client_for, branded):
    client = client_for(tenants.customer_admin)
    for name in ("compliance:contract_compliance", "compliance:contract_reports"):
        body = client.get(reverse(name, args=[tenants.contract.reference])).content.decode()
        assert "data-provider-band" in body, name


def test_unbranded_provider_shows_no_band(tenants, client_for):
    body = client_for(tenants.customer_admin).get(
        reverse("contracts:contract_detail", args=[tenants.contract.reference])
    )
    assert "data-provider-band" not in body.content.decode()


def test_another_tenant_cannot_see_the_logo_or_colour(tenants, client_for, branded):
    client = client_for(tenants.outsider_admin)
    assert client.get(reverse("contracts:organisation_logo", args=[branded.slug])).status_code == 404
    assert client.get(reverse("contracts:organisation_branding_css", args=[branded.slug])).status_code == 404


def test_a_stored_value_that_is_not_a_colour_is_never_printed(tenants, client_for):
    # Written around the form and the service, as a bad import or a manual edit might.
    Organisation.objects.filter(pk=tenants.provider.pk).update(accent_colour="red;}*{")
    client = client_for(tenants.customer_admin)
    body = client.get(
        reverse("contracts:contract_detail", args=[tenants.contract.reference])
    ).content.decode()
    assert "red;}" not in body and "data-provider-band" not in body
    css_url = reverse("contracts:organisation_branding_css", args=[tenants.provider.slug])
    assert client.get(css_url).status_code == 404
