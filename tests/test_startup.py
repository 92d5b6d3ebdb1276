"""Start-up: commands that render nothing load no PDF library (WeasyPrint alone costs about
a second of imports), so ``manage.py check`` and the web and worker processes start fast."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(*command: str, tmp_path) -> set[str]:
    traced = subprocess.run(
        [sys.executable, "-X", "importtime", "manage.py", *command],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "slaportal.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert traced.returncode == 0, traced.stderr[-2000:]
    lines = traced.stderr.splitlines()
    return {line.split("|")[-1].strip() for line in lines if line.startswith("import time")}


@pytest.mark.parametrize(
    "command, proof",  # proof: a module the command must have loaded, so the trace is complete
    [
        (("check",), "contracts.views.documents"),  # the URLconf and every view
        (("verify_pdf", "--help"), "compliance.reports.verification"),
        (("requeue_pending", "--help"), "slaportal.requeue"),
    ],
)
def test_commands_that_render_nothing_load_no_pdf_library(command, proof, tmp_path):
    modules = _imported_modules(*command, tmp_path=tmp_path)
    assert proof in modules
    loaded = {name for name in modules if name.split(".")[0] in {"weasyprint", "pyhanko", "pypdf"}}
    assert loaded == set()
