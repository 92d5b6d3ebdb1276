"""Accessibility checks with axe-core in the browser."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
BLOCKING = {"serious", "critical"}


def assert_accessible(page) -> None:
    """Fail with the rule ids and elements when axe finds a serious or critical violation."""
    page.wait_for_load_state("load")  # a page still arriving has no document to check yet
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"  {n['target'][0]}: {n.get('failureSummary', '')}" for n in v["nodes"][:3])
        for v in blocking
    ]
    assert not blocking, f"axe violations on {page.url}:\n" + "\n".join(details)
    assert_no_sideways_scroll(page)


WIDE_ELEMENTS = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && box.width > 0) {
      let scroller = el.parentElement, hidden = false;
      while (scroller && scroller !== document.body) {
        const overflow = getComputedStyle(scroller).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') { hidden = true; break; }
        scroller = scroller.parentElement;
      }
      if (!hidden) wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (typeof el.className === 'string' && el.className
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        ' ends at ' + Math.round(box.right) + ' px');
    }
  }
  return {scroll: document.documentElement.scrollWidth, client: limit, wide: wide.slice(0, 8)};
}"""


def assert_no_sideways_scroll(page) -> None:
    """The page fits its viewport's width: wide tables scroll in their own box, not the page."""
    found = page.evaluate(WIDE_ELEMENTS)
    assert found["scroll"] <= found["client"] + 1, (
        f"{page.url} scrolls sideways at {found['client']} px: {found['scroll']} px wide; "
        + "; ".join(found["wide"])
    )
