"""Every data file and parameter has a checked range (issue 21, item 4).

Each case copies the data folder (``data_copy``), edits one cell of one shipped file and
loads it: an absurd value raises :class:`yrdnet.DataError` naming the file, the row (file
line, header = 1) and the field; a suspicious but valid one gives one
:class:`yrdnet.DataWarning` naming the file, row, field and value. Nothing is written
into the data folder by a load. The ``[model]`` ranges of every
:class:`yrdnet.TravelTimeModel` field come from its parameter metadata.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import yrdnet
from yrdnet import DataError, DataWarning, TravelTimeModel
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.parameters import describe
from yrdnet.network.services import load_services
from yrdnet.network.station_access import load_station_access
from yrdnet.network.suburban import load_suburban_lines
from yrdnet.network.track import load_line_factors
from yrdnet.plans.best_plan import load_costs
from yrdnet.region import datasets as ds
from yrdnet.region.boundaries import load_boundaries
from yrdnet.region.expressways import load_expressways
from yrdnet.region.zones import load_zones, zones_from_gdf


# ---------------------------------------------------------------- editing one cell
def set_cell(path: Path, key_col: str | None, key: str | None, col: str, value: str) -> int:
    """Set ``col`` of the first row whose ``key_col`` is ``key`` (or the first row); return its file line."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    k, c = (head.index(key_col) if key_col else None), head.index(col)
    i = next(i for i, r in enumerate(rows[1:], start=1) if k is None or r[k] == key)
    rows[i][c] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return i + 1  # file line of data row i (header = line 1; no multi-line cells in these files)


def _geodesic(table: str, key_col: str, key: str, ends: pd.DataFrame) -> float:
    t = pd.read_csv(ds.data_folder() / table, dtype=str).set_index(key_col)
    a, b = int(t.loc[key, "from_adcode"]), int(t.loc[key, "to_adcode"])
    return float(haversine_km(ends.loc[a, "lon"], ends.loc[a, "lat"], ends.loc[b, "lon"], ends.loc[b, "lat"]))


def _city_link_km(share: float) -> Callable[[], str]:
    return lambda: f"{share * _geodesic('highways.csv', 'link_id', 'g42_shanghai_suzhou', yrdnet.load_cities()):.2f}"


def _section_km(share: float) -> Callable[[], str]:
    return lambda: f"{share * _geodesic('expressways.csv', 'section_id', SECTION, ds.load_counties()):.2f}"


SECTION = "g0321_340421_340422"
LOADERS: dict[str, Callable[[], Any]] = {
    "cities.csv": yrdnet.load_cities,
    "counties.csv": ds.load_counties,
    "highways.csv": yrdnet.load_highways,
    "expressways.csv": load_expressways,
    "stations.csv": yrdnet.load_stations,
    "lines.csv": yrdnet.load_lines,
    "targets.csv": yrdnet.load_targets,
    "airports.csv": ds.load_airports,
    "station_access.csv": load_station_access,
    "suburban_lines.csv": load_suburban_lines,
    "line_running_2016.csv": lambda: load_line_factors(feed=2016),
    "services.csv": lambda: load_services(feed=2016),
    "line_speeds.csv": ds.load_line_speeds,
    "project_costs.csv": load_costs,
    "metros.csv": yrdnet.load_metros,
    "main_stations.csv": ds.load_main_stations,
}

# (file, key column, key, field, value) -> DataError naming file, row and field
ERRORS = [
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", "1"),  # the issue: 1 km for an 80 km pair
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", _city_link_km(0.3)),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", "-5"),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", "5000"),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", "nan"),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", "inf"),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "speed_kph", "200"),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "speed_kph", "1e300"),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "speed_kph", "0"),
    ("expressways.csv", "section_id", SECTION, "speed_kph", "130"),
    ("expressways.csv", "section_id", SECTION, "km", "600"),
    ("expressways.csv", "section_id", SECTION, "km", "0"),
    ("cities.csv", "adcode", "320100", "population", "0"),
    ("cities.csv", "adcode", "320100", "population", "93147000000"),  # a unit slip: x 10,000
    ("cities.csv", "adcode", "320100", "gdp", "-3"),
    ("cities.csv", "adcode", "320100", "gdp", "1e300"),
    ("cities.csv", "adcode", "320100", "lon", "200"),
    ("counties.csv", "adcode", "320583", "population", "1e300"),
    ("counties.csv", "adcode", "320583", "lat", "nan"),
    ("stations.csv", "station_id", "shanghai_hongqiao", "lon", "-121.3"),
    ("lines.csv", "line_id", "hefei_nanjing_railway", "operating_speed_kph", "3500"),
    ("lines.csv", "line_id", "hefei_nanjing_railway", "length_km", "156000"),
    ("targets.csv", "target_id", "shanghai_nanjing_1_5h", "threshold_min", "-90"),
    ("targets.csv", "target_id", "shanghai_nanjing_1_5h", "threshold_min", "90000"),
    ("airports.csv", "iata", "PVG", "lat", "95"),
    ("station_access.csv", None, None, "minutes", "1000"),
    ("suburban_lines.csv", "line_id", "jinshan_railway", "run_time_min", "100000"),
    ("suburban_lines.csv", "line_id", "jinshan_railway", "trains_per_day", "0"),
    ("line_running_2016.csv", "line_id", "beijing_shanghai_hsr", "speed_factor", "50"),
    ("services.csv", "service_id", "tt2016_0001", "trains_per_day", "1e9"),
    ("line_speeds.csv", "line_id", "shanghai_nanjing_intercity", "operating_speed_kph", "-350"),
    ("project_costs.csv", "project", "chaohu_maanshan", "length_km", "66000"),
    ("metros.csv", "metro", "shanghai", "core_adcode", "320100"),  # a core outside its members
]

# (file, key column, key, field, value) -> one DataWarning naming file, row, field and value
WARNINGS = [
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", _city_link_km(0.65)),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "km", _city_link_km(4.0)),
    ("highways.csv", "link_id", "g42_shanghai_suzhou", "speed_kph", "110"),
    ("expressways.csv", "section_id", SECTION, "km", _section_km(0.05)),
    ("expressways.csv", "section_id", SECTION, "km", _section_km(5.0)),
    ("expressways.csv", "section_id", SECTION, "speed_kph", "90"),
    ("targets.csv", "target_id", "shanghai_nanjing_1_5h", "to_adcode", "999999"),
    ("targets.csv", "target_id", "commute_shanghai_1h", "metro", "atlantis"),
]


def _ids(cases: list[tuple[Any, ...]]) -> list[str]:
    return [f"{c[0]}:{c[3]}={c[4] if isinstance(c[4], str) else c[4].__name__}-{i}" for i, c in enumerate(cases)]


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def _edit(data_copy: Path, case: tuple[Any, ...]) -> tuple[str, int, str, str]:
    file, key_col, key, col, value = case
    v = value() if callable(value) else value
    line = set_cell(data_copy / file, key_col, key, col, v)
    return file, line, col, v


@pytest.mark.parametrize("case", ERRORS, ids=_ids(ERRORS))
def test_absurd_value_is_an_error_naming_file_row_field(data_copy: Path, case: tuple[Any, ...]) -> None:
    file, line, col, _ = _edit(data_copy, case)
    before = _listing(data_copy)
    with pytest.raises(DataError) as err:
        LOADERS[file]()
    msg = str(err.value)
    assert file in msg and f"row {line}" in msg and col in msg, msg
    assert _listing(data_copy) == before  # nothing written


@pytest.mark.parametrize("case", WARNINGS, ids=_ids(WARNINGS))
def test_suspicious_value_warns_once_naming_file_row_field_value(data_copy: Path, case: tuple[Any, ...]) -> None:
    file, line, col, value = _edit(data_copy, case)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        LOADERS[file]()
        LOADERS[file]()  # once per cause: a second load of the same file says nothing new
    mine = [str(x.message) for x in w if issubclass(x.category, DataWarning) and file in str(x.message)]
    assert len(mine) == 1, mine
    msg = mine[0]
    assert f"row {line}" in msg and f"'{col}'" in msg and str(float(value) if "." in value else value) in msg, msg


def test_shipped_data_gives_no_plausibility_warning(data_copy: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        for load in LOADERS.values():
            load()


# ---------------------------------------------------------------- geometry files
def _edit_feature(path: Path, i: int, change: Callable[[dict[str, Any]], None]) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc["features"][i])
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _no_geometry(f: dict[str, Any]) -> None:
    f["geometry"] = None


def _point(f: dict[str, Any]) -> None:
    f["geometry"] = {"type": "Point", "coordinates": [121.0, 31.0]}


def _bad_adcode(f: dict[str, Any]) -> None:
    f["properties"]["adcode"] = "abc"


GEO_ERRORS = [
    ("boundaries.geojson", _no_geometry, "geometry", load_boundaries),
    ("boundaries.geojson", _point, "geometry", load_boundaries),
    ("boundaries.geojson", _bad_adcode, "adcode", load_boundaries),
    ("county_boundaries.geojson", _point, "geometry", ds.load_county_boundaries),
    ("county_boundaries.geojson", _bad_adcode, "adcode", ds.load_county_boundaries),
]


@pytest.mark.parametrize(("file", "change", "field", "load"), GEO_ERRORS, ids=[f"{g[0]}:{g[2]}" for g in GEO_ERRORS])
def test_broken_polygon_feature_names_file_feature_field(data_copy: Path, file, change, field, load) -> None:  # type: ignore[no-untyped-def]
    _edit_feature(data_copy / file, 2, change)
    with pytest.raises(DataError, match=rf"{file}.*row 3, field '{field}'"):
        load()


def test_corrupt_optional_boundaries_fail_with_their_name(data_copy: Path) -> None:
    """The issue's swallowed file: a corrupt boundaries.geojson silently dropped the city polygons."""
    (data_copy / "boundaries.geojson").write_bytes(b'{"type": "FeatureCollection", \x00\xff')
    with pytest.raises(DataError, match=r"boundaries\.geojson"):
        load_zones("city")


def test_absent_optional_boundaries_are_reported_as_skipped(data_copy: Path) -> None:
    (data_copy / "boundaries.geojson").unlink()
    with pytest.warns(DataWarning, match=r"boundaries\.geojson not found.*skipped"):
        z = load_zones("city")
    assert z.polygons is None


def test_absent_boundaries_for_custom_zones_warn(data_copy: Path) -> None:
    import geopandas as gpd

    (data_copy / "boundaries.geojson").unlink()
    pts = gpd.GeoDataFrame({"pop": [1e6]}, geometry=gpd.points_from_xy([121.4], [31.2]), crs="EPSG:4326")
    with pytest.warns(DataWarning, match=r"boundaries\.geojson.*skipped \(no zone is given a parent city\)"):
        zones_from_gdf(pts, mass="pop")


# ---------------------------------------------------------------- [model] ranges from the metadata
FIELDS = [f.name for f in dataclasses.fields(TravelTimeModel)]


def _bad_values(name: str) -> list[Any]:
    info = describe(TravelTimeModel, name)
    if info.choices is not None:
        return ["nope", 5, None]
    assert info.valid is not None, f"TravelTimeModel.{name} has no valid range in its metadata"
    lo, hi = info.valid.bounds
    out: list[Any] = [math.nan, "60", 1e300 if math.isinf(hi) else hi * 10 + 1]
    if math.isfinite(lo):
        out.append(lo - 1 if lo >= 1 else -1.0)
    if math.isfinite(hi):
        out.append(math.inf)
    return out


def test_every_model_field_has_a_range_or_choices() -> None:
    for name in FIELDS:
        info = describe(TravelTimeModel, name)
        assert info.valid is not None or info.choices is not None, name
        if info.valid is not None:
            assert info.valid.reason, name


@pytest.mark.parametrize("name", FIELDS)
def test_model_field_out_of_range_names_field_and_range(name: str) -> None:
    info = describe(TravelTimeModel, name)
    words = info.valid.words() if info.valid is not None else repr(info.choices[0])  # type: ignore[index]
    for bad in _bad_values(name):
        with pytest.raises((ValueError, TypeError)) as err:
            TravelTimeModel(**{name: bad})
        msg = str(err.value)
        assert f"TravelTimeModel.{name}" in msg and words in msg, msg


def test_issue_example_local_road_speed_1e300() -> None:
    with pytest.raises(ValueError, match=r"local_road_speed_kph must be a number in \[5, 120\], got 1e\+300"):
        TravelTimeModel(local_road_speed_kph=1e300)


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(TravelTimeModel) if f.type in ("int", int)])
def test_model_count_fields_must_be_whole(name: str) -> None:
    with pytest.raises(ValueError, match=rf"{name} must be a whole number"):
        TravelTimeModel(**{name: 2.5})
    assert getattr(TravelTimeModel(**{name: 3}), name) == 3
