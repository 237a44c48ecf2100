"""Who gains in the periphery, drawn: a county choropleth of gains with the peripheries outlined.

:func:`plot_periphery_gains` colours each county of a :func:`yrdnet.periphery_gains`
table (the counties outside the metros and those of the named peripheries) by one of
its columns, greys the counties not in the table (inside the metros), and outlines each
named periphery (the union of its counties) with its name. Saved atomically at ``dpi``
when ``filepath`` is given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from yrdnet.viz.mapframe import SOURCE_NOTE, YRD_CRS, save_figure

__all__ = ["plot_periphery_gains"]

_OUTLINE = ("#1b7837", "#762a83", "#b35806", "#2166ac")


def plot_periphery_gains(
    gains: pd.DataFrame,
    boundaries: gpd.GeoDataFrame,
    *,
    column: str = "potential_gain_pct",
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    cmap: str = "YlOrRd",
    figsize: tuple[float, float] = (7.5, 8.0),
    dpi: int = 200,
    filepath: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw a county choropleth of ``column`` with the named peripheries outlined.

    Parameters
    ----------
    gains
        :func:`yrdnet.periphery_gains` (index zone id; ``periphery`` and ``column``).
    boundaries
        County polygons, index zone id (:func:`yrdnet.datasets.load_county_boundaries`).
    column
        The column to colour (default the potential gain, %). A column that can change
        sign (``..._change_min``) is drawn on a diverging scale centred on 0.
    names
        Periphery id -> label (default the id).
    title, cmap, figsize, dpi, filepath
        Title (default from the column and ``gains.attrs``), colour map, size (inches),
        resolution and where to save (atomically).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    KeyError
        If ``column`` or ``periphery`` is not in ``gains``.
    """
    for c in (column, "periphery"):
        if c not in gains.columns:
            raise KeyError(f"plot_periphery_gains: {c!r} is not a column of the gains table")
    polys = (boundaries if boundaries.crs is not None else boundaries.set_crs(4326)).to_crs(YRD_CRS)
    values = gains[column].astype(float).replace([np.inf, -np.inf], np.nan)
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.06, top=0.93)
    polys.plot(ax=ax, facecolor="#eeeeee", edgecolor="white", linewidth=0.3, zorder=0)
    shown = polys.loc[polys.index.intersection(values.dropna().index)].copy()
    shown["value"] = values.reindex(shown.index)
    lo, hi = float(shown["value"].min()), float(shown["value"].max())
    if column.endswith("_change_min") and hi <= 0:
        cmap = cmap if cmap.endswith("_r") else f"{cmap}_r"  # the largest saving darkest
    scale = {"norm": TwoSlopeNorm(0.0, lo, hi), "cmap": "RdBu_r"} if lo < 0 < hi else {"cmap": cmap}
    shown.plot(ax=ax, column="value", vmin=None if lo < 0 < hi else lo, vmax=None if lo < 0 < hi else hi,
               edgecolor="white", linewidth=0.3, legend=True, zorder=1,
               legend_kwds={"shrink": 0.5, "label": column.replace("_", " ")}, **scale)  # fmt: skip
    _outlines(ax, polys, gains["periphery"], names or {})
    gpd.GeoSeries([polys.geometry.union_all()], crs=polys.crs).boundary.plot(ax=ax, color="0.5", linewidth=0.6)
    span = " to ".join(str(gains.attrs[k]) for k in ("before", "after") if k in gains.attrs)
    ax.set_title(title or f"{column.replace('_', ' ')}" + (f", {span}" if span else ""), loc="left", fontsize=10)
    ax.set_axis_off()
    note = "grey: counties inside the metropolitan areas and in no named periphery. " + SOURCE_NOTE
    fig.text(0.01, 0.01, note, fontsize=5.5, color="0.3")
    save_figure(fig, filepath, dpi)
    return fig


def _outlines(ax: plt.Axes, polys: gpd.GeoDataFrame, periphery: pd.Series, names: Mapping[str, str]) -> None:
    """Outline each named periphery (union of its counties) and label it."""
    ids = [p for p in dict.fromkeys(periphery) if p]
    for i, p in enumerate(ids):
        zones = polys.index.intersection(periphery.index[periphery == p])
        if not len(zones):
            continue
        shape = polys.loc[zones].geometry.union_all()
        color = _OUTLINE[i % len(_OUTLINE)]
        gpd.GeoSeries([shape], crs=polys.crs).boundary.plot(ax=ax, color=color, linewidth=1.8, zorder=3)
        pt = shape.representative_point()
        ax.annotate(names.get(p, p), (pt.x, pt.y), fontsize=8, fontweight="bold", color=color, ha="center",
                    zorder=4, bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": color, "alpha": 0.8})  # fmt: skip
