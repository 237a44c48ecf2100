"""Exception hierarchy. Every class subclasses a builtin so callers can catch either."""

from __future__ import annotations

__all__ = [
    "DataError",
    "DataWarning",
    "GraphContractError",
    "NotIncrementalError",
    "OutputError",
    "ScenarioError",
    "YrdnetError",
]


class YrdnetError(Exception):
    """Base class of every error yrdnet raises on purpose."""


class DataError(YrdnetError, ValueError):
    """A curated data file (or a user-supplied table) breaks its schema.

    The message names the file, the row (1-based line number in the file, header = 1),
    the field, what was expected and what was found.
    """


class ScenarioError(YrdnetError, ValueError):
    """A scenario file names an unknown id or holds an invalid value."""


class GraphContractError(YrdnetError, ValueError):
    """A graph does not meet the yrdnet graph contract (see ``yrdnet.validate_graph``)."""


class NotIncrementalError(YrdnetError, ValueError):
    """The new graph removes or slows part of the base: an incremental update does not apply."""


class OutputError(YrdnetError, ValueError):
    """An output path cannot be written safely.

    A file where a folder is expected, or a non-empty folder that yrdnet did not write and
    would replace.
    """


class DataWarning(UserWarning):
    """Valid but suspicious input; the result is computed and the warning says what to check.

    Examples: an implausible OSM ``maxspeed``, a very long OSM segment, a new station far
    outside its city, a line length far above its stops' geodesic sum.
    """
