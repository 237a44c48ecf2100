"""Fill OSMnx's Overpass cache from a PBF file, so that ``graph_from_osm(area)`` runs offline.

OSMnx answers a repeated Overpass request from its HTTP cache: a JSON file in
``osmnx.settings.cache_folder`` named by the SHA-1 of the request written as a GET URL
(``osmnx._http._resolve_cache_filepath``) [1]_. :func:`osmnx.graph_from_polygon` asks for
the polygon buffered by 500 m (in UTM), subdivided when larger than
``settings.max_query_area_size``, with the query
``<overpass_settings>;(way<custom_filter>(poly:'<lat lon ...>');>;);out;`` per part
(``osmnx._overpass._download_overpass_network``).

:func:`prefill_overpass_cache` builds those same requests with OSMnx's own helpers (so
the file names follow the installed OSMnx) and writes, under each, the response an
Overpass server would give for that part, read from a PBF extract
(:func:`yrdnet.network.osm_fetch.overpass_json_from_pbf`). Uses: tests and documentation
that must not touch the network, a machine that reaches Geofabrik but not Overpass, and
a frozen, reproducible Overpass answer.

References
----------
.. [1] OSMnx 2.1 source: ``osmnx/_overpass.py``, ``osmnx/_http.py``, ``osmnx/graph.py``
   (``graph_from_polygon``). https://github.com/gboeing/osmnx
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon

from yrdnet.core.io import atomic_path
from yrdnet.network.osm_fetch import Area, area_polygon, overpass_json_from_pbf, road_filter

__all__ = ["overpass_requests", "prefill_overpass_cache"]

_BUFFER_M = 500.0  # osmnx.graph_from_polygon buffers the polygon by 0.5 km before the request


def _polygon_of(coord_str: str) -> Polygon:
    v = [float(s) for s in coord_str.split()]
    return Polygon(list(zip(v[1::2], v[0::2], strict=True)))  # "lat lon lat lon ..."


def overpass_requests(area: Area, road_types: Sequence[str]) -> list[tuple[str, Polygon]]:
    """The request URLs :func:`osmnx.graph_from_polygon` sends for ``area`` and ``road_types``, each with its part.

    Built with OSMnx's own (private) query helpers and ``osmnx.settings``, so they match
    the installed OSMnx: the test of this module checks the match by running
    :func:`yrdnet.graph_from_osm` with the network blocked.
    """
    import osmnx as ox
    import requests
    from osmnx import _overpass

    polygon: Polygon | MultiPolygon = area_polygon(area)
    proj, crs = ox.projection.project_geometry(polygon)
    buffered, _ = ox.projection.project_geometry(proj.buffer(_BUFFER_M), crs=crs, to_latlong=True)
    head = _overpass._make_overpass_settings()
    url = ox.settings.overpass_url.rstrip("/") + "/interpreter"
    out = []
    for coord_str in _overpass._make_overpass_polygon_coord_strs(buffered):
        query = f"{head};(way{road_filter(road_types)}(poly:{coord_str!r});>;);out;"
        prepared = requests.Request("GET", url, params=OrderedDict(data=query)).prepare().url
        out.append((str(prepared), _polygon_of(coord_str)))
    return out


def prefill_overpass_cache(pbf: str | Path, area: Area, road_types: Sequence[str]) -> list[Path]:
    """Write OSMnx cache files answering the Overpass requests of ``area`` from ``pbf``.

    Parameters
    ----------
    pbf
        An ``.osm.pbf`` extract covering the area (plus 500 m).
    area
        As in :func:`yrdnet.graph_from_osm`.
    road_types
        As in :func:`yrdnet.graph_from_osm`; the cache answers only this selection.

    Returns
    -------
    list of pathlib.Path
        The cache files written (in ``osmnx.settings.cache_folder``), one per request.

    Examples
    --------
    >>> import osmnx as ox  # doctest: +SKIP
    >>> ox.settings.cache_folder = "osm-cache"  # doctest: +SKIP
    >>> prefill_overpass_cache("helsinki.osm.pbf", (24.93, 60.16, 24.96, 60.18), ["primary"])  # doctest: +SKIP
    """
    from osmnx import _http

    written = []
    for url, part in overpass_requests(area, road_types):
        path = _http._resolve_cache_filepath(url)
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(overpass_json_from_pbf(pbf, part, road_types)), encoding="utf-8")
        written.append(path)
    return written
