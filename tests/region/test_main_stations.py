"""Main stations: the shipped table and every validation rule on broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest

import yrdnet
from yrdnet import DataError
from yrdnet.region.datasets import load_main_stations

HEADER = "city_adcode,station_id,role,from_year,to_year,source\n"


def _write(tmp_path: Path, rows: str) -> Path:
    p = tmp_path / "main_stations.csv"
    p.write_text(HEADER + rows, encoding="utf-8")
    return p


def _mains(m, city: int, year: int) -> list[str]:  # type: ignore[no-untyped-def]
    lo = m["from_year"].fillna(0).astype(int)
    hi = m["to_year"].fillna(9999).astype(int)
    sel = m[(m["city_adcode"] == city) & (lo <= year) & (year <= hi)]
    return list(sel["station_id"])


def test_shipped_table_covers_every_city_with_rail() -> None:
    m = yrdnet.load_main_stations()
    assert set(yrdnet.load_cities().index) - set(m["city_adcode"]) == {330900}  # Zhoushan: no railway
    assert m["source"].str.strip().ne("").all()
    # one main station per city and year
    for year in (2010, 2015, 2020, 2025):
        mains = m[m["role"] == "main"]
        lo, hi = mains["from_year"].fillna(0), mains["to_year"].fillna(9999)
        per_city = mains[(lo <= year) & (year <= hi)].groupby("city_adcode").size()
        assert (per_city == 1).all(), year
    # the plans' cities: sourced rows, stations by year
    assert _mains(m, 310000, 2025) == ["shanghai_hongqiao", "shanghai"]
    assert _mains(m, 320100, 2010) == ["nanjing"] and _mains(m, 320100, 2011) == ["nanjing_south", "nanjing"]
    assert _mains(m, 340100, 2013) == ["hefei"] and _mains(m, 340100, 2014) == ["hefei_south"]
    assert _mains(m, 330100, 2012) == ["hangzhou"] and _mains(m, 330100, 2013) == ["hangzhou_east", "hangzhou"]
    assert _mains(m, 320500, 2025) == ["suzhou"] and _mains(m, 330200, 2025) == ["ningbo"]
    for city in (310000, 320100, 330100, 340100, 320500, 330200):
        assert m.loc[m["city_adcode"] == city, "source"].str.contains("http").all(), city


def test_main_stations_part_of_the_region() -> None:
    R = yrdnet.load_region()
    assert R.main_stations is not None and len(R.main_stations) == len(yrdnet.load_main_stations())


def test_row_order_does_not_matter(tmp_path: Path) -> None:
    rows = ["310000,shanghai,also_main,2010,,s\n", "310000,shanghai_hongqiao,main,2010,,s\n"]
    rows += ["320100,nanjing,main,,,s\n"]
    a = load_main_stations(_write(tmp_path, "".join(rows)))
    b = load_main_stations(_write(tmp_path, "".join(reversed(rows))))
    assert a.equals(b) and list(a["station_id"]) == ["shanghai_hongqiao", "shanghai", "nanjing"]


@pytest.mark.parametrize(
    ("rows", "fragments"),
    [
        ("310000,shanghai_hongqaio,main,2010,,s\n", ["row 2", "station_id", "shanghai_hongqaio", "shanghai_hongqiao"]),
        ("310000,shanghai,main,2015,2012,s\n", ["row 2", "to_year", "2012", "2015"]),
        ("310000,shanghai,main,1066,,s\n", ["row 2", "from_year", "1066"]),
        ("310000,shanghai,main,2010,,s\n310000,shanghai,main,2012,2014,t\n", ["row 3", "duplicate", "row 2"]),
        ("310000,shanghai,main,2010,,s\n310000,shanghai_hongqiao,main,2011,,s\n", ["row 3", "already has a 'main'"]),
        ("320100,shanghai,main,,,s\n", ["row 2", "lies in city 310000"]),
        ("310001,shanghai,main,,,s\n", ["row 2", "city_adcode", "310001"]),
        ("310000,shanghai,primary,,,s\n", ["row 2", "role", "primary"]),
    ],
)
def test_bad_rows_name_the_row(tmp_path: Path, rows: str, fragments: list[str]) -> None:
    with pytest.raises(DataError) as e:
        load_main_stations(_write(tmp_path, rows))
    for frag in fragments:
        assert frag in str(e.value), (frag, str(e.value))


def test_years_that_follow_each_other_are_fine(tmp_path: Path) -> None:
    m = load_main_stations(_write(tmp_path, "330200,ningbo,main,,2009,s\n330200,ningbo_east,main,2010,2012,s\n"
                                             "330200,ningbo,main,2013,,s\n"))  # fmt: skip
    assert list(m["station_id"]) == ["ningbo", "ningbo", "ningbo_east"]
    assert m["from_year"].isna().sum() == 1 and int(m["to_year"].iloc[2]) == 2012
