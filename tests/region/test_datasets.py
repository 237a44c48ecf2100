"""The curated data: contents, provenance, and every validation rule on broken copies."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from conftest import edit_csv

import yrdnet
from yrdnet import DataError

CENSUS_YRD_TOTAL = 235_200_000  # 7th census: Shanghai 24.87 M + Jiangsu 84.75 M + Zhejiang 64.57 M + Anhui 61.03 M


def test_cities_41_and_census_total():
    c = yrdnet.load_cities()
    assert len(c) == 41
    assert c.index.name == "adcode"
    assert c.crs.to_epsg() == 4326
    assert abs(c["population"].sum() / CENSUS_YRD_TOTAL - 1) < 0.01
    assert c["central_area"].sum() == 27
    by_prov = c.groupby("province").size().to_dict()
    assert by_prov == {"Shanghai": 1, "Jiangsu": 13, "Zhejiang": 11, "Anhui": 16}
    # the name traps: two Suzhous, two Taizhous
    assert c.loc[320500, "name_zh"] == "苏州市" and c.loc[341300, "name_zh"] == "宿州市"
    assert c.loc[321200, "name_zh"] == "泰州市" and c.loc[331000, "name_zh"] == "台州市"


def test_every_row_has_a_source():
    for loader in (yrdnet.load_cities, yrdnet.load_stations, yrdnet.load_lines, yrdnet.load_highways):
        df = loader()
        assert df["source"].str.strip().ne("").all(), loader.__name__


def test_metros_current_and_2016():
    cur = yrdnet.load_metros()
    assert set(cur.index) == {"shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo"}
    assert cur.loc["shanghai", "n_members"] == 9
    for m, row in cur.iterrows():
        assert row["members"][0] == row["core_adcode"], m
    old = yrdnet.load_metros("2016")
    assert old.loc["nanjing", "n_members"] < cur.loc["nanjing", "n_members"]
    members = yrdnet.metro_members()
    assert 340200 in members["nanjing"] and 340200 in members["hefei"]  # Wuhu in both
    with pytest.raises(ValueError, match="'current' or '2016'"):
        yrdnet.load_metros("2030")


def test_every_city_but_zhoushan_has_an_open_station_by_2025():
    st = yrdnet.load_stations()
    ln = yrdnet.load_lines()
    open_ = ln[(ln["status"] == "open") & (ln["opened"].fillna(9999) <= 2025)]
    served = {s for stops in open_["stops"] for s in stops}
    cities_served = set(st.loc[sorted(served), "adcode"])
    missing = set(yrdnet.load_cities().index) - cities_served
    assert missing == {330900}, f"cities without an open station: {missing}"


def test_expressways_connect_all_41_cities():
    hw = yrdnet.load_highways()
    g = nx.Graph()
    g.add_nodes_from(yrdnet.load_cities().index)
    g.add_edges_from(zip(hw["from_adcode"], hw["to_adcode"], strict=False))
    assert nx.is_connected(g), [sorted(c) for c in nx.connected_components(g)]


def test_line_stops_exist_and_planned_lines_present():
    ln = yrdnet.load_lines()
    st = yrdnet.load_stations()
    assert {s for stops in ln["stops"] for s in stops} <= set(st.index)
    assert (ln["status"] != "open").sum() >= 5
    assert (ln["operating_speed_kph"] <= ln["design_speed_kph"]).all()


def test_get_path_and_available():
    assert yrdnet.get_path("cities.csv").is_file()
    assert "lines.csv" in yrdnet.available()
    with pytest.raises(DataError, match=r"cities\.csv"):
        yrdnet.get_path("citys.csv")


def test_settings_validate_on_assignment():
    with pytest.raises(AttributeError, match="unknown setting"):
        yrdnet.settings.chunksize = 3  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="positive int"):
        yrdnet.settings.chunk_size = 0
    with yrdnet.settings.override(chunk_size=3):
        assert yrdnet.settings.chunk_size == 3
    assert yrdnet.settings.chunk_size != 3 or False


# ---------------------------------------------------------------- broken copies
def _first_data_line(path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[1]


@pytest.mark.parametrize(
    ("file", "mutate", "match"),
    [
        ("cities.csv", lambda t: t.replace("adcode,", "code,", 1), r"(?s)cities\.csv.*missing required column"),
        ("cities.csv", lambda t: t.replace("24870900", "many", 1), r"row 2, field 'population': expected an integer"),
        ("cities.csv", lambda t: t.replace("24870900", "-5", 1), r"row 2, field 'population': expected a value > 0"),
        ("cities.csv", lambda t: t.replace("121.47,31.23", "131.47,31.23", 1), r"row 2, field 'lon/lat'.*bounding box"),
        ("cities.csv", lambda t: t.replace("320100,", "310000,", 1), r"row 3, field 'adcode': duplicate id 310000"),
        ("cities.csv", lambda t: t.replace("310000,", "3100,", 1), r"row 2, field 'adcode': expected a 6-digit adcode"),
        (
            "cities.csv",
            lambda t: t.replace(",Shanghai,121.47", ",Shanghia,121.47", 1),
            r"field 'province': expected one of",
        ),
        (
            "metros.csv",
            lambda t: t.replace("310000;320500", "310000;329999", 1),
            r"(?s)metros\.csv.*unknown city adcode '329999'",
        ),
    ],
)
def test_broken_cities_and_metros(data_copy, file, mutate, match):
    p = data_copy / file
    p.write_text(mutate(p.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError, match=match):
        yrdnet.load_cities()
        yrdnet.load_metros()


def _line_row(data_copy) -> tuple[pd.DataFrame, str]:
    text = (data_copy / "lines.csv").read_text(encoding="utf-8")
    return pd.read_csv(data_copy / "lines.csv", dtype=str, keep_default_na=False), text


def test_broken_lines_unknown_stop(data_copy):
    df, _ = _line_row(data_copy)
    stop = df.loc[0, "stops"].split(";")[0]
    edit_csv(data_copy / "lines.csv", stop + ";", stop + "x;")
    with pytest.raises(
        DataError, match=rf"(?s)lines\.csv.*row 2, field 'stops': unknown station '{stop}x'.*closest valid: {stop}"
    ):
        yrdnet.load_lines()


def test_broken_lines_speed_and_year_and_stops(data_copy):
    p = data_copy / "lines.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df.loc[0, "operating_speed_kph"] = "0"
    df.loc[1, "opened"] = "1850"
    df.loc[2, "stops"] = df.loc[2, "stops"].split(";")[0]
    df.loc[3, "kind"] = "maglev"
    df.loc[4, "line_id"] = df.loc[5, "line_id"]
    df.to_csv(p, index=False)
    with pytest.raises(DataError) as ei:
        yrdnet.load_lines()
    msg = str(ei.value)
    assert "row 2, field 'operating_speed_kph': expected a value > 0" in msg
    assert "row 3, field 'opened': expected a year in 1876-2060, found 1850" in msg
    assert "row 4, field 'stops': expected at least 2 stops" in msg
    assert (
        "row 5, field 'kind': expected one of ['hsr', 'intercity', 'upgraded', 'conventional'], found 'maglev'" in msg
    )
    assert "field 'line_id': duplicate id" in msg


def test_broken_stations(data_copy):
    p = data_copy / "stations.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df.loc[0, "lat"] = "40.1"
    df.loc[1, "adcode"] = "110000"
    df.loc[2, "lon"] = "east"
    df.to_csv(p, index=False)
    with pytest.raises(
        DataError,
        match=r"(?s)stations\.csv.*row 2, field 'lon/lat'.*bounding box.*\n.*row 4, field 'lon': expected a number",
    ):
        yrdnet.load_stations()
    df.loc[0, "lat"] = "31.0"
    df.loc[2, "lon"] = "120.0"
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match=r"row 3, field 'adcode': unknown city adcode 110000"):
        yrdnet.load_stations()


def test_broken_highways(data_copy):
    p = data_copy / "highways.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df.loc[0, "to_adcode"] = df.loc[0, "from_adcode"]
    df.loc[1, "km"] = "-3"
    df.loc[2, "speed_kph"] = "0"
    df.loc[3, "to_adcode"] = "999999"
    df.to_csv(p, index=False)
    with pytest.raises(DataError) as ei:
        yrdnet.load_highways()
    msg = str(ei.value)
    assert "row 2, field 'to_adcode': a link must join two different cities" in msg
    assert "row 3, field 'km': expected a value > 0, found -3.0" in msg
    assert "row 4, field 'speed_kph': expected a value > 0" in msg


def test_broken_highway_unknown_city(data_copy):
    p = data_copy / "highways.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df.loc[3, "to_adcode"] = "999999"
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match=r"(?s)highways\.csv.*row 5, field 'to_adcode': unknown city adcode 999999"):
        yrdnet.load_highways()


def test_unparseable_file(data_copy):
    (data_copy / "cities.csv").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(DataError, match=r"cities\.csv"):
        yrdnet.load_cities()
