"""Static maps and charts (matplotlib + geopandas), ready for reports.

The charts (:func:`plot_rank_size`, :func:`plot_timeline`) live in :mod:`yrdnet.viz.charts`
and the reach maps (:func:`plot_isochrones`, :func:`plot_metros`) in
:mod:`yrdnet.viz.reach_maps`; both are re-exported here.

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

import logging
import os
import textwrap
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import CenteredNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

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
    _clip_path,  # noqa: F401  (importable from here as before the split)
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
from yrdnet.viz.reach_maps import _HATCHES, plot_isochrones, plot_metros  # noqa: F401  (re-exported)

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


def _legend_title(column: str, lg: str, how: str) -> str:
    """The registry's words and unit for a legend, wrapped to a legend's width, then how it is classed."""
    words = indicator_words(column, lg).replace("door to door", "door\u00a0to\u00a0door")  # kept on one line
    return textwrap.fill(words, 40 if lg == "en" else 16).replace("\u00a0", " ") + f"\n({how})"


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
            title=_txt(legend_title or _legend_title(column, lg, f"{scheme}, k={len(labs)}"), lg, column),
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
    name = str(column or (cities_b.name if isinstance(cities_b, pd.Series) else None) or "value")
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
