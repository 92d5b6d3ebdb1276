"""Signing: send a version for signature, the signer's page, decline, remind, withdraw, the
stored documents, and the public page that verifies a signed PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts.forms.signing import DeclineForm, SendForm, SignForm
from contracts.models import SealStatus, SignatureRequest
from contracts.selectors.reading import contract_reader_or_404, reader_for, version_reading
from contracts.selectors.signing import (
    signature_request_for_author,
    signature_request_for_user,
    signer_memberships,
    waiting_slot_of,
)
from contracts.selectors.tenancy import contracts_authored_by, get_for_user_or_404
from contracts.selectors.versions import latest_version
from contracts.services import signing
from slaportal.files import stored_pdf_response
from slaportal.security import client_ip


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field when it names one of them."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _back_to_contract(request_obj: SignatureRequest):
    return redirect("contracts:contract_detail", reference=request_obj.version.contract.reference)


# ---------------------------------------------------------------- authors


@login_required
@require_http_methods(["GET", "POST"])
def signing_send(request, reference: str):
    contract = get_for_user_or_404(contracts_authored_by(request.user), reference=reference)
    version = latest_version(contract)
    if version is None:
        raise Http404("No version to send.")
    candidates = signer_memberships(contract)
    data = request.POST if request.method == "POST" else None
    form = SendForm(data, contract=contract, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = signing.signature_request_send(
                    version=version,
                    user=request.user,
                    signers=form.signer_specs(),
                    remind_every_days=form.cleaned_data["remind_every_days"],
                    deadline_days=form.cleaned_data["deadline_days"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if sent.document:
                    messages.success(request, f"Version {version.number} was sent for signature.")
                else:
                    messages.success(
                        request,
                        f"Version {version.number} is being sent for signature: the signers are emailed "
                        "once the document to sign is ready.",
                    )
                return redirect("contracts:contract_detail", reference=contract.reference)
        status = 400
    return render(
        request,
        "contracts/signing/send.html",
        {"contract": contract, "version": version, "form": form, "candidates": candidates},
        status=status,
    )


@login_required
@require_GET
def signing_panel(request, reference: str):
    """The contract page's signing panel alone, polled while background work is under way."""
    reader = contract_reader_or_404(request.user, reference)
    return render(request, "contracts/signing/panel.html", {"contract": reader.contract, "reader": reader})


@login_required
@require_POST
def signing_remind(request, reference: str, request_id: int):
    signature_request = signature_request_for_author(request.user, reference, request_id)
    try:
        turn = signing.signature_request_remind(request=signature_request, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Reminder sent to " + ", ".join(s.email for s in turn) + ".")
    return _back_to_contract(signature_request)


@login_required
@require_POST
def signing_withdraw(request, reference: str, request_id: int):
    signature_request = signature_request_for_author(request.user, reference, request_id)
    try:
        signing.signature_request_withdraw(request=signature_request, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The signature request was withdrawn.")
    return _back_to_contract(signature_request)


@login_required
@require_POST
def signing_seal_retry(request, reference: str, request_id: int):
    signature_request = signature_request_for_author(request.user, reference, request_id)
    try:
        signing.signature_request_seal_again(request=signature_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back_to_contract(signature_request)
    signature_request.refresh_from_db()
    if signature_request.seal_status == SealStatus.FAILED:
        messages.error(request, f"Sealing failed again: {signature_request.seal_error}")
    else:
        messages.success(request, "Sealing was started again.")
    return _back_to_contract(signature_request)


# ---------------------------------------------------------------- signers


def _signing_page(request, signature_request, *, sign_form=None, decline_form=None, status=200):
    version = signature_request.version
    reader = reader_for(request.user, version.contract)
    slot = waiting_slot_of(signature_request, request.user)
    consent = signing.consent_text_for(slot.organisation if slot else version.contract.customer)
    if sign_form is None:
        sign_form = SignForm(
            initial={"shown_sha256": signature_request.document_sha256}, consent_text=consent
        )
    return render(
        request,
        "contracts/signing/sign.html",
        {
            "contract": version.contract,
            "version": version,
            "reader": reader,
            "signature_request": signature_request,
            "reading": version_reading(version),
            "slot": slot,
            "sign_form": sign_form,
            "decline_form": decline_form or DeclineForm(),
            "turn": signing.signers_at_turn(signature_request),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def signing_page(request, reference: str, request_id: int):
    signature_request = signature_request_for_user(request.user, reference, request_id)
    if not signature_request.document:
        messages.info(request, "The document to sign is still being prepared: try again in a moment.")
        return _back_to_contract(signature_request)
    if request.method == "GET":
        signing.signature_request_viewed(request=signature_request, user=request.user)
        return _signing_page(request, signature_request)
    slot = waiting_slot_of(signature_request, request.user)
    organisation = slot.organisation if slot else signature_request.version.contract.customer
    form = SignForm(request.POST, consent_text=signing.consent_text_for(organisation))
    if form.is_valid():
        try:
            signing.signature_record(
                request=signature_request,
                user=request.user,
                typed_name=form.cleaned_data["typed_name"],
                agree=form.cleaned_data["agree"],
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                shown_sha256=form.cleaned_data["shown_sha256"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "You signed the contract. Thank you.")
            return _back_to_contract(signature_request)
    return _signing_page(request, signature_request, sign_form=form, status=400)


@login_required
@require_POST
def signing_decline(request, reference: str, request_id: int):
    signature_request = signature_request_for_user(request.user, reference, request_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            signing.signature_decline(
                request=signature_request, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "You declined to sign. The provider has been told why.")
            return _back_to_contract(signature_request)
    return _signing_page(request, signature_request, decline_form=form, status=400)


@login_required
@require_GET
def signing_document(request, reference: str, request_id: int):
    """The signable document exactly as stored when the version was sent."""
    signature_request = signature_request_for_user(request.user, reference, request_id)
    if not signature_request.document:
        raise Http404("The document is still being prepared.")
    version = signature_request.version
    return stored_pdf_response(signature_request.document.name, f"{reference}-v{version.number}.pdf")


@login_required
@require_GET
def signing_signed_document(request, reference: str, request_id: int):
    """The sealed signed PDF, once every party has signed."""
    signature_request = signature_request_for_user(request.user, reference, request_id)
    if signature_request.seal_status != SealStatus.SEALED:
        raise Http404("Not sealed yet.")
    return stored_pdf_response(
        signature_request.signed_document.name, signing.signed_pdf_filename(signature_request)
    )
