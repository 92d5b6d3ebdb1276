"""Filtering the audit log."""

from django import forms

from contracts.models import AuditAction


class AuditFilterForm(forms.Form):
    """Which kind of event to list; empty lists every kind."""

    action = forms.ChoiceField(
        required=False, label="Action", choices=[("", "All actions"), *AuditAction.choices]
    )
