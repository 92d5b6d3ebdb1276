"""The shared formats: hand-checked tables, and properties over many values."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from contracts.texts import formats

MINUS = "\u2212"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("66.6667", "66.66%"),  # rounded down: a missed 66.67 never reads as more
        ("66.667", "66.66%"),
        ("50", "50%"),
        ("100.000", "100%"),
        ("99.95", "99.95%"),
        ("99.899", "99.89%"),  # below a 99.9% target, shown below it
        ("99.999", "99.99%"),
        (Decimal("0"), "0%"),
        (75, "75%"),
        (None, ""),
        ("", ""),
        ("not a number", ""),
    ],
)
def test_percent(value, text):
    assert formats.format_percent(value) == text


@pytest.mark.parametrize(
    ("minutes", "business", "text"),
    [
        (396, True, "6 h 36 min of business time"),
        ("396.00", False, "6 h 36 min"),
        (45, False, "45 min"),
        (120, False, "2 h"),
        (0, False, "0 min"),
        ("0.40", False, "less than 1 min"),
        ("90.5", False, "1 h 31 min"),  # half a minute rounds up
        (1530, False, "1 day 1 h 30 min"),
        (43200, False, "30 days"),
        (1530, True, "25 h 30 min of business time"),  # a business day has no fixed length
        (None, False, ""),
    ],
)
def test_elapsed(minutes, business, text):
    assert formats.format_elapsed(minutes, business_time=business) == text


@pytest.mark.parametrize(
    ("minutes", "target", "business", "text"),
    [
        (396, 240, True, "6 h 36 min of business time against 4 business hours"),
        ("600.00", "480", True, "10 h of business time against 8 business hours"),
        (127, 120, False, "2 h 7 min against 2 hours"),
        (95, 90, False, "1 h 35 min against 90 minutes"),
        (61, 60, True, "1 h 1 min of business time against 1 business hour"),
    ],
)
def test_against_reads_in_the_contracts_words(minutes, target, business, text):
    assert formats.format_against(minutes, target, business_time=business) == text


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("4200", "EUR", "EUR 4,200.00"),
        (Decimal("420.00"), "EUR", "EUR 420.00"),
        ("1234567.891", "GBP", "GBP 1,234,567.89"),
        ("0.005", "EUR", "EUR 0.01"),
        ("-10", "EUR", f"{MINUS}EUR 10.00"),
        ("-0.001", "EUR", "EUR 0.00"),  # no "minus zero"
        ("12", "", "12.00"),
        (None, "EUR", ""),
    ],
)
def test_money(amount, currency, text):
    assert formats.format_money(amount, currency) == text


@pytest.mark.parametrize(
    ("period", "long", "short"),
    [
        ("2026-11", "November 2026", "Nov 2026"),
        ("2026-01", "January 2026", "Jan 2026"),
        ((2025, 12), "December 2025", "Dec 2025"),
        (date(2026, 3, 31), "March 2026", "Mar 2026"),
        ("2026-13", "2026-13", "2026-13"),  # not a month: shown as given
        (None, "", ""),
    ],
)
def test_months(period, long, short):
    assert formats.format_month(period) == long
    assert formats.format_month_short(period) == short


@pytest.mark.parametrize(
    ("hours", "words", "short", "balance"),
    [
        ("20.00", "20 hours", "20 h", "20 hours in hand"),
        ("1", "1 hour", "1 h", "1 hour in hand"),
        ("-9.00", f"{MINUS}9 hours", f"{MINUS}9 h", "9 hours still owed"),
        ("3.50", "3.5 hours", "3.5 h", "3.5 hours in hand"),
        ("0", "0 hours", "0 h", "even"),
        (None, "", "", ""),
    ],
)
def test_hours(hours, words, short, balance):
    assert formats.format_hours(hours) == words
    assert formats.format_hours_short(hours) == short
    assert formats.format_hours_balance(hours) == balance


def test_the_template_filters_give_the_same_words():
    template = Template(
        "{% load formats %}{{ a|percent }}|{{ m|elapsed:True }}|{{ t|target_duration:True }}|"
        "{{ c|money:'EUR' }}|{{ p|month }}|{{ p|month_short }}|{{ h|hours_balance }}|"
        "{{ none|percent|default:'—' }}"
    )
    text = template.render(
        Context({"a": "66.667", "m": "396.00", "t": "240", "c": "420", "p": "2026-11", "h": "-9"})
    )
    assert text.split("|") == [
        "66.66%",
        "6 h 36 min of business time",
        "4 business hours",
        "EUR 420.00",
        "November 2026",
        "Nov 2026",
        "9 hours still owed",
        "—",
    ]


@given(st.decimals(min_value=0, max_value=100, places=6, allow_nan=False))
def test_a_percent_never_reads_more_than_was_measured(value):
    text = formats.format_percent(value)
    shown = Decimal(text.rstrip("%"))
    assert shown <= value < shown + Decimal("0.01")
    assert "." not in text or not text.rstrip("%").endswith("0")


@given(st.integers(min_value=0, max_value=366 * 24 * 60), st.booleans())
def test_elapsed_reads_back_as_the_same_minutes(minutes, business):
    text = formats.format_elapsed(minutes, business_time=business).removesuffix(" of business time")
    units = {"day": 24 * 60, "days": 24 * 60, "h": 60, "min": 1}
    words = text.split()
    assert sum(int(n) * units[unit] for n, unit in zip(words[::2], words[1::2], strict=True)) == minutes


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_money_reads_back_as_the_amount(amount):
    text = formats.format_money(amount, "EUR")
    number = Decimal(text.replace(MINUS, "").replace("EUR ", "").replace(",", ""))
    assert number == amount.copy_abs() and text.startswith(MINUS) == (amount < 0)
