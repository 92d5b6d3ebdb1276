"""A calendar's extra holidays: closed days beyond the public ones, each a date and,
optionally, a name the contract text shows ("24 December 2026 (Company day)").

Stored as ``{"date": "2026-12-24", "name": "Company day"}``; rows from before names were
kept hold bare ISO dates, and are read as unnamed holidays. The compliance engine uses the
dates only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

NAME_MAX_LENGTH = 80


@dataclass(frozen=True, order=True)
class ExtraHoliday:
    day: date
    name: str = ""

    def as_json(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "name": self.name}

    @property
    def line(self) -> str:
        """As the calendar form shows it: ``2026-12-24 Company day``."""
        return f"{self.day.isoformat()} {self.name}".rstrip()


def _day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"“{value}” is not a date; write it as YYYY-MM-DD.") from exc


def extra_holiday_of(item) -> ExtraHoliday:
    """One holiday from what is stored or given: an ``ExtraHoliday``, a mapping with
    ``date`` (and ``name``), or a bare date or ISO date text; ``ValueError`` otherwise."""
    if isinstance(item, ExtraHoliday):
        return item
    if isinstance(item, Mapping):
        if "date" not in item:
            raise ValueError("An extra holiday needs its date.")
        name = item.get("name") or ""
        if not isinstance(name, str):
            raise ValueError("The name of an extra holiday is text.")
        name = " ".join(name.split())
        if len(name) > NAME_MAX_LENGTH:
            raise ValueError(f"The name of an extra holiday has at most {NAME_MAX_LENGTH} characters.")
        return ExtraHoliday(_day(item["date"]), name)
    if isinstance(item, tuple) and len(item) == 2:
        return extra_holiday_of({"date": item[0], "name": item[1]})
    return ExtraHoliday(_day(item))


def extra_holidays_of(items: Iterable | None) -> list[ExtraHoliday]:
    """The holidays of ``items`` in date order, one per date (a named one wins)."""
    by_day: dict[date, ExtraHoliday] = {}
    for item in items or ():
        holiday = extra_holiday_of(item)
        if holiday.day not in by_day or not by_day[holiday.day].name:
            by_day[holiday.day] = holiday
    return [by_day[day] for day in sorted(by_day)]


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_extra_holidays(text: str) -> list[ExtraHoliday]:
    """Holidays written one per line as ``YYYY-MM-DD`` and an optional name
    (``2026-12-24 Company day``). Unnamed dates may also share a line, separated by commas
    or spaces, as before names were kept. ``ValueError`` names every line that is wrong."""
    found, wrong = [], []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        tokens = [t for t in re.split(r"[\s,;]+", line) if t]
        if all(_DATE.fullmatch(t) for t in tokens):
            items = [(t, "") for t in tokens]
        else:
            day, _, name = line.partition(" ")
            items = [(day.rstrip(",;:"), name.strip(" -–:"))]
        for day, name in items:
            try:
                found.append(extra_holiday_of({"date": day, "name": name}))
            except ValueError:
                wrong.append(line)
                break
    if wrong:
        raise ValueError(
            f"Not a date and name: {'; '.join(wrong)}. Write one holiday a line: YYYY-MM-DD and its name."
        )
    return extra_holidays_of(found)


def extra_holidays_text(holidays: Iterable[ExtraHoliday]) -> str:
    """The lines the calendar form shows for ``holidays``."""
    return "\n".join(h.line for h in holidays)
