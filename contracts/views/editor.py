"""The contract editor: starting a contract, the editor page, live previews and the
consistency panel. Clause and version actions live in ``editor_*.py``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts.forms.editor import (
    ClauseAddForm,
    ClauseForm,
    ClauseFromTemplateForm,
    ContractCreateForm,
    ContractReportsForm,
)
from contracts.models import Clause, ClauseTemplate, RequestStatus, SignatureRequest, Version
from contracts.selectors import tenancy
from contracts.selectors.versions import (
    RenderedClause,
    UnsavedClause,
    VersionTerms,
    clause_templates_for_version,
    version_findings,
    version_for_author,
    version_render_values,
    version_rendered_clauses,
    version_terms,
    versions_of,
)
from contracts.services.contract_start import contract_start
from contracts.services.contracts import contract_reports_issuance_set
from contracts.texts.consistency import Finding
from contracts.texts.rendering import render_clause
from contracts.views.terms import parameters_panel_context

_FIELD_LABEL = {"legal_text": "legal text", "plain_text": "plain text"}


# ---------------------------------------------------------------- helpers shared by the editor views


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def editor_url(version: Version, anchor: str = "") -> str:
    url = reverse("contracts:version_edit", args=[version.contract.reference, version.number])
    return f"{url}#{anchor}" if anchor else url


def back_to_editor(request: HttpRequest, version: Version, anchor: str = "") -> HttpResponse:
    """Redirect to the editor; for htmx requests a full-page redirect, so messages show."""
    url = editor_url(version, anchor)
    if is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def refuse_frozen(request: HttpRequest, version: Version) -> HttpResponse:
    messages.error(
        request, f"Version {version.number} is frozen and cannot change: create a new draft version instead."
    )
    return back_to_editor(request, version)


def version_urls(version: Version) -> dict[str, str]:
    args = [version.contract.reference, version.number]
    return {
        name: reverse(f"contracts:{view}", args=args)
        for name, view in (
            ("edit", "version_edit"),
            ("preview", "editor_preview"),
            ("findings", "editor_findings"),
            ("clause_add", "editor_clause_add"),
            ("clause_add_template", "editor_clause_add_template"),
            ("publish", "version_publish"),
        )
    }


@dataclass
class ClauseRow:
    """One clause on the editor page: its renderings, its form and where it stands.

    ``finding_errors`` / ``finding_warnings`` count the consistency findings about it;
    ``edited`` says its texts differ from the library template it was copied from."""

    rendered: RenderedClause
    form: ClauseForm | None
    first: bool
    last: bool
    finding_errors: int = 0
    finding_warnings: int = 0
    edited: bool = False
    expanded: bool = False

    @property
    def clause(self) -> Clause:
        return self.rendered.clause

    @property
    def placeholder_errors(self) -> int:
        return len(self.rendered.errors)

    @property
    def has_errors(self) -> bool:
        return bool(self.placeholder_errors or self.finding_errors or (self.form and self.form.errors))

    @property
    def is_empty(self) -> bool:
        return not (self.clause.legal_text.strip() or self.clause.plain_text.strip())

    @property
    def is_open(self) -> bool:
        """Clauses start collapsed; one with errors, or still without text, starts open."""
        return self.expanded or self.has_errors or self.is_empty


def clause_form(version: Version, clause: Clause, data=None) -> ClauseForm:
    urls = version_urls(version)
    save_url = reverse(
        "contracts:editor_clause_save", args=[version.contract.reference, version.number, clause.pk]
    )
    return ClauseForm(data, clause=clause, save_url=save_url, preview_url=urls["preview"])


def edited_from_library(clauses) -> set[int]:
    """Ids of the clauses whose texts differ from the library template they came from."""
    template_ids = {c.template_id for c in clauses if c.template_id}
    if not template_ids:
        return set()
    templates = {
        t.pk: t
        for t in ClauseTemplate.objects.filter(pk__in=template_ids).only(
            "heading", "legal_text", "plain_text"
        )
    }
    edited = set()
    for clause in clauses:
        template = templates.get(clause.template_id)
        if template is not None and (
            (template.heading, template.legal_text, template.plain_text)
            != (clause.heading, clause.legal_text, clause.plain_text)
        ):
            edited.add(clause.pk)
    return edited


def clause_rows(
    version: Version,
    terms: VersionTerms,
    values,
    bound: dict[int, ClauseForm] | None = None,
    findings: list[Finding] | None = None,
) -> list[ClauseRow]:
    bound = bound or {}
    rendered = version_rendered_clauses(terms, values)
    count = len(rendered)
    errors: Counter[str] = Counter(f.clause for f in findings or () if f.is_error)
    warnings: Counter[str] = Counter(f.clause for f in findings or () if not f.is_error)
    edited = edited_from_library(terms.clauses)
    return [
        ClauseRow(
            rendered=item,
            form=(bound.get(item.clause.pk) or clause_form(version, item.clause))
            if version.is_draft
            else None,
            first=index == 0,
            last=index == count - 1,
            finding_errors=errors[item.clause.key],
            finding_warnings=warnings[item.clause.key],
            edited=item.clause.pk in edited,
        )
        for index, item in enumerate(rendered)
    ]


@dataclass(frozen=True)
class FindingRow:
    finding: Finding
    clause_heading: str

    @property
    def field_label(self) -> str:
        return _FIELD_LABEL.get(self.finding.field, "")


def findings_context(terms: VersionTerms, values, unsaved: dict | None = None) -> dict:
    """The consistency checker's findings, errors and warnings apart, each with its clause
    (``unsaved``: clause texts being typed, see ``version_findings``)."""
    unsaved = unsaved or {}
    headings = {}
    for clause in terms.clauses:
        typed = unsaved.get(clause.pk)
        headings[clause.key] = (typed.heading if typed else "") or clause.heading
    findings = version_findings(terms, values, unsaved=unsaved)
    rows = [FindingRow(f, headings.get(f.clause, "")) for f in findings]
    return {
        "finding_errors": [row for row in rows if row.finding.is_error],
        "finding_warnings": [row for row in rows if not row.finding.is_error],
    }


def signature_next_step(version: Version, versions: list[Version]) -> bool:
    """Whether the page offers *Send for signature*: the version is published, the latest,
    not yet in force and not already out for signature."""
    latest = max(versions, key=lambda v: v.number, default=None)
    if version.is_draft or latest is None or latest.pk != version.pk:
        return False
    if version.in_force_from or version.signed_outside_portal:
        return False
    return not SignatureRequest.objects.filter(
        version__contract=version.contract, status=RequestStatus.OPEN
    ).exists()


def editor_context(
    version: Version,
    *,
    clause_forms: dict[int, ClauseForm] | None = None,
    add_form: ClauseAddForm | None = None,
    template_form: ClauseFromTemplateForm | None = None,
    publish_errors: list[str] | None = None,
) -> dict:
    """Everything the editor page shows, in a number of queries independent of its size."""
    terms = version_terms(version)
    version = terms.version
    values = version_render_values(terms)
    urls = version_urls(version)
    versions = list(versions_of(terms.contract))
    draft = next((v for v in versions if v.is_draft), None)
    previous = max((v.number for v in versions if v.number < version.number), default=None)
    findings = findings_context(terms, values)
    found = [*findings["finding_errors"], *findings["finding_warnings"]]
    context = {
        "version": version,
        "contract": terms.contract,
        "versions": versions,
        "draft": draft,
        "previous_number": previous,
        "urls": urls,
        "rows": clause_rows(version, terms, values, clause_forms, [row.finding for row in found]),
        "publish_errors": publish_errors or [],
        **findings,
        "next_step_signature": signature_next_step(version, versions),
        # The quick parameter panel of the terms pages; its posts answer with
        # ``HX-Trigger: terms-changed``, which refreshes the previews and the findings here.
        **parameters_panel_context(version, terms),
    }
    if version.is_draft:
        context["add_form"] = add_form or ClauseAddForm(action=urls["clause_add"])
        context["template_form"] = template_form or ClauseFromTemplateForm(
            templates=clause_templates_for_version(version).order_by("category__position", "heading"),
            action=urls["clause_add_template"],
        )
    return context


def render_editor(request: HttpRequest, version: Version, *, status: int = 200, **overrides) -> HttpResponse:
    return render(
        request, "contracts/editor/editor.html", editor_context(version, **overrides), status=status
    )


# ---------------------------------------------------------------- views


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request):
    """Start a contract: parties, commercial terms and what version 1 starts from."""
    if not tenancy.provider_organisations_authored_by(request.user).exists():
        raise Http404("No provider organisation in which you draft contracts.")
    # A template chosen on the library page arrives as ?agreement=…, already picked.
    initial = {"agreement": request.GET.get("agreement", "")}
    form = ContractCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = contract_start(user=request.user, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{contract.reference} created: version 1 is a draft.")
            return redirect("contracts:version_edit", reference=contract.reference, number=1)
    return render(
        request, "contracts/editor/contract_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def version_edit(request, reference: str, number: int):
    version = version_for_author(request.user, reference, number)
    return render_editor(request, version)


@login_required
@require_POST
def clause_preview(request, reference: str, number: int):
    """Both renderings of the posted (unsaved) texts with the version's current values.

    Posted as the author types in a clause of a draft (``clause``: its id), the response also
    carries the consistency panel checked against those texts, swapped in out of band, so
    that it never waits for a save."""
    version = version_for_author(request.user, reference, number)
    terms = version_terms(version)
    values = version_render_values(terms)
    legal_text, plain_text = request.POST.get("legal_text", ""), request.POST.get("plain_text", "")
    legal = render_clause(legal_text, values)
    plain = render_clause(plain_text, values)
    one_sided = sorted((legal.used ^ plain.used) & terms.parameters_by_name.keys())
    context = {
        "legal": legal,
        "plain": plain,
        "mismatches": [(name, "legal" if name in legal.used else "plain") for name in one_sided],
    }
    typed_in = next((c for c in terms.clauses if str(c.pk) == request.POST.get("clause")), None)
    if typed_in is not None and version.is_draft:
        unsaved = UnsavedClause(request.POST.get("heading", "").strip(), legal_text, plain_text)
        context["findings_oob"] = True
        context["unsaved_heading"] = unsaved.heading or typed_in.heading
        context.update(findings_context(terms, values, {typed_in.pk: unsaved}))
    return render(request, "contracts/editor/_preview.html", context)


@login_required
@require_GET
def findings_panel(request, reference: str, number: int):
    """The consistency panel's content, refreshed after saves and term changes.

    With ``?links=editor`` (the panel on the terms page) its links lead into the editor."""
    version = version_for_author(request.user, reference, number)
    terms = version_terms(version)
    values = version_render_values(terms)
    context = findings_context(terms, values)
    if request.GET.get("links") == "editor":
        context["clause_base"] = editor_url(version)
    return render(request, "contracts/editor/_findings.html", context)


@login_required
@require_POST
def contract_reports_settings(request, reference: str):
    """Provider authors choose whether monthly reports are held for review or issued at once."""
    contract = tenancy.get_for_user_or_404(tenancy.contracts_authored_by(request.user), reference=reference)
    form = ContractReportsForm(request.POST)
    if form.is_valid():
        automatically = form.cleaned_data["reports_issued_automatically"]
        contract_reports_issuance_set(contract=contract, automatically=automatically, user=request.user)
        messages.success(
            request,
            "Monthly reports are now issued as soon as they are made."
            if automatically
            else "Monthly reports now wait for your review before they are issued.",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("contracts:contract_detail", kwargs={"reference": contract.reference})
    return redirect(target)
