"""Command line: ``yrdnet`` and ``python -m yrdnet``.

The argument parser and the commands (:mod:`~yrdnet.cli.commands`), the plan commands
(:mod:`~yrdnet.cli.plan_commands`) and the demo report behind ``make demo``
(:mod:`~yrdnet.cli.report`). The top wing: it may import every other.
"""

from typing import Any

from yrdnet.cli.commands import main as main
from yrdnet.core.deprecation import forward_attribute

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    """Names of 0.1's ``yrdnet.cli`` module not listed above (PEP 562), with a DeprecationWarning."""
    return forward_attribute(__name__, "yrdnet.cli.commands", name)
