import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test stores logos in a media folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
