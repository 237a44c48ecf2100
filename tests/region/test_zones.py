"""Zones: city and county levels, user zones, the county graph, routing and analysis."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.cli import commands as cli
from yrdnet.core.errors import DataError
from yrdnet.region.zones import census_year, load_zones, zones_from_gdf
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.testing import assert_graph_contract


@pytest.fixture(scope="module")
def county_zones():
    return load_zones("county")


@pytest.fixture(scope="module")
def G_county(county_zones):
    return yrdnet.build_graph("baseline_2025", zones=county_zones)


@pytest.fixture(scope="module")
def T_county(G_county):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        return {m: yrdnet.travel_times(G_county, m) for m in ("multimodal", "rail", "road")}


@pytest.fixture(scope="module")
def res_county(G_county, county_zones):
    return yrdnet.analyze(G_county, zones=county_zones)


# ---------------------------------------------------------------- Zones objects
def test_load_zones_city():
    z = load_zones("city")
    assert len(z) == 41 and z.level == "city"
    assert z.ids == sorted(yrdnet.load_cities().index)
    assert (z.parent.index == z.parent.to_numpy()).all()
    assert z.core_zones() == {c: c for c in z.ids}
    pop, notes = z.population("2020")
    assert pop.equals(yrdnet.load_cities()["population"].astype(float).rename_axis("zone"))
    assert notes == []


def test_load_zones_county(county_zones):
    z = county_zones
    assert len(z) == 305 and z.level == "county"
    assert z.table["city"].nunique() == 41
    assert z.polygons is not None and z.polygons.notna().all()
    # populations sum to each city's census total (cities.csv rounds to 100) within 0.5 %
    cities = yrdnet.load_cities()
    by_city = z.table.groupby("city")["population"].sum()
    rel = (by_city / cities["population"].reindex(by_city.index) - 1).abs()
    assert rel.max() < 0.005, rel.sort_values().tail()
    # GDP shares add up to the city's GDP
    assert np.allclose(z.table.groupby("city")["gdp"].sum(), cities["gdp"].reindex(by_city.index))
    cores = z.core_zones()
    assert cores[310000] == 310101  # Huangpu holds Shanghai's centre
    assert all(int(z.parent[cz]) == c for c, cz in cores.items())


def test_county_metro_membership(county_zones):
    metros = yrdnet.load_metros()
    members, cores = county_zones.metro_members(metros)
    assert set(members) == set(metros.index)
    for m, zs in members.items():
        cities = set(metros.loc[m, "members"])
        assert zs[0] == cores[m]
        assert {int(county_zones.parent[x]) for x in zs} == cities
    assert 320583 in members["shanghai"]  # Kunshan (Suzhou) is in the 1+8 Shanghai metro
    assert "suxichang" in county_zones.metro_labels(metros)[320583]


def test_masses_census(county_zones):
    pop10, notes = county_zones.population("census", 2010)
    pop20, none = county_zones.population("census", 2020)
    assert none == [] and pop20.equals(county_zones.table["population"].astype(float))
    known = county_zones.table["population_2010"].notna()
    assert (pop10[known] == county_zones.table.loc[known, "population_2010"].astype(float)).all()
    assert (pop10[~known] == pop20[~known]).all()
    assert len(notes) == 1 and f"{int((~known).sum())} of 305" in notes[0]
    assert census_year(2015) == 2010 and census_year(2016) == 2020
    with pytest.raises(ValueError, match="masses must be one of"):
        county_zones.population("2015")


def test_load_zones_bad_level():
    with pytest.raises(ValueError, match="zones_from_gdf"):
        load_zones("town")


def test_zones_from_points():
    pts = gpd.GeoDataFrame(
        {"pop": [1e6, 2e6, 5e5], "name": ["b", "a", "c"]},
        geometry=gpd.points_from_xy([121.47, 120.62, 118.78], [31.23, 31.30, 32.05]),
        crs="EPSG:4326",
    )
    z = zones_from_gdf(pts, mass="pop", id_col="name")
    assert z.level == "custom" and z.ids == [1, 2, 3]
    assert z.table["label"].tolist() == ["a", "b", "c"]  # ids follow the sorted labels
    assert z.table["city"].tolist() == [320500, 310000, 320100]
    assert z.polygons is None
    with pytest.raises(DataError, match="missing column 'people'"):
        zones_from_gdf(pts, mass="people")
    with pytest.raises(DataError, match="unique"):
        zones_from_gdf(pts.assign(name="x"), mass="pop", id_col="name")
    with pytest.raises(DataError, match="positive"):
        zones_from_gdf(pts.assign(pop=[1.0, 0.0, 2.0]), mass="pop")


def test_zones_from_polygons_graph_and_travel_times():
    """User polygons (Suzhou's counties, metric CRS): seats inside, graph meets the contract."""
    b = yrdnet.datasets.load_county_boundaries()
    c = yrdnet.datasets.load_counties()
    sz = b.loc[c.index[c["city"] == 320500]].join(c[["population", "name_en"]]).reset_index()
    z = zones_from_gdf(sz.to_crs("EPSG:32651"), mass="population", id_col="adcode", name_col="name_en")
    assert z.ids == sorted(sz["adcode"])
    assert (z.table["city"] == 320500).all()
    assert all(z.polygons[i].covers(gpd.points_from_xy([z.table.loc[i, "lon"]], [z.table.loc[i, "lat"]])[0])
               for i in z.ids)  # fmt: skip
    G = yrdnet.build_graph("baseline_2025", zones=z)
    assert_graph_contract(G)
    T = yrdnet.travel_times(G, "road")
    assert np.isfinite(T.to_numpy()).all() and T.shape == (len(sz), len(sz))


# ---------------------------------------------------------------- county graph
def test_county_graph_contract(G_county):
    assert_graph_contract(G_county)
    zones = [n for n, k in G_county.nodes(data="kind") if k == "zone"]
    assert len(zones) == 305
    assert all(G_county.nodes[n]["zone_level"] == "county" for n in zones)
    assert G_county.graph["zone_level"] == "county"
    g = G_county.graph
    assert g["n_local_links"] > 600
    if g["road_network"] == "expressways":  # the default: the dated county expressway network
        assert g["n_interchanges"] > 100 and g["n_sections"] > 200
    else:
        assert g["n_junctions"] > 100


def test_contract_checker_levels(G_county):
    G = G_county.copy()
    G.nodes["zone:320583"]["zone_level"] = "city"
    with pytest.raises(AssertionError, match="a city zone's id must be 'zone:320500'"):
        assert_graph_contract(G)
    G.nodes["zone:320583"]["zone_level"] = "town"
    with pytest.raises(AssertionError, match="zone_level must be"):
        assert_graph_contract(G)


def test_county_roads_reach_everywhere(T_county):
    road = T_county["road"].to_numpy()
    n_bad = int((~np.isfinite(road)).sum())
    print(f"unreachable county pairs by road: {n_bad} of {road.size}")
    assert n_bad == 0
    mm = T_county["multimodal"].to_numpy()
    assert (mm <= np.minimum(T_county["rail"].to_numpy(), road) + 1e-3).all()
    assert (np.diag(mm) == 0).all()


def test_county_times_plausible(T_county):
    road = T_county["road"]
    # Kunshan -> Huangpu (Shanghai centre), about 55 km: under 1.5 h by road, over 30 min
    assert 30 < road.loc[320583, 310101] < 90
    # neighbouring districts are closer than far-apart counties
    assert road.loc[310101, 310104] < road.loc[310101, 341723]


def test_city_level_unchanged_by_zones(G2025):
    """zones=None, zones="city" and load_zones("city") give the same graph and times."""
    for zones in ("city", load_zones("city")):
        G = yrdnet.build_graph("baseline", year=2025, zones=zones)
        assert sorted(G.edges(keys=True)) == sorted(G2025.edges(keys=True))
        for mode in ("multimodal", "rail", "road"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UnreachableWarning)
                a, b = yrdnet.travel_times(G, mode), yrdnet.travel_times(G2025, mode)
            pd.testing.assert_frame_equal(a, b)


def test_trip_breakdown_county(G_county, T_county):
    legs = yrdnet.trip_breakdown(G_county, 320583, 310101, "road")
    assert legs["minutes"].sum() == pytest.approx(float(T_county["road"].loc[320583, 310101]), abs=1e-3)
    assert legs["part"].iloc[0] == "access"
    with pytest.raises(ValueError, match="unknown zone 320500"):
        yrdnet.trip_breakdown(G_county, 320500, 310101)


# ---------------------------------------------------------------- analysis
@pytest.mark.slow
def test_analyze_county(res_county):
    r = res_county
    assert r.level == "county" and len(r.zones) == 305 and len(r.cities) == 41
    assert {"city", "metros", "name_en", "watt_pop_multimodal", "population"} <= set(r.zones.columns)
    assert r.od["multimodal"].shape == (305, 305)
    # cities aggregate their zones: populations add up, measures are population-weighted
    by_city = r.zones.groupby("city")["population"].sum()
    assert np.allclose(r.cities["population"], by_city.reindex(r.cities.index))
    sz = r.zones[r.zones["city"] == 320500]
    w = np.average(sz["watt_pop_multimodal"], weights=sz["population"])
    assert r.cities.loc[320500, "watt_pop_multimodal"] == pytest.approx(w)
    assert "betweenness_multimodal" in r.cities.columns
    assert r.metros.loc["suxichang", "n_members"] > 3
    assert np.isfinite(r.index("structure_index"))
    assert r.linkage["kind"].eq("core-subcentre").any()


def test_analyze_county_scope(G_county, county_zones):
    r = yrdnet.analyze(G_county, "suxichang", zones=county_zones, centrality=False)
    assert set(r.zones["city"]) == {320500, 320200, 320400}
    assert list(r.metros.index) == ["suxichang"]


def test_analyze_zones_graph_mismatch(G2025):
    with pytest.raises(ValueError, match="the graph lacks 305 of the 305 county zones"):
        yrdnet.analyze(G2025, zones="county")


def test_analyze_graph_level_detected(G_county):
    r = yrdnet.analyze(G_county, centrality=False)
    assert r.level == "county"


def test_county_integration_moves_2010_2025(res_county, county_zones):
    r10 = yrdnet.analyze("baseline_2010", zones=county_zones, centrality=False)
    cols = ["n_members", "pairs_within_share", "core_pop_within_share", "pop_weighted_mean_time_min"]
    both = pd.concat({"2010": r10.metros[cols], "2025": res_county.metros[cols]}, axis=1)
    print("\ncounty-level metropolitan integration, 2010 vs 2025:\n" + both.to_string(float_format="{:.3f}".format))
    # Adding lines never lengthens a trip, so no share falls; the one-hour shares rise
    # only a little (road carries most sub-hour county trips, and the curated expressway
    # table has 2 links opened after 2010), while mean times fall in every metro.
    d = res_county.metros["pairs_within_share"] - r10.metros["pairs_within_share"]
    assert (d >= 0).all() and (d > 0).sum() >= 2, d
    dt = res_county.metros["pop_weighted_mean_time_min"] - r10.metros["pop_weighted_mean_time_min"]
    print("change of the population-weighted mean time within each metro (min):\n" + dt.round(2).to_string())
    assert (dt < 0).all()
    for ind in ("component_integration", "circle_metro_1h", "circle_region_3h"):
        a, b = r10.index(ind), res_county.index(ind)
        print(f"{ind}: 2010 {a:.4f} -> 2025 {b:.4f} ({b - a:+.4f})")
    assert res_county.index("component_integration") > r10.index("component_integration")


def test_analyze_masses_census(county_zones):
    r = yrdnet.analyze("baseline_2010", zones=county_zones, masses="census", centrality=False)
    known = county_zones.table["population_2010"].notna()
    assert (r.zones.loc[known, "population"] == county_zones.table.loc[known, "population_2010"].astype(float)).all()
    assert any("no 2010 count" in n for n in r.notes)


def test_analyze_masses_census_city():
    r = yrdnet.analyze("baseline_2010", masses="census", centrality=False)
    cities = yrdnet.load_cities()
    note = next(n for n in r.notes if "no 2010 count" in n)
    n_fallback = int(note.split(":")[1].split(" of 41")[0])
    assert (r.cities["population"] != cities["population"]).sum() == 41 - n_fallback
    r25 = yrdnet.analyze("baseline_2025", masses="census", centrality=False)
    assert r25.cities["population"].equals(cities["population"])  # 2020 census: the city table itself
    with pytest.raises(ValueError, match="masses must be one of"):
        yrdnet.analyze("baseline_2025", masses="2015", centrality=False)


def test_result_to_dir_county(res_county, tmp_path):
    out = res_county.to_dir(tmp_path / "r")
    z = pd.read_csv(out / "zones.csv", index_col=0)
    assert len(z) == 305 and "city" in z.columns
    assert (out / "zones.gpkg").is_file() and (out / "cities.csv").is_file()


def test_compare_and_timeline_county(res_county, county_zones):
    r10 = yrdnet.analyze("baseline_2010", zones=county_zones, centrality=False)
    cmp = yrdnet.compare(r10, res_county)
    assert not cmp.zones.empty and set(cmp.zones["zone"]) == set(county_zones.ids)
    tl = yrdnet.timeline([r10, res_county])
    assert list(tl.columns) == ["baseline_2010", "baseline_2025"]


@pytest.mark.slow
def test_cli_analyze_county(tmp_path, capsys):
    out = tmp_path / "county"
    assert cli.main(["analyze", "baseline_2025", "--zones", "county", "--out", str(out)]) == 0
    assert "level='county'" in capsys.readouterr().out
    assert len(pd.read_csv(out / "zones.csv")) == 305


def test_cli_bad_zones(capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["analyze", "baseline_2025", "--zones", "town"])
    assert e.value.code == 2


@pytest.mark.slow
def test_cli_map_and_timeline_county(tmp_path, capsys):
    maps = tmp_path / "maps"
    argv = ["map", "baseline_2025", "--zones", "county", "--offline", "--origin", "320102", "--out", str(maps)]
    assert cli.main(argv) == 0
    names = {p.name for p in maps.glob("*.png")}
    assert "access_potential_multimodal_county_baseline_2025.png" in names
    assert "metro_reach_shanghai_county_baseline_2025.png" in names
    # the help promises an HTML map and isochrones: at county level too (issue 22)
    assert "isochrones_320102_county_baseline_2025.png" in names
    assert not list(maps.glob("isochrones_310101_*")), "--origin replaces the default origins"
    page = (maps / "webmap_county_baseline_2025.html").read_text(encoding="utf-8")
    assert page.count('fill-opacity="0.75"') > 300  # the county polygons, filled by the measure
    assert "https://" not in page and "<link" not in page  # --offline: nothing fetched
    tl = tmp_path / "tl"
    assert cli.main(["timeline", "baseline_2010", "baseline_2025", "--zones", "county", "--out", str(tl)]) == 0
    df = pd.read_csv(tl / "timeline.csv", index_col=0)
    assert list(df.columns) == ["baseline_2010", "baseline_2025"]
