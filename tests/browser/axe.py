"""Accessibility checks with axe-core in the browser."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
BLOCKING = {"serious", "critical"}


def assert_accessible(page) -> None:
    """Fail with the rule ids and elements when axe finds a serious or critical violation."""
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"  {n['target'][0]}: {n.get('failureSummary', '')}" for n in v["nodes"][:3])
        for v in blocking
    ]
    assert not blocking, f"axe violations on {page.url}:\n" + "\n".join(details)
