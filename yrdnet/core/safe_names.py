"""The one guard on names that become paths (:func:`safe_name`).

Split from :mod:`yrdnet.core.io` (which re-exports every name here).
"""

from __future__ import annotations

import re

from yrdnet.core.errors import OutputError

__all__ = ["SAFE_NAME_WORDS", "safe_name"]

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+\-]{0,79}")
#: What :func:`safe_name` accepts, in words (for error messages).
SAFE_NAME_WORDS = (
    "1-80 characters of ASCII letters, digits, '_', '-', '+' or '.', starting with a letter or digit, no '..'"
)


def safe_name(name: str, *, what: str = "name", error: type[Exception] = OutputError) -> str:
    r"""Return ``name`` if it can be used as a file or folder name inside an output folder.

    The one guard at every point where a name (of a scenario, a result read back from
    ``result.json``, a sweep row, a CLI argument) becomes part of a path: ASCII letters,
    digits, ``_``, ``-``, ``+`` and ``.``, 1-80 characters, starting with a letter or a
    digit, no ``..``. The whole name must match (:func:`re.fullmatch`: a trailing newline
    is refused too), so a name such as ``../../x``, ``a/b``, ``/abs``, ``abc\n`` or
    ``a\x00b`` can never make yrdnet read or write outside the folder it was given.

    Parameters
    ----------
    name
        The name to check.
    what
        What the name is, for the message (``"scenario name"``, ``"name in result.json"``).
    error
        The exception class raised (default :class:`~yrdnet.OutputError`; the scenario
        loader raises :class:`~yrdnet.ScenarioError`).

    Raises
    ------
    OutputError
        (or ``error``) For any other name; the message quotes it.

    Examples
    --------
    >>> safe_name("plan_2035")
    'plan_2035'
    >>> safe_name("abc\n")
    Traceback (most recent call last):
    ...
    yrdnet.core.errors.OutputError: name 'abc\n' cannot be used as a file name: ...
    """
    if not isinstance(name, str) or _SAFE.fullmatch(name) is None or ".." in name:
        shown = repr(name) if not isinstance(name, str) or len(name) <= 100 else repr(name[:100]) + "..."
        raise error(f"{what} {shown} cannot be used as a file name: expected {SAFE_NAME_WORDS}")
    return name
