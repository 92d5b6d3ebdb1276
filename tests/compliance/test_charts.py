import re
import threading
import xml.etree.ElementTree as ET
from decimal import Decimal

import matplotlib
import pytest
from matplotlib import _pylab_helpers

from compliance.charts import Series, error_budget_chart, hours_bank_chart, trend_chart

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
PERIODS = [f"2025-{month:02d}" for month in range(1, 13)]
AVAILABILITY = [
    D("99.95"),
    D("99.99"),
    D("99.86"),
    D("100"),
    None,
    D("99.92"),
    D("99.97"),
    D("99.5"),
    D("99.91"),
    D("99.99"),
    D("100"),
    D("99.93"),
]


def availability_chart(**overrides):
    arguments = {
        "title": "Availability",
        "periods": PERIODS,
        "series": [Series("Email", AVAILABILITY)],
        "target": D("99.9"),
        "unit": "%",
    }
    return trend_chart(**(arguments | overrides))


def budget_chart(**overrides):
    arguments = {"allowed_minutes": D("43.2"), "used_minutes": D(20), "elapsed_fraction": D(1) / D(3)}
    return error_budget_chart(**(arguments | overrides))


def bank_chart(**overrides):
    arguments = {
        "periods": PERIODS[:3],
        "committed": [D(20), D(20), D(20)],
        "delivered": [D(24), D("15.5"), None],
        "balance": [D(-4), D("0.5"), D("0.5")],
    }
    return hours_bank_chart(**(arguments | overrides))


def credits_chart():
    credits = [D(0)] * 5 + [D("420.00"), D(0), D("1050.00")] + [D(0)] * 4
    return trend_chart(
        title="Credits", periods=PERIODS, series=[Series("Credits", credits)], target=None, unit="EUR"
    )


ALL_CHARTS = {
    "availability": availability_chart,
    "credits": credits_chart,
    "error budget": budget_chart,
    "hours bank": bank_chart,
}


def root_of(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


@pytest.mark.parametrize("draw", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_chart_is_an_accessible_inline_svg(draw):
    svg = draw()
    assert svg.startswith("<svg ")  # no XML prolog or doctype: it goes straight into HTML
    root = root_of(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root[0].tag == f"{SVG}title"
    assert root[1].tag == f"{SVG}desc"
    assert root[1].text == root.get("aria-label")


@pytest.mark.parametrize("draw", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_chart_has_no_external_references_and_keeps_text_as_text(draw):
    svg = draw()
    references = re.findall(r'href="([^"]*)"', svg) + re.findall(r"url\(([^)]*)\)", svg)
    assert all(reference.startswith("#") for reference in references)
    assert "<image" not in svg
    assert "<script" not in svg
    assert "<metadata" not in svg
    assert "<text" in svg
    # Glyph outlines would be defined as paths named after the font.
    assert "DejaVuSans-" not in svg


@pytest.mark.parametrize("draw", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_ids_are_unique_and_every_reference_resolves(draw):
    svg = draw()
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    references = {reference[1:] for reference in re.findall(r'href="(#[^"]*)"', svg)}
    references |= {reference[1:] for reference in re.findall(r"url\((#[^)]*)\)", svg)}
    assert references <= set(ids)


def test_charts_are_deterministic_and_different_charts_do_not_share_ids():
    assert availability_chart() == availability_chart()
    first = set(re.findall(r'\bid="([^"]+)"', availability_chart()))
    other = set(re.findall(r'\bid="([^"]+)"', availability_chart(title="Web availability")))
    assert first.isdisjoint(other)


def test_twelve_months_of_four_series_stay_small():
    series = [Series(name, AVAILABILITY) for name in ("Email", "Web", "VPN", "Phones")]
    assert len(availability_chart(series=series).encode()) < 60_000


def test_trend_summary_reads_the_figures():
    label = root_of(availability_chart()).get("aria-label")
    assert label == (
        "Availability, Jan 2025 to Dec 2025. Target 99.9%. "
        "Email: latest 99.9% (Dec 2025), lowest 99.5% (Aug 2025); below target in 2 of 11 months."
    )


def test_percentages_are_cut_not_rounded_so_a_miss_never_reads_as_met():
    chart = availability_chart(periods=PERIODS[:1], series=[Series("Email", [D("99.899")])])
    assert "lowest 99.8% (Jan 2025)" in root_of(chart).get("aria-label")


def test_missed_points_are_marked_and_the_target_drawn():
    svg = availability_chart()
    assert "Target 99.9%" in svg
    assert "Below target" in svg
    met = availability_chart(series=[Series("Email", [D("99.95")] * 12)])
    assert "Below target" not in met
    assert "below target in 0 of 12 months" in met
    # As a float this is 99.9; as a figure it missed.
    hair = availability_chart(series=[Series("Email", [D("99.95")] * 11 + [D("99.8999999999999999")])])
    assert "Below target" in hair
    assert "below target in 1 of 12 months" in hair


def test_money_trend_totals_in_the_currency():
    label = root_of(credits_chart()).get("aria-label")
    assert "latest EUR 0.00 (Dec 2025), lowest EUR 0.00 (Jan 2025), total EUR 1,470.00." in label


def test_error_budget_summary_and_overspend():
    assert root_of(budget_chart()).get("aria-label") == (
        "Error budget: 20.0 of 43.2 min used (46%), 23.2 min left; 33% of the month elapsed."
    )
    over = budget_chart(used_minutes=D(60), elapsed_fraction=D("0.5"))
    assert "16.8 min over budget" in root_of(over).get("aria-label")
    assert "Over budget" in over
    assert "Over budget" not in budget_chart()


def test_error_budget_with_nothing_allowed():
    svg = budget_chart(allowed_minutes=D(0), used_minutes=D(0), elapsed_fraction=D(0))
    assert "0.0 of 0.0 min used (none)" in root_of(svg).get("aria-label")


def test_hours_bank_summary():
    assert root_of(bank_chart()).get("aria-label") == (
        "Hours bank, Jan 2025 to Mar 2025: 60 h committed, 39.5 h delivered; "
        "balance carried on 0.5 h (Mar 2025)."
    )


def test_markup_in_titles_and_names_is_escaped():
    svg = availability_chart(title='Mail & <web> "uptime"', series=[Series("<b>Email</b>", AVAILABILITY)])
    root = root_of(svg)
    assert root[0].text == 'Mail & <web> "uptime"'
    assert "<b>" not in svg


@pytest.mark.parametrize(
    "call",
    [
        lambda: availability_chart(series=[Series("Email", AVAILABILITY[:3])]),
        lambda: availability_chart(periods=["2025-13"] * 12),
        lambda: availability_chart(y_range=(D(100), D(99))),
        lambda: budget_chart(elapsed_fraction=D("1.5")),
        lambda: budget_chart(used_minutes=D(-1)),
        lambda: bank_chart(balance=[D(1)]),
    ],
)
def test_bad_input_is_refused(call):
    with pytest.raises(ValueError):
        call()


def test_fixed_value_range_and_empty_series():
    svg = availability_chart(series=[Series("Email", [None] * 12)], y_range=(D(99), D(100)))
    assert "Email: no figures." in root_of(svg).get("aria-label")


def test_drawing_leaves_global_matplotlib_state_alone():
    before = dict(matplotlib.rcParams)
    for draw in ALL_CHARTS.values():
        draw()
    assert dict(matplotlib.rcParams) == before
    assert _pylab_helpers.Gcf.get_num_fig_managers() == 0


def test_concurrent_drawing_gives_the_same_charts():
    expected = {name: draw() for name, draw in ALL_CHARTS.items()}
    results: list[tuple[str, str]] = []

    def work(name):
        results.append((name, ALL_CHARTS[name]()))

    threads = [threading.Thread(target=work, args=(name,)) for name in list(ALL_CHARTS) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == len(threads)
    assert all(svg == expected[name] for name, svg in results)


def test_the_lines_of_a_busy_trend_chart_all_look_different():
    from compliance.charts import series_style

    # Six response and resolution levels, with room to spare.
    assert len({series_style(index) for index in range(12)}) == 12
