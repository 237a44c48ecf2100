"""Small geodesy helpers (vectorised great-circle distances on WGS84 lon/lat)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["EARTH_RADIUS_KM", "distance_matrix_km", "haversine_km"]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km between points given in degrees (broadcasts).

    Examples
    --------
    >>> round(float(haversine_km(121.47, 31.23, 118.76, 32.04)), 1)
    271.9
    """
    x1, y1, x2, y2 = (np.radians(np.asarray(a, dtype=float)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((y2 - y1) / 2) ** 2 + np.cos(y1) * np.cos(y2) * np.sin((x2 - x1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def distance_matrix_km(points: pd.DataFrame) -> pd.DataFrame:
    """Square great-circle distance matrix (km) of a table with ``lon``/``lat`` columns."""
    lon = points["lon"].to_numpy(float)
    lat = points["lat"].to_numpy(float)
    d = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    return pd.DataFrame(d, index=points.index, columns=points.index)


#: Albers equal-area projection for China (standard parallels 25 and 47 N, central meridian 105 E).
CHINA_ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"


def area_km2(polygons: Any) -> pd.Series:
    """Areas in km² of EPSG:4326 polygons (a GeoSeries), on an equal-area projection."""
    return pd.Series(polygons.to_crs(CHINA_ALBERS).area.to_numpy() / 1e6, index=polygons.index, name="area_km2")
