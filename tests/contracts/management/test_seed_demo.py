import pytest
from django.core.management import call_command
from django.http import HttpRequest

from contracts.management.demo import DEMO_PASSWORD
from contracts.models import Contract, Membership, Organisation, User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    counts = [m.objects.count() for m in (Organisation, User, Membership, Contract)]
    call_command("seed_demo")
    assert [m.objects.count() for m in (Organisation, User, Membership, Contract)] == counts
    out = capsys.readouterr().out
    assert "signer@harbour-dental.example" in out and DEMO_PASSWORD in out


@pytest.mark.django_db
def test_demo_has_every_role_and_an_internal_sla(client):
    call_command("seed_demo")
    assert set(Membership.objects.values_list("role", flat=True)) == {"admin", "author", "signer", "viewer"}
    internal = [c for c in Contract.objects.select_related("provider", "customer") if c.is_internal]
    assert len(internal) == 1
    assert internal[0].provider.name.endswith("IT department")
    # The sign-in lockout (django-axes) checks each attempt against the request it came in.
    assert client.login(request=HttpRequest(), email="viewer@harbour-dental.example", password=DEMO_PASSWORD)
