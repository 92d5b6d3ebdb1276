"""A package's names loaded from their modules on first use (PEP 562).

Importing one module of a package runs the package's ``__init__``; exporting every name there
by import would load all its modules at every start, whether used or not."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, modules: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, which exports each name of ``modules``
    (name → the module defining it); a name once loaded is kept in the package."""

    def __getattr__(name: str) -> Any:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(modules[name]), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(modules)

    return __getattr__, __dir__
