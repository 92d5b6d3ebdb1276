import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.branding.colours import (
    AA_CONTRAST,
    BLACK,
    WHITE,
    contrast_ratio,
    normalise_hex,
    text_colour_on,
)


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),  # the grey that just fails AA on white
        ("#1f6feb", "#ffffff", 4.63),
    ],
)
def test_contrast_ratio_matches_wcag(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize(
    ("accent", "text"),
    [("#1f6feb", WHITE), ("#ffd33d", BLACK), ("#000000", WHITE), ("#ffffff", BLACK), ("#0a3069", WHITE)],
)
def test_text_on_accent_is_white_or_black_whichever_reads_better(accent, text):
    assert text_colour_on(accent) == text


@given(st.integers(min_value=0, max_value=0xFFFFFF))
def test_text_on_any_accent_meets_wcag_aa(value):
    accent = f"#{value:06x}"
    assert contrast_ratio(accent, text_colour_on(accent)) >= AA_CONTRAST


@pytest.mark.parametrize("value", ["#1F6FEB", "1f6feb", " #1f6feb "])
def test_colours_are_normalised_to_lower_case_hex(value):
    assert normalise_hex(value) == "#1f6feb"


@pytest.mark.parametrize("value", ["", "#fff", "red", "#12345g", "#1234567", "#12 456", "url(x)"])
def test_anything_but_six_hex_digits_is_refused(value):
    with pytest.raises(ValueError, match="#rrggbb"):
        normalise_hex(value)
