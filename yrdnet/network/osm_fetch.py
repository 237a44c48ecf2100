"""Getting OpenStreetMap roads for an area: the Overpass API through OSMnx, or a PBF file.

Both sources end in the same *raw* road graph: OSMnx's unsimplified ``MultiDiGraph``
(integer OSM node ids, ``x``/``y`` in EPSG:4326, one edge per pair of consecutive way
nodes with ``osmid``, ``highway``, ``oneway``, ``reversed``, ``maxspeed``, ``ref``,
``name``, ``length``), holding the nodes inside the area:

* **Overpass** -- :func:`osmnx.graph_from_polygon` with a ``custom_filter`` made from the
  road classes (:func:`road_filter`), ``simplify=False`` and ``retain_all=True``. OSMnx's
  own settings apply (``osmnx.settings.cache_folder``, ``use_cache``, ``overpass_url``,
  ``requests_timeout``): a repeated request is read from OSMnx's HTTP cache [1]_.
* **PBF** -- pyosmium [2]_ reads the ways of those classes with at least one node inside
  the area and all their nodes, as an Overpass response would hold them
  (:func:`overpass_json_from_pbf`); :func:`raw_graph_from_json` turns that into the
  same graph by OSMnx's rules (``osmnx.graph._create_graph``: consecutive repeated nodes
  dropped, ``oneway`` values ``yes``/``true``/``1`` forward only, ``-1``/``reverse``
  reversed, ``junction=roundabout`` one-way), and :func:`osmnx.truncate.truncate_graph_polygon`
  keeps the nodes inside the area, as OSMnx does after a download. A URL is downloaded
  once into a cache folder (:func:`cached_pbf`).

References
----------
.. [1] Boeing, G. (2025). Modeling and Analyzing Urban Networks and Amenities with OSMnx.
   *Geographical Analysis*. https://doi.org/10.1111/gean.70009
.. [2] pyosmium, Python bindings for libosmium. https://osmcode.org/pyosmium/
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import groupby, pairwise
from pathlib import Path
from typing import Any, TypeAlias
from urllib.parse import urlparse

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from yrdnet.core.errors import DataError
from yrdnet.core.io import atomic_path
from yrdnet.core.optional import import_optional
from yrdnet.network.osm_tags import way_direction

__all__ = [
    "ROAD_TYPES",
    "area_polygon",
    "cached_pbf",
    "osmnx_settings",
    "overpass_json_from_pbf",
    "raw_graph_from_json",
    "raw_road_graph",
    "road_classes",
    "road_filter",
]

log = logging.getLogger(__name__)

#: Road classes ``graph_from_osm`` can keep; each brings its ``_link`` ramps.
ROAD_TYPES: tuple[str, ...] = ("motorway", "trunk", "primary", "secondary")
#: Way tags kept on raw edges (a subset of ``osmnx.settings.useful_tags_way``).
_VECTOR_SUFFIXES = frozenset({".geojson", ".json", ".gpkg", ".shp", ".fgb", ".parquet"})
_WAY_TAGS = ("highway", "oneway", "junction", "maxspeed", "ref", "name", "lanes")

Area: TypeAlias = Polygon | MultiPolygon | gpd.GeoDataFrame | gpd.GeoSeries | Sequence[float] | str | Path


def road_classes(road_types: Sequence[str]) -> tuple[str, ...]:
    """The ``highway`` values kept for ``road_types``: each class and its ``_link``.

    Raises
    ------
    ValueError
        For an empty selection or a class not in :data:`ROAD_TYPES`.

    Examples
    --------
    >>> road_classes(["motorway", "primary"])
    ('motorway', 'motorway_link', 'primary', 'primary_link')
    """
    bad = [t for t in road_types if t not in ROAD_TYPES]
    if bad or not road_types:
        msg = f"road_types must be a non-empty selection of {list(ROAD_TYPES)}, got {list(road_types)}"
        raise ValueError(msg)
    return tuple(c for t in ROAD_TYPES if t in road_types for c in (t, f"{t}_link"))


def road_filter(road_types: Sequence[str]) -> str:
    """The OSMnx ``custom_filter`` (Overpass QL) selecting the ways of ``road_types``.

    Examples
    --------
    >>> road_filter(["motorway"])
    '["highway"~"^(motorway|motorway_link)$"]'
    """
    return f'["highway"~"^({"|".join(road_classes(road_types))})$"]'


def area_polygon(area: Area) -> Polygon | MultiPolygon:
    """The area as one (Multi)Polygon in EPSG:4326.

    Parameters
    ----------
    area
        A shapely (Multi)Polygon (EPSG:4326); a GeoDataFrame or GeoSeries of polygons
        (any CRS; their union); a bbox ``(west, south, east, north)`` in degrees; a path
        to a vector file (GeoJSON, GeoPackage, shapefile); or a place name, geocoded by
        :func:`osmnx.geocode_to_gdf` (Nominatim; needs a network connection once, then
        OSMnx's cache).

    Raises
    ------
    DataError
        For a bbox that is not four numbers west < east, south < north, a file without
        polygons, or an empty or invalid geometry.
    """
    if isinstance(area, (Polygon, MultiPolygon)):
        geom: Any = area
    elif isinstance(area, (gpd.GeoDataFrame, gpd.GeoSeries)):
        geom = _union(area, "the area GeoDataFrame")
    elif isinstance(area, Path) or (isinstance(area, str) and Path(area).suffix.lower() in _VECTOR_SUFFIXES):
        if not Path(area).is_file():
            raise DataError(f"{area}: no such area file (expected a GeoJSON, GeoPackage or shapefile of polygons)")
        geom = _union(gpd.read_file(area), str(area))
    elif isinstance(area, str):
        geom = _geocode(area)
    else:
        geom = _bbox(area)
    if geom.is_empty or not geom.is_valid or not isinstance(geom, (Polygon, MultiPolygon)):
        msg = f"area: expected a valid, non-empty polygon, got {geom.geom_type}"
        raise DataError(msg)
    return geom


def _geocode(place: str) -> Any:
    """The polygon OSMnx's geocoder (Nominatim, through OSMnx's cache) gives for ``place``."""
    import osmnx as ox
    import requests

    try:
        return _union(ox.geocode_to_gdf(place), f"place {place!r}")
    except (ox._errors.InsufficientResponseError, requests.RequestException, TypeError) as e:
        msg = f"place {place!r}: geocoding with OSMnx (Nominatim) failed ({type(e).__name__}: {e})"
        raise DataError(msg) from e


def _union(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> Any:
    if gdf.crs is None:
        raise DataError(f"{what}: has no CRS (set one, e.g. .set_crs('EPSG:4326'))")
    g = gdf.to_crs("EPSG:4326")
    geoms = g.geometry if isinstance(g, gpd.GeoDataFrame) else g
    polys = geoms[geoms.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polys.empty:
        raise DataError(f"{what}: holds no polygon (got {sorted(set(geoms.geom_type))})")
    return polys.union_all()


def _bbox(area: Any) -> Polygon:
    try:
        w, s, e, n = (float(v) for v in area)
    except (TypeError, ValueError):
        msg = (
            "area: expected a polygon, a GeoDataFrame, a file, a place name or a bbox "
            f"(west, south, east, north), got {area!r}"
        )
        raise DataError(msg) from None
    if not (w < e and s < n and w >= -180 and e <= 180 and s >= -90 and n <= 90):
        raise DataError(
            f"area bbox {area!r}: expected (west, south, east, north) in degrees, west < east, south < north"
        )
    return box(w, s, e, n)


def cached_pbf(source: str | Path, cache_folder: str | Path) -> Path:
    """A local PBF file: ``source`` itself, or the download of a URL kept in ``cache_folder``.

    A URL (``http://``, ``https://``) is downloaded once, atomically, to
    ``<cache_folder>/osm/<sha1 of the URL>-<file name>``; later calls read that file.

    Raises
    ------
    DataError
        For a missing local file or a failed download (naming the URL).
    """
    text = str(source)
    if urlparse(text).scheme not in ("http", "https"):
        path = Path(source)
        if not path.is_file():
            raise DataError(f"{path}: no such OSM file")
        return path
    name = Path(urlparse(text).path).name or "extract.osm.pbf"
    target = Path(cache_folder) / "osm" / f"{hashlib.sha1(text.encode()).hexdigest()[:16]}-{name}"
    if target.is_file():
        return target
    import requests

    log.info("downloading %s to %s", text, target)
    try:
        with requests.get(text, stream=True, timeout=60) as r, atomic_path(target) as tmp:
            r.raise_for_status()
            with tmp.open("wb") as f:
                for chunk in r.iter_content(chunk_size=1 << 20):
                    f.write(chunk)
    except requests.RequestException as e:
        raise DataError(f"{text}: download failed ({e})") from e
    return target


def overpass_json_from_pbf(
    path: str | Path, polygon: Polygon | MultiPolygon, road_types: Sequence[str]
) -> dict[str, Any]:
    """The Overpass-format response for the roads of ``road_types`` in ``polygon``, read from a PBF.

    Ways of the classes (:func:`road_classes`) with at least one located node inside the
    polygon, and all their located nodes, as ``{"elements": [...]}`` with ``node``
    elements (``id``, ``lat``, ``lon``) then ``way`` elements (``id``, ``nodes``,
    ``tags``): what ``[out:json]`` returns for ``(way[...](poly:...);>;);out;``.

    Raises
    ------
    ImportError
        Without pyosmium (``pip install yrdnet[pbf]``).
    DataError
        If the file cannot be read.
    """
    osmium = import_optional("osmium", "reading .osm.pbf files", "pbf")
    classes = set(road_classes(road_types))
    coords: dict[int, tuple[float, float]] = {}
    ways: list[tuple[int, list[int], dict[str, str]]] = []
    try:
        fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
        for obj in fp.with_filter(osmium.filter.KeyFilter("highway")):
            if not obj.is_way() or obj.tags.get("highway") not in classes:
                continue
            refs = [n.ref for n in obj.nodes if n.location.valid()]
            coords.update((n.ref, (n.location.lon, n.location.lat)) for n in obj.nodes if n.location.valid())
            if len(refs) >= 2:
                ways.append((obj.id, refs, {t.k: t.v for t in obj.tags}))
    except (RuntimeError, OSError, ValueError) as e:
        raise DataError(f"{path}: cannot read OSM PBF ({e})") from e
    ids = np.fromiter(coords, dtype=np.int64, count=len(coords))
    xy = np.array([coords[i] for i in ids]).reshape(-1, 2)
    inside = set(ids[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])].tolist()) if len(ids) else set()
    kept = [w for w in ways if inside.intersection(w[1])]
    used = sorted({r for w in kept for r in w[1]})
    nodes = [{"type": "node", "id": n, "lat": coords[n][1], "lon": coords[n][0]} for n in used]
    way_el = [{"type": "way", "id": i, "nodes": refs, "tags": tags} for i, refs, tags in kept]
    return {"version": 0.6, "generator": f"yrdnet from {Path(path).name}", "elements": nodes + way_el}


def raw_graph_from_json(response: dict[str, Any]) -> nx.MultiDiGraph:
    """OSMnx's unsimplified graph of an Overpass-format response (see the module notes)."""
    import osmnx as ox

    G: nx.MultiDiGraph = nx.MultiDiGraph(crs=ox.settings.default_crs)
    els = response.get("elements", [])
    G.add_nodes_from((e["id"], {"x": e["lon"], "y": e["lat"]}) for e in els if e.get("type") == "node")
    for e in els:
        if e.get("type") != "way":
            continue
        tags = e.get("tags", {})
        refs = [k for k, _ in groupby(r for r in e["nodes"] if r in G)]  # nodes the response lacks are skipped
        d = way_direction(tags, tags.get("highway", ""))
        refs = refs[::-1] if d < 0 else refs
        attrs = {"osmid": e["id"], **{k: tags[k] for k in _WAY_TAGS if k in tags}, "oneway": d != 0}
        G.add_edges_from(pairwise(refs), **attrs, reversed=False)
        if d == 0:
            G.add_edges_from(((v, u) for u, v in pairwise(refs)), **attrs, reversed=True)
    if G.number_of_edges():
        G = ox.distance.add_edge_lengths(G)
    return G


@contextmanager
def osmnx_settings(overrides: Mapping[str, Any]) -> Iterator[None]:
    """Set ``osmnx.settings`` attributes for the block, then restore them.

    Raises
    ------
    ValueError
        For a name that is not an OSMnx setting.
    """
    import osmnx as ox

    unknown = sorted(k for k in overrides if not hasattr(ox.settings, k))
    if unknown:
        raise ValueError(f"osmnx_settings: {unknown} are not osmnx.settings attributes")
    old = {k: getattr(ox.settings, k) for k in overrides}
    try:
        for k, v in overrides.items():
            setattr(ox.settings, k, v)
        yield
    finally:
        for k, v in old.items():
            setattr(ox.settings, k, v)


def _overpass_graph(polygon: Polygon | MultiPolygon, road_types: Sequence[str]) -> nx.MultiDiGraph:
    import osmnx as ox
    import requests

    try:
        return ox.graph_from_polygon(polygon, custom_filter=road_filter(road_types), simplify=False, retain_all=True)
    except ox._errors.InsufficientResponseError as e:
        raise DataError(f"Overpass: no {'/'.join(road_types)} roads in the area ({e})") from e
    except (requests.RequestException, ox._errors.ResponseStatusCodeError) as e:
        msg = (
            f"Overpass ({ox.settings.overpass_url}): request failed and not in OSMnx's cache "
            f"{ox.settings.cache_folder} ({type(e).__name__}: {e})"
        )
        raise DataError(msg) from e


def raw_road_graph(
    polygon: Polygon | MultiPolygon,
    road_types: Sequence[str],
    source: str | Path | None,
    cache_folder: str | Path,
    overrides: Mapping[str, Any] | None = None,
) -> tuple[nx.MultiDiGraph, str, str]:
    """The raw road graph of ``polygon``, its source text and format (``"overpass"``/``"osm-pbf"``).

    ``overrides`` are ``osmnx.settings`` values for the Overpass request (e.g.
    ``{"cache_folder": ...}``), restored afterwards.

    Raises
    ------
    DataError
        If the area holds no road of the selected classes, or the request fails and is
        not cached (naming the source).
    """
    import osmnx as ox

    if source is None:
        with osmnx_settings(overrides or {}):
            return _overpass_graph(polygon, road_types), ox.settings.overpass_url, "overpass"
    path = cached_pbf(source, cache_folder)
    G = raw_graph_from_json(overpass_json_from_pbf(path, polygon, road_types))
    G = ox.truncate.truncate_graph_polygon(G, polygon) if len(G) else G
    if G.number_of_edges() == 0:
        raise DataError(f"{path}: no {'/'.join(road_classes(road_types))} roads inside the area")
    return G, str(source), "osm-pbf"
