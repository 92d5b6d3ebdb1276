"""The token that changes with every committed change to the portal's data.

One row. Any statement that writes to the database also writes a new random token here, in
the same transaction (``contracts.caching.data_version``), so a reader that sees the token sees
the data it stands for. Pages cached under a token are served only while it stands.
"""

from django.db import models

SINGLE_ROW = 1


class DataVersion(models.Model):
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
