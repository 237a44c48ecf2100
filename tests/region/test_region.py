"""Region: the shipped YRD, and a user's own region (southern Finland) run end to end offline."""

from __future__ import annotations

import warnings
from pathlib import Path
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.region.region import Region, cities_from_zones, load_region, metros_frame
from yrdnet.region.zones import load_zones, zones_from_gdf
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.testing import assert_graph_contract


# ---------------------------------------------------------------- the shipped region
def test_load_region_yrd() -> None:
    R = yrdnet.load_region("yrd")
    assert isinstance(R, yrdnet.Region) and R.name == "yrd"
    assert R.levels == ("city", "county") and R.default_level == "city"
    assert R.core == 310000 and R.subcentres == (320100, 330100, 340100)
    assert list(R.centres) == ["shanghai", "nanjing", "hangzhou", "hefei"]
    assert R.bbox == (114.5, 27.0, 123.5, 35.5)
    assert R.metro_definitions == ("current", "2016")
    assert len(R.metros()) == 6 and len(R.metros("2016")) == 5
    pd.testing.assert_frame_equal(R.metros(), yrdnet.load_metros())
    assert R.cities.index.equals(yrdnet.load_cities().index)
    assert len(R.zones()) == 41 and len(R.zones("county")) == 305
    assert R.targets is not None and R.airports is not None
    assert R.data_folder == yrdnet.datasets.data_folder()
    assert R.core_name == "Shanghai"


def test_unknown_region_level_and_definition() -> None:
    with pytest.raises(ValueError, match=r"unknown region 'yrdd' \(closest valid: yrd\); expected one of \['yrd'\]"):
        load_region("yrdd")
    R = load_region()
    with pytest.raises(ValueError, match=r"unknown zone level 'town'.*expected one of \['city', 'county'\]"):
        R.zones("town")
    with pytest.raises(ValueError, match=r"definition must be one of \['current', '2016'\], got '2020'"):
        R.metros("2020")
    with pytest.raises(TypeError, match="zones must be a level name"):
        R.resolve_zones(3)  # type: ignore[arg-type]


def test_one_encoding_of_zones() -> None:
    """``None`` is the default level, a name its level, a Zones itself: always a Zones."""
    R = load_region()
    z_none, z_city = R.resolve_zones(None), R.resolve_zones("city")
    assert z_none.level == z_city.level == "city" and z_none.ids == z_city.ids
    county = load_zones("county")
    assert R.resolve_zones(county) is county
    assert R.level_of(county.ids) == "county" and R.level_of([1, 2]) is None


def test_old_names_read_the_region() -> None:
    from yrdnet.analysis import CORE, SUBCENTRES
    from yrdnet.analysis.steps import CORE as CORE2

    assert CORE == CORE2 == load_region().core
    assert load_region().subcentres == SUBCENTRES


def test_a_region_without_its_file_says_so(tmp_path: Path) -> None:
    with yrdnet.settings.override(data_folder=tmp_path), pytest.raises(DataError, match=r"region file not found"):
        load_region()


# ---------------------------------------------------------------- zones of another region
def _finland() -> gpd.GeoDataFrame:
    """Six towns of southern Finland (2023 populations, rounded; none equals a YRD adcode)."""
    return gpd.GeoDataFrame(
        {
            "town": ["Helsinki", "Espoo", "Vantaa", "Kerava", "Lahti", "Hameenlinna"],
            "pop": [664_028, 305_274, 242_819, 38_402, 120_887, 68_011],
        },
        geometry=gpd.points_from_xy(
            [24.9384, 24.6559, 25.0378, 25.1036, 25.6612, 24.4643],
            [60.1699, 60.2055, 60.2934, 60.4034, 60.9827, 60.9959],
        ),
        crs="EPSG:4326",
    )


def test_foreign_zones_get_no_yrd_parent() -> None:
    """Zones outside every YRD city are their own cities: never the nearest YRD city."""
    Z = zones_from_gdf(_finland(), mass="pop", id_col="town", name_col="town")
    yrd = set(yrdnet.load_cities().index)
    assert not set(Z.parent) & yrd
    assert (Z.parent.to_numpy() == np.asarray(Z.ids)).all()
    assert not Z.table["central_area"].any() and Z.table["gdp"].isna().all()
    # a mixed set: the Shanghai zone keeps its city, the Helsinki one is its own
    mixed = gpd.GeoDataFrame(
        {"pop": [1e6, 6e5]}, geometry=gpd.points_from_xy([121.47, 24.94], [31.23, 60.17]), crs="EPSG:4326"
    )
    assert zones_from_gdf(mixed, mass="pop").parent.tolist() == [310000, 1]
    # given parents of another region are taken as they are; a mix with YRD ones is refused
    own = _finland().assign(region=[1, 1, 1, 1, 2, 2])
    assert set(zones_from_gdf(own, mass="pop", parent="region").parent) == {1, 2}
    with pytest.raises(DataError, match=r"unknown parent city adcode\(s\) \[1\]"):
        zones_from_gdf(own.assign(region=[1, 310000, 1, 1, 1, 1]), mass="pop", parent="region")


def test_user_region_checks_its_ids() -> None:
    Z = zones_from_gdf(_finland(), mass="pop", id_col="town", name_col="town")
    with pytest.raises(DataError, match=r"core 310000 is not a city of the region"):
        Region("fi", zones=Z, core=310000)
    with pytest.raises(DataError, match=r"metro 'capital' \(current\): members \[320100\]"):
        Region("fi", zones=Z, core=2, metros={"capital": [2, 320100]})
    c = cities_from_zones(Z)
    assert list(c.index) == Z.ids and c.loc[1, "name_en"] == "Espoo"  # ids follow the sorted names
    assert metros_frame({"m": [1, 2]}).loc["m", "members"] == [1, 2]


# ---------------------------------------------------------------- a whole run on another region
# OSM nodes: id -> (lon, lat, tags): a motorway junction by each town, stations on one main line
NODES: dict[int, tuple[float, float, dict[str, str]]] = {
    101: (24.945, 60.180, {}),
    102: (24.665, 60.210, {}),
    103: (25.030, 60.285, {}),
    104: (25.095, 60.395, {}),
    105: (25.650, 60.975, {}),
    106: (24.475, 60.990, {}),
    107: (24.800, 60.600, {}),
    201: (24.941, 60.171, {"railway": "station", "name": "Helsinki"}),
    202: (24.933, 60.199, {}),
    203: (25.044, 60.292, {"railway": "station", "name": "Tikkurila"}),
    204: (25.106, 60.404, {"railway": "station", "name": "Kerava"}),
    205: (25.657, 60.977, {"railway": "station", "name": "Lahti"}),
    206: (24.467, 60.998, {"railway": "station", "name": "Hameenlinna"}),
}
WAYS: dict[int, tuple[list[int], dict[str, str]]] = {
    1001: ([102, 101], {"highway": "motorway", "ref": "1", "maxspeed": "100"}),
    1002: ([101, 103, 104, 105], {"highway": "motorway", "ref": "4", "maxspeed": "120"}),
    1003: ([103, 107, 106], {"highway": "motorway", "ref": "3", "maxspeed": "120"}),
    2001: ([201, 202, 203, 204, 205], {"railway": "rail", "usage": "main", "maxspeed": "200"}),
    2002: ([204, 206], {"railway": "rail", "usage": "main", "maxspeed": "160"}),
}


def _write_osm(path: Path) -> Path:
    tags = lambda t: "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in t.items())  # noqa: E731
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="yrdnet-test">']
    parts += [f'<node id="{n}" lat="{lat}" lon="{lon}">{tags(t)}</node>' for n, (lon, lat, t) in NODES.items()]
    for w, (refs, t) in WAYS.items():
        parts.append(f'<way id="{w}">{"".join(f"<nd ref={quoteattr(str(r))}/>" for r in refs)}{tags(t)}</way>')
    path.write_text("\n".join([*parts, "</osm>"]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def finland(tmp_path_factory: pytest.TempPathFactory) -> tuple[Region, yrdnet.ScenarioResult]:
    Z = zones_from_gdf(_finland(), mass="pop", id_col="town", name_col="town")
    ids = dict(zip(Z.table["label"], Z.ids, strict=True))
    R = Region(
        "southern_finland",
        zones=Z,
        core=ids["Helsinki"],
        subcentres=[ids["Lahti"], ids["Hameenlinna"]],
        metros={
            "capital": [ids["Helsinki"], ids["Espoo"], ids["Vantaa"], ids["Kerava"]],
            "lahti": [ids["Lahti"], ids["Kerava"]],
        },
    )
    G = yrdnet.graph_from_xml(_write_osm(tmp_path_factory.mktemp("fi") / "fi.osm"), zones=Z, scenario="fi")
    assert_graph_contract(G)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        res = yrdnet.analyze(G, zones=Z, region=R, sensitivity_samples=5)
    return R, res


def test_user_region_runs_end_to_end(finland: tuple[Region, yrdnet.ScenarioResult]) -> None:
    R, res = finland
    assert res.level == "custom" and len(res.zones) == 6 and len(res.cities) == 6
    assert res.scope == "southern_finland"  # the whole region, by its name
    pot = res.zones["pot_exp_pop_multimodal"]
    assert np.isfinite(pot[R.core]) and pot[R.core] > 0
    assert pot.idxmax() == R.core  # the biggest town with the closest neighbours leads
    assert (res.zones["time_to_core_multimodal"][R.core]) == 0.0
    assert res.zones["time_to_core_multimodal"].drop(R.core).between(1, 600).all()
    assert list(res.metros.index) == ["capital", "lahti"]
    assert res.metros.loc["capital", "n_members"] == 4
    rows = res.region["value"]
    for row in ("structure_index", "metro_logistic_integration", "uci", "population_within_60min_of_helsinki"):
        assert np.isfinite(rows[row]), row
    assert res.linkage["kind"].eq("core-subcentre").any()
    assert res.targets.empty  # the region states no targets
    assert res.zones["time_to_airport_min"].isna().all()  # nor airports


def test_no_yrd_id_in_a_user_region_result(finland: tuple[Region, yrdnet.ScenarioResult]) -> None:
    _, res = finland
    yrd = {int(c) for c in yrdnet.load_cities().index} | {int(c) for c in load_zones("county").ids}
    tables = {"cities": res.cities, "zones": res.zones, "metros": res.metros, "region": res.region,
              "linkage": res.linkage, **{f"od_{m}": T for m, T in res.od.items()}}  # fmt: skip
    for name, t in tables.items():
        df = pd.DataFrame(t).drop(columns="geometry", errors="ignore")
        labels = [*df.index, *df.columns]
        assert not {v for v in labels if isinstance(v, (int, np.integer))} & yrd, name
        for col in df.columns:
            vals = df[col].to_numpy()
            if pd.api.types.is_numeric_dtype(df[col]):
                assert not set(vals[np.isfinite(vals.astype(float))].astype(float)) & {float(c) for c in yrd}, (
                    name,
                    col,
                )
            else:
                text = " ".join(map(str, vals))
                assert not any(str(c) in text for c in yrd), (name, col)
