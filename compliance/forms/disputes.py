"""Forms of the report page: the customer disputes an item or acknowledges the report; the
provider answers a dispute; provider staff mark a credit note applied."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from compliance.models import DisputeKind


def _helper(label: str, css: str = "btn-primary", name: str = "submit") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.add_input(Submit(name, label, css_class=css))
    return helper


class DisputeForm(forms.Form):
    """One disputed item with the reason (checked against the report by the service)."""

    kind = forms.ChoiceField(label="What do you dispute?", choices=DisputeKind.choices)
    subject = forms.CharField(
        label="Event",
        max_length=200,
        required=False,
        help_text="The event's id as the report lists it (e.g. OUT-99); for a missing event, "
        "how you know of it; leave empty for the credit.",
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, exclusions: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Dispute")
        if exclusions:
            self.fields["subject"].widget.attrs["list"] = "report-events"


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Acknowledge the report", "btn-success")


class AnswerForm(forms.Form):
    ACCEPT, REJECT = "accept", "reject"

    decision = forms.ChoiceField(
        label="Answer",
        choices=[
            (ACCEPT, "Accept: we correct the event and an amendment follows"),
            (REJECT, "Reject, with the reason"),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="Reason or note",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        help_text="Required when rejecting.",
    )

    def __init__(self, *args, prefix_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if prefix_id is not None:
            for name, field in self.fields.items():
                field.widget.attrs["id"] = f"id_{name}_{prefix_id}"
        self.helper = _helper("Send the answer", "btn-outline-primary")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", "Give the reason for rejecting.")
        return cleaned


class CreditNoteApplyForm(forms.Form):
    invoice_reference = forms.CharField(label="Invoice reference", max_length=100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper("Mark applied", "btn-outline-success")
