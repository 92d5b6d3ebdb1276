import pytest

from tests.webhooks.receiver import start_receiver


@pytest.fixture
def receiver(settings):
    """A real HTTP receiver on loopback; private addresses allowed so the portal may call it."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()
