"""Every model has a working Django admin page for the portal's operator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests import factories


@pytest.mark.django_db
def test_every_portal_model_is_in_the_admin_and_its_list_opens(client, tenants):
    operator = factories.user(is_staff=True, is_superuser=True)
    client.force_login(operator)
    portal_models = [
        model
        for app in ("contracts", "compliance", "notifications", "webhooks")
        for model in apps.get_app_config(app).get_models()
    ]
    missing = [m.__name__ for m in portal_models if m not in admin.site._registry]
    assert missing == []
    for model in portal_models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
