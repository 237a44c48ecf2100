r"""Who gains in the periphery: accessibility gains of zones between two networks.

Pure functions on zone tables and travel-time matrices; :mod:`yrdnet.analysis.periphery`
applies them to two :class:`yrdnet.ScenarioResult` objects.

* :func:`periphery_labels` — the named periphery (if any) of each zone;
* :func:`time_to_nearest` — each zone's time to the nearest of a set of centres;
* :func:`gain_table` — before, after and change of each measure per zone;
* :func:`weighted_summary` — population-weighted means per group.

Why gains in the periphery: a new high-speed or expressway link serves the places where
it stops; whether the places between and beyond the large centres gain, and by how much,
is a question of measurement zone by zone. Gutiérrez (2001) measures the accessibility
impact of the Madrid-Barcelona-French border high-speed line by zone with the weighted
average travel time, economic potential and daily accessibility, the indicators used
here; Vickerman (2015) discusses what high-speed rail does for regional development,
notably at intermediate stations.

References
----------
Gutiérrez, J. (2001). Location, economic potential and daily accessibility: an analysis
of the accessibility impact of the high-speed line Madrid-Barcelona-French border.
*Journal of Transport Geography* 9(4), 229-242.

Vickerman, R. (2015). High-speed rail and regional development: the case of
intermediate stations. *Journal of Transport Geography* 42, 157-165.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.metrics import accessibility as acc

__all__ = ["gain_table", "periphery_labels", "time_to_nearest", "weighted_summary"]


def periphery_labels(city: pd.Series, members: Mapping[str, Sequence[int]]) -> pd.Series:
    """The named periphery of each zone, ``""`` for a zone in none.

    A member adcode is a city (every zone whose parent ``city`` it is) or a zone id
    (that zone alone).

    Parameters
    ----------
    city
        Parent city adcode, indexed by zone id.
    members
        Periphery id -> member adcodes (:attr:`yrdnet.Region.peripheries` ``members``).

    Returns
    -------
    pandas.Series
        Periphery id (str) by zone id.

    Raises
    ------
    DataError
        If a zone falls in two peripheries.

    Examples
    --------
    >>> city = pd.Series({11: 1, 12: 1, 21: 2, 22: 2})
    >>> periphery_labels(city, {"north": [1], "south": [22]}).tolist()
    ['north', 'north', '', 'south']
    """
    out = pd.Series("", index=city.index, dtype=object)
    for name, ms in members.items():
        mset = {int(m) for m in ms}
        hit = city.astype(int).isin(mset) | pd.Series(city.index.isin(list(mset)), index=city.index)
        twice = hit & (out != "")
        if twice.any():
            z = twice[twice].index[0]
            raise DataError(f"zone {z} is in two peripheries: {out[z]!r} and {name!r}")
        out[hit] = str(name)
    return out


def time_to_nearest(T: pd.DataFrame, centres: Sequence[Hashable]) -> tuple[pd.Series, pd.Series]:
    r"""Each zone's travel time to the nearest centre, and which centre that is.

    .. math:: t_i = \min_{c \in C} T_{ic}

    (from the zone to the centre: row ``i``, column ``c``; a centre's own zone is 0).

    Parameters
    ----------
    T
        Travel times, minutes (index origins, columns destinations).
    centres
        Zone ids of the centres (columns of ``T``).

    Returns
    -------
    (pandas.Series, pandas.Series)
        Minutes (``inf`` when no centre is reachable) and the nearest centre's zone id
        (missing when none is reachable), indexed as ``T``.

    Examples
    --------
    >>> T = pd.DataFrame([[0, 30, 90], [30, 0, 50], [90, 50, 0]], index=[1, 2, 3], columns=[1, 2, 3])
    >>> t, c = time_to_nearest(T, [1, 3])
    >>> t.tolist(), c.tolist()
    ([0.0, 30.0, 0.0], [1, 1, 3])
    """
    missing = [c for c in centres if c not in T.columns]
    if missing or not len(centres):
        raise DataError(f"time_to_nearest: centres {missing or '[]'} are not zones of T")
    t = acc.time_to(T, list(centres)).rename(None)
    nearest = T.loc[:, list(centres)].astype(float).idxmin(axis=1).where(np.isfinite(t))
    return t, nearest


def gain_table(before: pd.DataFrame, after: pd.DataFrame, measures: Mapping[str, str]) -> pd.DataFrame:
    r"""Before, after and change of each measure per zone.

    For a measure :math:`x` named ``n``: ``n_before``, ``n_after`` and

    * ``n_gain_pct`` :math:`= 100\,(x_1 / x_0 - 1)` when ``measures[n] == "pct"``
      (a quantity that grows with accessibility: potential);
    * ``n_change_min`` :math:`= x_1 - x_0` when ``measures[n] == "min"`` (a travel time,
      negative when it shortens).

    Parameters
    ----------
    before, after
        Zone tables with a column per measure name (same zones).
    measures
        Measure name -> ``"pct"`` or ``"min"``.

    Returns
    -------
    pandas.DataFrame
        Indexed as ``after``; three columns per measure.

    Examples
    --------
    >>> b = pd.DataFrame({"potential": [100.0, 50.0], "time": [90.0, 60.0]})
    >>> a = pd.DataFrame({"potential": [110.0, 75.0], "time": [60.0, 60.0]})
    >>> g = gain_table(b, a, {"potential": "pct", "time": "min"})
    >>> g["potential_gain_pct"].round(6).tolist(), g["time_change_min"].tolist()
    ([10.0, 50.0], [-30.0, 0.0])
    """
    if not before.index.equals(after.index):
        missing = after.index.difference(before.index)
        if len(missing):
            raise DataError(f"gain_table: zones {list(missing[:5])} are in 'after' only")
        before = before.reindex(after.index)
    cols: dict[str, pd.Series] = {}
    for name, kind in measures.items():
        x0, x1 = before[name].astype(float), after[name].astype(float)
        cols[f"{name}_before"], cols[f"{name}_after"] = x0, x1
        if kind == "pct":
            cols[f"{name}_gain_pct"] = 100.0 * (x1 / x0.where(x0 > 0) - 1.0)
        elif kind == "min":
            cols[f"{name}_change_min"] = x1 - x0
        else:
            raise ValueError(f"measure {name!r}: kind must be 'pct' or 'min', got {kind!r}")
    return pd.DataFrame(cols, index=after.index)


def weighted_summary(
    table: pd.DataFrame, groups: Mapping[str, pd.Series], weight: str, columns: Sequence[str]
) -> pd.DataFrame:
    r"""Population-weighted mean of columns per group of rows.

    .. math:: \bar x_G = \frac{\sum_{i \in G} P_i x_i}{\sum_{i \in G} P_i}

    over the rows :math:`i` of group :math:`G` with a finite value (an unreachable zone,
    ``inf``, is left out of that column's mean).

    Parameters
    ----------
    table
        One row per zone.
    groups
        Group name -> boolean mask over ``table``'s rows (groups may overlap).
    weight
        Column of weights (population).
    columns
        Columns to average.

    Returns
    -------
    pandas.DataFrame
        Index group; ``zones`` (count), ``population`` (sum of ``weight``) and one
        column per averaged column.

    Examples
    --------
    >>> t = pd.DataFrame({"pop": [1.0, 3.0, 2.0], "gain": [10.0, 20.0, 5.0]})
    >>> weighted_summary(t, {"a": t["pop"] < 3, "all": t["pop"] > 0}, "pop", ["gain"])["gain"].tolist()
    [6.666666666666667, 13.333333333333334]
    """
    rows = {}
    for name, mask in groups.items():
        sub = table[mask.reindex(table.index, fill_value=False).astype(bool)]
        w = sub[weight].astype(float)
        row: dict[str, float] = {"zones": float(len(sub)), "population": float(w.sum())}
        for c in columns:
            x = sub[c].astype(float)
            ok = np.isfinite(x) & np.isfinite(w)
            row[c] = float((x[ok] * w[ok]).sum() / w[ok].sum()) if w[ok].sum() > 0 else np.nan
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["zones"] = out["zones"].astype(int)
    return out.rename_axis("group")
