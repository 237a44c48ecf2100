"""The dated county expressway network: the tool, the loader and the road layer it builds."""

from __future__ import annotations

import itertools
import sys
import warnings
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.network.graph import graph_from_tables
from yrdnet.region.datasets import load_cities, load_counties, load_highways, load_lines, load_stations
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.testing import assert_graph_contract

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import derive_expressways as dx  # noqa: E402

HEADER = "route,name_zh,branch,seq,node,node_name_zh,interchange_zh,km_from_prev,opened,speed_kph,source,notes\n"
# 普陀区 (Shanghai) - 昆山市 - 虹桥 ... a two-file chain crossing the Shanghai-Jiangsu border
GOOD_A = (
    "G2,京沪高速,,1,310107,普陀区,,,,,,\n"
    "G2,京沪高速,,2,320583,昆山市,,,1996,,src b,\n"
    "G2,京沪高速,,3,320505,虎丘区,,40.5,1996,120,src c,\n"
)
GOOD_B = "G2,京沪高速,,1,320505,虎丘区,,,,,,\nG2,京沪高速,,2,320583,昆山市,,,1996,,src d,\n"


def _routes(tmp_path: Path, **files: str) -> Path:
    d = tmp_path / "routes"
    d.mkdir(exist_ok=True)
    for name, body in files.items():
        (d / f"{name}.csv").write_text(HEADER + body, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def counties() -> pd.DataFrame:
    return pd.DataFrame(load_counties())


# ---------------------------------------------------------------- the tool
def test_tool_is_deterministic_and_merges(tmp_path: Path) -> None:
    d = _routes(tmp_path, a=GOOD_A, b=GOOD_B)
    out1, out2 = tmp_path / "x1.csv", tmp_path / "x2.csv"
    assert dx.main(["--routes", str(d), "--out", str(out1)]) == 0
    assert dx.main(["--routes", str(d), "--out", str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    t = yrdnet.load_expressways(out1)
    assert len(t) == 2  # 昆山-虎丘 listed by both files is one section
    merged = t[(t["from_adcode"] + t["to_adcode"]) == 320583 + 320505].iloc[0]
    assert merged["km"] == 40.5 and merged["km_method"].startswith("sourced")
    assert "src c" in merged["source"] and "src d" in merged["source"]
    derived = t[t["km_method"].str.startswith("derived")].iloc[0]
    assert "local_road_detour" in derived["km_method"]  # too few sourced km to derive a factor
    assert derived["km"] > 40.0  # 普陀区 - 昆山市 seats are about 42 km apart
    assert list(t.index) == sorted(t.index)


def test_tool_derives_the_detour_from_sourced_sections(counties: pd.DataFrame) -> None:
    ids = [int(c) for c in counties.index if str(c).startswith("32")][:13]
    secs = [dx.Section("G1", "x", "", a, b, 2000, None, None, ["s"]) for a, b in itertools.pairwise(ids)]
    geo = [dx._geodesic(s, counties) for s in secs]
    for s, g in zip(secs[1:], geo[1:], strict=True):
        s.km = 1.2 * g if g >= 1 else None
    factor, why = dx.detour_factor(secs, counties)
    assert factor == pytest.approx(1.2) and "median ratio" in why
    t = dx.table(secs, counties)
    first = t[t["from_adcode"] == ids[0]].iloc[0]
    assert first["km"] == pytest.approx(round(geo[0] * 1.2, 2))


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,2,999999,无,,,1996,,s,\n", r"a\.csv:3 \[node\]"),
        (
            "G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,2,320583,苏州市,,,1996,,s,\n",
            r"a\.csv:3 \[node_name_zh\].*昆山市",
        ),
        ("G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,3,320583,昆山市,,,1996,,s,\n", r"a\.csv:2 \[seq\]"),
        ("G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,2,320583,昆山市,,,,,s,\n", r"a\.csv:3 \[opened\]"),
        ("G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,2,320583,昆山市,,,2031,,s,\n", r"a\.csv:3 \[opened\]"),
        (
            "G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,2,310107,普陀区,,,1996,,s,\n",
            r"a\.csv:3 \[node\].*repeats",
        ),
        ("G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,2,320583,昆山市,,,1996,,,\n", r"a\.csv:3 \[source\]"),
        ("G2,京沪高速,,1,310107,普陀区,,,1990,,,\nG2,京沪高速,,2,320583,昆山市,,,1996,,s,\n", r"a\.csv:2 \[opened\]"),
        ("X2,京沪高速,,1,310107,普陀区,,,,,,\nX2,京沪高速,,2,320583,昆山市,,,1996,,s,\n", r"a\.csv:2 \[route\]"),
        (
            "G2,京沪高速,,1,310107,普陀区,,,,,,\nG2,京沪高速,,2,320583,昆山市,,-3,1996,,s,\n",
            r"a\.csv:3 \[km_from_prev\]",
        ),
    ],
)
def test_tool_names_the_bad_row(tmp_path: Path, counties: pd.DataFrame, body: str, match: str) -> None:
    with pytest.raises(DataError, match=match):
        dx.derive(_routes(tmp_path, a=body), counties)


def test_tool_merge_rules(tmp_path: Path, counties: pd.DataFrame) -> None:
    later = GOOD_B.replace("1996", "1999")
    t, report = dx.derive(_routes(tmp_path, a=GOOD_A, b=later), counties)
    row = t[(t["from_adcode"] + t["to_adcode"]) == 320583 + 320505].iloc[0]
    assert row["opened"] == 1999 and "the later, 1999, kept" in row["source"]
    assert len(report) == 1
    bad_km = GOOD_B.replace(",,,1996,,src d", ",,60,1996,,src d")
    with pytest.raises(DataError, match=r"b\.csv:3.*sourced km 40\.5 and 60"):
        dx.derive(_routes(tmp_path, a=GOOD_A, b=bad_km), counties)


def test_loader_names_the_bad_row(tmp_path: Path) -> None:
    d = _routes(tmp_path, a=GOOD_A)
    out = tmp_path / "x.csv"
    dx.main(["--routes", str(d), "--out", str(out)])
    text = out.read_text(encoding="utf-8").replace(",320505,", ",123456,", 1)
    out.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"x\.csv.*123456"):
        yrdnet.load_expressways(out)


# ---------------------------------------------------------------- the road layer
#: a test network: 昆山 - 虎丘 opened 2015, 普陀 - 昆山 1996 (a fixture, not curated data)
def _sections() -> pd.DataFrame:
    rows = [
        ("t_a", "G2", 310107, 320583, 50.0, 120, 1996),
        ("t_b", "G2", 320583, 320505, 40.0, 120, 2015),
    ]
    df = pd.DataFrame(rows, columns=["section_id", "route", "from_adcode", "to_adcode", "km", "speed_kph", "opened"])
    return df.assign(name_zh="京沪高速", branch="", source="test").set_index("section_id")


def _graph(year: int | None, zones=None, sections=None, highways=None, model=None) -> nx.MultiDiGraph:  # type: ignore[no-untyped-def]
    return graph_from_tables(
        load_cities(), load_stations(), load_lines(), load_highways() if highways is None else highways,
        year=year, zones=zones, expressways=_sections() if sections is None else sections, model=model,
    )  # fmt: skip


def _road(G: nx.MultiDiGraph, **kw) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        return yrdnet.travel_times(G, "road", **kw)


@pytest.fixture(scope="module")
def county() -> yrdnet.Zones:
    return yrdnet.load_zones("county")


def test_sections_appear_in_their_year(county: yrdnet.Zones) -> None:
    G10, G20 = _graph(2010, county), _graph(2020, county)
    for G in (G10, G20):
        assert_graph_contract(G)
    links = {y: {d.get("link") for *_, d in G.edges(data=True)} for y, G in ((2010, G10), (2020, G20))}
    assert "t_a" in links[2010] and "t_b" not in links[2010] and "t_b" in links[2020]
    # 虎丘区's first section opened in 2015: in 2010 it has no interchange, only local roads
    assert "rd:x320505" not in G10 and "rd:x320505" in G20
    routes_2010 = {d["route"] for _, _, d in G10.out_edges("rd:z320505", data=True) if d["mode"] == "road"}
    assert routes_2010 == {"local"}
    T10, T20 = _road(G10), _road(G20)
    assert T20.loc[320505, 310107] < T10.loc[320505, 310107]
    assert (T20.to_numpy() <= T10.to_numpy() + 1e-9).all()  # a section only ever adds a faster way


def test_city_and_county_graphs_are_connected(county: yrdnet.Zones) -> None:
    for zones in (None, county):
        G = _graph(2020, zones)
        assert_graph_contract(G)
        road = G.edge_subgraph([(u, v, k) for u, v, k, m in G.edges(keys=True, data="mode") if m in ("road", "access")])
        zs = [n for n, k in G.nodes(data="kind") if k == "zone"]
        # every zone on the mainland reaches Shanghai's centre zone by road (Zhoushan's islands
        # have no road in this two-section fixture)
        target = "zone:310000" if zones is None else f"zone:{county.core_zones()[310000]}"
        reach = nx.descendants(road, target) | {target}
        off = [z for z in zs if z not in reach and G.nodes[z]["city"] != 330900]
        assert not off


def test_city_zone_joins_the_unit_of_its_centre(county: yrdnet.Zones) -> None:
    G = _graph(2020)
    core = county.core_zones()
    for c in (310000, 320500, 330100):
        assert G.has_edge(f"zone:{c}", f"rd:z{core[c]}")


def test_scenario_link_shortens_a_trip(county: yrdnet.Zones) -> None:
    hw = load_highways()
    G0 = _graph(2020)
    new = pd.DataFrame(
        {"route": ["G99"], "from_adcode": [320100], "to_adcode": [330900], "km": [300.0], "speed_kph": [120],
         "opened": [2020], "source": ["scenario test: a fixture link"]},
        index=pd.Index(["g99_test"], name="link_id"),
    )  # fmt: skip
    G1 = _graph(2020, highways=pd.concat([hw, new]))
    T0, T1 = _road(G0, zones=[320100, 330900]), _road(G1, zones=[320100, 330900])
    assert T1.iloc[0, 1] < T0.iloc[0, 1]
    assert any(d.get("link") == "g99_test" for *_, d in G1.edges(data=True))


def test_city_links_mode_is_the_old_layer() -> None:
    """``road_network="city_links"``: road times are the shortest paths over highways.csv alone."""
    model = yrdnet.TravelTimeModel(road_network="city_links")
    hw = load_highways()
    G = _graph(2025, model=model)
    assert not any(str(n).startswith("rd:x") or str(n).startswith("rd:z") for n in G)
    T = _road(G)
    # an independent computation: the links opened by 2025 as an undirected weighted graph
    H = nx.Graph()
    opened = hw["opened"].astype("Float64").fillna(0) <= 2025
    for _, h in hw[opened].iterrows():
        t = float(h["km"]) / (float(h["speed_kph"]) * model.road_speed_factor) * 60.0 * model.road_congestion
        a, b = int(h["from_adcode"]), int(h["to_adcode"])
        if not H.has_edge(a, b) or H[a][b]["w"] > t:
            H.add_edge(a, b, w=t)
    dist = dict(nx.all_pairs_dijkstra_path_length(H, weight="w"))
    for a in (310000, 320100, 340800):
        for b in (330100, 341000):
            expected = dist[a][b] + 2 * model.road_access_min
            assert T.loc[a, b] == pytest.approx(expected, rel=1e-9)
