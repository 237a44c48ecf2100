"""Tests of the OpenStreetMap builders (yrdnet.osm) on a tiny synthetic extract, offline.

The same data is written as ``.osm`` XML and as ``.osm.pbf`` (pyosmium ``SimpleWriter``), so
the two readers can be checked against each other and against hand-computed times.
"""

from __future__ import annotations

import logging
import math
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
import osmnx as ox
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.osm import DEFAULT_SPEEDS_KPH, graph_from_pbf, graph_from_xml, parse_maxspeed
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.testing import assert_graph_contract, assert_od_equal

CITIES = pd.DataFrame(
    {
        "name_en": ["Shanghai", "Wuxi", "Suzhou", "Jiaxing"],
        "name_zh": ["上海", "无锡", "苏州", "嘉兴"],
        "lon": [121.4737, 120.3119, 120.5853, 120.7555],
        "lat": [31.2304, 31.4912, 31.2989, 30.7469],
    },
    index=pd.Index([310000, 320200, 320500, 330400], name="adcode"),
)

# id -> (lon, lat, tags)
NODES: dict[int, tuple[float, float, dict[str, str]]] = {
    101: (121.40, 31.25, {"highway": "motorway_junction", "name": "Shanghai West IC"}),
    102: (121.10, 31.33, {}),
    103: (120.70, 31.35, {}),
    104: (120.33, 31.52, {}),
    105: (121.10, 31.00, {}),
    106: (120.78, 30.77, {}),
    108: (120.30, 31.57, {}),
    109: (120.62, 31.30, {}),
    110: (121.4737, 31.2304, {}),  # city centre: only on the residential street
    111: (121.12, 31.36, {}),
    112: (121.25, 31.30, {}),  # shape point only
    201: (121.320, 31.194, {"railway": "station", "name": "上海虹桥", "name:en": "Shanghai Hongqiao"}),
    202: (120.95, 31.30, {}),
    203: (120.642, 31.419, {"public_transport": "station", "name": "Suzhou North"}),
    204: (120.40, 31.50, {}),
    205: (120.401, 31.502, {"railway": "station", "name": "Wuxi East"}),  # off the track, ~240 m
    206: (120.30, 31.55, {}),
    207: (120.60, 31.45, {}),
}
# id -> (node refs, tags)
WAYS: dict[int, tuple[list[int], dict[str, str]]] = {
    1001: ([101, 112, 102, 103], {"highway": "motorway", "ref": "G42", "maxspeed": "120"}),
    1002: ([103, 104], {"highway": "motorway", "ref": "G42", "maxspeed": "120 km/h"}),
    1003: ([101, 105, 106], {"highway": "motorway", "ref": "G60", "maxspeed": "75 mph"}),
    1004: ([104, 108], {"highway": "trunk_link"}),
    1005: ([103, 109], {"highway": "trunk", "ref": "S58", "maxspeed": "100;80"}),
    1006: ([101, 110], {"highway": "residential", "name": "Some Street"}),
    1007: ([102, 111], {"highway": "motorway_link", "oneway": "yes"}),
    2001: ([201, 202, 203, 204], {"railway": "rail", "highspeed": "yes", "maxspeed": "350", "name": "京沪高铁"}),
    2002: ([204, 206], {"railway": "rail", "usage": "main"}),
    2003: ([203, 207], {"railway": "rail", "usage": "industrial"}),
}
RELATIONS = {3001: ([2001], {"type": "route", "route": "railway", "name": "Beijing-Shanghai HSR"})}


def _tags_xml(tags: dict[str, str]) -> str:
    return "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())


def write_xml(path: Path, ways: dict[int, tuple[list[int], dict[str, str]]] = WAYS) -> Path:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="yrdnet-test">']
    for nid, (lon, lat, tags) in NODES.items():
        parts.append(f'<node id="{nid}" lat="{lat}" lon="{lon}">{_tags_xml(tags)}</node>')
    for wid, (refs, tags) in ways.items():
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        parts.append(f'<way id="{wid}">{nds}{_tags_xml(tags)}</way>')
    for rid, (members, tags) in RELATIONS.items():
        mem = "".join(f'<member type="way" ref="{m}" role=""/>' for m in members)
        parts.append(f'<relation id="{rid}">{mem}{_tags_xml(tags)}</relation>')
    parts.append("</osm>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_pbf(path: Path) -> Path:
    import osmium
    from osmium.osm.mutable import Node, Relation, Way

    with osmium.SimpleWriter(str(path)) as w:
        for nid, (lon, lat, tags) in NODES.items():
            w.add_node(Node(id=nid, location=(lon, lat), tags=tags, version=1))
        for wid, (refs, tags) in WAYS.items():
            w.add_way(Way(id=wid, nodes=refs, tags=tags, version=1))
        for rid, (members, tags) in RELATIONS.items():
            w.add_relation(Relation(id=rid, members=[("w", m, "") for m in members], tags=tags, version=1))
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("osm")
    return write_xml(d / "yrd.osm"), write_pbf(d / "yrd.osm.pbf")


@pytest.fixture(scope="module")
def G(files: tuple[Path, Path]):  # type: ignore[no-untyped-def]
    return graph_from_xml(files[0], CITIES, year=2024)


def hav_m(a: int, b: int) -> float:
    (lon1, lat1, _), (lon2, lat2, _) = NODES[a], NODES[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def edge(G, u: str, v: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    (d,) = G.get_edge_data(u, v).values()
    return d  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("value", "kph"),
    [
        ("120", 120.0),
        ("120 km/h", 120.0),
        ("80kmh", 80.0),
        ("75 mph", 75 * 1.609344),
        ("120;100", 110.0),
        ("none", None),
        ("CN:motorway", None),
        ("0", None),
        (None, None),
        ("", None),
    ],
)
def test_parse_maxspeed(value: str | None, kph: float | None) -> None:
    got = parse_maxspeed(value)
    assert got == (None if kph is None else pytest.approx(kph))


# --------------------------------------------------------------------------- the graph


def test_contract_and_provenance(G, files) -> None:  # type: ignore[no-untyped-def]
    assert_graph_contract(G)
    assert G.graph["crs"] == "EPSG:4326"
    assert G.graph["scenario"] == "osm"
    assert G.graph["year"] == 2024
    assert G.graph["source"] == str(files[0])
    assert G.graph["created_with"].startswith("yrdnet")
    assert {G.nodes[f"zone:{c}"]["name_zh"] for c in CITIES.index} == set(CITIES["name_zh"])


def test_ways_filtered_and_simplified(G) -> None:  # type: ignore[no-untyped-def]
    osmids = {d["osmid"] for _, _, d in G.edges(data=True) if "osmid" in d}
    assert osmids == {1001, 1002, 1003, 1004, 1005, 1007, 2001, 2002}  # residential, industrial rail dropped
    assert "rd:110" not in G and "pl:osm:207" not in G
    assert "rd:112" not in G  # a shape point, not a graph node
    e = edge(G, "rd:101", "rd:102")
    assert e["length"] == pytest.approx(hav_m(101, 112) + hav_m(112, 102))
    assert len(e["geometry"].coords) == 3
    assert e["route"] == "G42"
    assert G.has_edge("rd:102", "rd:111") and not G.has_edge("rd:111", "rd:102")  # oneway link
    modes = {d["mode"] for _, _, d in G.edges(data=True)}
    assert modes == {"road", "rail", "access", "transfer"}


def test_speeds_and_times(G) -> None:  # type: ignore[no-untyped-def]
    m = TravelTimeModel()
    expected = {
        ("rd:103", "rd:104"): 120.0,
        ("rd:101", "rd:106"): 75 * 1.609344,
        ("rd:104", "rd:108"): DEFAULT_SPEEDS_KPH["trunk_link"],
        ("rd:103", "rd:109"): 90.0,
        ("pl:osm:201", "pl:osm:203"): 350.0,
        ("pl:osm:204", "pl:osm:206"): DEFAULT_SPEEDS_KPH["rail"],
    }
    for (u, v), kph in expected.items():
        e = edge(G, u, v)
        assert e["speed_kph"] == pytest.approx(kph), (u, v)
        factor = m.rail_speed_factor if e["mode"] == "rail" else m.road_speed_factor / m.road_congestion
        assert e["travel_time"] == pytest.approx(e["length"] / 1000 / (kph * factor) * 3600), (u, v)


def test_rail_lines_and_stations(G) -> None:  # type: ignore[no-untyped-def]
    m = TravelTimeModel()
    assert edge(G, "pl:osm:201", "pl:osm:203")["line"] == "Beijing-Shanghai HSR"  # from the relation
    assert edge(G, "pl:osm:204", "pl:osm:206")["line"] == "rail"  # no relation, no name
    halls = sorted(n for n in G if n.startswith("st:"))
    assert halls == ["st:201", "st:203", "st:205"]  # 205 snapped onto track node 204
    assert G.nodes["st:201"]["name"] == "Shanghai Hongqiao" and G.nodes["st:201"]["name_zh"] == "上海虹桥"
    assert edge(G, "st:205", "pl:osm:204")["travel_time"] == pytest.approx(m.wait_min * 60)
    assert edge(G, "pl:osm:204", "st:205")["travel_time"] == pytest.approx(m.alight_min * 60)
    assert "pl:osm:202" not in G  # riding through is free: no node between stations
    assert G.nodes["st:205"]["city"] == 320200 and G.nodes["rd:106"]["city"] == 330400


def test_osmnx_accepts_it(G) -> None:  # type: ignore[no-untyped-def]
    nodes, edges = ox.graph_to_gdfs(G)
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    fig, ax = ox.plot_graph(G, show=False, close=True)
    assert fig is not None and ax is not None


def test_travel_times(G) -> None:  # type: ignore[no-untyped-def]
    road = yrdnet.travel_times(G, "road")
    with pytest.warns(UnreachableWarning, match="330400 Jiaxing"):  # no station within reach
        rail = yrdnet.travel_times(G, "rail")
    multi = yrdnet.travel_times(G, "multimodal")
    assert np.isfinite(road.to_numpy()).all() and np.isfinite(multi.to_numpy()).all()
    assert (multi.to_numpy() <= np.minimum(rail.to_numpy(), road.to_numpy()) + 1e-4).all()
    assert np.isfinite(rail.loc[310000, 320200])


def test_hand_computed_road_time(G) -> None:  # type: ignore[no-untyped-def]
    """Shanghai -> Wuxi by road: access to 101, G42 101-112-102-103-104 at 120 km/h, access."""
    m = TravelTimeModel()

    def access_s(code: int, node: int) -> float:
        lon, lat = CITIES.loc[code, ["lon", "lat"]]
        km = float(haversine_km(lon, lat, *NODES[node][:2]))
        return max(m.road_access_min * 60, km * m.access_detour / m.access_speed_kph * 3600)

    km = (hav_m(101, 112) + hav_m(112, 102) + hav_m(102, 103) + hav_m(103, 104)) / 1000
    drive = km / (120 * m.road_speed_factor) * 3600 * m.road_congestion
    expected_min = (access_s(310000, 101) + drive + access_s(320200, 104)) / 60
    T = yrdnet.travel_times(G, "road")
    assert T.loc[310000, 320200] == pytest.approx(expected_min, rel=1e-5)
    assert T.loc[320200, 310000] == pytest.approx(expected_min, rel=1e-5)


def test_model_is_applied(files) -> None:  # type: ignore[no-untyped-def]
    """Invariance: doubling the road speed factor halves in-vehicle road time."""
    # 0.6 -> 1.2 stays inside the valid range [0.3, 1.5] of road_speed_factor (2 x 0.95 would not)
    slow = graph_from_xml(files[0], CITIES, model=TravelTimeModel(road_speed_factor=0.6))
    fast = graph_from_xml(files[0], CITIES, model=TravelTimeModel(road_speed_factor=1.2))
    assert edge(fast, "rd:103", "rd:104")["travel_time"] == pytest.approx(
        edge(slow, "rd:103", "rd:104")["travel_time"] / 2
    )


def test_xml_and_pbf_agree(G, files) -> None:  # type: ignore[no-untyped-def]
    P = graph_from_pbf(files[1], CITIES, year=2024)
    assert_graph_contract(P)
    assert P.graph["source_format"] == "osm-pbf"
    assert (P.number_of_nodes(), P.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert set(P.nodes) == set(G.nodes)
    assert sorted(P.edges()) == sorted(G.edges())
    for mode in ("road", "multimodal"):
        assert_od_equal(yrdnet.travel_times(P, mode), yrdnet.travel_times(G, mode), atol=1e-4)


def test_compressed_xml(files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import bz2

    p = tmp_path / "yrd.osm.bz2"
    p.write_bytes(bz2.compress(files[0].read_bytes()))
    assert graph_from_xml(p, CITIES).number_of_edges() == graph_from_xml(files[0], CITIES).number_of_edges()


def test_way_nodes_missing_from_extract_are_skipped(tmp_path: Path) -> None:
    ways = {**WAYS, 1002: ([103, 999, 104], WAYS[1002][1])}  # node 999 is not in the file
    H = graph_from_xml(write_xml(tmp_path / "clipped.osm", ways), CITIES)
    assert edge(H, "rd:103", "rd:104")["length"] == pytest.approx(hav_m(103, 104))


def test_default_cities_and_far_zone_log(files, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING, logger="yrdnet.osm"):
        H = graph_from_xml(files[0])  # the 41 shipped cities; most lie outside the extract
    assert_graph_contract(H)
    assert sum(k == "zone" for _, k in H.nodes(data="kind")) == len(yrdnet.load_cities())
    assert "far from the extract's roads" in caplog.text and "320100 Nanjing" in caplog.text


def test_osmnx_reader_lacks_rail_tags(files) -> None:  # type: ignore[no-untyped-def]
    """Why yrdnet parses the XML itself: osmnx keeps rail ways but not their railway tags."""
    H = ox.graph_from_xml(files[0], simplify=False, retain_all=True)
    tags = [d for _, _, d in H.edges(data=True) if d["osmid"] == 2001]
    assert tags and all("railway" not in d and "highspeed" not in d for d in tags)
    assert any(d.get("highway") == "residential" for _, _, d in H.edges(data=True))


# --------------------------------------------------------------------------- bad input


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(yrdnet.DataError, match=r"nope\.osm: no such OSM file"):
        graph_from_xml(tmp_path / "nope.osm", CITIES)
    with pytest.raises(yrdnet.DataError, match=r"nope\.osm\.pbf: no such OSM file"):
        graph_from_pbf(tmp_path / "nope.osm.pbf", CITIES)


def test_no_usable_ways(tmp_path: Path) -> None:
    p = write_xml(tmp_path / "streets.osm", {1006: WAYS[1006], 2003: WAYS[2003]})
    with pytest.raises(yrdnet.DataError, match=r"streets\.osm: no usable ways"):
        graph_from_xml(p, CITIES)


def test_malformed_xml(tmp_path: Path) -> None:
    p = tmp_path / "broken.osm"
    p.write_text('<osm><node id="1" lat="31" lon="121"></osm>', encoding="utf-8")
    with pytest.raises(yrdnet.DataError, match=r"broken\.osm: malformed OSM XML"):
        graph_from_xml(p, CITIES)


def test_malformed_pbf(tmp_path: Path) -> None:
    p = tmp_path / "broken.osm.pbf"
    p.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(yrdnet.DataError, match=r"broken\.osm\.pbf"):
        graph_from_pbf(p, CITIES)


def test_bad_cities_table(files) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(yrdnet.DataError, match=r"yrd\.osm.*missing column\(s\) \['lon'\]"):
        graph_from_xml(files[0], CITIES.drop(columns="lon"))


def test_bad_adcodes(files) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(yrdnet.DataError, match="6-digit adcodes"):
        graph_from_xml(files[0], CITIES.set_axis(["SH", "WX", "SZ", "JX"]))


def test_pbf_without_pyosmium(files, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "osmium", None)
    with pytest.raises(ImportError, match=r"pip install yrdnet\[pbf\]"):
        graph_from_pbf(files[1], CITIES)


def test_county_zones_attach_to_osm_roads(files) -> None:  # type: ignore[no-untyped-def]
    """The same county zones as the curated builder, attached to the extract's roads."""
    b = yrdnet.datasets.load_county_boundaries()
    c = yrdnet.datasets.load_counties()
    picked = [310101, 320583, 320508, 320213]  # Huangpu, Kunshan, Gusu, Liangxi
    gdf = b.loc[picked].join(c[["population", "name_en"]]).reset_index()
    Z = yrdnet.zones_from_gdf(gdf, mass="population", id_col="adcode", name_col="name_en")
    H = graph_from_xml(files[0], CITIES, zones=Z)
    assert_graph_contract(H)
    assert H.graph["zone_level"] == "custom"
    zones = sorted(n for n, k in H.nodes(data="kind") if k == "zone")
    assert zones == [f"zone:{z}" for z in sorted(picked)]
    assert H.nodes["zone:320583"]["city"] == 320500
    road = yrdnet.travel_times(H, "road")
    assert list(road.index) == sorted(picked) and np.isfinite(road.to_numpy()).all()
    P = graph_from_pbf(files[1], CITIES, zones=Z)
    assert_od_equal(road, yrdnet.travel_times(P, "road"), atol=1e-4)


def test_implausible_maxspeed_warns_and_uses_the_default(tmp_path: Path) -> None:
    ways = dict(WAYS)
    ways[1002] = ([103, 104], {"highway": "motorway", "ref": "G42", "maxspeed": "99999"})
    with pytest.warns(yrdnet.DataWarning, match=r"OSM way 1002: maxspeed '99999'.*class default"):
        G2 = graph_from_xml(write_xml(tmp_path / "bad.osm", ways))
    speeds = {d["speed_kph"] for *_, d in G2.edges(data=True) if d.get("osmid") == 1002}
    assert speeds == {DEFAULT_SPEEDS_KPH["motorway"]}


def test_far_apart_nodes_warn(tmp_path: Path) -> None:
    ways = dict(WAYS)
    ways[1008] = ([101, 206], {"highway": "motorway", "ref": "G2"})  # 101 and 206 are ~110 km apart
    with pytest.warns(yrdnet.DataWarning, match=r"OSM way 1008: nodes 101 and 206 are .* km apart"):
        graph_from_xml(write_xml(tmp_path / "far.osm", ways))
