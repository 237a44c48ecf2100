r"""Time-space maps: zones placed by their travel times, aligned to geography ("time replaces space").

A time-space map (a distance cartogram) places each zone so that the straight-line
distance between two zones is proportional to the travel time between them. Following
Spiekermann & Wegener (1994), the placement is a classical (Torgerson-Gower)
multidimensional scaling of the symmetrised travel-time matrix:

.. math::

    D_{ij} = \tfrac12 (T_{ij} + T_{ji}) \cdot v, \qquad
    B = -\tfrac12 J D^{(2)} J, \qquad J = I - \tfrac1n \mathbf{1}\mathbf{1}^\top, \qquad
    X = V_2 \Lambda_2^{1/2}

with :math:`D^{(2)}` the element-wise squares, :math:`\Lambda_2, V_2` the two largest
eigenvalues of :math:`B` and their eigenvectors, and :math:`v` a reference speed (km/h / 60)
that turns minutes into map kilometres, so that maps of different years share one scale:
a map of a faster year is *smaller*. The configuration is then aligned to the zones'
projected positions :math:`Y` by an orthogonal Procrustes rotation (reflection allowed)
and translation, **without rescaling**, so that shrinkage stays visible:

.. math:: R = \arg\min_{R^\top R = I} \lVert (X - \bar X) R - (Y - \bar Y) \rVert_F, \qquad
          \tilde X = (X - \bar X) R + \bar Y

References
----------
.. [1] Spiekermann, K. and Wegener, M. (1994). The shrinking continent: new time-space
   maps of Europe. *Environment and Planning B*, 21(6), 653-673.
   https://doi.org/10.1068/b210653
.. [2] Gower, J. C. (1966). Some distance properties of latent root and vector methods
   used in multivariate analysis. *Biometrika*, 53(3/4), 325-338.
   https://doi.org/10.1093/biomet/53.3-4.325
.. [3] Schönemann, P. H. (1966). A generalized solution of the orthogonal Procrustes
   problem. *Psychometrika*, 31(1), 1-10. https://doi.org/10.1007/BF02289451
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import CHINA_ALBERS

__all__ = ["TimeSpaceMap", "time_space_map"]


@dataclass(frozen=True)
class TimeSpaceMap:
    """A time-space map of one network.

    Attributes
    ----------
    coords
        Index zone id; ``x_km``, ``y_km`` (time-space position, map km in the Albers
        projection's frame), ``geo_x_km``, ``geo_y_km`` (geographic position, same frame).
    speed_kph
        The reference speed turning minutes into map km.
    explained
        Share of the positive eigenvalue mass of :math:`B` in the two kept dimensions
        (1 = the times are exactly planar).
    stress
        Kruskal's stress-1 of the map distances against the scaled times.
    scale
        Mean map distance over mean geographic distance (< 1: time has shrunk space at
        the reference speed).
    """

    coords: pd.DataFrame
    speed_kph: float
    explained: float
    stress: float
    scale: float


def _projected_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", CHINA_ALBERS, always_xy=True)
    x, y = tr.transform(lon, lat)
    return np.column_stack([np.asarray(x) / 1000.0, np.asarray(y) / 1000.0])


def _classical_mds(D: np.ndarray) -> tuple[np.ndarray, float]:
    n = len(D)
    J = np.eye(n) - 1.0 / n
    B = -0.5 * J @ (D**2) @ J
    w, V = np.linalg.eigh((B + B.T) / 2.0)
    order = np.argsort(w)[::-1]
    w, V = w[order], V[:, order]
    keep = np.clip(w[:2], 0.0, None)
    positive = w[w > 0].sum()
    explained = float(keep.sum() / positive) if positive > 0 else float("nan")
    X = V[:, :2] * np.sqrt(keep)
    # a deterministic sign per axis: the largest |coordinate| is positive
    signs = np.sign(X[np.argmax(np.abs(X), axis=0), [0, 1]])
    return X * np.where(signs == 0, 1.0, signs), explained


def _procrustes_rotation(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    U, _, Vt = np.linalg.svd(X.T @ Y)
    return U @ Vt


def time_space_map(T: pd.DataFrame, zones: pd.DataFrame, *, speed_kph: float = 60.0) -> TimeSpaceMap:
    """Place zones by their travel times (classical MDS) and align them to geography (Procrustes).

    Parameters
    ----------
    T
        Square travel-time matrix in minutes (index and columns zone ids; any order). The
        two directions are averaged; every pair must be finite.
    zones
        Zone table with ``lon``, ``lat`` (WGS84), indexed by zone id; joined by id.
    speed_kph
        Reference speed: one hour of travel is ``speed_kph`` map km. Keep it fixed to
        compare years.

    Returns
    -------
    TimeSpaceMap
        Positions, fit and scale (see the module docstring for the formulas).

    Raises
    ------
    DataError
        If ``T`` is not square over the same ids, has unreachable pairs, or a zone has no
        coordinates; if ``speed_kph`` is not positive.

    Examples
    --------
    >>> import pandas as pd
    >>> z = pd.DataFrame({"lon": [120.0, 121.0, 120.0], "lat": [30.0, 30.0, 31.0]}, index=[1, 2, 3])
    >>> from yrdnet.core.geodesy import distance_matrix_km
    >>> T = distance_matrix_km(z) / 60.0 * 60.0  # minutes at 60 km/h
    >>> m = time_space_map(T, z, speed_kph=60.0)
    >>> round(m.scale, 2), round(m.stress, 3)
    (1.0, 0.0)
    """
    if not speed_kph > 0:
        raise DataError(f"speed_kph must be > 0, got {speed_kph!r}")
    ids = sorted(T.index)
    if sorted(T.columns) != ids:
        raise DataError("time_space_map: T must be square with the same zone ids as rows and columns")
    missing = [i for i in ids if i not in zones.index]
    if missing:
        raise DataError(f"time_space_map: zones have no lon/lat for ids {missing[:8]}")
    M = T.loc[ids, ids].to_numpy(float)
    M = 0.5 * (M + M.T)
    np.fill_diagonal(M, 0.0)
    if not np.isfinite(M).all():
        bad = np.argwhere(~np.isfinite(M))[0]
        raise DataError(f"time_space_map: no travel time between {ids[bad[0]]} and {ids[bad[1]]} (unreachable)")
    D = M * speed_kph / 60.0
    X, explained = _classical_mds(D)
    Y = _projected_km(zones.loc[ids, "lon"].to_numpy(float), zones.loc[ids, "lat"].to_numpy(float))
    Xc, Yc = X - X.mean(axis=0), Y - Y.mean(axis=0)
    aligned = Xc @ _procrustes_rotation(Xc, Yc) + Y.mean(axis=0)
    iu = np.triu_indices(len(ids), 1)
    dmap = np.hypot(*(aligned[:, None, :] - aligned[None, :, :]).transpose(2, 0, 1))[iu]
    dgeo = np.hypot(*(Y[:, None, :] - Y[None, :, :]).transpose(2, 0, 1))[iu]
    target = D[iu]
    stress = float(np.sqrt(((dmap - target) ** 2).sum() / (target**2).sum())) if target.any() else 0.0
    scale = float(dmap.mean() / dgeo.mean()) if dgeo.any() else float("nan")
    coords = pd.DataFrame(
        {"x_km": aligned[:, 0], "y_km": aligned[:, 1], "geo_x_km": Y[:, 0], "geo_y_km": Y[:, 1]},
        index=pd.Index(ids, name=T.index.name or "zone"),
    )
    return TimeSpaceMap(coords, float(speed_kph), explained, stress, scale)
