"""The generated blocks of the clause texts: ``credit_table``, ``scope_list``,
``responsibilities_list``, ``maintenance_list`` and ``service_level_table``.

Each is a :class:`contracts.texts.rendering.Block`: HTML built with ``format_html`` from the
terms, never from clause text, plus a plain-text form for redlines. The wording comes from
``contracts.texts.wording``; no queries of its own when the rows come from
``contracts.selectors.versions.version_terms``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.html import format_html, format_html_join

from contracts.texts.rendering import Block
from contracts.texts.wording import (
    describe_calendar,
    describe_responsibility,
    describe_window,
    format_cap,
    format_credit,
    format_threshold,
)


def _list_block(items: Sequence[str], *, empty: str) -> Block:
    if not items:
        return Block(html=format_html("<p>{}</p>", empty), text=empty)
    html = format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in items)))
    return Block(html=html, text="\n".join(f"- {item}" for item in items))


def scope_list(services: Iterable) -> Block:
    """In-scope services, then out-of-scope ones with the reason."""
    services = list(services)
    inside = [s.name for s in services if s.in_scope]
    outside = [
        f"{s.name} — {s.out_of_scope_reason}" if s.out_of_scope_reason else s.name
        for s in services
        if not s.in_scope
    ]
    if not services:
        return _list_block([], empty="No services are listed.")
    html_parts = []
    text_parts = []
    for title, items in (("In scope", inside), ("Out of scope", outside)):
        if not items:
            continue
        html_parts.append(
            format_html(
                "<p><strong>{}</strong></p><ul>{}</ul>",
                title,
                format_html_join("", "<li>{}</li>", ((item,) for item in items)),
            )
        )
        text_parts.append(f"{title}:\n" + "\n".join(f"- {item}" for item in items))
    return Block(html="".join(html_parts), text="\n\n".join(text_parts))


def responsibilities_list(responsibilities: Iterable) -> Block:
    items = [describe_responsibility(r.duty, r.consequence) for r in responsibilities]
    return _list_block(items, empty="The customer has no particular responsibilities under this contract.")


def maintenance_list(windows: Iterable, *, time_zone: str) -> Block:
    items = [f"{describe_window(w)}, {time_zone} time" for w in windows]
    return _list_block(items, empty="No planned maintenance windows are agreed.")


def _target_text(level, currency: str) -> str:
    target = level.target.display(currency=currency)
    if level.share_id is not None:
        return f"{level.share.display(currency=currency)} within {target}"
    return target


def service_level_table(levels: Iterable, *, currency: str, time_zone: str = "") -> Block:
    """One row per service level: what, for which service and priority, target, calendar.

    Business hours are named in ``time_zone`` (the contract's) when given.
    """
    levels = list(levels)
    if not levels:
        return _list_block([], empty="No service levels are agreed.")
    rows = []
    lines = []
    for level in levels:
        applies = level.service.name if level.service_id else "All services in scope"
        if level.priority:
            applies += f", {level.priority}"
        calendar = describe_calendar(level.calendar, time_zone=time_zone) if level.calendar_id else "—"
        target = _target_text(level, currency)
        rows.append((level.name, applies, target, calendar))
        lines.append(f"- {level.name} ({applies}): {target}; measured {calendar}")
    html = format_html(
        "<table><thead><tr><th>Service level</th><th>Applies to</th><th>Target</th>"
        "<th>Measured</th></tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
    )
    return Block(html=html, text="\n".join(lines))


def credit_table(levels_with_tiers: Iterable[tuple[object, Sequence]], *, cap, currency: str) -> Block:
    """Per service level its tiers ("below 99.9% → 10% of the monthly fee"), then the cap.

    ``levels_with_tiers`` pairs each service level with its credit tier rows; levels
    without tiers are left out. ``cap`` is the version's ``CreditCap`` row or ``None``.
    """
    rows = []
    lines = []
    for level, tiers in levels_with_tiers:
        for tier in sorted(tiers, key=lambda t: t.below, reverse=True):
            below = format_threshold(tier.below)
            credit = format_credit(tier.kind, tier.value, currency)
            rows.append((level.name, f"below {below}", credit))
            lines.append(f"- {level.name} below {below}: {credit}")
    if not rows:
        return _list_block([], empty="No service credits are agreed.")
    cap_html = ""
    if cap is not None:
        cap_text = f"Credits in one month are capped at {format_cap(cap.kind, cap.value, currency)}."
        cap_html = format_html("<p>{}</p>", cap_text)
        lines.append(cap_text)
    html = format_html(
        "<table><thead><tr><th>Service level</th><th>Achieved</th><th>Credit</th></tr></thead>"
        "<tbody>{}</tbody></table>{}",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        cap_html,
    )
    return Block(html=html, text="\n".join(lines))
