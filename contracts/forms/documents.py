"""The redline form: which two versions to compare, in which rendering."""

from __future__ import annotations

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from contracts.models import Version

RENDERING_CHOICES = [("plain", "Plain language"), ("legal", "Legal text")]


def _label(version: Version) -> str:
    if version.is_draft:
        return f"Version {version.number} (draft)"
    frozen = timezone.localtime(version.frozen_at)
    state = f"frozen {frozen.day} {frozen:%b %Y}"
    return f"Version {version.number} ({state})"


class CompareForm(forms.Form):
    """Two of the versions the reader may see; the query keys are ``from`` and ``to``."""

    rendering = forms.ChoiceField(choices=RENDERING_CHOICES, initial="plain", label="Text")

    def __init__(self, data=None, *, versions: list[Version]):
        self.versions = {str(v.number): v for v in versions}
        if data is not None and len(versions) >= 2:
            # Missing choices fall back to the latest change: previous → latest, plain.
            data = {
                "from": str(versions[-2].number),
                "to": str(versions[-1].number),
                "rendering": "plain",
                **{key: data.get(key) for key in ("from", "to", "rendering") if data.get(key) is not None},
            }
        super().__init__(data)
        choices = [(number, _label(v)) for number, v in self.versions.items()]
        self.fields["from"] = forms.ChoiceField(choices=choices, label="From version")
        self.fields["to"] = forms.ChoiceField(choices=choices, label="To version")
        self.order_fields(["from", "to", "rendering"])
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "mb-4"
        self.helper.layout = Layout(
            Row(
                Column("from", css_class="col-sm-4"),
                Column("to", css_class="col-sm-4"),
                Column("rendering", css_class="col-sm-4"),
            ),
            StrictButton("Compare", type="submit", css_class="btn btn-primary"),
        )

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("from"), cleaned.get("to")
        if old and new:
            if old == new:
                raise forms.ValidationError("Choose two different versions to compare.")
            cleaned["from_version"] = self.versions[old]
            cleaned["to_version"] = self.versions[new]
        return cleaned
