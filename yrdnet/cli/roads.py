"""OpenStreetMap roads on the command line: ``yrdnet roads fetch`` and ``--roads osm[:PATH]``.

One place turns the ``--roads`` flag into the road source that ``build``, ``analyze``,
``compare`` and ``timeline`` use (:class:`RoadSource`):

* ``curated`` (the default): the embedded network, exactly as without the flag;
* ``osm``: the OpenStreetMap motorways, trunk and primary roads of the YRD (the union of
  the shipped county polygons) from the Overpass API through OSMnx, read from OSMnx's
  cache when the request was made before (``osmnx.settings.cache_folder``);
* ``osm:PATH``: the same roads read from a PBF file or URL (pyosmium).

The OSM road layer is built once per run and replaces the road layer of each scenario's
curated graph (:func:`yrdnet.network.osm_roads.with_osm_roads`): rail, stations and
services stay the scenario's own.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from yrdnet.analysis.pipeline import analyze
from yrdnet.analysis.results import ScenarioResult
from yrdnet.core.io import atomic_dir, save_geopackage, save_graphml
from yrdnet.network.osm_fetch import ROAD_TYPES
from yrdnet.network.osm_roads import osm_road_layer, with_osm_roads
from yrdnet.region.zones import Zones, load_zones, resolve_zones
from yrdnet.scenarios.scenario import build_graph

__all__ = ["RoadSource", "add_roads_arg", "add_roads_parser", "fetch", "parse_roads"]

DEFAULT_ROAD_TYPES = ("motorway", "trunk", "primary")


@dataclass
class RoadSource:
    """What ``--roads`` asked for; builds the OSM road layer once, on first use.

    Attributes
    ----------
    osm : bool
        ``False``: the embedded (curated) network.
    pbf : str or None
        A PBF path or URL (``osm:PATH``); ``None``: Overpass through OSMnx's cache.
    """

    osm: bool = False
    pbf: str | None = None
    _layer: nx.MultiDiGraph | None = field(default=None, repr=False)

    def layer(self) -> nx.MultiDiGraph:
        """The OSM road layer of the YRD (built on the first call)."""
        if self._layer is None:
            self._layer = osm_road_layer(yrd_area(), road_types=DEFAULT_ROAD_TYPES, source=self.pbf)
        return self._layer

    def graph(self, scenario: Any, year: int | None = None, zones: Zones | str | None = None) -> nx.MultiDiGraph:
        """The scenario's graph with this road source (the curated one unchanged)."""
        if not self.osm:
            return build_graph(scenario, year, zones=zones)
        Z = resolve_zones(zones)
        return with_osm_roads(build_graph(scenario, year, zones=Z), self.layer(), Z)

    def results(self, scenarios: Sequence[Any], zones: str, analyse: Callable[..., ScenarioResult] = analyze,
                **kw: Any) -> list[Any]:  # fmt: skip
        """Scenario names as they are (curated), or analysed results on the OSM roads."""
        if not self.osm:
            return list(scenarios)
        Z = load_zones(zones)
        return [analyse(self.graph(s, zones=Z), zones=Z, **kw) for s in scenarios]


def parse_roads(text: str) -> RoadSource:
    """``curated``, ``osm`` or ``osm:PATH`` -> :class:`RoadSource`.

    Raises
    ------
    ValueError
        For anything else, or ``osm:`` without a path.

    Examples
    --------
    >>> parse_roads("osm:yrd.osm.pbf")
    RoadSource(osm=True, pbf='yrd.osm.pbf')
    """
    if text == "curated":
        return RoadSource()
    if text == "osm":
        return RoadSource(osm=True)
    if text.startswith("osm:") and text[4:]:
        return RoadSource(osm=True, pbf=text[4:])
    raise ValueError(f"--roads: expected curated, osm or osm:PATH (a .osm.pbf file or URL), got {text!r}")


def add_roads_arg(p: argparse.ArgumentParser) -> None:
    """The ``--roads`` option of build, analyze, compare and timeline."""
    p.add_argument(
        "--roads",
        default="curated",
        metavar="curated|osm[:PATH]",
        help="road network: the embedded one (default), OpenStreetMap via Overpass and OSMnx's cache (osm), "
        "or a .osm.pbf file or URL (osm:PATH)",
    )


def yrd_area() -> Any:
    """The YRD as one polygon: the union of the shipped county polygons."""
    from yrdnet.region.datasets import load_county_boundaries

    return load_county_boundaries().union_all()


def add_roads_parser(cmd: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """``yrdnet roads fetch``."""
    r = cmd("roads", "OpenStreetMap roads: fetch an area's road graph (OSMnx / Overpass or a PBF)")
    sub = r.add_subparsers(dest="roads_command", metavar="ACTION", required=True, parser_class=type(r))
    f = sub.add_parser("fetch", help="download (or read) an area's OSM roads; write GraphML and GeoPackage")
    f.add_argument("--area", required=True, help="place name, bbox west,south,east,north, or a polygon file")
    f.add_argument(
        "--road-types",
        default=",".join(DEFAULT_ROAD_TYPES),
        help=f"comma-separated, of {','.join(ROAD_TYPES)} (links included; default: %(default)s)",
    )
    f.add_argument("--pbf", help="read this .osm.pbf file or URL instead of the Overpass API")
    f.add_argument("--consolidate-m", type=float, default=None, help="junction merge tolerance in metres")
    f.add_argument(
        "--cache",
        help="cache folder for Overpass responses (OSMnx) and downloaded PBFs "
        "(default: osmnx.settings.cache_folder and yrdnet's cache folder)",
    )
    f.add_argument("--out", required=True, help="output folder (replaced whole; only files inside it are written)")


def _area_arg(text: str) -> Any:
    parts = text.split(",")
    if len(parts) == 4:
        try:
            return tuple(float(p) for p in parts)
        except ValueError:
            pass
    return text


def fetch(args: argparse.Namespace) -> int:
    """``yrdnet roads fetch``: the road layer as ``roads.graphml`` and ``roads.gpkg`` in ``--out``."""
    from yrdnet.network.osm_roads import OsmRoadOptions

    types = tuple(t.strip() for t in str(args.road_types).split(",") if t.strip())
    kw: dict[str, Any] = {} if args.consolidate_m is None else {"consolidate_m": args.consolidate_m}
    if args.cache:
        kw.update(cache_folder=Path(args.cache), osmnx_settings={"cache_folder": Path(args.cache) / "osmnx"})
    opts = OsmRoadOptions(**kw)
    R = osm_road_layer(_area_arg(args.area), road_types=types, source=args.pbf, options=opts)
    R.graph.update(crs="EPSG:4326", scenario="osm_roads", year=-1)
    out = Path(args.out)
    with atomic_dir(out) as tmp:
        save_graphml(R, tmp / "roads.graphml")
        save_geopackage(R, tmp / "roads.gpkg")
    print(f"OSM roads ({R.graph['roads_format']}): {R.number_of_nodes()} junctions, {R.number_of_edges()} edges -> "
          f"{out / 'roads.graphml'}, {out / 'roads.gpkg'}")  # fmt: skip
    return 0
