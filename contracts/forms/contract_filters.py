"""Finding contracts: search, filters and sort of the contracts list (django-filter)."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from contracts.models import Organisation
from contracts.models.contract import ContractStatus

ENDS_WITHIN = [
    ("30", "30 days"),
    ("60", "60 days"),
    ("90", "90 days"),
    ("180", "180 days"),
    ("365", "a year"),
]

SORTS = (
    ("reference", "reference"),
    ("title", "title"),
    ("provider__name", "provider"),
    ("customer__name", "customer"),
    ("status", "status"),
    ("start_date", "start"),
    ("end_date", "end"),
)


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", help_text="Reference, title or party.")
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices, empty_label="Any status")
    customer = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), empty_label="Any customer"
    )
    ends_within = django_filters.ChoiceFilter(
        choices=ENDS_WITHIN,
        method="ending_within",
        label="Ends within",
        empty_label="Any end date",
        help_text="Term ending (or renewing) in the next…",
    )
    sort = django_filters.OrderingFilter(fields=SORTS, label="Sort by", empty_label="Newest first")

    def __init__(self, data=None, queryset=None, *, customers: QuerySet[Organisation], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["customer"].queryset = customers
        for name in ("q", "status", "customer", "ends_within", "sort"):
            self.form.fields[name].widget.attrs.setdefault("class", "form-control form-control-sm")
        for name in ("status", "customer", "ends_within", "sort"):
            self.form.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def search(self, queryset, name, value):
        words = value.split()[:6]
        for word in words:
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(title__icontains=word)
                | Q(customer__name__icontains=word)
                | Q(provider__name__icontains=word)
            )
        return queryset

    def ending_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(end_date__gte=today, end_date__lte=today + timedelta(days=int(value)))
