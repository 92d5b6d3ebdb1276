"""The clause library pages: list with search, templates and categories, preview."""

import pytest
from django.urls import reverse

from contracts import services
from contracts.library.starter import STARTER_CLAUSES, library_install_starter
from contracts.models import ClauseCategory, ClauseTemplate

LIBRARY = reverse("contracts:library")
NEW = reverse("contracts:library_template_create")
PREVIEW = reverse("contracts:library_preview")
NEW_CATEGORY = reverse("contracts:library_category_create")


@pytest.fixture
def library(tenants):
    category = services.clause_category_create(owner=tenants.provider, name="Liability", position=1)
    template = services.clause_template_create(
        owner=tenants.provider,
        category=category,
        heading="Licences",
        key="licences",
        legal_text="The Customer shall obtain all licences. {{ responsibility_licences }}",
        plain_text="You buy your own licences. {{ responsibility_licences }}",
        description="For every managed IT contract.",
    )
    services.clause_template_create(
        owner=tenants.provider, heading="Uncategorised clause", legal_text="Odd.", plain_text="Odd."
    )
    services.clause_template_create(
        owner=tenants.outsider, heading="Outsider secret clause", legal_text="Secret", plain_text="Secret"
    )
    return template


def template_data(owner, **overrides) -> dict:
    data = {
        "owner": owner.pk,
        "heading": "Availability",
        "key": "",
        "category": "",
        "description": "",
        "legal_text": "Available {{ uptime_target }} of the month.\n\n{{ service_level_table }}",
        "plain_text": "Up {{ uptime_target }} of the month.",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- the list


def test_library_lists_templates_grouped_by_category(tenants, library, client_for):
    response = client_for(tenants.provider_author).get(LIBRARY)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Liability") < body.index("Licences") < body.index("Uncategorised")
    assert "For every managed IT contract." in body
    assert "Outsider secret clause" not in body


def test_library_search_matches_headings_and_texts(tenants, library, client_for):
    client = client_for(tenants.provider_author)
    body = client.get(LIBRARY, {"q": "buy your own"}).content.decode()
    assert "Licences" in body and "Uncategorised clause" not in body
    body = client.get(LIBRARY, {"q": "Secret"}).content.decode()
    assert "No template matches" in body and "Outsider secret clause" not in body


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer"])
def test_library_is_for_provider_staff_only(tenants, library, client_for, who):
    client = client_for(getattr(tenants, who))
    for url in (LIBRARY, NEW, reverse("contracts:library_template_edit", args=[library.pk])):
        assert client.get(url).status_code == 404
    assert client.post(PREVIEW, {"legal_text": "x"}).status_code == 404
    assert client.post(reverse("contracts:library_template_delete", args=[library.pk])).status_code == 404
    assert ClauseTemplate.objects.filter(pk=library.pk).exists()


def test_outsider_gets_404_on_our_templates_and_categories(tenants, library, client_for):
    client = client_for(tenants.outsider_admin)
    edit = reverse("contracts:library_template_edit", args=[library.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, template_data(tenants.outsider)).status_code == 404
    assert client.post(reverse("contracts:library_template_delete", args=[library.pk])).status_code == 404
    delete_category = reverse("contracts:library_category_delete", args=[library.category_id])
    assert client.post(delete_category).status_code == 404
    assert ClauseTemplate.objects.filter(pk=library.pk, category__isnull=False).exists()
    # Their own library does not show ours.
    assert "Licences" not in client.get(LIBRARY).content.decode()


def test_library_page_queries_do_not_grow_with_templates(tenants, client_for, django_assert_max_num_queries):
    client = client_for(tenants.provider_author)
    library_install_starter(owner=tenants.provider)
    with django_assert_max_num_queries(10):
        client.get(LIBRARY)
    for n in range(15):
        services.clause_template_create(
            owner=tenants.provider, heading=f"Extra {n}", legal_text="x", plain_text="y"
        )
    with django_assert_max_num_queries(10):
        body = client.get(LIBRARY).content.decode()
    assert "Extra 14" in body and STARTER_CLAUSES[0].heading in body


# ---------------------------------------------------------------- templates


def test_create_template_with_a_preview_on_the_form(tenants, library, client_for):
    client = client_for(tenants.provider_author)
    page = client.get(NEW).content.decode()
    assert "Preview with sample values" in page
    response = client.post(NEW, template_data(tenants.provider, category=library.category_id))
    assert response.status_code == 302 and response.url == LIBRARY
    template = ClauseTemplate.objects.get(heading="Availability")
    assert (template.owner, template.key, template.category) == (
        tenants.provider,
        "availability",
        library.category,
    )
    assert template.created_by == tenants.provider_author


def test_bad_template_input_is_400_and_keeps_what_was_typed(tenants, library, client_for):
    client = client_for(tenants.provider_author)
    before = ClauseTemplate.objects.count()
    response = client.post(NEW, template_data(tenants.provider, heading="", key="Not A Key"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in body and "Use lower-case letters" in body
    assert "Up {{ uptime_target }} of the month." in body
    # A key the library already has.
    response = client.post(NEW, template_data(tenants.provider, key="licences"))
    assert response.status_code == 400
    assert ClauseTemplate.objects.count() == before


def test_template_cannot_use_another_librarys_category(tenants, library, client_for):
    foreign = services.clause_category_create(owner=tenants.outsider, name="Foreign")
    response = client_for(tenants.provider_author).post(
        NEW, template_data(tenants.provider, category=foreign.pk)
    )
    assert response.status_code == 400
    assert not ClauseTemplate.objects.filter(heading="Availability").exists()


def test_edit_template(tenants, library, client_for):
    client = client_for(tenants.provider_admin)
    url = reverse("contracts:library_template_edit", args=[library.pk])
    page = client.get(url).content.decode()
    assert "You buy your own licences." in page
    assert "responsibility_licences" in page  # listed as a placeholder each contract fills in
    response = client.post(url, template_data(tenants.provider, heading="Software licences", key="licences"))
    assert response.status_code == 302
    library.refresh_from_db()
    assert (library.heading, library.key) == ("Software licences", "licences")


def test_delete_template_and_category(tenants, library, client_for):
    client = client_for(tenants.provider_author)
    category_id = library.category_id
    assert client.post(reverse("contracts:library_template_delete", args=[library.pk])).status_code == 302
    assert not ClauseTemplate.objects.filter(pk=library.pk).exists()
    assert client.post(reverse("contracts:library_category_delete", args=[category_id])).status_code == 302
    assert not ClauseCategory.objects.filter(pk=category_id).exists()


def test_delete_needs_post(tenants, library, client_for):
    client = client_for(tenants.provider_author)
    assert client.get(reverse("contracts:library_template_delete", args=[library.pk])).status_code == 405


# ---------------------------------------------------------------- categories


def test_create_category_and_refuse_a_duplicate(tenants, library, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(NEW_CATEGORY, {"owner": tenants.provider.pk, "name": "Term", "position": 5})
    assert response.status_code == 302
    assert ClauseCategory.objects.filter(owner=tenants.provider, name="Term", position=5).exists()
    response = client.post(NEW_CATEGORY, {"owner": tenants.provider.pk, "name": "Term"})
    assert response.status_code == 400
    assert ClauseCategory.objects.filter(name="Term").count() == 1


def test_category_for_another_organisation_is_refused(tenants, client_for):
    response = client_for(tenants.provider_author).post(
        NEW_CATEGORY, {"owner": tenants.outsider.pk, "name": "Sneaky"}
    )
    assert response.status_code == 400
    assert not ClauseCategory.objects.filter(name="Sneaky").exists()


# ---------------------------------------------------------------- preview


def test_preview_renders_sample_values_and_lists_placeholders(tenants, client_for):
    response = client_for(tenants.provider_author).post(
        PREVIEW,
        {
            "legal_text": "{{ provider_name }} supports:\n\n{{ scope_list }}\n\nTarget {{ uptime_target }}.",
            "plain_text": "We look after {{ customer_name }}.",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Brightline Managed IT supports:" in body and "<li>Email</li>" in body
    assert "[uptime_target]" in body and "placeholder-error" not in body
    assert "Placeholders used:" in body and "<code>uptime_target</code>" in body


def test_preview_marks_only_malformed_placeholders_as_errors(tenants, client_for):
    response = client_for(tenants.provider_author).post(
        PREVIEW, {"legal_text": "Fee {{ fee|upper }} and {{ any_name }}.", "plain_text": "{% if x %}"}
    )
    body = response.content.decode()
    assert "filters are not allowed" in body and "template tags are not allowed" in body
    assert "[any_name]" in body
