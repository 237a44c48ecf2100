"""Plausibility checks of the data tables: absurd values fail, suspicious ones warn.

A value can pass its column's range and still be wrong: a road link of 1 km between two
city centres 80 km apart, a design speed no road has. These checks compare a row with
what the geometry or the standards allow:

* **link length** — a road link is never shorter than the straight line between its
  ends. For the city links of ``highways.csv`` (centre to centre) a ``km`` under
  :data:`MIN_CITY_LINK_RATIO` of the geodesic is an error, under
  :data:`WARN_CITY_LINK_RATIO` a :class:`~yrdnet.DataWarning`; for the county sections
  of ``expressways.csv`` (whose ends are county-level units, not their seats) a ``km``
  under :data:`WARN_SECTION_RATIO` of the seat-to-seat geodesic warns. A link more than
  :data:`WARN_LONG_RATIO` times its geodesic (plus :data:`LONG_SLACK_KM`) warns too;
* **design speed** — Chinese expressways are built for 80, 100 or 120 km/h (JTG
  B01-2014, the class-1 highways that join them 60-100); another speed warns;
* **references** — a target naming a metropolitan area no definition of ``metros.csv``
  knows warns (its value would be ``NaN``).

Each warning names the file, row (file line, header = 1), field and value, and is
given once per cause and file version (:func:`warn_row`).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from yrdnet.core.cache import register_cache
from yrdnet.core.errors import DataWarning
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.validation import Problems

__all__ = [
    "LONG_SLACK_KM",
    "MIN_CITY_LINK_RATIO",
    "ROAD_DESIGN_SPEEDS",
    "WARN_CITY_LINK_RATIO",
    "WARN_LONG_RATIO",
    "WARN_SECTION_RATIO",
    "check_link_lengths",
    "check_road_speeds",
    "warn_row",
]

#: ``km`` / geodesic below which a centre-to-centre link is an error (a road cannot be
#: shorter than the straight line; half of it leaves room for centres placed off the road).
MIN_CITY_LINK_RATIO = 0.5
#: ``km`` / geodesic below which a centre-to-centre link warns (shipped minimum 0.92).
WARN_CITY_LINK_RATIO = 0.8
#: ``km`` / seat-to-seat geodesic below which a county section warns (shipped minimum 0.27:
#: Shanghai's G42 Putuo-Jiading section, whose ends lie between the seats).
WARN_SECTION_RATIO = 0.2
#: ``km`` / geodesic above which a link warns (shipped maximum 2.04), beyond ``LONG_SLACK_KM``.
WARN_LONG_RATIO = 3.0
#: Absolute slack of the long-link rule (short links between near seats wind more).
LONG_SLACK_KM = 10.0
#: Design speeds of Chinese expressways and class-1 highways (JTG B01-2014), km/h.
ROAD_DESIGN_SPEEDS = (60, 80, 100, 120)

_WARNED: set[tuple[str, int, int, int | None, str, str]] = set()
_LOCK = threading.Lock()
register_cache("region.plausibility.warned", _WARNED.clear)


def _version(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


def warn_row(path: str | Path, row: int | None, field: str, value: object, message: str) -> None:
    """Emit one :class:`~yrdnet.DataWarning` naming file, row, field and value (once per cause and file version).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     warn_row("x.csv", 3, "km", 1.0, "much shorter than the 80 km straight line")
    ...     warn_row("x.csv", 3, "km", 1.0, "much shorter than the 80 km straight line")
    >>> [str(m.message) for m in w]
    ["x.csv: row 3, field 'km': much shorter than the 80 km straight line (found 1.0)"]
    """
    p = Path(path)
    key = (str(p), *_version(p), row, field, message)
    with _LOCK:
        if key in _WARNED:
            return
        _WARNED.add(key)
    where = f"row {row}, " if row is not None else ""
    warnings.warn(f"{p.name}: {where}field {field!r}: {message} (found {value!r})", DataWarning, stacklevel=3)


def _ends(table: pd.DataFrame, ends: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic km between the ``from_adcode`` and ``to_adcode`` points of each row (NaN if unknown)."""
    a = ends.reindex(table["from_adcode"].astype("int64").to_numpy())
    b = ends.reindex(table["to_adcode"].astype("int64").to_numpy())
    d = haversine_km(
        a["lon"].to_numpy(float), a["lat"].to_numpy(float), b["lon"].to_numpy(float), b["lat"].to_numpy(float)
    )
    return np.asarray(d, dtype=float), table["km"].to_numpy(float)


def check_link_lengths(
    table: pd.DataFrame,
    ends: pd.DataFrame,
    path: str | Path,
    *,
    what: str,
    min_ratio: float | None,
    warn_ratio: float,
) -> None:
    """Check each row's ``km`` against the geodesic between its ends.

    Parameters
    ----------
    table
        Rows in file order (row ``i`` is file line ``i + 2``) with ``from_adcode``,
        ``to_adcode`` and ``km``.
    ends
        ``lon``/``lat`` indexed by adcode (city centres or county seats).
    path
        The file (named in the messages).
    what
        The ends in words (``"city centres"``, ``"county seats"``).
    min_ratio
        Below this share of the geodesic: a :class:`~yrdnet.DataError` (``None``: never).
    warn_ratio
        Below this share: a :class:`~yrdnet.DataWarning`.

    Raises
    ------
    DataError
        Naming the file, every row and its ``km`` below ``min_ratio``.
    """
    d, km = _ends(table, ends)
    ok = np.isfinite(d)
    low = min_ratio * d if min_ratio is not None else np.zeros_like(d)
    flagged = ok & ((km < warn_ratio * d) | (km > WARN_LONG_RATIO * d + LONG_SLACK_KM))
    probs = Problems(Path(path))
    for i in np.flatnonzero(flagged):
        line, pair = int(i) + 2, f"{int(table['from_adcode'].iloc[i])}-{int(table['to_adcode'].iloc[i])}"
        straight = f"the {d[i]:.1f} km straight line between the {what} {pair}"
        if km[i] < low[i]:
            probs.add(line, "km", f"a road is never much shorter than {straight}: expected >= {low[i]:.1f}"
                      f", found {km[i]:g}")  # fmt: skip
        elif km[i] < warn_ratio * d[i]:
            warn_row(path, line, "km", float(km[i]), f"suspiciously short: under {warn_ratio:g} x {straight}")
        else:
            warn_row(path, line, "km", float(km[i]), f"suspiciously long: over {WARN_LONG_RATIO:g} x {straight}")
    probs.raise_if_any()


def check_road_speeds(speeds: Iterable[object], path: str | Path, *, field: str = "speed_kph") -> None:
    """Warn for each speed that is no road design speed (:data:`ROAD_DESIGN_SPEEDS`), row by row."""
    for i, v in enumerate(speeds):
        if pd.notna(v) and float(v) not in ROAD_DESIGN_SPEEDS:  # type: ignore[arg-type]
            warn_row(
                path, i + 2, field, v, f"no road is designed for it (design speeds: {list(ROAD_DESIGN_SPEEDS)} km/h)"
            )
