"""Time-space maps drawn beside geography: where each zone would lie if distance were travel time.

:func:`plot_time_space` draws one panel per year of :class:`yrdnet.metrics.time_space_map.TimeSpaceMap`:
each zone's geographic position (grey) joined to its time-space position (coloured), on
one scale for every panel (one hour = ``speed_kph`` km), so a faster network draws a
smaller region. :func:`plot_time_space_pair` draws one year as two panels on one scale,
the geographic map left and the time-space map right, each zone coloured by its bearing
and distance from the region's centre so it can be found on both sides.
:func:`write_time_space_maps` writes, for a timeline, each year's pair, the years' maps
together, the positions and fit, and Janelle's convergence per pair of zones
(:func:`yrdnet.metrics.convergence.janelle_convergence`) with its summary. Figures are
saved atomically.
"""

from __future__ import annotations

import colorsys
import os
import re
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.time_space import core_links, travel_times_by_year
from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import CHINA_ALBERS
from yrdnet.core.io import write_csv
from yrdnet.metrics.convergence import convergence_summary, janelle_convergence
from yrdnet.metrics.time_space_map import TimeSpaceMap, time_space_map
from yrdnet.region.region import Region, load_region
from yrdnet.viz.mapframe import save_figure

__all__ = ["plot_time_space", "plot_time_space_pair", "write_time_space_maps"]

Extent = tuple[float, float, float, float]
Pairs = Sequence[tuple[Hashable, Hashable]]


def plot_time_space(
    maps: Mapping[int, TimeSpaceMap],
    *,
    names: Mapping[Any, str] | None = None,
    label: tuple[Any, ...] = (),
    mode: str = "multimodal",
    figsize_per_panel: float = 4.6,
    dpi: int = 200,
    filepath: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw time-space maps of several years side by side, on one scale.

    Parameters
    ----------
    maps
        ``{year: TimeSpaceMap}`` (:func:`yrdnet.metrics.time_space_map.time_space_map`),
        drawn in year order; all must share ``speed_kph``.
    names
        Zone names for the labelled zones.
    label
        Zone ids to label (e.g. the core and sub-centres).
    mode
        The travel mode the times are of (for the title).
    figsize_per_panel, dpi, filepath
        Figure size per panel (inches), resolution, and where to save (atomically).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``maps`` is empty or the maps use different reference speeds.
    """
    if not maps:
        raise ValueError("plot_time_space: no maps given")
    speeds = {m.speed_kph for m in maps.values()}
    if len(speeds) != 1:
        raise ValueError(f"plot_time_space: the maps use different reference speeds {sorted(speeds)}")
    years = sorted(maps)
    fig, axes = plt.subplots(1, len(years), figsize=(figsize_per_panel * len(years), figsize_per_panel + 0.6), dpi=dpi)
    axes = np.atleast_1d(axes)
    pairs = (("x_km", "y_km"), ("geo_x_km", "geo_y_km"))
    every = np.vstack([m.coords[[c, d]].to_numpy() for m in maps.values() for c, d in pairs])
    lo, hi = every.min(axis=0), every.max(axis=0)
    pad = 0.05 * (hi - lo).max()
    for ax, year in zip(axes, years, strict=True):
        c = maps[year].coords
        ends = c[["geo_x_km", "geo_y_km", "x_km", "y_km"]].to_numpy(float).reshape(-1, 2, 2)
        ax.add_collection(LineCollection(list(ends), colors="0.75", linewidths=0.5, zorder=1))
        dot = 0.5 if len(c) >= 100 else 1.0
        ax.scatter(c["geo_x_km"], c["geo_y_km"], s=6 * dot, color="0.6", label="geographic position", zorder=2)
        ax.scatter(c["x_km"], c["y_km"], s=10 * dot, color="#b2182b", label="time-space position", zorder=3)
        _labels(ax, c.loc[[z for z in label if z in c.index], ["x_km", "y_km"]], names or {})
        m = maps[year]
        ax.set_title(f"{year}: map scale {m.scale:.2f} of geography\n(stress {m.stress:.2f})", fontsize=9)
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].legend(loc="lower left", fontsize=7, frameon=False)
    speed = next(iter(speeds))
    fig.suptitle(f"Time-space maps by {mode} travel time (1 hour = {speed:.0f} km)", fontsize=11)
    fig.tight_layout(rect=(0.0, 0.0, 1.0, 0.95))
    save_figure(fig, filepath, dpi)
    return fig


def _zone_colours(xy: np.ndarray) -> np.ndarray:
    """RGB per zone: hue from its bearing, saturation from its distance to the centroid."""
    d = xy - xy.mean(axis=0)
    r = np.hypot(d[:, 0], d[:, 1])
    hue = (np.arctan2(d[:, 1], d[:, 0]) / (2 * np.pi)) % 1.0
    sat = 0.25 + 0.75 * r / (r.max() or 1.0)
    return np.array([colorsys.hsv_to_rgb(h, s, 0.8) for h, s in zip(hue, sat, strict=True)])


def _projected_polygons(polygons: gpd.GeoSeries) -> gpd.GeoSeries:
    """Polygons in the time-space maps' frame (CHINA_ALBERS, km), simplified to 0.5 km."""
    g = gpd.GeoSeries(polygons, crs=polygons.crs or "EPSG:4326").to_crs(CHINA_ALBERS)
    return g.scale(0.001, 0.001, origin=(0, 0)).simplify(0.5)


def _extent(maps: Sequence[TimeSpaceMap], polygons: gpd.GeoSeries | None = None, pad: float = 0.04) -> Extent:
    """One frame holding every geographic and time-space position of ``maps`` (and the projected polygons)."""
    cols = (("x_km", "y_km"), ("geo_x_km", "geo_y_km"))
    xy = np.vstack([m.coords[[a, b]].to_numpy(float) for m in maps for a, b in cols])
    if polygons is not None and len(polygons):
        b = polygons.total_bounds
        xy = np.vstack([xy, [[b[0], b[1]], [b[2], b[3]]]])
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    p = pad * float((hi - lo).max())
    return float(lo[0] - p), float(hi[0] + p), float(lo[1] - p), float(hi[1] + p)


def _scale_bar(ax: Axes, extent: Extent, km: float, text: str) -> None:
    x0 = extent[0] + 0.05 * (extent[1] - extent[0])
    y0 = extent[2] + 0.05 * (extent[3] - extent[2])
    ax.plot([x0, x0 + km], [y0, y0], color="0.15", lw=2, solid_capstyle="butt", zorder=6)
    ax.annotate(text, (x0 + km / 2, y0), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=7)


def _panel(ax: Axes, c: pd.DataFrame, cols: tuple[str, str], colours: np.ndarray, links: Pairs,
           label: Sequence[Hashable], names: Mapping[Any, str]) -> None:  # fmt: skip
    x, y = cols
    for a, b in links:
        if a in c.index and b in c.index:
            xs, ys = c.loc[[a, b], x].to_numpy(float), c.loc[[a, b], y].to_numpy(float)
            ax.plot(xs, ys, color="0.2", lw=0.8, alpha=0.7, zorder=3)
    ax.scatter(c[x], c[y], s=14 if len(c) < 100 else 6, c=colours, edgecolors="0.3", linewidths=0.2, zorder=4)
    _labels(ax, c.loc[[z for z in label if z in c.index], [x, y]], names)


def _labels(ax: Axes, xy: pd.DataFrame, names: Mapping[Any, str]) -> None:
    """Name each point; a point with a labelled neighbour to its east within 40 km is named west, below."""
    pts = xy.to_numpy(float)
    for k, z in enumerate(xy.index):
        d = pts - pts[k]
        near = (np.hypot(d[:, 0], d[:, 1]) < 40.0) & (d[:, 0] > 0)
        west = bool(near.any())
        ax.annotate(re.sub(r"\s*\(.*\)$", "", names.get(z, str(z))), tuple(pts[k]), fontsize=7, zorder=7,
                    xytext=(-3, -3) if west else (3, 3), textcoords="offset points",
                    ha="right" if west else "left", va="top" if west else "bottom")  # fmt: skip


def plot_time_space_pair(
    m: TimeSpaceMap,
    year: int,
    *,
    polygons: gpd.GeoSeries | None = None,
    names: Mapping[Any, str] | None = None,
    label: Sequence[Hashable] = (),
    links: Pairs = (),
    extent: Extent | None = None,
    mode: str = "multimodal",
    dpi: int = 150,
    filepath: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw one year's geography (left) beside its time-space map (right), on one scale.

    Parameters
    ----------
    m
        The year's :class:`~yrdnet.metrics.time_space_map.TimeSpaceMap`.
    year
        Its network year (for the title).
    polygons
        Zone polygons (EPSG:4326) drawn under the geographic panel.
    names, label
        Names of the zones to label, and which (e.g. the core and sub-centres' zones).
    links
        Pairs of zone ids drawn as lines on both panels (e.g. the core links).
    extent
        ``(xmin, xmax, ymin, ymax)`` in map km; share one across years to compare them
        (default: this map's positions).
    mode, dpi, filepath
        Travel mode of the times (title), resolution, and where to save (atomically).

    Returns
    -------
    matplotlib.figure.Figure
    """
    c = m.coords
    polys = None if polygons is None else _projected_polygons(polygons)
    ext = extent or _extent([m], polys)
    colours = _zone_colours(c[["geo_x_km", "geo_y_km"]].to_numpy(float))
    fig, axes = plt.subplots(1, 2, figsize=(10.0, 5.6), dpi=dpi)
    if polys is not None:
        polys.plot(ax=axes[0], facecolor="#f2f0eb", edgecolor="white", linewidth=0.4, zorder=0)
    sides = (("geo_x_km", "geo_y_km"), ("x_km", "y_km"))
    for ax, cols in zip(axes, sides, strict=True):
        _panel(ax, c, cols, colours, links, label, names or {})
        ax.set_xlim(ext[0], ext[1])
        ax.set_ylim(ext[2], ext[3])
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_ylabel("")
    _scale_bar(axes[0], ext, 100.0, "100 km")
    _scale_bar(axes[1], ext, m.speed_kph, "1 hour")
    axes[0].set_title("Geography", fontsize=9)
    axes[1].set_title(f"Time-space: {mode} travel time\nscale {m.scale:.2f} of geography, stress {m.stress:.2f}",
                      fontsize=9)  # fmt: skip
    fig.suptitle(f"{year}: time replacing space (1 hour = {m.speed_kph:.0f} km)", fontsize=11)
    fig.tight_layout(rect=(0.0, 0.0, 1.0, 0.94))
    save_figure(fig, filepath, dpi)
    return fig


def _inputs(
    source: Sequence[ScenarioResult] | Mapping[int, pd.DataFrame], zones: pd.DataFrame | None, mode: str
) -> tuple[dict[int, pd.DataFrame], pd.DataFrame]:
    """``{year: matrix}`` and the zone table (``lon``, ``lat``) of either kind of input."""
    if isinstance(source, Mapping):
        if zones is None:
            raise DataError("write_time_space_maps: give zones (lon, lat by zone id) with a {year: matrix} mapping")
        return {int(y): T for y, T in source.items()}, zones
    results = list(source)
    if not results:
        raise DataError("write_time_space_maps: no results given")
    table = zones if zones is not None else results[0].zones if results[0].zones is not None else results[0].cities
    return travel_times_by_year(results, mode), table


def _major(region: Region, level: str | None, ids: set[Any]) -> tuple[list[Any], dict[Any, str]]:
    """The zones of the core and sub-centre cities (labelled), named by their city."""
    ends = [c for pair in core_links(region) for c in pair]
    cities = list(dict.fromkeys([region.core, *region.subcentres, *ends]))
    at = region.zones(level).core_zones(region.cities) if level not in (None, "city") else {c: c for c in cities}
    names = region.cities["name_en"]
    chosen = [c for c in cities if c in at and at[c] in ids]
    return [at[c] for c in chosen], {at[c]: str(names.get(c, c)) for c in chosen}


def _named(conv: pd.DataFrame, zones: pd.DataFrame, region: Region) -> pd.DataFrame:
    """Each zone's name beside its id and, for zones below city level, its city's name."""
    names = zones["name_en"] if "name_en" in zones.columns else pd.Series(dtype=str)
    below = "city" in zones.columns and not (zones["city"].to_numpy() == zones.index.to_numpy()).all()
    city = zones["city"].map(region.cities["name_en"]) if below else None
    out = conv.copy()
    for end, at in (("a", 1), ("b", 3 if city is None else 4)):
        out.insert(at, f"name_{end}", out[f"zone_{end}"].map(names))
        if city is not None:
            out.insert(at + 1, f"city_{end}", out[f"zone_{end}"].map(city))
    return out


def write_time_space_maps(
    source: Sequence[ScenarioResult] | Mapping[int, pd.DataFrame],
    out_dir: str | os.PathLike[str],
    *,
    zones: pd.DataFrame | None = None,
    region: Region | None = None,
    speed_kph: float = 60.0,
    mode: str = "multimodal",
    dpi: int = 150,
) -> list[Path]:
    """Write the time-space maps of a timeline beside geography, and Janelle's convergence.

    Parameters
    ----------
    source
        :func:`yrdnet.analyze` results, one per network year (their ``od[mode]``
        matrices and ``zones``), or ``{year: travel-time matrix}`` with ``zones``.
    out_dir
        Folder to write to (created).
    zones
        Zone table with ``lon``, ``lat`` (and ``name_en``) by zone id; default the first
        result's ``zones``.
    region
        The region (default: the shipped YRD): the core links drawn and flagged, the core
        and sub-centres labelled (at county level the zones holding their centres), the
        zone polygons when the zones are a level of the region.
    speed_kph
        Map km per hour of travel, one for every year (:func:`yrdnet.time_space_map`).
    mode
        The travel-time matrix of the results used.
    dpi
        Figure resolution.

    Returns
    -------
    list of pathlib.Path
        ``time_space_<year>.png`` per year (geography left, time-space right, one frame
        for every year), ``time_space_<first>_<last>.png`` (the years' time-space maps
        side by side), ``time_space_coords.csv`` (year, zone, positions in map km),
        ``time_space_fit.csv`` (scale, stress, explained share per year),
        ``janelle_convergence.csv`` (per unordered pair of zones, with names and, below city
        level, the zones' cities; :func:`~yrdnet.metrics.convergence.janelle_convergence`)
        and ``janelle_convergence_summary.csv``
        (:func:`~yrdnet.metrics.convergence.convergence_summary`: every pair
        and the core links, per period and over the whole span). Written atomically.

    Raises
    ------
    DataError
        (a :class:`ValueError`) for a repeated year, zones differing between years,
        unreachable pairs, or a mapping without ``zones``.

    Examples
    --------
    >>> rs = [yrdnet.analyze(s, centrality=False) for s in TIMELINE[:4]]  # doctest: +SKIP
    >>> write_time_space_maps(rs, "results/time_space")  # doctest: +SKIP
    """
    times, table = _inputs(source, zones, mode)
    region = region or load_region()
    ids = sorted(next(iter(times.values())).index)
    level = region.level_of(ids)
    links = core_links(region, region.zones(level)) if level else []
    conv = janelle_convergence(times, core=links)  # validates the years before anything is drawn
    maps = {y: time_space_map(times[y], table, speed_kph=speed_kph) for y in sorted(times)}
    label, names = _major(region, level, set(ids))
    polygons = region.zones(level).polygons if level else None
    frame = None if polygons is None else _projected_polygons(polygons)
    out, ext, paths = Path(out_dir), _extent(list(maps.values()), frame), []
    for y, m in maps.items():
        paths.append(out / f"time_space_{y}.png")
        plt.close(plot_time_space_pair(m, y, polygons=polygons, names=names, label=label, links=links,
                                       extent=ext, mode=mode, dpi=dpi, filepath=paths[-1]))  # fmt: skip
    ys = sorted(maps)
    paths.append(out / f"time_space_{ys[0]}_{ys[-1]}.png")
    plt.close(plot_time_space(maps, names=names, label=tuple(label), mode=mode, dpi=dpi, filepath=paths[-1]))
    coords = pd.concat({y: m.coords for y, m in maps.items()}, names=["year", "zone"])
    fit = pd.DataFrame({y: {"speed_kph": m.speed_kph, "scale": m.scale, "stress": m.stress,
                            "explained": m.explained} for y, m in maps.items()}).T.rename_axis("year")  # fmt: skip
    conv = _named(conv, table, region)
    paths.append(write_csv(out / "time_space_coords.csv", coords.round(3)))
    paths.append(write_csv(out / "time_space_fit.csv", fit.round(4)))
    paths.append(write_csv(out / "janelle_convergence.csv", conv.round(4), index=False))
    paths.append(write_csv(out / "janelle_convergence_summary.csv", convergence_summary(conv).round(4)))
    return paths
