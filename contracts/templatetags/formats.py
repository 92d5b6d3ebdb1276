"""Template filters for ``contracts.texts.formats``, shared by web, email and PDF templates.

``{% load formats %}`` then::

    {{ level.achieved|percent }}                      66.66%
    {{ breach.minutes|elapsed:level.business_time }}  6 h 36 min of business time
    {{ level.target|target_duration:level.business_time }}  4 business hours
    {{ credits.capped_total|money:currency }}         EUR 420.00
    {{ report.period|month }}                         November 2026
    {{ row.period|month_short }}                      Nov 2026
    {{ hours.committed|hours }}                       20 hours
    {{ row.delivered|hours_short }}                   15 h
    {{ hours.carried_on|hours_balance }}              9 hours still owed
    {{ incident.responsibility|key_words }}           Risky behaviour

Each gives "" for a missing value, so that ``|default:"—"`` applies.
"""

from django import template

from contracts.texts import formats

register = template.Library()


# Filters that take the value only are the formatting functions themselves.
for _name, _function in {
    "percent": formats.format_percent,
    "month": formats.format_month,
    "month_short": formats.format_month_short,
    "hours": formats.format_hours,
    "hours_short": formats.format_hours_short,
    "hours_balance": formats.format_hours_balance,
    "key_words": formats.format_key,
}.items():
    register.filter(_name, _function)


@register.filter
def elapsed(value, business_time=False):
    return formats.format_elapsed(value, business_time=bool(business_time))


@register.filter
def target_duration(value, business_time=False):
    number = formats.to_decimal(value)
    return "" if number is None else formats.format_duration(int(number), business_time=bool(business_time))


@register.filter
def money(value, currency=""):
    return formats.format_money(value, str(currency or ""))
