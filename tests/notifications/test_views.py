"""The notification list, the bell, opening and marking read, and the preferences page."""

import pytest

from notifications import services
from notifications.models import Delivery, Kind, Notification, Preference, WarningSubscription

pytestmark = pytest.mark.django_db


def _tell(user, contract, n=1, **fields):
    return services.notify(
        users=[user],
        kind=fields.pop("kind", Kind.CONTRACT_SIGNED),
        key=f"test:{n}",
        contract=contract,
        title=fields.pop("title", f"Contract signed {n}"),
        url=fields.pop("url", f"/contracts/{contract.reference}/"),
        **fields,
    )[0]


def test_the_bell_counts_unread_and_the_list_shows_own(tenants, client_for):
    _tell(tenants.provider_author, tenants.contract, 1)
    _tell(tenants.provider_author, tenants.contract, 2)
    _tell(tenants.outsider_admin, tenants.outsider_contract, 3, title="Outsider secret")
    client = client_for(tenants.provider_author)
    page = client.get("/notifications/").content.decode()
    assert "Notifications, 2 unread" in page
    assert "Contract signed 1" in page and "Contract signed 2" in page
    assert "Outsider secret" not in page


def test_the_bell_costs_one_query(tenants, client_for, django_assert_max_num_queries):
    for n in range(30):
        _tell(tenants.provider_author, tenants.contract, n)
    client = client_for(tenants.provider_author)
    client.get("/notifications/")
    with django_assert_max_num_queries(12):
        client.get("/notifications/")


def test_opening_marks_read_and_goes_there(tenants, client_for):
    notification = _tell(tenants.provider_author, tenants.contract)
    client = client_for(tenants.provider_author)
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response.url == f"/contracts/{tenants.contract.reference}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "unread" not in client.get("/notifications/").content.decode().split("<main")[0]


def test_a_get_never_marks_read(tenants, client_for):
    notification = _tell(tenants.provider_author, tenants.contract)
    client = client_for(tenants.provider_author)
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_one_and_all_read(tenants, client_for):
    first = _tell(tenants.provider_author, tenants.contract, 1)
    _tell(tenants.provider_author, tenants.contract, 2)
    client = client_for(tenants.provider_author)
    client.post(f"/notifications/{first.pk}/read/")
    assert Notification.objects.filter(read_at=None).count() == 1
    response = client.post("/notifications/read-all/", follow=True)
    assert "1 notification marked as read." in response.content.decode()
    assert Notification.objects.filter(read_at=None).count() == 0


def test_another_persons_notification_is_404(tenants, client_for):
    notification = _tell(tenants.provider_admin, tenants.contract)
    client = client_for(tenants.provider_author)
    for action in ("open", "read"):
        assert client.post(f"/notifications/{notification.pk}/{action}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_outside_url_is_never_followed(tenants, client_for):
    notification = _tell(tenants.provider_author, tenants.contract, url="https://evil.example/")
    response = client_for(tenants.provider_author).post(f"/notifications/{notification.pk}/open/")
    assert response.url == "/notifications/"


def test_preferences_saved(tenants, client_for):
    client = client_for(tenants.provider_author)
    page = client.get("/notifications/preferences/").content.decode()
    assert "Warnings before a breach" in page and tenants.contract.reference in page
    assert tenants.outsider_contract.reference not in page
    data = {f"email_{kind.value}": Delivery.IMMEDIATE for kind in Kind}
    data.update(
        {
            "email_warning": Delivery.DIGEST,
            "email_report_issued": Delivery.OFF,
            "warning_kinds": ["incident"],
            "all_contracts": "0",
            "contracts": [tenants.contract.pk],
        }
    )
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 302
    assert Preference.objects.get(user=tenants.provider_author, kind=Kind.WARNING).delivery == Delivery.DIGEST
    subscription = WarningSubscription.objects.get(user=tenants.provider_author)
    assert subscription.kinds == ["incident"] and not subscription.all_contracts
    assert list(subscription.contracts.all()) == [tenants.contract]


def test_preferences_refuse_bad_input_and_change_nothing(tenants, client_for):
    client = client_for(tenants.provider_author)
    data = {f"email_{kind.value}": Delivery.IMMEDIATE for kind in Kind}
    data.update({"email_warning": "sometimes", "all_contracts": "0"})
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select a valid choice" in body and "Choose at least one contract" in body
    # Another tenant's contract is not a choice.
    data.update({"email_warning": Delivery.OFF, "contracts": [tenants.outsider_contract.pk]})
    assert client.post("/notifications/preferences/", data).status_code == 400
    assert not Preference.objects.exists() and not WarningSubscription.objects.exists()


def test_customers_choose_email_only(tenants, client_for):
    page = client_for(tenants.customer_admin).get("/notifications/preferences/").content.decode()
    assert "Warnings before a breach" not in page and "A monthly report issued" in page
