"""Modules that can be called: ``yrdnet.sweep(...)``, ``yrdnet.best_plan(...)``, ``yrdnet.uncertainty(...)``.

The issues name these entry points as calls on the package (``yrdnet.sweep(scenarios)``),
while each is also a module whose other names users import
(``from yrdnet.plans.sweep import package_scenario``, ``yrdnet.uncertainty.conclusion_robustness``).
Binding the function to the package attribute would hide the module; instead the module's
class becomes a :class:`types.ModuleType` subclass whose ``__call__`` runs the function
(the documented way to customise module attribute access, Python data model §3.3.2.1).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["make_callable"]


def make_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Make the module ``module_name`` callable as ``function``.

    Parameters
    ----------
    module_name
        The module to make callable (pass ``__name__``).
    function
        The function a call on the module runs, defined in that module (so the module's
        own imports say everything it depends on).

    Examples
    --------
    >>> import yrdnet
    >>> callable(yrdnet.sweep), yrdnet.sweep.package_scenario.__name__
    (True, 'package_scenario')
    """
    qualified = f"{function.__module__}.{function.__name__}"

    class CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    CallableModule.__doc__ = f"The module type of :mod:`{module_name}`: calling it runs :func:`{qualified}`."
    CallableModule.__call__.__doc__ = f"Run :func:`{qualified}` with these arguments."
    sys.modules[module_name].__class__ = CallableModule
