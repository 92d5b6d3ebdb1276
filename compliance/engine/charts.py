"""Compliance charts: plain figures in, SVG text out.

The same SVG is inlined in the portal's pages and embedded in the PDF report, so each chart
is self-contained: no external references, text kept as ``<text>``, colours and fonts as
presentation attributes (the portal's Content Security Policy blocks inline CSS), a
``<title>`` and ``<desc>``, and ``role="img"`` with an ``aria-label`` summary of the figures
on the root element, so a screen reader reads the numbers rather than the drawing.

The charts are written as SVG elements directly. A monthly report carries a chart per
service level, and a general plotting library spent more time building each chart's axes
than WeasyPrint spent laying out the page it sits on; these three kinds of chart need only
lines, markers, bars and labels placed on a fixed layout.

Output is deterministic: equal inputs give byte-identical SVG, and element ids carry a
prefix hashed from the chart's inputs, so two charts on one page never share an id.

Colours are the Okabe–Ito colour-blind-safe palette, darkened where needed for 3:1 contrast
against white; missed points and overspent budget are told apart by shape and hatching as
well as colour.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from xml.sax.saxutils import escape, quoteattr

from compliance.engine.periods import parse_period
from contracts.texts.wording import format_money

Number = Decimal | int | float

TEXT = "#212529"
MUTED = "#495057"
GRID = "#dee2e6"
TRACK = "#e9ecef"
WHITE = "#ffffff"
SERIES_COLOURS = ("#0072B2", "#00785A", "#A6466F", "#6B5B00")
# Five markers against four colours: no two of the first twenty series look alike.
SERIES_MARKERS = ("o", "s", "^", "D", "v")
# Line patterns: in greyscale print, or for a reader who cannot tell the colours apart, the
# lines still differ by dash as well as by marker.
SERIES_DASHES: tuple[tuple[float, ...], ...] = ((), (6.0, 2.5), (1.6, 2.2), (8.0, 2.5, 1.6, 2.5), (3.5, 3.5))
MISSED = "#B8460B"
LIGHT_BLUE = "#A6CBE8"


def series_style(index: int) -> tuple[str, str]:
    """The colour and marker of the ``index``-th line of a trend chart."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_MARKERS[index % len(SERIES_MARKERS)]


def series_dash(index: int) -> tuple[float, ...]:
    """The dash pattern of the ``index``-th line (solid first)."""
    return SERIES_DASHES[index % len(SERIES_DASHES)]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Units the tick labels carry themselves; others (currencies) get an axis label.
_SELF_LABELLED_UNITS = frozenset({"%", "h"})

# Sizes are in points (1/72 inch), the SVG's user unit; the root element's width and height
# say so, and the portal's stylesheet scales the chart to its column.
INCH = 72.0
FONT_FAMILY = "DejaVu Sans, Arial, Helvetica, sans-serif"
FONT_SIZE = 9.0
TITLE_SIZE = 10.0
TICK_LENGTH = 3.5
TICK_PAD = 3.5
LINE_SPACING = 1.2
# Legend furniture, in multiples of the font size.
HANDLE_LENGTH = 2.0
HANDLE_TEXT_PAD = 0.8
COLUMN_SPACING = 2.0
# A legend row is this tall (inches); entries that do not fit one row across the chart wrap
# onto further rows, and the chart grows by that much.
LEGEND_ROW_HEIGHT = 0.22
LEGEND_BOTTOM = 8.5

# Advance widths of DejaVu Sans, the first font the charts ask for, in thousandths of the
# font size for the printable ASCII characters (space to tilde); other characters count as
# an average glyph. Used to lay out legends and the currency axis label.
_ADVANCE = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
)  # fmt: skip
_AVERAGE_ADVANCE = 640


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: a name for the legend and one value per period
    (``None`` where there is no figure, which leaves a gap)."""

    name: str
    values: Sequence[Number | None]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))


# ---------------------------------------------------------------- charts


def trend_chart(
    *,
    title: str,
    periods: Sequence[str],
    series: Sequence[Series],
    target: Number | None,
    unit: str,
    y_range: tuple[Number, Number] | None = None,
) -> str:
    """A line chart of monthly figures (availability, attainment, credits) over ``periods``
    (``"YYYY-MM"`` labels), with a dashed line at ``target`` and the points below it marked.

    ``unit`` is ``"%"``, ``"h"`` or a currency code such as ``"EUR"``. Higher is better:
    a point is missed when it is below ``target``. ``y_range`` fixes the value axis; by
    default it fits the values and the target (and starts at zero for money and hours).
    """
    labels = _period_names(periods)
    series = list(series)
    for line in series:
        if len(line.values) != len(periods):
            raise ValueError(f"series {line.name!r} has {len(line.values)} values for {len(periods)} periods")
    places = _places(target)
    summary = _trend_summary(title, labels, series, target, unit, places)
    low, high = _value_range(series, target, unit, y_range)
    missed = [_missed(line.values, target) for line in series]

    entries = [
        _Entry(line.name, "line", *series_style(index), dash=series_dash(index))
        for index, line in enumerate(series)
    ]
    if target is not None:
        entries.append(_Entry(f"Target {_format(target, unit, places)}", "dashed", MUTED))
    if any(missed):
        entries.append(_Entry("Below target", "missed", MISSED))
    chart = _Chart(
        title, summary, width=7.2, height=3.0, key=("trend", title, labels, series, target, unit, y_range)
    )
    legend = chart.legend_layout(entries)
    plot = chart.plot_area(left=0.75, bottom=0.78, top=0.4, right=0.2, legend=legend)
    ticks = _nice_ticks(low, high)
    y = _scale(low, high, plot.bottom, plot.top)
    x = _positions(len(periods), plot.left, plot.right, margin=0.5)

    chart.background()
    chart.grid([y(tick) for tick in ticks], plot)
    chart.open_clip(plot)
    if target is not None:
        ty = y(_float(target))
        chart.line(plot.left, ty, plot.right, ty, MUTED, 1.2, dash=(6, 3.6))
    for index, line in enumerate(series):
        colour, marker = series_style(index)
        points = [None if value is None else (x(i), y(_float(value))) for i, value in enumerate(line.values)]
        chart.polyline(points, colour, 1.6, dash=series_dash(index))
        for point in points:
            if point is not None:
                chart.marker(marker, *point, size=5, fill=colour)
    for index, line in enumerate(series):
        for i in missed[index]:
            chart.marker("X", x(i), y(_float(line.values[i])), size=9, fill=MISSED, edge=WHITE)
    chart.close_clip()
    chart.axes(plot, left_spine=True)
    chart.x_ticks([x(i) for i in range(len(periods))], _tick_labels(labels), plot)
    formatter = _tick_formatter(unit)
    tick_labels = [formatter(tick) for tick in ticks]
    chart.y_ticks([y(tick) for tick in ticks], tick_labels, plot)
    if unit not in _SELF_LABELLED_UNITS:
        chart.y_label(unit, plot, widest=max((_text_width(label) for label in tick_labels), default=0))
    chart.title()
    chart.legend(legend)
    return chart.svg()


def error_budget_chart(
    *,
    allowed_minutes: Number,
    used_minutes: Number,
    elapsed_fraction: Number,
    title: str = "Error budget",
) -> str:
    """A compact bar of the error budget: minutes used against minutes allowed, overspend
    hatched past the end of the budget, and a dashed marker at ``elapsed_fraction`` (0–1)
    of the budget, the share a steady burn would have used by now."""
    allowed = _float(allowed_minutes)
    used = _float(used_minutes)
    elapsed = _float(elapsed_fraction)
    if allowed < 0 or used < 0:
        raise ValueError("minutes cannot be negative")
    if not 0 <= elapsed <= 1:
        raise ValueError(f"elapsed_fraction must be within 0..1, got {elapsed_fraction}")
    share = f"{used / allowed:.0%}" if allowed else ("none" if used == 0 else "over")
    left = allowed - used
    heading = f"{title}: {used:.1f} of {allowed:.1f} min used ({share})"
    summary = (
        f"{heading}, {abs(left):.1f} min {'left' if left >= 0 else 'over the allowance'}; "
        f"{elapsed:.0%} of the month elapsed."
    )

    entries = [_Entry("Allowed", "patch", TRACK, edge=TEXT), _Entry("Used", "patch", SERIES_COLOURS[0])]
    if used > allowed:
        entries.append(_Entry("Over the allowance", "hatched", MISSED))
    entries.append(_Entry(f"{elapsed:.0%} of month", "dashed", TEXT))
    chart = _Chart(
        title,
        summary,
        width=6.4,
        height=1.6,
        key=("budget", allowed_minutes, used_minutes, elapsed_fraction, title),
        heading=heading,
    )
    legend = chart.legend_layout(entries)
    plot = chart.plot_area(left=0.3, bottom=0.66, top=0.4, right=0.3, legend=legend)
    high = (max(allowed, used) or 1.0) * 1.04  # an empty budget still gets a readable axis
    ticks = _nice_ticks(0.0, high, bins=6)
    x = _scale(0.0, high, plot.left, plot.right)
    y = _scale(-0.6, 0.6, plot.bottom, plot.top)
    bar_top, bar_height = y(0.3), y(-0.3) - y(0.3)

    chart.background()
    chart.rect(x(0), bar_top, x(allowed) - x(0), bar_height, TRACK, edge=MUTED, edge_width=0.8)
    chart.rect(x(0), bar_top, x(min(used, allowed)) - x(0), bar_height, SERIES_COLOURS[0])
    if used > allowed:
        chart.rect(x(allowed), bar_top, x(used) - x(allowed), bar_height, f"url(#{chart.hatch_id()})")
    chart.line(x(elapsed * allowed), plot.top, x(elapsed * allowed), plot.bottom, TEXT, 1.4, dash=(4.2, 2.8))
    # The end of the allowance stays visible when the used bar covers it: a solid rule past
    # the bar's edges, labelled directly.
    chart.line(x(allowed), bar_top - 4, x(allowed), bar_top + bar_height + 4, TEXT, 2.0)
    chart.text(
        x(allowed), bar_top - 6, f"Allowed {allowed:.1f} min", anchor="middle" if used > allowed else "end"
    )
    chart.axes(plot, left_spine=False)
    chart.x_ticks([x(tick) for tick in ticks], [f"{tick:g} min" for tick in ticks], plot)
    chart.title()
    chart.legend(legend)
    return chart.svg()


def hours_bank_chart(
    *,
    periods: Sequence[str],
    committed: Sequence[Number | None],
    delivered: Sequence[Number | None],
    balance: Sequence[Number | None],
    title: str = "Hours bank",
) -> str:
    """Committed and delivered hours per period as bars, and the balance carried on (hours
    in hand, negative for a deficit) as a line."""
    labels = _period_names(periods)
    columns = {"committed": committed, "delivered": delivered, "balance": balance}
    for name, values in columns.items():
        if len(values) != len(periods):
            raise ValueError(f"{name} has {len(values)} values for {len(periods)} periods")
    summary = _hours_summary(title, labels, committed, delivered, balance)

    entries = [
        _Entry("Committed", "patch", LIGHT_BLUE, edge=SERIES_COLOURS[0]),
        _Entry("Delivered", "patch", SERIES_COLOURS[0]),
        _Entry("Balance carried on", "line", SERIES_COLOURS[1], "D"),
    ]
    chart = _Chart(
        title,
        summary,
        width=7.2,
        height=3.0,
        key=("hours", labels, tuple(committed), tuple(delivered), tuple(balance), title),
    )
    legend = chart.legend_layout(entries)
    plot = chart.plot_area(left=0.65, bottom=0.78, top=0.4, right=0.2, legend=legend)
    values = [_float(value) for column in columns.values() for value in column if value is not None]
    low, high = min([*values, 0.0]), max([*values, 0.0])
    pad = 0.05 * (high - low or 1)
    low, high = (low - pad if low < 0 else 0.0), high + pad
    ticks = _nice_ticks(low, high)
    y = _scale(low, high, plot.bottom, plot.top)
    x = _positions(len(periods), plot.left, plot.right, margin=0.6)
    bar = 0.38 * (x(1) - x(0))  # a bar's width: 0.38 of a period's

    chart.background()
    chart.grid([y(tick) for tick in ticks], plot)
    for i, (done, promised) in enumerate(zip(delivered, committed, strict=True)):
        if promised is not None:
            chart.bar(x(i) - bar, bar, y(0), y(_float(promised)), LIGHT_BLUE, edge=SERIES_COLOURS[0])
        if done is not None:
            chart.bar(x(i), bar, y(0), y(_float(done)), SERIES_COLOURS[0])
    chart.line(plot.left, y(0), plot.right, y(0), MUTED, 0.8)
    points = [None if value is None else (x(i), y(_float(value))) for i, value in enumerate(balance)]
    chart.polyline(points, SERIES_COLOURS[1], 1.6)
    for point in points:
        if point is not None:
            chart.marker("D", *point, size=5, fill=SERIES_COLOURS[1])
    chart.axes(plot, left_spine=True)
    chart.x_ticks([x(i) for i in range(len(periods))], _tick_labels(labels), plot)
    chart.y_ticks([y(tick) for tick in ticks], [_tick_formatter("h")(tick) for tick in ticks], plot)
    chart.title()
    chart.legend(legend)
    return chart.svg()


# ---------------------------------------------------------------- drawing


@dataclass(frozen=True)
class _Entry:
    """A legend entry: its label and how its handle is drawn (``line`` with ``marker``,
    ``dashed``, ``missed``, ``patch`` or ``hatched``)."""

    label: str
    kind: str
    colour: str
    marker: str = ""
    edge: str = ""
    dash: tuple[float, ...] = ()

    @property
    def width(self) -> float:
        return (HANDLE_LENGTH + HANDLE_TEXT_PAD) * FONT_SIZE + _text_width(self.label)


@dataclass(frozen=True)
class _Legend:
    rows: list[list[_Entry]]
    column_widths: list[float]

    @property
    def extra_height(self) -> float:
        return max(len(self.rows) - 1, 0) * LEGEND_ROW_HEIGHT * INCH


@dataclass(frozen=True)
class _Plot:
    left: float
    top: float
    right: float
    bottom: float


class _Chart:
    """One chart's SVG, built element by element; sizes in inches, coordinates in points."""

    def __init__(
        self, title: str, summary: str, *, width: float, height: float, key: object, heading: str = ""
    ) -> None:
        self.title_text = title
        self.heading = heading or title
        self.summary = summary
        self.width = width * INCH
        self.height = height * INCH
        self.prefix = "c" + hashlib.sha256(repr(key).encode()).hexdigest()[:8] + "-"
        self.parts: list[str] = []
        self.defs: list[str] = []
        self.defined: set[str] = set()

    # -- layout

    def legend_layout(self, entries: Sequence[_Entry]) -> _Legend:
        """The entries in as few rows as keep every row inside the chart, reading across."""
        room = self.width - 2 * FONT_SIZE
        spacing = COLUMN_SPACING * FONT_SIZE
        for columns in range(len(entries), 0, -1):
            rows = [list(entries[start : start + columns]) for start in range(0, len(entries), columns)]
            widths = [max(row[i].width for row in rows if i < len(row)) for i in range(columns)]
            if sum(widths) + spacing * (columns - 1) <= room or columns == 1:
                legend = _Legend(rows, widths)
                self.height += legend.extra_height
                return legend
        return _Legend([], [])

    def plot_area(self, *, left: float, bottom: float, top: float, right: float, legend: _Legend) -> _Plot:
        """The plot's rectangle, placed by margins in inches below the title and above the legend."""
        return _Plot(
            left=left * INCH,
            top=top * INCH,
            right=self.width - right * INCH,
            bottom=self.height - bottom * INCH - legend.extra_height,
        )

    def hatch_id(self) -> str:
        """The id of the hatching that marks overspend, defined on first use."""
        return self._define(
            "hatch",
            '<pattern id="{id}" patternUnits="userSpaceOnUse" width="6" height="6">'
            f'<rect width="6" height="6" fill="{MISSED}"/>'
            f'<path d="M-1 1L1 -1M0 6L6 0M5 7L7 5" stroke="{WHITE}" stroke-width="1.2"/></pattern>',
        )

    def _define(self, name: str, markup: str) -> str:
        """The chart-unique id of definition ``name``, adding ``markup`` (with ``{id}`` for
        that id) to the definitions the first time."""
        ident = f"{self.prefix}{name}"
        if ident not in self.defined:
            self.defined.add(ident)
            self.defs.append(markup.replace("{id}", ident))
        return ident

    # -- elements

    def background(self) -> None:
        self.parts.append(f'<rect width="{_n(self.width)}" height="{_n(self.height)}" fill="{WHITE}"/>')

    def grid(self, ys: Sequence[float], plot: _Plot) -> None:
        for y in ys:
            self.line(plot.left, y, plot.right, y, GRID, 0.8)

    def open_clip(self, plot: _Plot) -> None:
        """Clip what follows to the plot, for values outside a fixed value range."""
        ident = self._define(
            "plot",
            f'<clipPath id="{{id}}"><rect x="{_n(plot.left)}" y="{_n(plot.top - 6)}" '
            f'width="{_n(plot.right - plot.left)}" height="{_n(plot.bottom - plot.top + 12)}"/></clipPath>',
        )
        self.parts.append(f'<g clip-path="url(#{ident})">')

    def close_clip(self) -> None:
        self.parts.append("</g>")

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        colour: str,
        width: float,
        dash: tuple[float, ...] | None = None,
    ) -> None:
        dashes = _dasharray(dash)
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{colour}" stroke-width="{_n(width)}"{dashes}/>'
        )

    def polyline(
        self,
        points: Sequence[tuple[float, float] | None],
        colour: str,
        width: float,
        dash: tuple[float, ...] = (),
    ) -> None:
        """A line through the points, broken where a point is missing."""
        run: list[tuple[float, float]] = []
        for point in [*points, None]:
            if point is not None:
                run.append(point)
                continue
            if len(run) > 1:
                self.parts.append(
                    f'<polyline points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in run)}" fill="none" '
                    f'stroke="{colour}" stroke-width="{_n(width)}" stroke-linejoin="round" '
                    f'stroke-linecap="round"{_dasharray(dash)}/>'
                )
            run = []

    def marker(self, kind: str, x: float, y: float, *, size: float, fill: str, edge: str = "") -> None:
        outline = f' stroke="{edge}" stroke-width="0.6"' if edge else ""
        self.parts.append(f'<path d="{_marker_path(kind, x, y, size)}" fill="{fill}"{outline}/>')

    def rect(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        fill: str,
        *,
        edge: str = "",
        edge_width: float = 0.8,
    ) -> None:
        if width <= 0 or height <= 0:
            return
        outline = f' stroke="{edge}" stroke-width="{_n(edge_width)}"' if edge else ""
        self.parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="{fill}"{outline}/>'
        )

    def bar(self, x: float, width: float, base: float, top: float, fill: str, *, edge: str = "") -> None:
        """A bar from the baseline ``base`` to ``top`` (either side of it)."""
        self.rect(x, min(base, top), width, abs(base - top), fill, edge=edge)

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        anchor: str = "start",
        size: float = FONT_SIZE,
        bold: bool = False,
        rotate: bool = False,
    ) -> None:
        attributes = f'x="{_n(x)}" y="{_n(y)}"'
        if rotate:
            attributes = f'transform="translate({_n(x)} {_n(y)}) rotate(-90)"'
        if anchor != "start":
            attributes += f' text-anchor="{anchor}"'
        if size != FONT_SIZE:
            attributes += f' font-size="{_n(size)}"'
        if bold:
            attributes += ' font-weight="bold"'
        self.parts.append(f"<text {attributes}>{escape(content)}</text>")

    # -- furniture

    def axes(self, plot: _Plot, *, left_spine: bool) -> None:
        if left_spine:
            self.line(plot.left, plot.top, plot.left, plot.bottom, MUTED, 0.8)
        self.line(plot.left, plot.bottom, plot.right, plot.bottom, MUTED, 0.8)

    def x_ticks(self, xs: Sequence[float], labels: Sequence[str], plot: _Plot) -> None:
        """Tick marks below the plot, each label centred under its tick; a label's second
        line (the year) goes under its first."""
        baseline = plot.bottom + TICK_LENGTH + TICK_PAD + 0.76 * FONT_SIZE
        for x, label in zip(xs, labels, strict=True):
            self.line(x, plot.bottom, x, plot.bottom + TICK_LENGTH, MUTED, 0.8)
            for line_number, line in enumerate(label.split("\n")):
                self.text(x, baseline + line_number * LINE_SPACING * FONT_SIZE, line, anchor="middle")

    def y_ticks(self, ys: Sequence[float], labels: Sequence[str], plot: _Plot) -> None:
        for y, label in zip(ys, labels, strict=True):
            self.line(plot.left - TICK_LENGTH, y, plot.left, y, MUTED, 0.8)
            self.text(plot.left - TICK_LENGTH - TICK_PAD, y + 0.35 * FONT_SIZE, label, anchor="end")

    def y_label(self, label: str, plot: _Plot, *, widest: float) -> None:
        x = max(plot.left - TICK_LENGTH - TICK_PAD - widest - 4, FONT_SIZE + 1)
        self.text(x, (plot.top + plot.bottom) / 2, label, anchor="middle", rotate=True)

    def title(self) -> None:
        self.text(0.12 * INCH, 0.1 * INCH + 0.76 * TITLE_SIZE, self.heading, size=TITLE_SIZE, bold=True)

    def legend(self, legend: _Legend) -> None:
        """The legend centred along the bottom edge, a row per ``legend.rows``."""
        spacing = COLUMN_SPACING * FONT_SIZE
        total = sum(legend.column_widths) + spacing * (len(legend.column_widths) - 1)
        first_baseline = self.height - LEGEND_BOTTOM - legend.extra_height
        for row_number, row in enumerate(legend.rows):
            baseline = first_baseline + row_number * LEGEND_ROW_HEIGHT * INCH
            middle = baseline - 0.32 * FONT_SIZE
            x = (self.width - total) / 2
            for entry, column_width in zip(row, legend.column_widths, strict=False):
                self._handle(entry, x, middle)
                self.text(x + (HANDLE_LENGTH + HANDLE_TEXT_PAD) * FONT_SIZE, baseline, entry.label)
                x += column_width + spacing

    def _handle(self, entry: _Entry, x: float, middle: float) -> None:
        length = HANDLE_LENGTH * FONT_SIZE
        if entry.kind == "line":
            self.line(x, middle, x + length, middle, entry.colour, 1.6, dash=entry.dash or None)
            self.marker(entry.marker, x + length / 2, middle, size=5, fill=entry.colour)
        elif entry.kind == "dashed":
            self.line(x, middle, x + length, middle, entry.colour, 1.2, dash=(6, 3.6))
        elif entry.kind == "missed":
            self.marker("X", x + length / 2, middle, size=8, fill=entry.colour, edge=WHITE)
        else:
            fill = f"url(#{self.hatch_id()})" if entry.kind == "hatched" else entry.colour
            self.rect(x, middle - 0.35 * FONT_SIZE, length, 0.7 * FONT_SIZE, fill, edge=entry.edge)

    def svg(self) -> str:
        defs = f"<defs>{''.join(self.defs)}</defs>\n" if self.defs else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(self.width)}pt" '
            f'height="{_n(self.height)}pt" viewBox="0 0 {_n(self.width)} {_n(self.height)}" '
            f'font-family={quoteattr(FONT_FAMILY)} font-size="{_n(FONT_SIZE)}" fill="{TEXT}" '
            f'role="img" aria-label={quoteattr(self.summary)}>\n'
            f"<title>{escape(self.title_text)}</title>\n<desc>{escape(self.summary)}</desc>\n"
            f"{defs}{chr(10).join(self.parts)}\n</svg>"
        )


def _dasharray(dash: tuple[float, ...] | None) -> str:
    return f' stroke-dasharray="{" ".join(_n(part) for part in dash)}"' if dash else ""


def _marker_path(kind: str, x: float, y: float, size: float) -> str:
    """A marker's outline centred on (x, y), ``size`` points across."""
    r = size / 2
    if kind == "o":
        return (
            f"M{_n(x - r)} {_n(y)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0a{_n(r)} {_n(r)} 0 1 0 {_n(-2 * r)} 0Z"
        )
    shape = _MARKER_SHAPES[kind]
    return "M" + "L".join(f"{_n(x + dx * r)} {_n(y + dy * r)}" for dx, dy in shape) + "Z"


def _cross(arm: float) -> tuple[tuple[float, float], ...]:
    """A plus sign with arms ``arm`` wide (of a unit half-length), turned 45° into an X."""
    plus = [(arm, 1), (arm, arm), (1, arm), (1, -arm), (arm, -arm), (arm, -1)]
    plus += [(-dx, -dy) for dx, dy in plus]
    turn = math.sqrt(0.5)
    return tuple((round((dx - dy) * turn, 4), round((dx + dy) * turn, 4)) for dx, dy in plus)


# Outlines on a unit half-size, y pointing down as in SVG.
_MARKER_SHAPES = {
    "s": ((-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)),
    "^": ((0, -1.15), (1.0, 0.6), (-1.0, 0.6)),
    "v": ((0, 1.15), (1.0, -0.6), (-1.0, -0.6)),
    "D": ((0, -1.15), (1.15, 0), (0, 1.15), (-1.15, 0)),
    "X": _cross(0.3),
}


def _n(value: float) -> str:
    """A coordinate, to two decimal places and no more digits than needed."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    advance = sum(_ADVANCE[ord(ch) - 32] if 32 <= ord(ch) < 127 else _AVERAGE_ADVANCE for ch in text)
    return advance / 1000 * size


def _scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    """Maps values from ``low``–``high`` onto coordinates from ``start`` to ``end``."""
    span = high - low or 1.0

    def position(value: float) -> float:
        return start + (value - low) / span * (end - start)

    return position


def _positions(count: int, left: float, right: float, *, margin: float) -> Callable[[int], float]:
    """The x coordinate of the ``i``-th period, with ``margin`` of a period's width at each end."""
    return _scale(-margin, max(count, 1) - 1 + margin, left, right)


def _nice_ticks(low: float, high: float, bins: int = 5) -> list[float]:
    """Tick values inside ``low``–``high`` at a round step (1, 2, 2.5 or 5 times a power of
    ten), as few intervals as that step allows and at most ``bins`` of them."""
    if not high > low:
        return [low]
    raw = (high - low) / bins
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(n * step, 10) + 0.0 for n in range(first, last + 1)]


def _value_range(
    series: Sequence[Series], target: Number | None, unit: str, y_range: tuple[Number, Number] | None
) -> tuple[float, float]:
    if y_range is not None:
        low, high = (_float(value) for value in y_range)
        if not low < high:
            raise ValueError(f"y_range must be increasing, got {y_range}")
        return low, high
    values = [_float(value) for line in series for value in line.values if value is not None]
    if target is not None:
        values.append(_float(target))
    if unit != "%":
        # Money and hours start at zero so bar-like magnitudes read truthfully.
        high = max([*values, 0.0])
        low = min([*values, 0.0])
        return low - 0.05 * (high - low or 1), (high - low or 1) * 1.12 + low
    if not values:
        return 0.0, 100.0
    low, high = min(values), max(values)
    span = max(high - low, 0.01)
    return max(low - 0.15 * span, 0.0), min(high + 0.15 * span, 100.0 + 0.05 * span)


def _tick_formatter(unit: str) -> Callable[[float], str]:
    if unit == "%":
        return lambda value: f"{value:.6g}%"
    if unit == "h":
        return lambda value: f"{value:.6g} h"
    return lambda value: f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.6g}"


# ---------------------------------------------------------------- summaries


def _trend_summary(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    target: Number | None,
    unit: str,
    places: int,
) -> str:
    if not labels:
        return f"{title}: no periods."
    parts = [f"{title}, {labels[0]} to {labels[-1]}."]
    if target is not None:
        parts.append(f"Target {_format(target, unit, places)}.")
    for line in series:
        known = [
            (label, value) for label, value in zip(labels, line.values, strict=True) if value is not None
        ]
        if not known:
            parts.append(f"{line.name}: no figures.")
            continue
        latest_label, latest = known[-1]
        lowest_label, lowest = min(known, key=lambda item: Decimal(str(item[1])))
        text = (
            f"{line.name}: latest {_format(latest, unit, places)} ({latest_label}), "
            f"lowest {_format(lowest, unit, places)} ({lowest_label})"
        )
        if unit != "%":
            total = sum((Decimal(str(value)) for _, value in known), Decimal(0))
            text += f", total {_format(total, unit, places)}"
        if target is not None:
            text += f"; below target in {len(_missed(line.values, target))} of {len(known)} months"
        parts.append(text + ".")
    return " ".join(parts)


def _hours_summary(
    title: str,
    labels: Sequence[str],
    committed: Sequence[Number | None],
    delivered: Sequence[Number | None],
    balance: Sequence[Number | None],
) -> str:
    if not labels:
        return f"{title}: no periods."

    def total(values: Sequence[Number | None]) -> str:
        return _format(sum((Decimal(str(v)) for v in values if v is not None), Decimal(0)), "h", 2)

    text = f"{title}, {labels[0]} to {labels[-1]}: {total(committed)} committed, {total(delivered)} delivered"
    known = [(label, value) for label, value in zip(labels, balance, strict=True) if value is not None]
    if known:
        label, value = known[-1]
        text += f"; balance carried on {_format(value, 'h', 2)} ({label})"
    return text + "."


def _format(value: Number, unit: str, places: int) -> str:
    """A figure for the summary. Percentages are cut, not rounded, to ``places`` so a
    missed 99.86 % never reads as a met 99.9 %."""
    number = Decimal(str(value))
    if unit == "%":
        quantum = Decimal(1).scaleb(-places)
        return f"{number.quantize(quantum, rounding=ROUND_DOWN)}%"
    if unit == "h":
        return f"{number.quantize(Decimal('0.01')).normalize():f} h"
    return format_money(number, unit)


def _places(target: Number | None) -> int:
    """Decimal places to show percentages with: the target's, at least one, at most four."""
    if target is None:
        return 2
    exponent = Decimal(str(target)).normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return min(max(-exponent, 1), 4)


def _missed(values: Sequence[Number | None], target: Number | None) -> list[int]:
    """Indexes of the values below ``target``, compared exactly (not as floats)."""
    if target is None:
        return []
    limit = Decimal(str(target))
    return [index for index, value in enumerate(values) if value is not None and Decimal(str(value)) < limit]


def _period_names(periods: Sequence[str]) -> list[str]:
    """``"2025-03"`` → ``"Mar 2025"``."""
    names = []
    for period in periods:
        year, month = parse_period(period)
        names.append(f"{_MONTHS[month - 1]} {year}")
    return names


def _tick_labels(names: Sequence[str]) -> list[str]:
    """Month names, with the year under the first month and under each January."""
    return [
        name.replace(" ", "\n") if index == 0 or name.startswith("Jan") else name.split()[0]
        for index, name in enumerate(names)
    ]


def _float(value: Number) -> float:
    if isinstance(value, bool):
        raise TypeError("expected a number, not a bool")
    return float(value)
