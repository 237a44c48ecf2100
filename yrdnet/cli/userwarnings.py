"""Which warnings a CLI user sees: yrdnet's own, once each, as one line on stderr.

yrdnet warns when input is valid but suspicious (:class:`yrdnet.DataWarning`) or when
zones cannot reach each other (:class:`yrdnet.routing.UnreachableWarning`); the user must
see those. Third-party noise (pandas ``FutureWarning``, shapely ``RuntimeWarning``, ...)
stays hidden unless ``--debug``, which shows every warning the Python way.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from typing import TextIO

from yrdnet.core import errors
from yrdnet.routing.matrices import UnreachableWarning

__all__ = ["OWN_WARNINGS", "user_warnings"]


def _own() -> tuple[type[Warning], ...]:
    found = [v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, Warning)]
    return tuple(dict.fromkeys([*found, UnreachableWarning]))


#: yrdnet's warning classes (every ``Warning`` of :mod:`yrdnet.core.errors`, and subclasses).
OWN_WARNINGS: tuple[type[Warning], ...] = _own()


def _one_line(message: Warning | str) -> str:
    return " ".join(str(message).split())


@contextlib.contextmanager
def user_warnings(debug: bool = False, stream: TextIO | None = None) -> Iterator[set[str]]:
    """Show yrdnet's warnings once each as ``yrdnet: warning: <message>``; hide the rest.

    Parameters
    ----------
    debug
        Leave Python's warning filters and display alone (every warning, with its source line).
    stream
        Where the lines go (default ``sys.stderr`` at the time of the warning).

    Yields
    ------
    set of str
        The messages shown so far.
    """
    seen: set[str] = set()
    with warnings.catch_warnings():
        if debug:
            yield seen
            return
        warnings.simplefilter("ignore")
        for cls in OWN_WARNINGS:
            warnings.filterwarnings("always", category=cls)

        def show(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
            text = _one_line(message)
            if not issubclass(category, OWN_WARNINGS) or text in seen:
                return
            seen.add(text)
            print(f"yrdnet: warning: {text}", file=stream or sys.stderr)

        warnings.showwarning = show
        yield seen
