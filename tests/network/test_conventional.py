"""Conventional rail lines (issue #18): curated list, stops from the 2023 timetable, speeds, 2010 reach.

The rows of ``lines.csv`` with ``kind = conventional`` are written by
``tools/derive_conventional.py`` from ``data/conventional_lines.csv`` and the 12306
timetable of 2023-12-15. Tests that need the timetable skip when ``shared/sources`` is
absent (CI); the others check the shipped rows and the tool's rules on made-up trains.
"""

from __future__ import annotations

import csv
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.network.services import default_services

ROOT = Path(__file__).resolve().parents[2]
_CANDIDATES = [
    os.environ.get("YRDNET_SOURCES", ""),
    ROOT.parent / "shared" / "sources",
    ROOT.parents[1] / "shared" / "sources",
]
SOURCES = next((Path(p) for p in _CANDIDATES if p and Path(p).is_dir()), None)
TIMETABLE = None if SOURCES is None else SOURCES / "timetable_2023" / "12306_timetable_2023-12-15.zip"
needs_timetable = pytest.mark.skipif(
    TIMETABLE is None or not TIMETABLE.is_file(), reason="shared/sources timetable_2023 not present"
)
#: Plausible operating speeds of a conventional line, km/h. High end: no conventional
#: line is faster than the 200 km/h of the Quzhou–Jiujiang line. Low end 50, not the 60
#: first asked for: the slowest lines are old single-track lines through cities, e.g.
#: Nanjing–Wuhu, whose K trains keep a schedule speed of about 46 km/h (model speed 55).
SPEED_RANGE = (50, 200)


@pytest.fixture(scope="module")
def tool() -> Iterator[ModuleType]:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import derive_conventional
    finally:
        sys.path.pop(0)
    yield derive_conventional


@pytest.fixture(scope="module")
def conv() -> pd.DataFrame:
    lines = yrdnet.load_lines()
    return lines[lines["kind"] == "conventional"]


def _curated() -> dict[str, dict[str, str]]:
    with (ROOT / "data" / "conventional_lines.csv").open(encoding="utf-8", newline="") as fh:
        return {r["line_id"]: r for r in csv.DictReader(fh)}


def test_every_curated_line_is_a_row_with_its_anchors_in_order(conv: pd.DataFrame) -> None:
    cur = _curated()
    names = yrdnet.load_stations()["name_zh"].to_dict()
    known = set(names.values())
    assert set(conv.index) <= set(cur)
    # a curated line is left out only when one of its stations has no stations.csv row
    for lid in set(cur) - set(conv.index):
        assert not set(cur[lid]["anchors"].split(";")) <= known, lid
    assert len(conv) >= 30
    for lid, row in conv.iterrows():
        stop_names = [names[s] for s in row["stops"]]
        anchors = cur[str(lid)]["anchors"].split(";")
        assert stop_names[0] == anchors[0] and stop_names[-1] == anchors[-1], lid
        at = [stop_names.index(a) for a in anchors if a in stop_names]
        assert len(at) == len(anchors) and at == sorted(at), (lid, stop_names, anchors)
        assert len(set(row["stops"])) == len(row["stops"]), lid


def test_opening_years_and_sources(conv: pd.DataFrame) -> None:
    cur = _curated()
    assert (conv["status"] == "open").all()
    for lid, row in conv.iterrows():
        assert 1876 <= int(row["opened"]) <= 2023, lid
        assert int(row["opened"]) == int(cur[str(lid)]["opened"]), lid
        src = str(row["source"])
        assert "http" in src or "unverified" in src, lid
        assert "tools/derive_conventional.py" in src and "12306 timetable of 2023-12-15" in src, lid
        assert "derived" in src, lid


def test_schedule_derived_speeds_are_plausible(conv: pd.DataFrame) -> None:
    op = conv["operating_speed_kph"].astype(int)
    lo, hi = SPEED_RANGE
    bad = op[(op < lo) | (op > hi)]
    assert bad.empty, bad.to_dict()
    assert (op <= conv["design_speed_kph"].astype(int)).all()
    # the trunk lines run faster than the old single-track branches
    assert op["shanghai_nanjing_railway"] > op["nanjing_wuhu_railway"]


def test_conventional_lines_get_k_class_default_services(conv: pd.DataFrame) -> None:
    m = yrdnet.TravelTimeModel()
    sv = default_services(conv, yrdnet.load_stations(), yrdnet.load_cities(), m)
    assert set(sv["train_class"]) == {"K"}
    assert (sv["trains_per_day"] == m.default_conventional_trains).all()
    assert set(sv["pattern"]) <= {"all-stop", "non-stop"}
    assert len(sv) == 2 * len(conv)  # one all-stop service each way, no express


def test_2010_rail_reaches_the_cities_with_a_conventional_station(conv: pd.DataFrame) -> None:
    st = yrdnet.load_stations()
    open_2010 = conv[conv["opened"] <= 2010]
    cities = sorted({int(st.loc[s, "adcode"]) for stops in open_2010["stops"] for s in stops})
    lines = yrdnet.load_lines()
    railed = {int(st.loc[s, "adcode"]) for stops in lines[lines["opened"] <= 2010]["stops"] for s in stops}
    all_cities = yrdnet.load_cities()
    without = [all_cities.loc[c, "name_en"] for c in all_cities.index if c not in railed]
    print(f"cities without any rail station in 2010: {without}")
    assert len(cities) >= 38
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", yrdnet.UnreachableWarning)
        T = yrdnet.travel_times(yrdnet.build_graph("baseline_2010"), mode="rail")
    sub = T.loc[cities, cities].to_numpy()
    off = ~np.eye(len(cities), dtype=bool)
    share = float(np.isfinite(sub[off]).mean())
    assert share >= 0.95, f"{share:.1%} of {int(off.sum())} pairs; no rail station: {without}"


# --------------------------------------------------------------- the tool's rules


def _train(tool: ModuleType, tid: str, stops: list[tuple[str, int]]) -> object:
    return tool.Train(tid, tid, tuple(tool.Call(n, float(t), float(t)) for n, t in stops))


def _spec(tool: ModuleType, anchors: str) -> object:
    return tool.Spec("x", "x", "x", tuple(anchors.split(";")), 2000, None, None, "src")


def test_stations_are_the_union_of_stops_in_train_order(tool: ModuleType) -> None:
    trains = [
        _train(tool, "t1", [("A", 0), ("p", 10), ("B", 30), ("C", 60)]),
        _train(tool, "t2", [("C", 0), ("q", 10), ("B", 30), ("r", 40), ("A", 60)]),
        _train(tool, "t3", [("A", 0), ("r", 5), ("p", 8), ("B", 30)]),
    ]
    d = tool.derive_line(_spec(tool, "A;B;C"), trains)
    assert d.names == ["A", "r", "p", "B", "q", "C"]
    assert d.trains == {"t1", "t2", "t3"}


def test_a_train_leaving_the_line_is_left_out(tool: ModuleType) -> None:
    trains = [
        _train(tool, "t1", [("A", 0), ("p", 10), ("B", 30)]),
        _train(tool, "t2", [("A", 0), ("X", 20), ("B", 50)]),  # X is another line's anchor
        _train(tool, "t3", [("A", 0), ("y", 40), ("B", 200)]),  # far slower: a detour
        _train(tool, "t4", [("B", 0), ("p", 20), ("A", 30)]),
    ]
    d = tool.derive_line(_spec(tool, "A;B"), trains, frozenset({"A", "B", "X"}))
    assert d.names == ["A", "p", "B"]
    assert d.dropped == 2


def test_contradicting_stop_orders_are_an_error(tool: ModuleType) -> None:
    trains = [
        _train(tool, "t1", [("A", 0), ("p", 10), ("q", 20), ("B", 30)]),
        _train(tool, "t2", [("A", 0), ("q", 10), ("p", 20), ("B", 30)]),
    ]
    with pytest.raises(DataError, match="line x: the trains' stop orders contradict"):
        tool.derive_line(_spec(tool, "A;B"), trains)


def test_model_speed_inverts_the_run_model(tool: ModuleType) -> None:
    from yrdnet.network.track import Segment, run_seconds

    m = yrdnet.TravelTimeModel()
    for km, v in [(20.0, 80.0), (60.0, 120.0), (150.0, 160.0)]:
        t = run_seconds([Segment(km, v, "x", m.rail_speed_factor)], np.inf, m.rail_accel_ms2)
        assert tool.model_speed(km, t / 60.0, m) == pytest.approx(v)


@needs_timetable
def test_lines_csv_is_what_the_tool_derives_from_the_timetable(tool: ModuleType) -> None:
    assert TIMETABLE is not None
    assert tool.main([str(TIMETABLE), "--check", "--skip-unmapped"]) == 0
