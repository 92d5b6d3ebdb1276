"""The clause library: a provider's standard clauses by category, with a live preview.

For provider staff only (authors and admins of a provider organisation); everyone else,
and any template or category of another library, gets 404.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts import services
from contracts.forms.library import ClauseCategoryForm, ClauseTemplateForm, PreviewForm
from contracts.library.samples import template_preview as preview_of
from contracts.selectors import tenancy
from contracts.selectors.versions import clause_template_for_user, clause_templates_for_user


def _owners_or_404(user) -> list:
    owners = list(tenancy.provider_organisations_authored_by(user).order_by("name", "id"))
    if not owners:
        raise Http404("No clause library of yours.")
    return owners


def _templates(user, owners):
    return clause_templates_for_user(user).filter(owner__in=owners)


def _add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _preview(form, owner_name: str):
    # What the author typed, valid or not: the preview shows the text being edited.
    data = form.data if form.is_bound else form.initial
    return preview_of(
        legal_text=data.get("legal_text") or "",
        plain_text=data.get("plain_text") or "",
        provider_name=owner_name,
    )


@login_required
@require_GET
def library(request):
    owners = _owners_or_404(request.user)
    query = request.GET.get("q", "").strip()[:200]
    templates = _templates(request.user, owners).order_by(
        "owner__name", "owner_id", "category__position", "category__name", "heading"
    )
    if query:
        templates = templates.filter(
            Q(heading__icontains=query)
            | Q(legal_text__icontains=query)
            | Q(plain_text__icontains=query)
            | Q(key__icontains=query)
        )
    categories = list(
        tenancy.clause_categories_for_user(request.user).order_by(
            "owner__name", "owner_id", "position", "name"
        )
    )
    groups = []
    for (owner_id, category), rows in groupby(templates, key=lambda t: (t.owner_id, t.category)):
        groups.append({"owner_id": owner_id, "category": category, "templates": list(rows)})
    # Empty categories are listed too (when not searching), so they can be filled or deleted.
    if not query:
        shown = {group["category"].pk for group in groups if group["category"]}
        groups += [
            {"owner_id": c.owner_id, "category": c, "templates": []} for c in categories if c.pk not in shown
        ]
    position = {c.pk: index for index, c in enumerate(categories)}
    names = {o.pk: o.name for o in owners}
    for group in groups:
        group["owner_name"] = names.get(group["owner_id"], "")
        group["order"] = position.get(group["category"].pk, 0) if group["category"] else len(position)
    groups.sort(key=lambda g: (g["owner_name"], g["owner_id"], g["order"]))
    return render(
        request,
        "contracts/library/library.html",
        {
            "owners": owners,
            "groups": groups,
            "query": query,
            "categories": categories,
            "category_form": ClauseCategoryForm(owners=owners),
        },
    )


def _template_page(request, form, owners, *, template=None, status=200):
    owner = template.owner if template else getattr(form, "cleaned_data", {}).get("owner", owners[0])
    owner_name = owner.name
    return render(
        request,
        "contracts/library/template_form.html",
        {"form": form, "template": template, "preview": _preview(form, owner_name)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    owners = _owners_or_404(request.user)
    categories = tenancy.clause_categories_for_user(request.user).order_by("owner__name", "position", "name")
    if request.method == "GET":
        form = ClauseTemplateForm(owners=owners, categories=categories, initial={"owner": owners[0]})
        return _template_page(request, form, owners)
    form = ClauseTemplateForm(request.POST, owners=owners, categories=categories)
    if form.is_valid():
        try:
            template = services.clause_template_create(
                owner=form.cleaned_data["owner"], user=request.user, **form.service_data()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Template “{template.heading}” added to the library.")
            return redirect("contracts:library")
    return _template_page(request, form, owners, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_id: int):
    owners = _owners_or_404(request.user)
    template = clause_template_for_user(request.user, template_id)
    categories = tenancy.clause_categories_for_user(request.user).filter(owner_id=template.owner_id)
    if request.method == "GET":
        form = ClauseTemplateForm(owners=owners, categories=categories, template=template)
        return _template_page(request, form, owners, template=template)
    form = ClauseTemplateForm(request.POST, owners=owners, categories=categories, template=template)
    if form.is_valid():
        try:
            services.clause_template_update(template=template, data=form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Template “{template.heading}” saved.")
            return redirect("contracts:library")
    return _template_page(request, form, owners, template=template, status=400)


@login_required
@require_POST
def template_delete(request, template_id: int):
    _owners_or_404(request.user)
    template = clause_template_for_user(request.user, template_id)
    services.clause_template_delete(template=template)
    messages.success(
        request, f"Template “{template.heading}” deleted; contracts that used it keep their text."
    )
    return redirect("contracts:library")


@login_required
@require_POST
def template_preview(request):
    owners = _owners_or_404(request.user)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return render(request, "contracts/library/_preview.html", {"form_errors": form.errors}, status=400)
    preview = preview_of(provider_name=owners[0].name, **form.cleaned_data)
    return render(request, "contracts/library/_preview.html", {"preview": preview})


@login_required
@require_POST
def category_create(request):
    owners = _owners_or_404(request.user)
    form = ClauseCategoryForm(request.POST, owners=owners)
    if form.is_valid():
        try:
            category = services.clause_category_create(
                owner=form.cleaned_data["owner"],
                name=form.cleaned_data["name"],
                position=form.cleaned_data["position"] or 0,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Category “{category.name}” added.")
            return redirect("contracts:library")
    return render(request, "contracts/library/category_form.html", {"form": form}, status=400)


@login_required
@require_POST
def category_delete(request, category_id: int):
    _owners_or_404(request.user)
    category = tenancy.get_for_user_or_404(tenancy.clause_categories_for_user(request.user), pk=category_id)
    services.clause_category_delete(category=category)
    messages.success(request, f"Category “{category.name}” deleted; its templates are now uncategorised.")
    return redirect("contracts:library")
