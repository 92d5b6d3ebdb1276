"""Compliance charts: plain figures in, SVG text out, drawn by matplotlib.

The same SVG is inlined in the portal's pages and in the PDF report, so each chart is
self-contained: no external references, text kept as ``<text>`` (``svg.fonttype`` ``none``)
rather than glyph outlines, a ``<title>`` and ``<desc>``, and ``role="img"`` with an
``aria-label`` summary of the figures on the root element, so a screen reader reads the
numbers rather than the drawing. The XML prolog is dropped so the text can be placed
straight into HTML.

Output is deterministic: element ids are hashed with a salt derived from the chart's own
inputs (equal inputs give byte-identical SVG, two different charts on one page get different
ids) and no date is written.

Each call draws on its own ``matplotlib.figure.Figure`` (never pyplot, which keeps global
figures alive). matplotlib reads its settings from the process-wide ``rcParams``, so drawing
happens under a lock inside ``rc_context``, which puts every setting back afterwards: other
code using matplotlib sees its own settings, and concurrent requests cannot interleave
settings.

Colours are the Okabe–Ito colour-blind-safe palette, darkened where needed for 3:1 contrast
against white; missed points and overspent budget are told apart by shape and hatching as
well as colour.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from contracts.terms_display import format_money

from .periods import parse_period

Number = Decimal | int | float

TEXT = "#212529"
MUTED = "#495057"
GRID = "#dee2e6"
TRACK = "#e9ecef"
SERIES_COLOURS = ("#0072B2", "#00785A", "#A6466F", "#6B5B00")
# Five markers against four colours: no two of the first twenty series look alike.
SERIES_MARKERS = ("o", "s", "^", "D", "v")
MISSED = "#B8460B"


def series_style(index: int) -> tuple[str, str]:
    """The colour and marker of the ``index``-th line of a trend chart."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_MARKERS[index % len(SERIES_MARKERS)]


LIGHT_BLUE = "#A6CBE8"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Units the tick labels carry themselves; others (currencies) get an axis label.
_SELF_LABELLED_UNITS = frozenset({"%", "h"})

_RC = {
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9.0,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": TEXT,
    "ytick.labelcolor": TEXT,
    "legend.frameon": False,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "path.simplify": True,
}
# No Dublin Core block and no date: nothing that changes between runs or points elsewhere.
_NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}
_RENDER_LOCK = threading.Lock()
# Inside a tag: an id, or a reference to one (``href="#…"``, ``url(#…)``).
_TAG = re.compile(r"<[^<>]+>")
_ID_REFERENCE = re.compile(r'(\bid="|\bhref="#|\burl\(#)')
# The portal's Content Security Policy (style-src 'self') blocks style attributes and <style>
# elements in pages, so matplotlib's inline CSS becomes SVG presentation attributes: its
# ``style="fill: …; stroke: …"`` on each element, and its one ``*{…}`` rule on the root
# element, from where those (inherited) properties reach every element without its own.
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
_UNIVERSAL_RULE = re.compile(r"^\s*\*\s*\{([^{}]*)\}\s*$")


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
    target_value = None if target is None else _float(target)
    places = _places(target)
    summary = _trend_summary(title, labels, series, target, unit, places)

    # Legend entries: the series, the target line and the "below target" mark at most.
    legend_rows = _legend_rows(len(series) + 2)
    extra = LEGEND_ROW_HEIGHT * (legend_rows - 1)

    def draw(fig: Figure) -> None:
        ax = _axes(fig, left=0.75, bottom=0.78 + extra)
        positions = range(len(periods))
        handles: list[Artist] = []
        missed_any = False
        for index, line in enumerate(series):
            values = [_float_or_nan(value) for value in line.values]
            colour, marker = series_style(index)
            (drawn,) = ax.plot(
                positions,
                values,
                color=colour,
                marker=marker,
                markersize=4,
                linewidth=1.6,
                label=line.name,
            )
            handles.append(drawn)
            missed = _missed(line.values, target)
            if missed:
                missed_any = True
                ax.scatter(
                    missed,
                    [values[index] for index in missed],
                    marker="X",
                    s=60,
                    color=MISSED,
                    edgecolors="white",
                    linewidths=0.6,
                    zorder=3,
                )
        if target_value is not None:
            handles.append(
                ax.axhline(
                    target_value,
                    color=MUTED,
                    linestyle=(0, (5, 3)),
                    linewidth=1.2,
                    label=f"Target {_format(target, unit, places)}",
                )
            )
        if missed_any:
            handles.append(
                Line2D([], [], linestyle="none", marker="X", markersize=8, color=MISSED, label="Below target")
            )
        ax.set_xticks(list(positions), _tick_labels(labels))
        ax.set_xlim(-0.5, max(len(periods), 1) - 0.5)
        low, high = _value_range(series, target, unit, y_range)
        ax.set_ylim(low, high)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.yaxis.set_major_formatter(FuncFormatter(_tick_formatter(unit)))
        if unit not in _SELF_LABELLED_UNITS:
            ax.set_ylabel(unit)
        _title(fig, title)
        _legend(fig, handles=handles, rows=legend_rows)

    return _svg(
        draw,
        size=(7.2, 3.0 + extra),
        title=title,
        summary=summary,
        key=("trend", title, labels, series, target, unit, y_range),
    )


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
        f"{heading}, {abs(left):.1f} min {'left' if left >= 0 else 'over budget'}; "
        f"{elapsed:.0%} of the month elapsed."
    )

    def draw(fig: Figure) -> None:
        ax = _axes(fig, left=0.3, bottom=0.66, right=0.3)
        ax.grid(False)
        ax.barh(0, allowed, height=0.6, color=TRACK, edgecolor=MUTED, linewidth=0.8, label="Allowed")
        ax.barh(0, min(used, allowed), height=0.6, color=SERIES_COLOURS[0], label="Used")
        if used > allowed:
            ax.barh(
                0,
                used - allowed,
                left=allowed,
                height=0.6,
                color=MISSED,
                hatch="///",
                edgecolor="white",
                linewidth=0,
                label="Over budget",
            )
        ax.axvline(
            elapsed * allowed,
            color=TEXT,
            linestyle=(0, (3, 2)),
            linewidth=1.4,
            label=f"{elapsed:.0%} of month",
        )
        ax.set_xlim(0, max(allowed, used, 1e-9) * 1.04)
        ax.set_ylim(-0.6, 0.6)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g} min"))
        _title(fig, heading)
        _legend(fig)

    return _svg(
        draw,
        size=(6.4, 1.6),
        title=title,
        summary=summary,
        key=("budget", allowed_minutes, used_minutes, elapsed_fraction, title),
    )


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

    def draw(fig: Figure) -> None:
        ax = _axes(fig, left=0.65, bottom=0.78)
        positions = list(range(len(periods)))
        width = 0.38
        ax.bar(
            [x - width / 2 for x in positions],
            [_float_or_nan(value) for value in committed],
            width,
            color=LIGHT_BLUE,
            edgecolor=SERIES_COLOURS[0],
            linewidth=0.8,
            label="Committed",
        )
        ax.bar(
            [x + width / 2 for x in positions],
            [_float_or_nan(value) for value in delivered],
            width,
            color=SERIES_COLOURS[0],
            label="Delivered",
        )
        ax.plot(
            positions,
            [_float_or_nan(value) for value in balance],
            color=SERIES_COLOURS[1],
            marker="D",
            markersize=4,
            linewidth=1.6,
            label="Balance carried on",
        )
        ax.axhline(0, color=MUTED, linewidth=0.8)
        ax.set_xticks(positions, _tick_labels(labels))
        ax.set_xlim(-0.6, max(len(periods), 1) - 0.4)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.yaxis.set_major_formatter(FuncFormatter(_tick_formatter("h")))
        _title(fig, title)
        _legend(fig)

    return _svg(
        draw,
        size=(7.2, 3.0),
        title=title,
        summary=summary,
        key=("hours", labels, tuple(committed), tuple(delivered), tuple(balance), title),
    )


# ---------------------------------------------------------------- drawing


def _svg(
    draw: Callable[[Figure], None], *, size: tuple[float, float], title: str, summary: str, key: object
) -> str:
    salt = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    buffer = io.StringIO()
    with _RENDER_LOCK, matplotlib.rc_context({**_RC, "svg.hashsalt": salt}):
        # Fixed margins rather than a layout engine: constrained layout costs a second full
        # draw, and these charts always have the same furniture.
        fig = Figure(figsize=size)
        try:
            draw(fig)
            fig.savefig(buffer, format="svg", metadata=_NO_METADATA)
        finally:
            # Break the figure's reference cycles now rather than at the next GC pass.
            fig.clear()
    return _accessible(buffer.getvalue(), title=title, summary=summary, prefix=f"c{salt[:8]}-")


def _accessible(svg: str, *, title: str, summary: str, prefix: str) -> str:
    """The SVG without its XML prolog, its ids prefixed so that several charts can share
    one HTML page, and ``role``, ``aria-label``, ``<title>`` and ``<desc>`` on the root."""
    svg = svg[svg.index("<svg") :]
    inherited = ""
    for rule in _STYLE_ELEMENT.findall(svg):
        universal = _UNIVERSAL_RULE.match(rule)
        if universal is None:
            raise ValueError(f"unexpected CSS in chart SVG: {rule!r}")
        inherited += _declarations_as_attributes(universal[1], existing="")
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = _TAG.sub(lambda tag: _presentation_attributes(_ID_REFERENCE.sub(rf"\1{prefix}", tag[0])), svg)
    head_end = svg.index(">")
    return (
        f'{svg[:head_end]}{inherited} role="img" aria-label={quoteattr(summary)}>\n'
        f" <title>{escape(title)}</title>\n <desc>{escape(summary)}</desc>"
        f"{svg[head_end + 1 :]}"
    )


def _presentation_attributes(tag: str) -> str:
    """The tag with its style attribute written as presentation attributes."""
    match = _STYLE_ATTRIBUTE.search(tag)
    if match is None:
        return tag
    attributes = _declarations_as_attributes(match[1], existing=tag)
    return f"{tag[: match.start()]}{attributes}{tag[match.end() :]}"


def _declarations_as_attributes(declarations: str, *, existing: str) -> str:
    """``a: b; c: d`` as `` a="b" c="d"``, leaving out attributes ``existing`` already has."""
    attributes = []
    for declaration in declarations.split(";"):
        name, colon, value = (part.strip() for part in declaration.partition(":"))
        if colon and name and f' {name}="' not in existing:
            attributes.append(f" {name}={quoteattr(value)}")
    return "".join(attributes)


def _title(fig: Figure, text: str) -> None:
    height = fig.get_figheight()
    fig.text(0.12 / fig.get_figwidth(), 1 - 0.1 / height, text, va="top", fontsize=10, fontweight="bold")


def _axes(fig: Figure, *, left: float, bottom: float, top: float = 0.4, right: float = 0.2) -> Axes:
    """Axes placed by margins in inches."""
    width, height = fig.get_size_inches()
    return fig.add_axes(
        (left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height)
    )


# A legend row holds this many entries; more wrap onto further rows, each this tall (inches),
# so that long series names (six response and resolution levels) stay inside the chart.
LEGEND_COLUMNS = 3
LEGEND_ROW_HEIGHT = 0.22


def _legend_rows(entries: int) -> int:
    return max(1, -(-entries // LEGEND_COLUMNS))


def _legend(fig: Figure, handles: Sequence[Artist] | None = None, rows: int = 1) -> None:
    """Legend entries centred along the bottom edge, in ``rows`` rows at most."""
    if handles is None:
        handles = [handle for ax in fig.axes for handle in ax.get_legend_handles_labels()[0]]
    if handles:
        fig.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=len(handles) if rows == 1 else -(-len(handles) // rows),
            borderaxespad=0.3,
        )


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


def _tick_formatter(unit: str) -> Callable[[float, object], str]:
    if unit == "%":
        return lambda value, _: f"{value:.6g}%"
    if unit == "h":
        return lambda value, _: f"{value:.6g} h"
    return lambda value, _: f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.6g}"


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


def _float_or_nan(value: Number | None) -> float:
    return float("nan") if value is None else _float(value)
