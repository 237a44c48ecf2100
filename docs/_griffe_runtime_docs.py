"""A griffe extension for the documentation site: docstrings completed at import time.

Some docstrings are finished when their module is imported: ``yrdnet.ModelRanges`` carries a
``__PARAMETERS__`` line that ``yrdnet/plans/uncertainty.py`` replaces with the reason of every
drawn range, read from the parameter metadata. Griffe reads the source, so it would show the
placeholder (and warn about a parameter ``__PARAMETERS__``). This extension swaps in the
imported object's docstring wherever the source one holds such a placeholder line.
"""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import griffe

PLACEHOLDER = re.compile(r"^\s*__[A-Z_]+__\s*$", flags=re.MULTILINE)


def _runtime_doc(path: str) -> str | None:
    """The cleaned ``__doc__`` of the object at dotted ``path`` (``None`` if it cannot be imported)."""
    module_name, _, name = path.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return None
    return inspect.getdoc(obj)


class RuntimeDocstrings(griffe.Extension):
    """Replace a source docstring holding a ``__NAME__`` placeholder line by the runtime one."""

    def on_class(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        """Griffe hook: called once per class loaded."""
        doc = cls.docstring
        if doc is None or not PLACEHOLDER.search(doc.value):
            return
        runtime = _runtime_doc(cls.path)
        if runtime and not PLACEHOLDER.search(runtime):
            doc.value = runtime
