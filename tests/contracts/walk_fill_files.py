"""Tenancy walk: the import page and the clause library are pages every provider author has,
showing only their own organisations' data; their URL keywords come from walk_fill_core."""

OWN = {
    "contracts:contract_import",
    "contracts:library",
    "contracts:library_preview",
    "contracts:library_template_create",
    "contracts:library_category_create",
}


def fill(tenants) -> dict:
    return {}
