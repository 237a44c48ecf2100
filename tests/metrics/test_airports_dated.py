"""Airports with dates (issue 20, item 4): ``opened`` / ``closed`` in data/airports.csv.

Real shipped data, no network: the airports in service follow the network year (Hefei
Luogang until 2013, then Xinqiao; Lianyungang Baitabu until 2021), bad years raise a
:class:`~yrdnet.DataError` naming the file, row and field, and the analysis of 2010 and
2025 reaches different airports.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet import DataError
from yrdnet.metrics.airports import airport_zones, airports_in_year, time_to_airports
from yrdnet.region.datasets import load_airports, load_counties, load_county_boundaries

#: The county zones of Hefei's two airport sites (the data/county_boundaries.geojson polygons
#: holding them): Luogang in Baohe District, Xinqiao in Shushan District.
BAOHE, SHUSHAN = 340111, 340104
#: The analysis row compared across years.
ROW = "mean_time_to_airport_min"


@pytest.fixture(scope="module")
def airports() -> pd.DataFrame:
    return load_airports()


def _hefei_airport_zone(airports: pd.DataFrame, year: int) -> int:
    """The county zone holding Hefei's (HFE) airport in ``year``."""
    counties = load_counties()
    polygons = load_county_boundaries().geometry.reindex(counties.index)
    attached = airport_zones(airports_in_year(airports, year), counties[["lon", "lat"]], polygons)
    return int(attached["HFE"])


def test_every_row_has_dates_source(airports: pd.DataFrame) -> None:
    assert airports["dates_source"].str.len().gt(0).all()
    unverified = airports["dates_source"] == "(unverified)"
    assert airports.loc[unverified, "opened"].isna().all()


def test_hefei_airport_moves_between_2010_and_2015(airports: pd.DataFrame) -> None:
    names = {y: airports_in_year(airports, y).loc["HFE", "name_zh"] for y in (2010, 2015)}
    assert names == {2010: "合肥骆岗机场", 2015: "合肥新桥国际机场"}
    assert _hefei_airport_zone(airports, 2010) == BAOHE
    assert _hefei_airport_zone(airports, 2015) == SHUSHAN


def test_hefei_time_to_airport_differs_between_2010_and_2015(airports: pd.DataFrame) -> None:
    zones = [BAOHE, SHUSHAN]
    T = pd.DataFrame([[0.0, 40.0], [40.0, 0.0]], index=zones, columns=zones)  # two-zone toy times
    times = {}
    for year in (2010, 2015):
        ap = airports_in_year(airports, year).loc[["HFE"]]
        attached = pd.Series({"HFE": _hefei_airport_zone(airports, year)})
        times[year] = time_to_airports(T, attached, ap["role"], kinds=("any",))["time_to_airport_min"]
    assert times[2010][BAOHE] == 0.0 and times[2015][BAOHE] == 40.0


@pytest.mark.parametrize("year", [2013, 2021, 2025])
def test_closed_airport_absent(airports: pd.DataFrame, year: int) -> None:
    closed = airports[airports["closed"].notna() & (airports["closed"] <= year)]
    assert len(closed) > 0
    kept = airports_in_year(airports, year)
    assert kept.index.is_unique
    for name in closed["name_zh"]:
        assert name not in set(kept["name_zh"])


def test_before_opening_absent_and_empty_opened_always_in(airports: pd.DataFrame) -> None:
    in_2010 = airports_in_year(airports, 2010)
    assert "WHA" not in in_2010.index and "YTY" not in in_2010.index  # opened 2021, 2012
    assert "LYG" in in_2010.index  # Baitabu, 1985-2021
    undated = airports.index[airports["opened"].isna()]
    assert set(undated) <= set(in_2010.index)


def test_unknown_year_keeps_airports_open_today(airports: pd.DataFrame) -> None:
    today = airports_in_year(airports, None)
    assert today["closed"].isna().all() and today.index.is_unique


def _set_field(path: Path, iata: str, name_zh: str, field: str, value: str) -> int:
    """Set ``field`` of the row (``iata``, ``name_zh``) of an airports.csv copy; its file line."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    hit = (df["iata"] == iata) & (df["name_zh"] == name_zh)
    assert hit.sum() == 1
    df.loc[hit, field] = value
    df.to_csv(path, index=False, lineterminator="\n")
    return int(df.index[hit][0]) + 2


def test_closed_before_opened_raises(data_copy: Path) -> None:
    line = _set_field(data_copy / "airports.csv", "HFE", "合肥骆岗机场", "closed", "1970")
    with pytest.raises(DataError, match=rf"(?s)airports\.csv.*row {line}, field 'closed': expected a year after"):
        load_airports()


@pytest.mark.parametrize("value", ["2201", "2021.5"], ids=["implausible", "non_integer"])
def test_bad_opening_year_raises(data_copy: Path, value: str) -> None:
    line = _set_field(data_copy / "airports.csv", "WHA", "芜湖宣州机场", "opened", value)
    with pytest.raises(DataError, match=rf"(?s)airports\.csv.*row {line}, field 'opened'"):
        load_airports()


def test_code_in_service_twice_raises(data_copy: Path) -> None:
    line = _set_field(data_copy / "airports.csv", "HFE", "合肥骆岗机场", "closed", "")
    with pytest.raises(DataError, match=rf"(?s)airports\.csv.*row {line}, field 'iata': duplicate id 'HFE'"):
        load_airports()


def test_analysis_2010_and_2025_reach_different_airports() -> None:
    rows = {}
    for year in (2010, 2025):
        res = yrdnet.analyze(f"baseline_{year}", centrality=False, sensitivity_samples=2)
        rows[year] = float(res.region.loc[ROW, "value"])
    print(f"{ROW}: 2010 {rows[2010]:.3f}, 2025 {rows[2025]:.3f}")
    assert rows[2010] != rows[2025]
