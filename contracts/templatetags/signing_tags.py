"""``{% signing_panel %}``: the signing status, timeline and actions on the contract page."""

from django import template

from contracts.selectors.signing import signing_panel as load_panel

register = template.Library()


@register.inclusion_tag("contracts/signing/_panel_body.html", takes_context=True)
def signing_panel(context):
    contract = context["contract"]
    reader = context.get("reader")
    user = context["request"].user
    author = bool(reader and reader.author)
    return {
        "contract": contract,
        "panel": load_panel(contract, user, author=author),
        "author": author,
        "csrf_token": context.get("csrf_token"),
    }
