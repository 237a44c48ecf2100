"""The shipped region's own file, ``region.toml``: read and checked once per file version.

Private to the region wing: :func:`yrdnet.load_region` builds the :class:`yrdnet.Region`
from it, and the loaders of :mod:`yrdnet.region.datasets` check coordinates against its
bounding box (:func:`bbox_check`). Imports only :mod:`yrdnet.core`.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

from yrdnet.core.cache import content_version
from yrdnet.core.errors import DataError
from yrdnet.core.validation import InBBox

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["DATA_FILE_KEYS", "REGION_FILE", "bbox_check", "region_spec"]

#: The file of the shipped region in the data folder.
REGION_FILE = "region.toml"
#: Optional keys naming a CSV table of the data folder: each city's main stations by year
#: (:func:`yrdnet.load_main_stations`) and the periods of other line speeds
#: (:func:`yrdnet.load_line_speeds`).
DATA_FILE_KEYS = ("main_stations", "line_speeds")

_NEED: dict[str, type] = {"name": str, "title": str, "bbox": list, "levels": list, "metro_definitions": list}


@functools.lru_cache(maxsize=4)
def _read(path: str, content_hash: int, size: int) -> dict[str, Any]:
    p = Path(path)
    if size < 0:
        raise DataError(f"region file not found: {p} (every data folder holds a {REGION_FILE})")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise DataError(f"{p}: cannot parse: {e}") from None
    probs = [
        f"missing or mistyped {k!r} (expected {t.__name__})" for k, t in _NEED.items() if not isinstance(doc.get(k), t)
    ]
    for c in [doc.get("core"), *doc.get("subcentres", [])]:
        if not (isinstance(c, dict) and isinstance(c.get("adcode"), int) and isinstance(c.get("key"), str)):
            probs.append(f"core and each of subcentres need an integer 'adcode' and a 'key', found {c!r}")
    for k in DATA_FILE_KEYS:
        m = doc.get(k)
        if m is not None and not (isinstance(m, str) and m.endswith(".csv") and "/" not in m):
            probs.append(f"{k} must name a CSV file of the data folder, found {m!r}")
    b = doc.get("bbox")
    if isinstance(b, list) and not (
        len(b) == 4 and all(isinstance(v, (int, float)) for v in b) and b[0] < b[2] and b[1] < b[3]
    ):
        probs.append(f"bbox must be [lon_min, lat_min, lon_max, lat_max] with min < max, found {b}")
    probs += _timetable_problems(doc.get("timetables", []))
    if probs:
        raise DataError(f"{p}: " + "; ".join(probs))
    return doc


def _timetable_problems(feeds: Any) -> list[str]:
    """Problems of the optional ``[[timetables]]`` tables: year, services file, line_running file."""
    if not isinstance(feeds, list):
        return [f"timetables must be an array of tables ([[timetables]]), found {feeds!r}"]
    out, seen = [], set()
    for i, f in enumerate(feeds):
        where = f"timetables #{i + 1}"
        if not isinstance(f, dict):
            out.append(f"{where}: expected a table, found {f!r}")
            continue
        bad = sorted(set(f) - {"year", "services", "line_running", "source"})
        if bad:
            out.append(f"{where}: unknown key(s) {bad}; expected year, services, line_running, source")
        y = f.get("year")
        if isinstance(y, bool) or not isinstance(y, int) or not 1950 <= y <= 2060:
            out.append(f"{where}: year must be an integer year in 1950-2060, found {y!r}")
        elif y in seen:
            out.append(f"{where}: feed year {y} declared twice")
        seen.add(y)
        for k in ("services", "line_running"):
            v = f.get(k)
            if (k == "services" or v is not None) and not (isinstance(v, str) and v.endswith(".csv") and "/" not in v):
                out.append(f"{where}: {k} must be the name of a .csv file of this folder, found {v!r}")
    return out


def region_spec(folder: str | Path) -> dict[str, Any]:
    """The parsed ``region.toml`` of a data folder (cached per path and content).

    Raises
    ------
    DataError
        If the file is missing or unparsable, or a key is missing or of the wrong type.
    """
    return _read(*content_version(Path(folder) / REGION_FILE))


def bbox_check(folder: str | Path) -> InBBox:
    """The row check of the loaders: ``lon``/``lat`` inside the region's bounding box."""
    doc = region_spec(folder)
    x0, y0, x1, y1 = (float(v) for v in doc["bbox"])
    return InBBox((x0, y0, x1, y1), str(doc["title"]))
