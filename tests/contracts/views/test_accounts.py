import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_sign_in_with_email_and_password(tenants, client):
    response = client.post(reverse("login"), {"username": tenants.customer_admin.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("compliance:dashboard")


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(tenants, client):
    client.post(reverse("password_reset"), {"email": tenants.customer_signer.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert response.status_code == 302
    tenants.customer_signer.refresh_from_db()
    assert tenants.customer_signer.check_password("brand-new-passphrase")


@pytest.mark.django_db
def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert "If an account exists" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_sign_out_needs_a_post(tenants, client_for):
    client = client_for(tenants.customer_admin)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("compliance:dashboard")).status_code == 302
