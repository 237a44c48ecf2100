"""Static maps and charts (matplotlib + geopandas), ready for reports.

The charts (:func:`plot_rank_size`, :func:`plot_timeline`) live in :mod:`yrdnet.viz.charts`
and are re-exported here.

Every map is drawn in :data:`YRD_CRS`, an Albers equal-area conic fitted to the YRD
(standard parallels 28° and 34° N, centre 119° E 31° N): areas are true, so choropleths
are not biased by latitude, and the scale error stays under 0.2 % across 27-35.5° N, so
the scale bar (drawn in projected metres) is exact to that amount everywhere on the map.
The north arrow points to true north at its own position (meridians converge by up to
±2° at the edges). Each map carries a title with the scenario and year, a legend, the
scale bar, the north arrow and a source note. Indicator keys are drawn as the registry's
words (:func:`yrdnet.analysis.indicators.label`), titles wrap to the axes' width (the
top margin grows to hold them, so nothing is clipped at any DPI), and city names carry
a white halo and move aside where they would overlap.

Labels are Chinese when a CJK font is installed (see :func:`cjk_font`) and English
otherwise; text is never drawn in a font that lacks its glyphs. Each function returns
``(fig, ax)`` and, given ``filepath=``, also saves the figure atomically (a temporary
file in the same folder, then :func:`os.replace`) at ``dpi`` (default 200), so the image
is ``figsize × dpi`` pixels.

Choropleth classification needs ``mapclassify`` (``pip install yrdnet[maps]``).
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
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import CenteredNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry import MultiPoint

from yrdnet.viz.charts import plot_rank_size, plot_timeline
from yrdnet.viz.figure_text import change_title, indicator_words
from yrdnet.viz.mapframe import (
    _NODATA,
    DATA_NOTE,
    SOURCE_NOTE,
    YRD_CRS,
    Lang,
    _base,
    _by_adcode,
    _class_handles,
    _classify,
    _clip_path,
    _colors,
    _draw_classes,
    _edges,
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
    _values,
    _w,
    cjk_font,
    save_figure,
)

__all__ = [
    "DATA_NOTE",
    "SOURCE_NOTE",
    "YRD_CRS",
    "cjk_font",
    "plot_accessibility",
    "plot_change",
    "plot_isochrones",
    "plot_metros",
    "plot_network",
    "plot_rank_size",
    "plot_timeline",
]

logger = logging.getLogger(__name__)

_RAIL_CLASSES = (  # (min speed, label en, label zh, colour, width)
    (300.0, "Rail ≥300 km/h", "高铁 ≥300 km/h", "#b2182b", 2.2),
    (250.0, "Rail 250-299 km/h", "高铁/城际 250-299 km/h", "#ef6c00", 1.7),
    (0.0, "Rail <250 km/h", "铁路 <250 km/h", "#2166ac", 1.2),
)
_ROAD_STYLE: dict[str, Any] = {"color": "#8c8c8c", "linewidth": 0.8}


# ----------------------------------------------------------------------------- network
def plot_network(
    G: nx.MultiDiGraph,
    cities: pd.DataFrame | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    *,
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
    """Map the rail network by speed class, the expressways, stations and city centres.

    Rail edges are drawn in three classes of ``speed_kph`` (≥300, 250-299, <250 km/h),
    expressways (``mode == "road"``) in grey; access/transfer links are not drawn.
    Stations are nodes of ``kind == "station"``; city centres are the ``cities`` rows (or
    the graph's ``zone`` nodes) labelled by name.

    Parameters
    ----------
    G
        Contract graph (lon/lat node ``x``/``y``; ``G.graph`` scenario/year feed the title).
    cities
        Optional city table (``lon``/``lat``, names) for the centres and labels.
    boundaries
        Optional city polygons drawn as a base layer.
    labels
        Label city centres with their names.
    title, scenario, year
        Title text; scenario and year default to ``G.graph``.
    lang
        ``"auto"`` (Chinese if a CJK font is installed), ``"zh"`` or ``"en"``.
    ax, figsize, dpi, filepath
        Axes to draw on (in :data:`YRD_CRS`), figure size (inches), resolution and an
        optional output path (saved atomically).

    Returns
    -------
    tuple
        ``(fig, ax)``.
    """
    lg = _lang(lang)
    scenario, year = _meta(G, scenario, year)
    edges = _edges(G)
    with _style(lg):
        fig, ax = _figure(ax, figsize, dpi)
        polys = _polys(boundaries) if boundaries is not None else None
        _base(ax, polys)
        handles: list[Any] = []
        road = edges[edges["mode"] == "road"]
        if len(road):
            road.plot(ax=ax, zorder=2, **_ROAD_STYLE)
            handles.append(Line2D([], [], label=_w("road", lg), **_ROAD_STYLE))
        rail = edges[edges["mode"] == "rail"]
        speed = rail["speed_kph"].fillna(0.0)
        upper = np.inf
        for lo, en, zh, color, lw in _RAIL_CLASSES:
            sel = rail[(speed >= lo) & (speed < upper)]
            upper = lo
            if len(sel):
                sel.plot(ax=ax, color=color, linewidth=lw, zorder=4 + lo / 100)
                handles.append(Line2D([], [], color=color, linewidth=lw, label=zh if lg == "zh" else en))
        st = [(d["x"], d["y"]) for _, d in G.nodes(data=True) if d.get("kind") == "station"]
        if st:
            sp = gpd.GeoSeries.from_xy(*zip(*st, strict=True), crs=4326).to_crs(YRD_CRS)
            ax.scatter(sp.x, sp.y, s=6, facecolor="white", edgecolor="0.2", linewidth=0.5, zorder=8)
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=3.5,
                    markerfacecolor="white",
                    markeredgecolor="0.2",
                    label=_w("station", lg),
                )
            )
        if cities is not None:
            pts = _points(cities)
            names = _names(_by_adcode(cities), lg)
        else:
            zones = {
                d["city"]: (d["x"], d["y"], d.get("name", ""), d.get("name_zh", d.get("name", "")))
                for _, d in G.nodes(data=True)
                if d.get("kind") == "zone" and "city" in d
            }
            zdf = pd.DataFrame.from_dict(zones, orient="index", columns=["lon", "lat", "name_en", "name_zh"])
            pts = _points(zdf) if len(zdf) else gpd.GeoDataFrame(geometry=[], crs=YRD_CRS)
            names = _names(zdf, lg)
        if len(pts):
            ax.scatter(pts.geometry.x, pts.geometry.y, s=18, color="k", marker="s", zorder=10)
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="s",
                    linestyle="",
                    markersize=4,
                    color="k",
                    label=_w("centre", lg),
                )
            )
            if labels:
                _label(ax, pts, names, lg)
        geoms = [g for g in (polys, edges, pts) if g is not None and len(g)]
        if geoms:
            _extent(ax, pd.concat([g.geometry for g in geoms]))
        ax.legend(handles=handles, loc="upper right", framealpha=0.9)
        _frame(ax, fig, lg, title=title or _w("network", lg), scenario=scenario, year=year, note=None)
        save_figure(fig, filepath, dpi)
    return fig, ax


# ----------------------------------------------------------------------------- value maps
def plot_accessibility(
    cities: pd.DataFrame,
    column: str,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    scheme: str = "NaturalBreaks",
    k: int = 5,
    cmap: str = "YlGnBu",
    legend_title: str | None = None,
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
    """Classified map of one per-city measure (choropleth, or graduated symbols).

    Values of ``column`` are classified with mapclassify (``scheme`` as in
    :func:`mapclassify.classify`: ``"NaturalBreaks"`` (seeded, reproducible),
    ``"FisherJenks"``, ``"Quantiles"``, ``"EqualInterval"``, ``"HeadTailBreaks"``, …) into
    at most ``k`` classes. With ``boundaries`` the city polygons are filled (joined by
    adcode); without, city centres get graduated symbols. Missing or non-finite values
    are shown as hatched "no data".

    Parameters
    ----------
    cities
        Table indexed by adcode (or with an ``adcode`` column) with ``lon``/``lat`` (or
        point geometry), names and ``column``. ``cities.attrs`` scenario/year feed the title.
    column
        The measure to map.
    boundaries
        City polygons (index or column ``adcode``).
    scheme, k, cmap
        Classification scheme, number of classes and matplotlib colormap.
    legend_title, labels, title, scenario, year, lang, ax, figsize, dpi, filepath
        See :func:`plot_network`.

    Returns
    -------
    tuple
        ``(fig, ax)``.
    """
    lg = _lang(lang)
    scenario, year = _meta(cities, scenario, year)
    df = _by_adcode(cities)
    vals = _values(df, column)
    idx, labs = _classify(vals, scheme, k)
    colors = _colors(cmap, len(labs))
    with _style(lg):
        fig, ax = _figure(ax, figsize, dpi)
        pts = _points(df)
        polys = _polys(boundaries) if boundaries is not None else None
        _base(ax, polys)
        nodata = _draw_classes(ax, pd.Series(idx, index=df.index), colors, pts, polys)
        if labels:
            _label(ax, pts, _names(df, lg), lg)
        _extent(ax, polys.geometry if polys is not None else pts.geometry)
        handles = _class_handles(labs, colors, nodata, lg, polys=polys is not None)
        ax.legend(
            handles=handles,
            loc="upper right",
            framealpha=0.9,
            title=_txt(legend_title or f"{indicator_words(column, lg)} ({scheme}, k={len(labs)})", lg, column),
        )
        title = title or indicator_words(column, lg, unit=False)
        _frame(ax, fig, lg, title=title, scenario=scenario, year=year, note=None)
        save_figure(fig, filepath, dpi)
    return fig, ax


def plot_change(
    cities_a: pd.DataFrame,
    cities_b: pd.DataFrame | pd.Series,
    column: str | None = None,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    relative: bool = False,
    higher_is_better: bool = True,
    cmap: str = "RdBu",
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
    """Map a scenario's change per city on a diverging colormap centred at 0.

    The change is ``b - a`` (or ``100 (b - a) / a`` % with ``relative=True``), or the
    ``cities_b`` Series itself when a delta is given. Gains are blue and losses red:
    with ``higher_is_better=False`` (travel times) a decrease counts as a gain. The colour
    scale is symmetric (``±max |Δ|``). Non-finite changes are hatched "no data".

    Parameters
    ----------
    cities_a
        Base-scenario city table (positions, names; and ``column`` unless a delta is given).
    cities_b
        The other scenario's table, or a delta Series indexed by adcode.
    column
        Measure compared (needed when ``cities_b`` is a table; used in titles).
    boundaries, relative, higher_is_better, cmap
        Polygons to fill; percentage change; direction of "better"; diverging colormap.
    labels, title, scenario, year, lang, ax, figsize, dpi, filepath
        See :func:`plot_network`. ``scenario`` defaults to ``"<b> vs <a>"`` from ``attrs``.

    Returns
    -------
    tuple
        ``(fig, ax)``.
    """
    lg = _lang(lang)
    a = _by_adcode(cities_a)
    if isinstance(cities_b, pd.Series):
        delta = pd.to_numeric(cities_b, errors="coerce").astype(float)
        delta.index = delta.index.astype("int64")
        delta = delta.reindex(a.index)
        if relative:
            logger.info("plot_change: a delta Series is drawn as given (relative ignored)")
    else:
        if column is None:
            msg = "column is required when cities_b is a table"
            raise ValueError(msg)
        b = _by_adcode(cities_b)
        va, vb = _values(a, column), _values(b, column).reindex(a.index)
        delta = 100.0 * (vb - va) / va.where(va != 0) if relative else vb - va
        if scenario is None and cities_b.attrs.get("scenario") and cities_a.attrs.get("scenario"):
            scenario = f"{cities_b.attrs['scenario']} vs {cities_a.attrs['scenario']}"
    delta = delta.where(np.isfinite(delta))
    scenario, year = _meta(cities_b, scenario, year)
    name = column or (cities_b.name if isinstance(cities_b, pd.Series) else None) or "value"
    half = float(np.nanmax(np.abs(delta))) if delta.notna().any() else 1.0
    norm = CenteredNorm(vcenter=0.0, halfrange=half or 1.0)
    cm = plt.get_cmap(cmap if higher_is_better else f"{cmap}_r")
    with _style(lg):
        fig, ax = _figure(ax, figsize, dpi)
        pts = _points(a)
        polys = _polys(boundaries) if boundaries is not None else None
        _base(ax, polys)
        if polys is not None:
            d = delta.reindex(polys.index)
            ok = d.notna()
            if ok.any():
                polys[ok].plot(
                    ax=ax,
                    color=[cm(norm(v)) for v in d[ok]],
                    edgecolor="white",
                    linewidth=0.5,
                    zorder=1,
                )
            if (~ok).any():
                polys[~ok].plot(ax=ax, zorder=1, **_NODATA)
            ax.scatter(pts.geometry.x, pts.geometry.y, s=4, color="k", zorder=10)
        else:
            ok = delta.notna()
            size = 15 + 300 * (delta[ok].abs() / (half or 1.0))
            ax.scatter(
                pts.geometry.x[ok],
                pts.geometry.y[ok],
                s=size,
                c=delta[ok],
                cmap=cm,
                norm=norm,
                edgecolor="0.2",
                linewidth=0.5,
                zorder=10,
            )
        if labels:
            _label(ax, pts, _names(a, lg), lg)
        _extent(ax, polys.geometry if polys is not None else pts.geometry)
        cax = ax.inset_axes((0.93, 0.62, 0.022, 0.32))
        cb = fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cm), cax=cax)
        unit_words = f"{indicator_words(name, lg, unit=False)} (%)" if relative else indicator_words(name, lg)
        cb.set_label(_txt(f"Δ {unit_words}", lg, "change"), fontsize=7)
        cb.ax.tick_params(labelsize=6)
        cax.yaxis.set_ticks_position("left")
        cax.yaxis.set_label_position("left")
        gain, loss = ("gain", "loss") if lg == "en" else ("改善", "恶化")
        top, bottom = (gain, loss) if higher_is_better else (loss, gain)
        cax.text(0.5, 1.02, top, transform=cax.transAxes, ha="center", va="bottom", fontsize=6)
        cax.text(0.5, -0.02, bottom, transform=cax.transAxes, ha="center", va="top", fontsize=6)
        if delta.isna().any():
            ax.legend(
                handles=[Patch(label=_w("nodata", lg), **_NODATA)]
                if polys is not None
                else [Line2D([], [], marker="x", linestyle="", color="0.5", label=_w("nodata", lg))],
                loc="upper left",
                framealpha=0.9,
            )
        t = title or change_title(name, lg)  # the registry's words (the key itself if not declared)
        _frame(ax, fig, lg, title=t, scenario=scenario, year=year, note=None)
        save_figure(fig, filepath, dpi)
    return fig, ax


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
    with ``res.zones`` and the county polygons — as the county reach map of
    :func:`yrdnet.cli.report.write_maps` does.

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
        if labels:
            _label(ax, pts, _names(df, lg), lg)
        _extent(ax, polys.geometry if polys is not None else pts.geometry)
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
