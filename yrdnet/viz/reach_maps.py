"""The reach maps of :mod:`yrdnet.viz.plot`: isochrones from one zone, and the metropolitan areas.

Split from :mod:`yrdnet.viz.plot` (which re-exports both functions); the map frame, the
projection and the conventions are those of that module's docstring.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Sequence
from typing import Any, cast

import geopandas as gpd
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry import MultiPoint

from yrdnet.viz.mapframe import (
    YRD_CRS,
    Lang,
    _base,
    _by_adcode,
    _class_handles,
    _clip_path,
    _colors,
    _draw_classes,
    _extent,
    _figure,
    _frame,
    _label,
    _lang,
    _meta,
    _names,
    _points,
    _polys,
    _style,
    _txt,
    _w,
    save_figure,
)

__all__ = ["plot_isochrones", "plot_metros"]

logger = logging.getLogger("yrdnet.viz.plot")


# ----------------------------------------------------------------------------- isochrones
def plot_isochrones(
    od: pd.DataFrame,
    origin_adcode: int,
    cities: pd.DataFrame,
    boundaries: gpd.GeoDataFrame | None = None,
    bands: Sequence[float] = (60, 120, 180, 240),
    *,
    contours: bool = True,
    cmap: str = "viridis",
    labels: bool = True,
    outlines: gpd.GeoDataFrame | None = None,
    places: pd.DataFrame | None = None,
    title: str | None = None,
    scenario: str | None = None,
    year: int | None = None,
    lang: Lang = "auto",
    ax: Axes | None = None,
    figsize: tuple[float, float] = (8.0, 8.0),
    dpi: int = 200,
    filepath: str | os.PathLike[str] | None = None,
) -> tuple[Figure, Axes]:
    """Map door-to-door travel time from one city in time bands (an isochrone map).

    Each destination city is coloured by its band (``≤ 60``, ``60-120``, … ``> 240`` min;
    unreachable hatched). With ``contours`` the band limits are also drawn as isochrone
    lines, interpolated linearly on a Delaunay triangulation of the city centres and
    clipped to the boundaries — a guide to the travel-time surface, exact only at centres.
    From the 41 city centres these lines are coarse (one triangle can span 150 km); for a
    fine surface pass zone-level inputs instead — a county result's ``od`` (305 × 305)
    with ``res.zones`` and the county polygons — as the county reach map and the city
    isochrone maps of :func:`yrdnet.cli.report.write_maps` do (the latter from the county
    run of a city result's network, :mod:`yrdnet.cli.city_isochrones`).

    Parameters
    ----------
    od
        Travel times in **minutes** (rows = origins, columns = destinations, adcodes;
        ``inf`` = unreachable), e.g. :func:`yrdnet.routing.matrices.travel_times`.
    origin_adcode
        The origin city.
    cities, boundaries
        City table (positions, names) and optional polygons.
    bands
        Increasing band limits, minutes.
    contours, cmap
        Draw interpolated isochrone lines; colormap of the bands (fast = dark).
    outlines
        Polygons drawn as outlines on top (e.g. the city boundaries over county zones).
    places
        The places labelled (with ``labels``) if not the rows of ``cities`` (e.g. the 41
        cities over 305 county zones): positions and names, indexed by adcode.
    labels, title, scenario, year, lang, ax, figsize, dpi, filepath
        See :func:`plot_network`.

    Returns
    -------
    tuple
        ``(fig, ax)``.
    """
    lg = _lang(lang)
    bands = [float(b) for b in bands]
    if not bands or any(b1 <= b0 for b0, b1 in itertools.pairwise(bands)):
        msg = f"bands should be increasing minutes, got {bands}"
        raise ValueError(msg)
    origin = int(origin_adcode)
    if origin not in od.index:
        msg = f"origin {origin} not in the OD matrix; origins: {list(od.index)}"
        raise KeyError(msg)
    scenario, year = _meta(od, scenario, year)
    t = pd.to_numeric(od.loc[origin], errors="coerce").astype(float)
    t.index = t.index.astype("int64")
    tv = t.to_numpy()
    if np.max(tv[np.isfinite(tv)], initial=0.0) > 3000:
        logger.warning("travel times above 3000 look like seconds; od should be minutes")
    df = _by_adcode(cities)
    t = t.reindex(df.index)
    cls = pd.Series(np.digitize(t.fillna(np.inf), bands, right=True), index=t.index)
    cls = cls.where(np.isfinite(t), -1)
    u = _w("minutes", lg)
    labs = [f"≤ {bands[0]:g} {u}"] + [f"{a:g}–{b:g} {u}" for a, b in itertools.pairwise(bands)]
    labs.append(f"> {bands[-1]:g} {u}")
    colors = _colors(cmap, len(labs))
    with _style(lg):
        fig, ax = _figure(ax, figsize, dpi)
        pts = _points(df)
        polys = _polys(boundaries) if boundaries is not None else None
        _base(ax, polys)
        nodata = _draw_classes(ax, cls, colors, pts, polys)
        tv = t.to_numpy()
        ok = np.isfinite(tv)
        lo, hi = np.min(tv[ok], initial=np.inf), np.max(tv[ok], initial=-np.inf)
        levels = [b for b in bands if lo < b < hi]
        if contours and ok.sum() >= 3 and levels:
            tri = mpl.tri.Triangulation(pts.geometry.x.to_numpy()[ok], pts.geometry.y.to_numpy()[ok])
            cs = ax.tricontour(tri, tv[ok], levels=levels, colors="k", linewidths=0.8, zorder=6)
            if polys is not None:
                cs.set_clip_path(_clip_path(ax, polys))
            ax.clabel(cs, fmt="%g", fontsize=6)
        o = pts.loc[[origin]] if origin in pts.index else pts.iloc[:0]
        ax.scatter(
            o.geometry.x,
            o.geometry.y,
            s=160,
            marker="*",
            color="#d7301f",
            edgecolor="k",
            linewidth=0.6,
            zorder=12,
        )
        if outlines is not None:
            _polys(outlines).boundary.plot(ax=ax, color="0.25", linewidth=0.6, zorder=3)
        if labels:
            lab = _by_adcode(places) if places is not None else df
            _label(ax, _points(lab), _names(lab, lg), lg)
        _extent(ax, polys.geometry if polys is not None else pts.geometry)  # also clears geopandas' axis labels
        handles = _class_handles(labs, colors, nodata, lg, polys=polys is not None, extra=_w("unreach", lg))
        handles.append(
            Line2D(
                [],
                [],
                marker="*",
                linestyle="",
                markersize=10,
                color="#d7301f",
                markeredgecolor="k",
                label=_w("origin", lg),
            )
        )
        ax.legend(handles=handles, loc="upper right", framealpha=0.9)
        name = _txt(_names(df, lg).get(origin, origin), lg, origin)
        t_ = title or (f"{_w('iso', lg)} {name}" if lg == "en" else f"{_w('iso', lg)}{name}")
        _frame(ax, fig, lg, title=t_, scenario=scenario, year=year, note=None)
        save_figure(fig, filepath, dpi)
    return fig, ax


# ----------------------------------------------------------------------------- metros
_HATCHES = ("////", "\\\\\\\\", "||||", "----", "xxxx", "....", "++++", "oo")


def plot_metros(
    metros: pd.DataFrame,
    cities: pd.DataFrame,
    od: pd.DataFrame | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    reach: float = 60.0,
    labels: bool = True,
    title: str | None = None,
    scenario: str | None = None,
    year: int | None = None,
    lang: Lang = "auto",
    ax: Axes | None = None,
    figsize: tuple[float, float] = (8.0, 8.0),
    dpi: int = 200,
    filepath: str | os.PathLike[str] | None = None,
) -> tuple[Figure, Axes]:
    """Map the metropolitan areas, their (overlapping) members and each core's reach.

    Each area has its own colour and hatch: members are hatched and the area is outlined,
    so a city in two areas (e.g. Suzhou: Shanghai and Su-Xi-Chang) shows both hatches and
    both outlines. From each core, spokes join every city reached within ``reach`` minutes
    (from ``od``); the legend counts members and cities within reach.

    Parameters
    ----------
    metros
        As :func:`yrdnet.datasets.load_metros`: index = metro id, ``core_adcode``,
        ``members`` (list of adcodes or ``;``-string), ``name_en``/``name_zh``.
    cities
        City table (positions, names).
    od
        Travel times in minutes (adcodes); ``None`` skips the reach spokes.
    boundaries
        City polygons; without them an area is the 15 km buffer of its members' hull.
    reach
        Reach threshold, minutes.
    labels, title, scenario, year, lang, ax, figsize, dpi, filepath
        See :func:`plot_network`.

    Returns
    -------
    tuple
        ``(fig, ax)``.
    """
    lg = _lang(lang)
    scenario, year = _meta(od if od is not None else cities, scenario, year)
    df = _by_adcode(cities)
    tab10 = cast(ListedColormap, plt.get_cmap("tab10"))
    palette = cast("Sequence[tuple[float, float, float]]", tab10.colors)  # tab10 holds 10 RGB tuples
    with _style(lg):
        fig, ax = _figure(ax, figsize, dpi)
        pts = _points(df)
        polys = _polys(boundaries) if boundaries is not None else None
        _base(ax, polys)
        handles: list[Any] = []
        for i, (mid, row) in enumerate(metros.iterrows()):
            members = row["members"]
            if isinstance(members, str):
                members = [m for m in members.split(";") if m.strip()]
            members = [int(m) for m in members]
            core = int(row.get("core_adcode", members[0]))
            color, hatch = palette[i % len(palette)], _HATCHES[i % len(_HATCHES)]
            if polys is not None:
                area = polys.loc[polys.index.intersection(members)]
                shape = gpd.GeoSeries([area.geometry.union_all()], crs=YRD_CRS)
            else:
                hull = MultiPoint(list(pts.loc[pts.index.intersection(members)].geometry)).convex_hull
                shape = gpd.GeoSeries([hull.buffer(15_000)], crs=YRD_CRS)
            shape.plot(
                ax=ax,
                facecolor="none",
                edgecolor=color,
                hatch=hatch,
                linewidth=0,
                alpha=0.7,
                zorder=2,
            )
            # outlines are offset inwards by area so that shared borders stay visible
            inner = shape.buffer(-1500.0 * i) if i else shape
            inner = inner[~inner.is_empty] if (~inner.is_empty).any() else shape
            inner.boundary.plot(ax=ax, color=color, linewidth=1.6, zorder=3 + i * 0.1)
            n_reach = 0
            if od is not None and core in od.index and core in pts.index:
                tt = pd.to_numeric(od.loc[core], errors="coerce")
                tt.index = tt.index.astype("int64")
                near = [c for c in tt.index[tt <= reach] if c != core and c in pts.index]
                n_reach = len(near)
                c0 = pts.geometry.loc[core]
                for c in near:
                    p = pts.geometry.loc[c]
                    ax.plot([c0.x, p.x], [c0.y, p.y], color=color, linewidth=1.0, alpha=0.9, zorder=7)
            if core in pts.index:
                p = pts.geometry.loc[core]
                ax.scatter(
                    [p.x],
                    [p.y],
                    s=120,
                    marker="*",
                    color=color,
                    edgecolor="k",
                    linewidth=0.6,
                    zorder=12,
                )
            nm = row.get("name_zh") if lg == "zh" else row.get("name_en")
            nm = str(nm).replace(" Metropolitan Area", "") if isinstance(nm, str) else str(mid)
            label = f"{_txt(nm, lg, mid)} ({len(members)}"
            label += f"; {n_reach} ≤{reach:g} {_w('minutes', lg)})" if od is not None else ")"
            handles.append(Patch(facecolor="none", edgecolor=color, hatch=hatch, linewidth=1.5, label=label))
        ax.scatter(pts.geometry.x, pts.geometry.y, s=5, color="k", zorder=10)
        if labels:
            _label(ax, pts, _names(df, lg), lg)
        _extent(ax, polys.geometry if polys is not None else pts.geometry)
        handles.append(
            Line2D(
                [],
                [],
                marker="*",
                linestyle="",
                markersize=9,
                color="0.5",
                markeredgecolor="k",
                label=_w("core", lg),
            )
        )
        if od is not None:
            handles.append(
                Line2D(
                    [],
                    [],
                    color="0.3",
                    linewidth=1.0,
                    label=f"core → city ≤ {reach:g} min" if lg == "en" else f"核心城市{reach:g}分钟可达",
                )
            )
        ax.legend(handles=handles, loc="upper right", framealpha=0.9, title=_w("metros", lg))
        _frame(ax, fig, lg, title=title or _w("metros", lg), scenario=scenario, year=year, note=None)
        save_figure(fig, filepath, dpi)
    return fig, ax
