"""Display texts beside the raw figures: hand-checked, the raw values left alone."""

import pytest

from compliance.engine.display import achieved_text, figures_with_texts, target_text


def _level(**overrides) -> dict:
    level = {
        "key": "resolution_p1",
        "name": "Resolution of P1 incidents",
        "metric": "resolution",
        "target": "240",
        "target_unit": "minutes",
        "share": "90",
        "measured": True,
        "achieved": "66.6667",
        "business_time": True,
        "breaches": [{"external_id": "I18", "minutes": "396.00", "detail": "P1 Email", "open": False}],
    }
    return {**level, **overrides}


@pytest.mark.parametrize(
    ("level", "target", "achieved"),
    [
        (_level(), "4 business hours for 90% of incidents", "66.66%"),
        (_level(business_time=False, share=None), "4 hours for every incident", "66.66%"),
        (_level(target="90", business_time=False), "90 minutes for 90% of incidents", "66.66%"),
        (
            _level(metric="availability", target="99.90", target_unit="percent", achieved="99.8654"),
            "99.9%",
            "99.86%",
        ),
        (_level(metric="custom", target="4.50", target_unit="percent", achieved="4.20"), "4.5", "4.2"),
        (_level(measured=False, achieved=None), "4 business hours for 90% of incidents", ""),
    ],
)
def test_target_and_achieved_read_in_the_contracts_words(level, target, achieved):
    assert (target_text(level), achieved_text(level)) == (target, achieved)


def test_texts_are_added_beside_the_raw_values():
    figures = {
        "period": "2026-11",
        "currency": "EUR",
        "monthly_fee": "4200.00",
        "service_levels": [_level()],
        "credits": {"lines": [], "total": "420.00", "cap": None, "capped_total": "420.00", "hours": "0"},
        "hours_bank": {"committed": "20.00", "delivered": "15.00", "carried_on": "-9.00"},
    }
    shown = figures_with_texts(figures)
    assert shown["period"] == "2026-11" and shown["period_text"] == "November 2026"
    assert shown["monthly_fee_text"] == "EUR 4,200.00"
    level = shown["service_levels"][0]
    assert level["achieved"] == "66.6667" and level["achieved_text"] == "66.66%"
    assert level["breaches"][0]["minutes_text"] == "6 h 36 min of business time against 4 business hours"
    assert shown["credits"]["capped_total_text"] == "EUR 420.00" and shown["credits"]["cap_text"] == ""
    assert shown["hours_bank"]["carried_on_text"] == "9 hours still owed"
    assert figures["service_levels"][0].get("achieved_text") is None  # the input is left as it was
