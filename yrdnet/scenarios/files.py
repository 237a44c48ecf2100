"""Reading scenario files: the TOML, base references, and the limits of a base chain.

Helpers of :func:`yrdnet.load_scenario` (:mod:`yrdnet.scenarios.scenario`); every failure
is one :class:`~yrdnet.ScenarioError` naming the file, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from yrdnet.core.errors import ScenarioError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["MAX_BASES", "ChainError", "base_path", "check_not_before_base", "read_toml"]


class ChainError(ScenarioError):
    """A base chain that loops or runs too deep: raised as is, not wrapped by every file of the chain."""


#: Deepest chain of scenario files a scenario may build on (``base`` of ``base`` of ...).
MAX_BASES = 32


def base_path(p: Path, base_ref: str) -> str | Path:
    """A base reference of file ``p``: a path (relative to ``p``'s folder) or a name."""
    ref = Path(base_ref)
    if not ref.is_absolute() and (p.parent / ref).is_file():
        ref = p.parent / ref
    return ref if ref.suffix == ".toml" else base_ref


def read_toml(p: Path) -> dict[str, Any]:
    """The parsed TOML of ``p`` (one ScenarioError for unreadable, undecodable or invalid TOML)."""
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{p}: not valid TOML: {err}") from None
    except RecursionError:
        raise ScenarioError(f"{p}: not a scenario file: tables or arrays nested too deep to read") from None
    except OSError as err:
        raise ScenarioError(f"{p}: cannot read the scenario file: {err.strerror or err}") from None


def check_not_before_base(sc: Any, year: int, where: str) -> None:
    """A year override must not undo the base of ``sc`` (see :func:`yrdnet.load_scenario`).

    ``sc`` is a :class:`yrdnet.Scenario`; its base is another one or ``"baseline"`` (any year).
    """
    if not isinstance(sc.base, str) and year < sc.base.effective_year:
        raise ScenarioError(
            f"{where}: year {year} is earlier than the network year {sc.base.effective_year} of the base "
            f"{sc.base.name!r} of scenario {sc.name!r}: its edits were made to the {sc.base.effective_year} "
            f"network; give a year >= {sc.base.effective_year}, or a baseline (e.g. 'baseline_{year}')"
        )
