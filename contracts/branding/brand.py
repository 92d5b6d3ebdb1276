"""A provider's branding as documents and emails print it: plain values, no storage."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from contracts.branding.colours import text_colour_on


@dataclass(frozen=True)
class Branding:
    """The provider's name, accent colour (``#rrggbb`` or empty) and logo (PNG bytes or empty)."""

    name: str
    accent: str = ""
    logo_png: bytes = b""

    def __bool__(self) -> bool:
        return bool(self.accent or self.logo_png)

    @property
    def accent_text(self) -> str:
        """The text colour on the accent background: white or black, whichever reads better."""
        return text_colour_on(self.accent) if self.accent else ""

    @property
    def logo_data_uri(self) -> str:
        """The logo inlined for a PDF (whose renderer fetches nothing but static files)."""
        if not self.logo_png:
            return ""
        return "data:image/png;base64," + base64.b64encode(self.logo_png).decode("ascii")
