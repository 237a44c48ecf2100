"""The 2023 feed builder's rules on tiny synthetic inputs (no ../shared needed).

``tools/timetable_2023.py`` reads per-class SQLite timetables; ``tools/new_stations.py``
names and ids the stations it adds to stations.csv.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"

Row = tuple[int, str, str, str, str, str, int]  # station_no, name, code, arrive, start, run_time, day diff


@pytest.fixture
def tools(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(TOOLS))
    import new_stations
    import timetable_2023

    yield timetable_2023, new_stations
    for name in ("timetable_2023", "new_stations", "locate_stations", "gtfs_common"):
        sys.modules.pop(name, None)


def write_source(root: Path, trains: dict[str, dict[str, list[Row]]]) -> Path:
    """One folder per class with ``train_timetable_info.db`` (one table per train)."""
    for folder in ("C", "D", "G", "K", "P", "S", "T", "Y", "Z"):
        (root / folder).mkdir(parents=True)
        con = sqlite3.connect(root / folder / "train_timetable_info.db")
        for train_no, rows in trains.get(folder, {}).items():
            con.execute(
                f'CREATE TABLE "{train_no}" (id INTEGER PRIMARY KEY AUTOINCREMENT, station_no INTEGER, '
                "station_name TEXT, station_train_code TEXT, arrive_time TEXT, start_time TEXT, "
                "stop_time TEXT, run_time TEXT, arrive_day_diff INTEGER)"
            )
            con.executemany(
                f'INSERT INTO "{train_no}" (station_no, station_name, station_train_code, arrive_time, '
                "start_time, stop_time, run_time, arrive_day_diff) VALUES (?, ?, ?, ?, ?, '2分', ?, ?)",
                rows,
            )
        con.commit()
        con.close()
    return root


K_TRAIN: list[Row] = [
    (1, "上海南", "K1", "22:00", "22:00", "00:00", 0),
    (2, "嘉_兴", "K1", "23:58", "00:03", "01:58", 0),  # the stop passes midnight
    (3, "杭州", "K2", "00:50", "00:58", "02:50", 1),
]


def test_reading_repairs_and_counts(tools, tmp_path):
    tt, _ = tools
    y_train = [(1, "上海西", "Y701", "08:45", "08:45", "00:00", 0), (2, "嘉兴", "Y701", "10:00", "10:00", "01:15", 0)]
    src = write_source(
        tmp_path,
        {
            "K": {"5k0000K10001": K_TRAIN + K_TRAIN[1:2]},  # a repeated row
            "P": {
                "5k000075010A": [
                    (1, "杭州", "7501", "06:00", "06:00", "00:00", 0),
                    (2, "金华", "7501", "08:00", "08:00", "02:00", 0),
                ]
            },
            "C": {"4e000C550109": [(1, "武汉", "C5501", "06:16", "06:16", "00:00", 0)]},  # single stop
            "Y": {"5k0000Y70130": y_train},
            "Z": {"5k0000Y70130": y_train},  # the Z folder repeats the Y trains
        },
    )
    r = tt.read_timetable(src)
    by_no = {t.train_no: t for t in r.trains}
    assert sorted(by_no) == ["5k000075010A", "5k0000K10001", "5k0000Y70130"]
    k = by_no["5k0000K10001"]
    assert (k.number, k.klass) == ("K1/K2", "K")
    assert [s.name for s in k.stops] == ["上海南", "嘉兴", "杭州"]
    assert [(s.arr, s.dep) for s in k.stops] == [(79200, 79200), (86280, 86580), (89400, 89880)]
    assert by_no["5k000075010A"].klass == "P" and by_no["5k0000Y70130"].klass == "Y"
    assert r.counts["duplicate_rows_dropped"] == 1
    assert r.counts["names_cleaned"] == 1
    assert r.counts["single_stop_tables_skipped"] == 1
    assert r.counts["repeated_in_Z"] == 1


def test_conflicting_repeated_row_is_an_error_naming_the_table(tools, tmp_path):
    tt, _ = tools
    bad = [*K_TRAIN, (2, "嘉兴", "K1", "23:50", "23:55", "01:50", 0)]
    src = write_source(tmp_path, {"K": {"5k0000K10001": bad}})
    with pytest.raises(ValueError, match=r"K/train_timetable_info\.db table 5k0000K10001: station_no 2"):
        tt.read_timetable(src)


def test_time_going_back_is_an_error_naming_the_stop(tools, tmp_path):
    tt, _ = tools
    bad = [K_TRAIN[0], (2, "嘉兴", "K1", "21:00", "21:05", "01:58", 0)]  # day diff should be 1
    src = write_source(tmp_path, {"K": {"5k0000K10001": bad}})
    with pytest.raises(ValueError, match=r"table 5k0000K10001 station_no 2 \(嘉兴\)"):
        tt.read_timetable(src)


def test_missing_class_folder_is_an_error(tools, tmp_path):
    tt, _ = tools
    src = write_source(tmp_path, {})
    (src / "S" / "train_timetable_info.db").unlink()
    with pytest.raises(ValueError, match=r"no S/train_timetable_info\.db"):
        tt.read_timetable(src)


def test_english_names_and_ids_of_new_stations(tools):
    _, ns = tools
    from gtfs_common import TsStation
    from locate_stations import Located

    def loc(name: str, code: str, pinyin: str, adcode: int) -> Located:
        return Located(
            name, "new", lon=117.0, lat=33.6, adcode=adcode, via="cnstation", ts=TsStation(code, name, pinyin, "")
        )

    known = pd.DataFrame({"station_id": ["fuyang_west", "lanxi"], "name_zh": ["阜阳西", "兰溪"]})
    missing = [
        loc("绩溪县", "JRH", "jixixian", 341800),
        loc("马鞍山", "MAH", "maanshan", 340500),
        loc("宿州", "OXH", "suzhou", 341300),
        loc("滁州北", "CUH", "chuzhoubei", 341100),
        loc("兰溪", "LWH", "lanxi", 330700),  # the id is taken by another station: province suffix
    ]
    rows = {r["name_zh"]: r for r in ns.new_station_rows(missing, known, [])}
    assert {n: (r["station_id"], r["name_en"]) for n, r in rows.items()} == {
        "绩溪县": ("jixi_county", "Jixi County"),
        "马鞍山": ("maanshan", "Ma'anshan"),
        "宿州": ("suzhou_ah", "Suzhou"),
        "滁州北": ("chuzhou_north", "Chuzhou North"),
        "兰溪": ("lanxi_zj", "Lanxi"),
    }
    assert all("cnstation.csv GCJ-02" in r["source"] and "telecode" in r["source"] for r in rows.values())
    no_pinyin = Located("某站", "new", lon=117.0, lat=33.6, adcode=340100, via="osm")
    with pytest.raises(ValueError, match="某站: not in 12306 station_name"):
        ns.new_station_rows([no_pinyin], known, [])
