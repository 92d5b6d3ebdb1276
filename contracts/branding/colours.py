"""Accent colours and the text colour that stays readable on them (WCAG 2.x contrast)."""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
WHITE = "#ffffff"
BLACK = "#000000"
#: WCAG AA for normal text.
AA_CONTRAST = 4.5


def normalise_hex(value: str) -> str:
    """``value`` as ``#rrggbb`` in lower case; ValueError when it is not a six-digit hex colour."""
    colour = (value or "").strip().lower()
    if not colour.startswith("#"):
        colour = "#" + colour
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"{value!r} is not a colour written as #rrggbb.")
    return colour


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """The WCAG relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    colour = normalise_hex(colour)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour_on(background: str) -> str:
    """White or black, whichever contrasts more with ``background``.

    For every colour the better of the two reaches at least 4.58:1, so text on an accent
    background always meets WCAG AA, whatever accent a provider picks.
    """
    return WHITE if contrast_ratio(background, WHITE) >= contrast_ratio(background, BLACK) else BLACK
