"""Import optional dependencies with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["import_optional"]


def import_optional(module: str, purpose: str, extra: str) -> ModuleType:
    """Import ``module`` or raise ImportError saying ``purpose needs module: pip install yrdnet[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = f"{purpose} needs {module}: pip install yrdnet[{extra}]"
        raise ImportError(msg) from exc
