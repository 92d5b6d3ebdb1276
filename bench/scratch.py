"""A throw-away portal for a bench script: Django set up on a scratch data folder (SQLite
there, or DATABASE_URL when set — then on a scratch database you can drop), migrated."""

import os


def scratch_django(data_dir: str) -> None:
    """Set Django up with ``data_dir`` as DATA_DIR and bring its database up to date."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slaportal.settings")
    os.environ["DATA_DIR"] = data_dir
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_contract():
    """A provider, its customer and a contract whose version 1 has realistic terms."""
    from tests import factories

    provider = factories.organisation("Bench provider", is_provider=True)
    customer = factories.organisation("Bench customer")
    contract = factories.contract(provider, customer, title="Bench")
    factories.version_with_terms(contract)
    return contract
