"""The order of a draft's service levels on the terms page: up/down buttons and drag and drop.

Both are plain POSTs that go back to the page without JavaScript. With htmx the answer is
the section's list alone, with focus on the moved level's button, so that a keyboard user
can go on moving it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from contracts import services
from contracts.models import Version
from contracts.selectors import versions
from contracts.selectors.versions import VersionTerms
from contracts.views.terms import audited, is_htmx, render_terms_page, row_of, terms_url
from contracts.views.terms_context import terms_page_context
from contracts.views.terms_rows import authoring_post


def _levels_list(request, version: Version, *, message: str, focus: tuple[int, str] | None = None):
    context = terms_page_context(version, versions.version_terms(version))
    context.update(levels_message=message, levels_focus=focus)
    response = render(request, "contracts/terms/_levels_list.html", context)
    response["HX-Trigger"] = "terms-changed"
    return response


@authoring_post
def level_move(request, version: Version, terms: VersionTerms, level_id: int) -> HttpResponse:
    """Move a service level one place up or down (``direction``)."""
    level = row_of(terms.service_levels, level_id)
    direction = request.POST.get("direction", "")
    if direction not in services.MOVE_DIRECTIONS:
        messages.error(request, "Move a service level up or down.")
        return render_terms_page(request, version, status=400)

    def act() -> str:
        services.service_level_move(service_level=level, direction=direction)
        return f"Service level {level.name} moved {direction} to number {level.position}."

    moved = _can_move(terms, level, direction)
    if moved:
        message = audited(request, version, act)
    else:
        where = "first" if direction == "up" else "last"
        message = f"Service level {level.name} is already {where}: nothing moved."
    if is_htmx(request):
        count = len(terms.service_levels)
        at_edge = level.position == (1 if direction == "up" else count)
        focus_direction = {"up": "down", "down": "up"}[direction] if at_edge and count > 1 else direction
        return _levels_list(request, version, message=message, focus=(level.pk, focus_direction))
    (messages.success if moved else messages.info)(request, message)
    return redirect(terms_url(version, f"level-{level.pk}"))


def _can_move(terms: VersionTerms, level, direction: str) -> bool:
    index = next(i for i, item in enumerate(terms.service_levels) if item.pk == level.pk)
    target = index + services.MOVE_DIRECTIONS[direction]
    return 0 <= target < len(terms.service_levels)


@authoring_post
def level_reorder(request, version: Version, terms: VersionTerms) -> HttpResponse:
    """Put the service levels in the posted order (``level``: every id once), as dropped."""
    try:
        ids = [int(value) for value in request.POST.getlist("level")]
    except ValueError:
        ids = []

    def act() -> str:
        services.service_level_reorder(version=version, level_ids=ids)
        return "Service levels reordered."

    try:
        message = audited(request, version, act)
    except ValidationError as exc:
        if is_htmx(request):
            response = _levels_list(request, version, message=" ".join(exc.messages))
            del response["HX-Trigger"]
            return response
        messages.error(request, " ".join(exc.messages))
        return render_terms_page(request, version, status=400)
    if is_htmx(request):
        return _levels_list(request, version, message=message)
    messages.success(request, message)
    return redirect(terms_url(version, "service-levels"))
