"""The registry of timetable feeds and the rule of which feed a network year uses.

A *feed* is one national timetable snapshot turned into curated-data files: the rail
services derived from it (``services.csv`` for the 2016 feed) and the per-line running
factors fitted on it (``line_running_2016.csv``). The data folder declares its feeds in
``region.toml`` (``[[timetables]]``: ``year``, ``services``, ``line_running``,
``source``); a folder that declares none has the single 2016 feed of earlier releases.

The rule (:func:`nearest_feed`)
-------------------------------
A network year uses the **nearest** feed year among the feeds whose services file is
present; a tie goes to the earlier feed (the timetable then in force) and ``year=None``
(every open line, today's network) to the latest feed. With the 2016 and 2023 feeds:
years up to 2019 use 2016, years from 2020 use 2023. **Per train class**, services come
from the nearest feed *that has that class*: the 2016 feed has only G/D/C trains, so
conventional trains (K/T/Z/P/Y) come from the 2023 feed for every year, on the track and
stations open that year (:func:`yrdnet.network.history.timetable_for_year` composes
them). Running factors follow the same order: the year's feed, then the next nearest
feed for a line the first lacks, then ``TravelTimeModel.rail_speed_factor``.

A declared file that is not there yet (the 2023 feed before it is derived) is skipped and
logged once: the year then falls back to the feeds that are present.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from yrdnet.core.errors import DataError
from yrdnet.region.datasets import data_folder
from yrdnet.region.spec import region_spec

__all__ = ["Feed", "available_feeds", "feed", "feed_file", "nearest_feed", "timetable_feeds"]

log = logging.getLogger(__name__)

#: The feed of a data folder whose ``region.toml`` declares no ``[[timetables]]``: the
#: 2016 feed of earlier releases (``services.csv``, ``line_running_2016.csv``).
LEGACY = {"year": 2016, "services": "services.csv", "line_running": "line_running_2016.csv", "source": "2016 feed"}

_logged: set[str] = set()


@dataclass(frozen=True)
class Feed:
    """One timetable feed of the data folder.

    Attributes
    ----------
    year
        The feed year (the timetable snapshot's year).
    services
        Path of its services file (may not exist yet).
    line_running
        Path of its per-line running factors, or ``None`` if it declares none.
    source
        Where the feed comes from.
    """

    year: int
    services: Path
    line_running: Path | None
    source: str = ""


def timetable_feeds(folder: str | Path | None = None) -> tuple[Feed, ...]:
    """Every feed the data folder declares (``region.toml`` ``[[timetables]]``), by year.

    Examples
    --------
    >>> [f.year for f in timetable_feeds()]
    [2016, 2023]
    """
    root = Path(folder) if folder is not None else data_folder()
    declared = region_spec(root).get("timetables") or [LEGACY]
    out = []
    for f in declared:
        running = f.get("line_running")
        out.append(Feed(int(f["year"]), root / f["services"], root / running if running else None, f.get("source", "")))
    return tuple(sorted(out, key=lambda f: f.year))


def log_missing(path: Path, what: str) -> None:
    """Log once per process that a declared feed file is not present."""
    key = str(path)
    if key not in _logged:
        _logged.add(key)
        log.warning("%s %s is declared in region.toml but not present: years fall back to the other feeds", what, path)


def available_feeds(folder: str | Path | None = None) -> tuple[Feed, ...]:
    """The declared feeds whose services file is present (each missing one logged once)."""
    out = []
    for f in timetable_feeds(folder):
        if f.services.is_file():
            out.append(f)
        else:
            log_missing(f.services, f"timetable feed {f.year}: services file")
    return tuple(out)


def feed(year: int, folder: str | Path | None = None) -> Feed:
    """The declared feed of a feed year.

    Raises
    ------
    DataError
        If the data folder declares no feed of that year (naming the declared ones).
    """
    feeds = timetable_feeds(folder)
    for f in feeds:
        if f.year == int(year):
            return f
    msg = f"no timetable feed {year} is declared in region.toml; declared feeds: {[f.year for f in feeds]}"
    raise DataError(msg)


def feed_file(year: int, kind: str, folder: str | Path | None = None) -> Path:
    """The ``"services"`` or ``"line_running"`` file of a declared feed, which must be present.

    Raises
    ------
    DataError
        Naming the feed and the file when the feed is not declared, declares no such file
        or the file is not there.
    """
    f = feed(year, folder)
    path = f.services if kind == "services" else f.line_running
    if path is None:
        raise DataError(f"timetable feed {year} declares no {kind} file in region.toml")
    if not path.is_file():
        raise DataError(f"timetable feed {year}: {kind} file {path} not found (declared in region.toml)")
    return path


def nearest_feed(year: int | None, feed_years: list[int] | tuple[int, ...]) -> int:
    """The feed year a network year uses: the nearest, a tie to the earlier, ``None`` to the latest.

    Examples
    --------
    >>> [nearest_feed(y, [2016, 2023]) for y in (2008, 2019, 2020, 2035)]
    [2016, 2016, 2023, 2023]
    >>> nearest_feed(None, [2016, 2023])
    2023
    """
    if not feed_years:
        raise ValueError("no timetable feed to choose from")
    if year is None:
        return max(feed_years)
    return min(feed_years, key=lambda f: (abs(f - int(year)), f))
