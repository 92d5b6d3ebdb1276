"""The portal's main navigation in a browser test, at any width."""


def open_menu(page) -> None:
    """Unfold the navigation where it is folded behind its toggler (phone width), so its
    links can be read and clicked; at desktop width it is always open and this does nothing."""
    toggler = page.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator("#nav-main.show").wait_for()
