import math
import re
import threading
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.engine import charts
from compliance.engine.charts import Series, error_budget_chart, hours_bank_chart, trend_chart

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
    assert "16.8 min over the allowance" in root_of(over).get("aria-label")
    assert "Over the allowance" in over and "Allowed " in over
    assert "Over the allowance" not in budget_chart()


def test_error_budget_with_nothing_allowed():
    svg = budget_chart(allowed_minutes=D(0), used_minutes=D(0), elapsed_fraction=D(0))
    assert "0.0 of 0.0 min used (none)" in root_of(svg).get("aria-label")
    assert {"0 min", "1 min"} <= {e.text for e in elements(svg, "text")}


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
    from compliance.engine.charts import series_style

    # Six response and resolution levels, with room to spare.
    assert len({series_style(index) for index in range(12)}) == 12


# ---------------------------------------------------------------- geometry


def elements(svg: str, tag: str) -> list[ET.Element]:
    return list(root_of(svg).iter(f"{SVG}{tag}"))


# Coordinates are written to two decimal places.
def near(value: float):
    return pytest.approx(value, abs=0.011)


def polyline_points(element: ET.Element) -> list[tuple[float, float]]:
    return [tuple(float(n) for n in pair.split(",")) for pair in element.get("points").split()]


def test_points_sit_where_their_values_are():
    svg = trend_chart(
        title="Attainment",
        periods=PERIODS[:3],
        series=[Series("P1", [D(100), D(50), D(0)])],
        target=D(50),
        unit="%",
        y_range=(D(0), D(100)),
    )
    (line,) = elements(svg, "polyline")
    (top, middle, bottom) = polyline_points(line)
    # Evenly spaced months; 50% halfway between 100% and 0%.
    assert middle[0] - top[0] == near(bottom[0] - middle[0])
    assert middle[1] == near((top[1] + bottom[1]) / 2)
    target = next(e for e in elements(svg, "line") if e.get("stroke-dasharray"))  # then its legend
    assert float(target.get("y1")) == near(middle[1])
    # 100% is the top gridline, 0% the bottom one, labelled as such.
    labels = {e.text: float(e.get("y")) for e in elements(svg, "text")}
    assert labels["100%"] - 0.35 * 9 == near(top[1])
    assert labels["0%"] - 0.35 * 9 == near(bottom[1])
    # Only the point below the target is marked; the one on it met the target.
    assert "below target in 1 of 3 months" in root_of(svg).get("aria-label")


def test_a_month_without_a_figure_breaks_the_line():
    svg = availability_chart(
        periods=PERIODS[:5], series=[Series("Email", [D("99.9"), D("99.95"), None, D("99.99"), D(100)])]
    )
    runs = [polyline_points(e) for e in elements(svg, "polyline")]
    assert [len(run) for run in runs] == [2, 2]
    assert runs[0][-1][0] < runs[1][0][0]


def test_values_outside_a_fixed_range_are_clipped_to_the_plot():
    svg = availability_chart(y_range=(D("99.8"), D(100)))
    (group,) = [e for e in root_of(svg).iter(f"{SVG}g") if e.get("clip-path")]
    assert list(group.iter(f"{SVG}polyline"))
    clip_id = group.get("clip-path")[len("url(#") : -1]
    assert clip_id in {e.get("id") for e in elements(svg, "clipPath")}


def bars(svg: str) -> list[ET.Element]:
    """The drawing's rectangles after the background, in order (not those in definitions)."""
    return [e for e in root_of(svg) if e.tag == f"{SVG}rect" and e.get("x")]


def test_error_budget_bars_are_to_scale():
    svg = budget_chart(allowed_minutes=D(40), used_minutes=D(10))
    track, used = bars(svg)[:2]
    assert float(used.get("width")) / float(track.get("width")) == pytest.approx(0.25, rel=1e-3)
    assert "pattern" not in svg

    over = budget_chart(allowed_minutes=D(40), used_minutes=D(50))
    track, used, overspend = bars(over)[:3]
    assert float(used.get("width")) == near(float(track.get("width")))
    assert float(overspend.get("width")) / float(track.get("width")) == pytest.approx(0.25, rel=1e-3)
    assert overspend.get("fill").startswith("url(#")


def test_hours_bank_bars_are_to_scale_and_a_deficit_goes_below_zero():
    svg = hours_bank_chart(
        periods=PERIODS[:2], committed=[D(20), D(20)], delivered=[D(30), D(10)], balance=[D(10), D(-5)]
    )
    bars = [
        e for e in elements(svg, "rect") if e.get("fill") in (charts.LIGHT_BLUE, charts.SERIES_COLOURS[0])
    ]
    heights = [float(e.get("height")) for e in bars[:4]]
    assert heights[1] / heights[0] == pytest.approx(30 / 20, rel=1e-3)
    assert heights[3] / heights[2] == pytest.approx(10 / 20, rel=1e-3)
    (balance,) = elements(svg, "polyline")
    (_, in_hand), (_, deficit) = polyline_points(balance)
    zero = float(bars[0].get("y")) + heights[0]
    assert in_hand < zero < deficit


@pytest.mark.parametrize(
    ("low", "high", "bins", "expected"),
    [
        (99.4, 100.0, 5, [99.4, 99.6, 99.8, 100.0]),
        (98.71, 100.04, 5, [99.0, 99.5, 100.0]),
        (0, 100, 5, [0, 20, 40, 60, 80, 100]),
        (0, 44.93, 6, [0, 10, 20, 30, 40]),
        (-4.2, 26.4, 5, [0, 10, 20]),
        (-52.5, 1050, 5, [0, 250, 500, 750, 1000]),
        (7, 7, 5, [7]),
    ],
)
def test_value_axis_ticks_are_round_numbers(low, high, bins, expected):
    assert charts._nice_ticks(low, high, bins) == pytest.approx(expected)


@given(
    low=st.floats(-1e6, 1e6, allow_nan=False),
    span=st.floats(1e-3, 1e6, allow_nan=False),
    bins=st.integers(4, 8),  # the charts ask for 5 or 6
)
def test_ticks_are_evenly_spaced_round_and_inside_the_range(low, span, bins):
    high = low + span
    ticks = charts._nice_ticks(low, high, bins)
    assert 2 <= len(ticks) <= bins + 1
    tolerance = span * 1e-6
    assert low - tolerance <= ticks[0] and ticks[-1] <= high + tolerance
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    step = ticks[1] - ticks[0]
    assert all(s == pytest.approx(step, rel=1e-6) for s in steps)
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    assert any(mantissa == pytest.approx(m, rel=1e-6) for m in (1, 2, 2.5, 5, 10))


def legend_texts(svg: str) -> list[ET.Element]:
    """The legend's labels: the texts below the month labels."""
    texts = elements(svg, "text")
    month_rows = max(float(e.get("y")) for e in texts if e.text in ("Jan", "2025"))
    return [e for e in texts if float(e.get("y")) > month_rows + 1]


@given(
    names=st.lists(
        st.text(st.characters(codec="ascii", categories=["L", "N", "Zs"]), min_size=1, max_size=40),
        min_size=1,
        max_size=8,
    )
)
def test_legend_entries_stay_inside_the_chart_and_apart(names):
    svg = availability_chart(series=[Series(name, AVAILABILITY) for name in names])
    width = float(root_of(svg).get("viewBox").split()[2])
    labels = legend_texts(svg)
    assert [e.text for e in labels][: len(names)] == names
    rows: dict[float, list[tuple[float, float]]] = {}
    for label in labels:
        start = float(label.get("x"))
        rows.setdefault(float(label.get("y")), []).append((start, start + charts._text_width(label.text)))
    for extents in rows.values():
        assert extents[0][0] >= 0 and extents[-1][1] <= width
        assert all(end < next_start for (_, end), (next_start, _) in zip(extents, extents[1:], strict=False))


def test_a_long_legend_wraps_and_the_chart_grows_to_hold_it():
    names = [f"P{n} {kind} (Email and file server)" for n in (1, 2, 3) for kind in ("response", "resolution")]
    short = root_of(availability_chart())
    busy = root_of(availability_chart(series=[Series(name, AVAILABILITY) for name in names]))
    rows = {float(e.get("y")) for e in legend_texts(ET.tostring(busy, encoding="unicode"))}
    assert len(rows) > 1
    assert float(busy.get("viewBox").split()[3]) > float(short.get("viewBox").split()[3])


# ---------------------------------------------------------------- what the charts plot


def level(metric="resolution", **fields):
    unit = "minutes" if metric in ("first_response", "resolution") else "percent"
    return {
        "key": "k",
        "name": "Resolution of P1",
        "metric": metric,
        "target_unit": unit,
        "share": "90",
        "measured": True,
        "achieved": "100",
        "counted": 3,
    } | fields


@pytest.mark.parametrize(
    ("figures", "plotted"),
    [
        (level(achieved="66.67", counted=3), D("66.67")),
        (level(achieved="100", counted=0), None),  # no incidents: a share of nothing
        (level(measured=False, achieved=None, counted=0), None),
        (level(metric="availability", achieved="99.95", counted=0), D("99.95")),
        (level(achieved="0", counted=2), D(0)),
    ],
)
def test_what_a_level_plots(figures, plotted):
    from compliance.engine.evaluation_json import level_plotted

    assert level_plotted(figures) == plotted


def test_report_level_chart_leaves_months_without_incidents_out():
    from compliance.reports.pdf import level_chart

    quiet = level(achieved="100", counted=0)
    assert level_chart(quiet, (("2026-01", None), ("2026-02", None)), "2026-03") == ""
    svg = level_chart(quiet, (("2026-01", D(80)), ("2026-02", None)), "2026-03")
    assert "below target in 1 of 1 months" in root_of(svg).get("aria-label")
