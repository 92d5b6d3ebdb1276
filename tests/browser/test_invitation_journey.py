"""An organisation admin invites a colleague, who follows the emailed link and lands in the portal."""

import re

import pytest
from django.core import mail

from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_invites_and_invitee_joins(browser_page, tenants, context):
    page = browser_page
    sign_in(page, tenants.customer_admin.email)
    page.goto(page.base + f"/organisations/{tenants.customer.slug}/")
    page.get_by_label("Email address").fill("finance@harbour.example")
    page.get_by_label("Role").select_option("viewer")
    page.get_by_label("Receives monthly reports").check()
    page.get_by_role("button", name="Send invitation").click()
    assert "Invitation sent to finance@harbour.example" in page.locator("main").inner_text()
    assert "pending" in page.locator("main").inner_text()
    assert_accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.split("/invitations/", 1)[1]

    # The invitee opens the link in a fresh browser session.
    invitee = context.browser.new_context().new_page()
    invitee.goto(page.base + "/invitations/" + path)
    assert "Join Harbour Dental" in invitee.locator("main").inner_text()
    assert_accessible(invitee)
    invitee.get_by_label("First name").fill("Fran")
    invitee.get_by_label("Last name").fill("Finance")
    invitee.get_by_label("Password").first.fill("short")
    invitee.get_by_label("Password again").fill("short")
    invitee.get_by_role("button", name="Create account and join").click()
    assert "too short" in invitee.locator("main").inner_text()
    assert_accessible(invitee)
    invitee.get_by_label("Password").first.fill("a-long-passphrase-2026")
    invitee.get_by_label("Password again").fill("a-long-passphrase-2026")
    invitee.get_by_role("button", name="Create account and join").click()
    invitee.wait_for_url(page.base + "/")
    text = invitee.locator("main").inner_text()
    assert "Welcome to Harbour Dental" in text
    assert tenants.contract.reference in text
    assert "receives monthly reports" in text
