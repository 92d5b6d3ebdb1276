"""Forms of the clause library: templates and categories. They validate; views call services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Layout, Row, Submit
from django import forms
from django.urls import reverse

from contracts.models import ClauseCategory, ClauseTemplate, Organisation
from contracts.models.clauses import KEY_VALIDATOR

TEXT_ROWS = 12
PREVIEW_TARGET = "#template-preview"


class _OwnerMixin:
    """An ``owner`` choice only when the user drafts for more than one provider."""

    def _set_owner(self, owners: list[Organisation]) -> None:
        self.fields["owner"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in owners])
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0]
            self.fields["owner"].widget = forms.HiddenInput()


class ClauseTemplateForm(_OwnerMixin, forms.Form):
    """A standard clause: heading, both texts, category; ``key`` defaults to the heading."""

    owner = forms.ModelChoiceField(label="Library of", queryset=Organisation.objects.none(), empty_label=None)
    heading = forms.CharField(max_length=200)
    key = forms.CharField(
        max_length=80,
        required=False,
        validators=[KEY_VALIDATOR],
        help_text="Identifies the clause across versions; empty: made from the heading.",
    )
    category = forms.ModelChoiceField(
        queryset=ClauseCategory.objects.none(), required=False, empty_label="— no category —"
    )
    description = forms.CharField(
        label="When to use it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For your colleagues; not part of any contract.",
    )
    legal_text = forms.CharField(
        label="Legal text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
        help_text="Markdown with {{ placeholders }}.",
    )
    plain_text = forms.CharField(
        label="Plain-language text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
        help_text="The same clause as the people who carry it out read it.",
    )

    def __init__(self, *args, owners, categories, template: ClauseTemplate | None = None, **kwargs):
        if template is not None:
            kwargs.setdefault(
                "initial",
                {
                    "owner": template.owner,
                    "heading": template.heading,
                    "key": template.key,
                    "category": template.category,
                    "description": template.description,
                    "legal_text": template.legal_text,
                    "plain_text": template.plain_text,
                },
            )
        super().__init__(*args, **kwargs)
        self.template = template
        owners = list(owners)
        self._set_owner(owners)
        if template is not None:
            # A template stays in its library; moving it would be a new template.
            self.fields["owner"].queryset = Organisation.objects.filter(pk=template.owner_id)
            self.fields["owner"].widget = forms.HiddenInput()
        self.fields["category"].queryset = categories
        # Typing in either text asks for a fresh preview of both (htmx, no inline script).
        for name in ("legal_text", "plain_text"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("contracts:library_preview"),
                    "hx-trigger": "input changed delay:400ms, change",
                    "hx-target": PREVIEW_TARGET,
                    "hx-include": "closest form",
                }
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "owner",
            Row(
                Column("heading", css_class="col-md-6"),
                Column("key", css_class="col-md-3"),
                Column("category", css_class="col-md-3"),
            ),
            "description",
            Row(
                Column(Field("legal_text", css_class="font-monospace"), css_class="col-lg-6"),
                Column(Field("plain_text", css_class="font-monospace"), css_class="col-lg-6"),
            ),
            HTML('<p class="small text-body-secondary">The preview below uses sample values.</p>'),
            Submit("submit", "Save template"),
        )

    def clean(self):
        cleaned = super().clean()
        owner, category = cleaned.get("owner"), cleaned.get("category")
        if owner is not None and category is not None and category.owner_id != owner.pk:
            self.add_error("category", "Choose one of this library's own categories.")
        if not (cleaned.get("legal_text") or "").strip() and not (cleaned.get("plain_text") or "").strip():
            self.add_error("legal_text", "Write the clause in at least one of the two texts.")
        return cleaned

    def service_data(self) -> dict:
        """The cleaned values as the template services take them."""
        data = {
            name: self.cleaned_data[name]
            for name in ("heading", "legal_text", "plain_text", "category", "description")
        }
        if self.cleaned_data["key"] or self.template is not None:
            data["key"] = self.cleaned_data["key"] or self.template.key
        return data


class ClauseCategoryForm(_OwnerMixin, forms.Form):
    owner = forms.ModelChoiceField(label="Library of", queryset=Organisation.objects.none(), empty_label=None)
    name = forms.CharField(label="New category", max_length=80)
    position = forms.IntegerField(min_value=0, initial=0, required=False, help_text="Lower comes first.")

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_owner(list(owners))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("owner", "name", "position", Submit("submit", "Add category"))


class PreviewForm(forms.Form):
    """The two texts to preview; nothing is saved."""

    legal_text = forms.CharField(required=False, strip=False, max_length=100_000)
    plain_text = forms.CharField(required=False, strip=False, max_length=100_000)
