"""Runtime settings, read when a function is called.

Settings are attributes of the module-level :data:`settings` object. Assigning an unknown
name or a value of the wrong type fails immediately.

Attributes
----------
data_folder : pathlib.Path | None
    Folder holding the curated data files. ``None`` (default) uses the data shipped
    with the package (``yrdnet/_data`` in a wheel, ``data/`` in a source checkout).
cache_folder : pathlib.Path
    Where the on-disk cache is written (``graphs/`` and ``travel_times/`` entries, named
    by the SHA-256 of their inputs). Default ``~/.cache/yrdnet`` or ``$YRDNET_CACHE``.
use_cache : bool
    Keep built scenario graphs (:func:`yrdnet.build_graph`) and travel-time matrices
    (:func:`yrdnet.travel_times`) on disk and reuse them when the scenario, model,
    zones, data file versions and yrdnet version are the same (see
    :mod:`yrdnet.core.cache`). Default ``False``.
chunk_size : int
    Number of origins routed per scipy Dijkstra call; bounds memory on large graphs.
    Default 256.
quiet : bool
    Silence progress bars and info logging. Default from ``$YRDNET_QUIET`` (``1`` = quiet).
log_level : str
    Level for the ``yrdnet`` logger. Default ``"WARNING"``.
metro_definition : str
    Which metropolitan-area definition ``load_metros`` uses by default: ``"current"``
    or ``"2016"``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["Settings", "settings"]


def _env_flag(name: str, default: bool) -> bool:
    val = os.environ.get(name)
    if val is None:
        return default
    return val.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    """Validated runtime settings (see the module docstring for each attribute)."""

    data_folder: Path | None = None
    cache_folder: Path = field(
        default_factory=lambda: Path(os.environ.get("YRDNET_CACHE", Path.home() / ".cache" / "yrdnet"))
    )
    use_cache: bool = False
    chunk_size: int = 256
    quiet: bool = field(default_factory=lambda: _env_flag("YRDNET_QUIET", False))
    log_level: str = "WARNING"
    metro_definition: str = "current"

    def __setattr__(self, name: str, value: Any) -> None:
        valid = {f.name for f in fields(self)}
        if name not in valid:
            msg = f"unknown setting {name!r}; valid settings: {sorted(valid)}"
            raise AttributeError(msg)
        value = _check(name, value)
        object.__setattr__(self, name, value)

    @contextlib.contextmanager
    def override(self, **kwargs: Any) -> Iterator[Settings]:
        """Temporarily change settings inside a ``with`` block.

        Examples
        --------
        >>> from yrdnet import settings
        >>> with settings.override(chunk_size=8):
        ...     settings.chunk_size
        8
        """
        old = {k: getattr(self, k) for k in kwargs}
        try:
            for k, v in kwargs.items():
                setattr(self, k, v)
            yield self
        finally:
            for k, v in old.items():
                setattr(self, k, v)


def _check(name: str, value: Any) -> Any:
    if name in {"data_folder"}:
        return None if value is None else Path(value)
    if name == "cache_folder":
        return Path(value)
    if name in {"use_cache", "quiet"}:
        if not isinstance(value, bool):
            msg = f"setting {name!r} expects a bool, got {value!r}"
            raise TypeError(msg)
        return value
    if name == "chunk_size":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            msg = f"setting 'chunk_size' expects a positive int, got {value!r}"
            raise ValueError(msg)
        return value
    if name == "log_level":
        levels = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        if str(value).upper() not in levels:
            msg = f"setting 'log_level' expects one of {sorted(levels)}, got {value!r}"
            raise ValueError(msg)
        return str(value).upper()
    if name == "metro_definition":
        if value not in {"current", "2016"}:
            msg = f"setting 'metro_definition' expects 'current' or '2016', got {value!r}"
            raise ValueError(msg)
        return value
    return value  # pragma: no cover


settings = Settings()
