"""/verify/ in Chromium, at desktop and phone widths: a file that cannot be a sealed PDF is
refused with its reason, and the page explains what a PDF reader says about the seal."""

import pytest

from tests.browser.axe import assert_accessible
from tests.compliance.views.verify_junk import MB, header_and_zeros

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_junk_is_refused_with_its_reason_and_reader_notes_are_explained(browser_page, tmp_path, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base + "/verify/")
    main = page.locator("main")
    assert main.get_by_role("heading", name="What your PDF reader says about the seal").is_visible()
    assert "Not total document signed" in main.inner_text()
    assert "Issuer isn't trusted" in main.inner_text()
    assert_accessible(page)

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(header_and_zeros(2 * MB))
    page.get_by_label("Signed PDF").set_input_files(str(junk))
    page.get_by_role("button", name="Check the file").click()
    alert = main.get_by_role("alert")
    alert.wait_for()
    assert "Not checked." in alert.inner_text()
    assert "does not end with a PDF end-of-file marker" in alert.inner_text()
    assert_accessible(page)
