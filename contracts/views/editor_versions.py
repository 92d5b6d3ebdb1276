"""Editor actions on versions: publish a draft, start the next draft."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from contracts import services
from contracts.models import VersionFrozen
from contracts.selectors.tenancy import contracts_authored_by, get_for_user_or_404
from contracts.selectors.versions import draft_version, latest_version, version_for_author
from contracts.services.status import version_publish_for_review
from contracts.views.editor import back_to_editor, render_editor


@login_required
@require_POST
def version_publish(request, reference: str, number: int):
    """Freeze the draft for review; refused, with the list, while the checker reports errors."""
    version = version_for_author(request.user, reference, number)
    try:
        version_publish_for_review(version=version, user=request.user)
    except VersionFrozen as exc:
        messages.error(request, " ".join(exc.messages))
        return back_to_editor(request, version)
    except ValidationError as exc:
        return render_editor(request, version, status=400, publish_errors=exc.messages)
    messages.success(
        request,
        f"Version {version.number} published: it is frozen and the contract is ready for review.",
    )
    return back_to_editor(request, version)


@login_required
@require_POST
def version_new_draft(request, reference: str):
    """The next version as a draft copy of the latest one; refused while a draft exists."""
    contract = get_for_user_or_404(contracts_authored_by(request.user), reference=reference)
    note = request.POST.get("note", "").strip()
    try:
        version = services.version_create_draft(contract=contract, user=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        existing = draft_version(contract) or latest_version(contract)
        if existing is None:
            return redirect("contracts:contract_detail", reference=reference)
        return back_to_editor(request, existing)
    messages.success(request, f"Version {version.number} started as a draft copy of the latest version.")
    return back_to_editor(request, version)
