"""Finding events: filters and sort of a contract's event lists (django-filter).

One FilterSet per kind of event; the month (``period``) stays with ``PeriodForm`` and is
applied by the selector before these filters. *Breached* means counted as a breach of a
service level in the latest stored figures of the event's month.
"""

from __future__ import annotations

import django_filters

from compliance.models import Incident, Outage, WorkLog
from compliance.models.events import Cause, Priority

YES_NO = [("yes", "Yes"), ("no", "No")]
MANUAL = "manual"

SORTS = {
    "incidents": (
        ("external_id", "id"),
        ("service", "service"),
        ("priority", "priority"),
        ("opened_at", "opened"),
        ("first_response_at", "first_response"),
        ("resolved_at", "resolved"),
        ("cause", "cause"),
        ("summary", "summary"),
    ),
    "outages": (
        ("external_id", "id"),
        ("service", "service"),
        ("start", "start"),
        ("end", "end"),
        ("planned", "planned"),
        ("cause", "cause"),
        ("summary", "summary"),
    ),
    "worklogs": (
        ("external_id", "id"),
        ("date", "date"),
        ("hours", "hours"),
        ("person", "person"),
        ("billable", "billable"),
        ("description", "description"),
    ),
}


def _sort_filter(kind: str) -> django_filters.OrderingFilter:
    return django_filters.OrderingFilter(fields=SORTS[kind], label="Sort by", empty_label="Newest first")


class _EventFilter(django_filters.FilterSet):
    """The shared part: the choices depend on the contract, the breached ids on its figures."""

    kind = ""

    def __init__(self, data=None, queryset=None, *, services=(), sources=None, breached_ids=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.breached_ids = breached_ids if breached_ids is not None else set()
        if "service" in self.filters:
            self.filters["service"].extra["choices"] = [(name, name) for name in services]
        if "source" in self.filters:
            choices = [(MANUAL, "Entered by the provider")]
            choices += [(str(source.pk), str(source)) for source in sources or ()]
            self.filters["source"].extra["choices"] = choices
        for field in self.form.fields.values():
            is_select = hasattr(field, "choices")
            field.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control"

    @property
    def filtered(self) -> bool:
        return any(self.form.data.get(name) for name in self.filters if name != "sort")

    def by_source(self, queryset, name, value):
        if value == MANUAL:
            return queryset.filter(source__isnull=True)
        return queryset.filter(source_id=int(value)) if value.isdigit() else queryset.none()

    def by_breached(self, queryset, name, value):
        ids = self.breached_ids
        return (
            queryset.filter(external_id__in=ids) if value == "yes" else queryset.exclude(external_id__in=ids)
        )


def _caused_filters() -> dict:
    return {
        "service": django_filters.ChoiceFilter(choices=[], empty_label="Any service"),
        "cause": django_filters.ChoiceFilter(choices=Cause.choices, empty_label="Any cause"),
        "source": django_filters.ChoiceFilter(
            choices=[], method="by_source", label="From", empty_label="Any source"
        ),
        "breached": django_filters.ChoiceFilter(
            choices=YES_NO, method="by_breached", label="Breached", empty_label="Either"
        ),
    }


class IncidentFilter(_EventFilter):
    kind = "incidents"
    service = _caused_filters()["service"]
    priority = django_filters.ChoiceFilter(choices=Priority.choices, empty_label="Any priority")
    cause = _caused_filters()["cause"]
    source = _caused_filters()["source"]
    breached = _caused_filters()["breached"]
    sort = _sort_filter("incidents")

    class Meta:
        model = Incident
        fields: list[str] = []


class OutageFilter(_EventFilter):
    kind = "outages"
    service = _caused_filters()["service"]
    cause = _caused_filters()["cause"]
    source = _caused_filters()["source"]
    breached = _caused_filters()["breached"]
    sort = _sort_filter("outages")

    class Meta:
        model = Outage
        fields: list[str] = []


class WorkLogFilter(_EventFilter):
    kind = "worklogs"
    billable = django_filters.ChoiceFilter(
        choices=YES_NO, method="by_billable", label="Billable", empty_label="Either"
    )
    sort = _sort_filter("worklogs")

    class Meta:
        model = WorkLog
        fields: list[str] = []

    def by_billable(self, queryset, name, value):
        return queryset.filter(billable=value == "yes")


FILTERS = {"incidents": IncidentFilter, "outages": OutageFilter, "worklogs": WorkLogFilter}
