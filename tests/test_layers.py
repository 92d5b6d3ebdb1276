"""The shape of the house holds: the import-linter contracts of pyproject.toml are kept.

A new circle, an upward import (contracts importing compliance, slaportal importing an app),
a pure floor importing Django or the models, or a service importing tasks fails here."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> list[dict]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]["contracts"]


def test_the_layer_contracts_are_declared():
    kinds = {contract["type"] for contract in _contracts()}
    assert {"layers", "forbidden", "acyclic_siblings"} <= kinds
    layers = next(c for c in _contracts() if c["type"] == "layers")
    assert layers["layers"] == ["notifications | webhooks", "compliance", "contracts", "slaportal"]


def test_lint_imports_keeps_every_contract():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout
