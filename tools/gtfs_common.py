"""Helpers shared by the GTFS tools (``make_gtfs.py`` for 2016, ``make_gtfs_2023.py``).

The YRD polygon test against ``data/boundaries.geojson``, the 12306 ``station_name``
reader, the ``cnstation.csv`` reader, the station-id and English-name rules of
``data/SCHEMA.md``, the append-only ``stations.csv`` writer and the deterministic GTFS
zip writer.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_boundaries import _write_atomic

__all__ = [
    "DIRECTIONS",
    "EN_OVERRIDES",
    "TsStation",
    "append_stations",
    "city_of",
    "english_name",
    "haversine_km",
    "hms",
    "load_polygons",
    "read_station_name",
    "station_id",
    "write_zip",
]

ROOT = Path(__file__).resolve().parents[1]
STATIONS_CSV = ROOT / "data" / "stations.csv"
BOUNDARIES = ROOT / "data" / "boundaries.geojson"

#: English names of new stations where the plain pinyin rule is not the usage of
#: stations.csv (apostrophe as in Hai'an, place + Yuanqu as in Suzhou Xinqu).
EN_OVERRIDES = {"瑞安": "Rui'an", "金山园区": "Jinshan Yuanqu"}
DIRECTIONS = {"东": ("dong", "East"), "南": ("nan", "South"), "西": ("xi", "West"), "北": ("bei", "North")}


# ------------------------------------------------------------------------ polygons
def load_polygons(path: Path = BOUNDARIES) -> list[tuple[int, Any]]:
    """The 41 city polygons as ``(adcode, geometry)``.

    Parameters
    ----------
    path
        ``boundaries.geojson``.

    Returns
    -------
    list of tuple
        One pair per city, in file order.
    """
    with path.open(encoding="utf-8") as fh:
        doc = json.load(fh)
    return [(int(f["properties"]["adcode"]), shape(f["geometry"])) for f in doc["features"]]


def city_of(polys: list[tuple[int, Any]], lon: float, lat: float) -> int | None:
    """Adcode of the city polygon containing a WGS84 point (``None`` outside the YRD).

    Parameters
    ----------
    polys
        From :func:`load_polygons`.
    lon, lat
        WGS84 degrees.

    Returns
    -------
    int or None
        The adcode, or ``None``.
    """
    pt = shapely.Point(lon, lat)
    for code, geom in polys:
        if geom.contains(pt):
            return code
    return None


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km (mean Earth radius 6371 km).

    Parameters
    ----------
    lon1, lat1, lon2, lat2
        WGS84 degrees.

    Returns
    -------
    float
        Distance in km.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# ------------------------------------------------------------------ station names
@dataclass(frozen=True)
class TsStation:
    """One record of 12306 ``station_name`` (telecode, current name, pinyin, city)."""

    code: str
    name: str
    pinyin: str
    city: str


def read_station_name(path: Path) -> list[TsStation]:
    """Records of 12306 ``station_name`` (``pomerun/china-railway-station`` ``data.ts``).

    Parameters
    ----------
    path
        The TypeScript file holding the ``@``-separated ``|``-fielded string.

    Returns
    -------
    list of TsStation
        In file order.
    """
    text = path.read_text(encoding="utf-8")
    body = text[text.index('"') + 1 : text.rindex('"')]
    out = []
    for rec in body.split("@"):
        f = rec.split("|")
        if len(f) >= 8:
            out.append(TsStation(f[2], f[1], f[3], f[7]))
        elif len(f) >= 4:
            out.append(TsStation(f[2], f[1], f[3], ""))
    return out


def english_name(name: str, pinyin: str, overrides: dict[str, str] | None = None) -> str:
    """English station name: pinyin of the place + East/South/West/North.

    Parameters
    ----------
    name
        Chinese name.
    pinyin
        12306 pinyin of the whole name (no spaces).
    overrides
        Name → English name where the plain rule is not the usage (default
        :data:`EN_OVERRIDES`).

    Returns
    -------
    str
        E.g. ``Hangzhou East``.
    """
    table = EN_OVERRIDES if overrides is None else overrides
    if name in table:
        return table[name]
    suffix = ""
    if len(name) > 2 and name[-1] in DIRECTIONS:
        py, en = DIRECTIONS[name[-1]]
        if pinyin.endswith(py):
            pinyin, suffix = pinyin[: -len(py)], f" {en}"
    return pinyin.capitalize() + suffix


def station_id(name_en: str, adcode: int) -> str:
    """``station_id`` per ``SCHEMA.md``: ascii snake_case, ``_ah`` / ``_zj`` for Suzhou / Taizhou.

    Parameters
    ----------
    name_en
        English name.
    adcode
        The prefecture-level city of the station.

    Returns
    -------
    str
        E.g. ``suzhou_east_ah``.
    """
    sid = "".join(c if c.isalnum() else "_" for c in name_en.lower().replace("'", "_"))
    sid = "_".join(p for p in sid.split("_") if p)
    if adcode == 341300 and sid.startswith("suzhou"):
        sid += "_ah"
    if adcode == 331000 and sid.startswith("taizhou"):
        sid += "_zj"
    return sid


def append_stations(rows: list[dict[str, str]], path: Path = STATIONS_CSV) -> None:
    """Append rows to ``stations.csv`` (existing rows are left byte-identical).

    Parameters
    ----------
    rows
        Rows in the ``stations.csv`` column order.
    path
        The stations file.
    """
    if not rows:
        return
    raw = path.read_bytes()
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writerows(rows)
    sep = b"" if raw.endswith(b"\n") else b"\n"
    _write_atomic(path, raw + sep + buf.getvalue().encode("utf-8"))


# ------------------------------------------------------------------------- writing
def hms(sec: int) -> str:
    """``HH:MM:SS`` (hours may exceed 23)."""
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def write_zip(tables: dict[str, list[list[str]]], out: Path, date_time: tuple[int, ...]) -> None:
    """Write the tables as a deterministic zip (fixed order, timestamps and mode), atomically.

    Parameters
    ----------
    tables
        File name → rows (header first).
    out
        Output path.
    date_time
        The timestamp of every member, ``(Y, M, D, h, m, s)``.
    """
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(tables):
            info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, _csv_bytes(tables[name]), compresslevel=9)
    _write_atomic(out, buf.getvalue())
