"""Modules that can be called: ``yrdnet.sweep(...)``, ``yrdnet.best_plan(...)``, ``yrdnet.uncertainty(...)``.

The issues name these entry points as calls on the package (``yrdnet.sweep(scenarios)``),
while each is also a module whose other names users import
(``from yrdnet.sweep import package_scenario``, ``yrdnet.uncertainty.conclusion_robustness``).
Binding the function to the package attribute would hide the module; instead the module's
class becomes a :class:`types.ModuleType` subclass whose ``__call__`` runs the function
(the documented way to customise module attribute access, Python data model §3.3.2.1).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["make_callable"]


def make_callable(module_name: str, target: str) -> None:
    """Make the module ``module_name`` callable as the function ``target``.

    Parameters
    ----------
    module_name
        The module to make callable (pass ``__name__``).
    target
        ``"package.module:function"``, imported on the first call (so a module may
        delegate to one that imports it).

    Examples
    --------
    >>> import yrdnet
    >>> callable(yrdnet.sweep), yrdnet.sweep.package_scenario.__name__
    (True, 'package_scenario')
    """
    mod_name, _, func_name = target.partition(":")

    class CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(mod_name), func_name)(*args, **kwargs)

    CallableModule.__doc__ = f"The module type of :mod:`{module_name}`: calling it runs :func:`{mod_name}.{func_name}`."
    CallableModule.__call__.__doc__ = f"Run :func:`{mod_name}.{func_name}` with these arguments."
    sys.modules[module_name].__class__ = CallableModule
