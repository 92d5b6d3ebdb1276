"""What every event source's pages share, whoever owns the source (a contract, or a provider
organisation for a provider-wide source): the hook URL, the delivery log, and the pause,
rotate and remove actions.

Each owner's module resolves the owner and the source through its tenancy selector and hands
them here; a source of another owner is a 404 before anything here runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from compliance.forms.source_json import SourceTrialForm
from compliance.models import EventSource
from compliance.selectors.sources import deliveries_of
from compliance.services import sources as source_services
from compliance.services.source_trial import source_trial

DELIVERIES_PER_PAGE = 25


@dataclass(frozen=True)
class SourceOwner:
    """The owner of a source as its URLs name it: ``url_prefix`` + page name, with
    ``url_kwargs`` (the contract's reference, or the organisation's slug) and the source's id
    as ``source_kwarg``."""

    url_prefix: str
    url_kwargs: dict[str, str] = field(default_factory=dict)
    source_kwarg: str = "source_id"

    def url(self, page: str, source: EventSource | None = None) -> str:
        kwargs = dict(self.url_kwargs)
        if source is not None:
            kwargs[self.source_kwarg] = source.pk
        return reverse(f"{self.url_prefix}{page}", kwargs=kwargs)


def source_page_context(request, owner: SourceOwner, source: EventSource) -> dict:
    """The parts of a source's page that do not depend on its owner."""
    hook = reverse("compliance:source_hook", kwargs={"hook_token": source.token})
    return {
        "source": source,
        "page": Paginator(deliveries_of(source), DELIVERIES_PER_PAGE).get_page(request.GET.get("page")),
        "hook_url": request.build_absolute_uri(hook),
        "pause_url": owner.url("pause", source),
        "rotate_url": owner.url("rotate", source),
        "delete_url": owner.url("delete", source),
        "trial_url": owner.url("test", source),
        "list_url": owner.url("list"),
    }


Resolve = Callable[..., tuple[SourceOwner, EventSource]]


def trial_answer(
    request, owner: SourceOwner, source: EventSource, context: dict, page: Callable[..., HttpResponse]
):
    """The live test: what a pasted payload would do, with nothing written. htmx gets the
    result panel alone (always 200, so it is shown); without JavaScript ``page`` answers with
    the whole page (``trial_form``, ``trial`` and ``status``), 400 when it would be refused."""
    trial_form = SourceTrialForm(request.POST)
    trial = (
        source_trial(source=source, text=trial_form.cleaned_data["payload"])
        if trial_form.is_valid()
        else None
    )
    if request.headers.get("HX-Request") == "true":
        panel = {
            **context,
            "source": source,
            "trial_form": trial_form,
            "trial": trial,
            "trial_url": owner.url("test", source),
        }
        return render(request, "compliance/_source_trial.html", panel)
    refused = trial is None or trial.refused
    return page(trial_form=trial_form, trial=trial, status=400 if refused else 200)


def _pause(request, source: EventSource) -> bool:
    paused = not source.paused
    source_services.source_pause(source=source, paused=paused)
    messages.success(
        request,
        f"“{source.name}” is paused: deliveries are refused and logged."
        if paused
        else f"“{source.name}” is receiving again.",
    )
    return False


def _rotate(request, source: EventSource) -> bool:
    source_services.source_rotate_secret(source=source)
    messages.success(request, f"“{source.name}” has a new secret; the old one no longer works.")
    return False


def _delete(request, source: EventSource) -> bool:
    source_services.source_delete(source=source)
    messages.success(request, f"Source “{source.name}” removed; the events it sent stay.")
    return True


def _action(resolve: Resolve, act: Callable[..., bool], doc: str):
    @login_required
    @require_POST
    def view(request, **kwargs):
        owner, source = resolve(request.user, **kwargs)
        gone = act(request, source)
        return redirect(owner.url("list") if gone else owner.url("detail", source))

    view.__doc__ = doc
    return view


def source_actions(resolve: Resolve):
    """The pause (or resume), rotate and remove views of sources found by ``resolve``
    (user and URL arguments → owner and source)."""
    return (
        _action(resolve, _pause, "Pause a receiving source, or resume a paused one."),
        _action(resolve, _rotate, "Give the source a new secret; the old one stops working."),
        _action(resolve, _delete, "Remove the source; the events it sent stay."),
    )
