"""Old names that keep working for a release, with a :class:`DeprecationWarning`.

yrdnet 0.2 grouped its modules into wings by stage (``yrdnet.routing.matrices`` where
0.1 had ``yrdnet.routing``). Four wings took the name of an old module (``timetable``,
``routing``, ``analysis``, ``cli``); each re-exports that module's public names and
forwards any other name of it through :func:`forward_attribute`.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__all__ = ["forward_attribute"]


def forward_attribute(package: str, target: str, name: str) -> Any:
    """Return ``name`` from module ``target`` for a wing that took an old module's name.

    Parameters
    ----------
    package
        The wing's dotted name (``yrdnet.routing``), which 0.1 used for a module.
    target
        The module now holding that old module's contents (``yrdnet.routing.matrices``).
    name
        The attribute asked for.

    Raises
    ------
    AttributeError
        If neither the wing nor the target module has ``name``.
    """
    if name.startswith("__"):
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)
    module = importlib.import_module(target)
    if not hasattr(module, name):
        msg = f"module {package!r} has no attribute {name!r}"
        raise AttributeError(msg)
    warnings.warn(
        f"{package}.{name} moved to {target}.{name} in yrdnet 0.2; the old path goes in a later release",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(module, name)
