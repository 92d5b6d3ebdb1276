"""The subscription form: it validates; ``webhooks.services`` checks the URL and writes."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from webhooks import events


class SubscriptionForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, empty_label=None, help_text="Whose events are sent.")
    url = forms.URLField(
        label="Endpoint URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where the events are POSTed, e.g. https://billing.example.com/hooks/sla. "
        "Redirects are not followed.",
    )
    description = forms.CharField(
        max_length=200, required=False, help_text="What receives them, for your team."
    )
    event_types = forms.MultipleChoiceField(
        label="Events",
        choices=events.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each one chosen is sent as it happens.",
    )
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Off: nothing is sent until you switch it on."
    )

    def __init__(self, *args, organisations, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            del self.fields["is_active"]
            self.fields["organisation"].queryset = organisations
        self.helper = FormHelper()
        self.helper.attrs = {"data-unsaved-guard": ""}
        self.helper.add_input(Submit("save", "Save changes" if editing else "Add subscription"))
