"""yrdnet.to_gtfs: a scenario's rail services as a GTFS feed, read back by yrdnet and the ecosystem.

The round trip: the feed's fastest direct ride of every station pair, found by yrdnet's
GTFS reader and Connection Scan (``pair_table``), is the model's in-vehicle time of the
pair's fastest service level (the graph's rail edges with ``level == 1``) within one
second (GTFS times are whole seconds, each rounded half up on its own).
"""

from __future__ import annotations

import csv
import io
import textwrap
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet import OutputError, ScenarioError, to_gtfs
from yrdnet.cli.commands import main
from yrdnet.network.services import TRAIN_CLASSES
from yrdnet.scenarios import gtfs_export
from yrdnet.scenarios.gtfs_export import MAX_HEADWAY_S, feed_services
from yrdnet.testing import mock_graph
from yrdnet.timetable import pair_table, read_gtfs

SPAN = 18 * 3600  # the default window, 06:00-24:00
#: Stations the 2025 baseline serves (224 before the conventional lines of issue #18 added 55).
STOPS_2025 = 279
MEMBERS = ["agency.txt", "feed_info.txt", "calendar.txt", "routes.txt", "stops.txt", "trips.txt", "stop_times.txt"]


def table(path: Path, name: str) -> pd.DataFrame:
    with zipfile.ZipFile(path) as z, z.open(name) as f:
        return pd.DataFrame(list(csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"))))


def secs(t: str) -> int:
    h, m, s = (int(x) for x in t.split(":"))
    return h * 3600 + m * 60 + s


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("gtfs")
    return {
        "freq": to_gtfs("baseline_2025", d / "baseline_2025_gtfs.zip"),
        "explicit": to_gtfs("baseline_2025", d / "baseline_2025_trips.zip", frequencies=False),
    }


@pytest.fixture(scope="module")
def trains() -> pd.Series:
    return feed_services("baseline_2025").services["trains_per_day"].astype(int)


def level1(G: nx.MultiDiGraph) -> dict[tuple[str, str], float]:
    return {
        (str(u)[3:], str(v)[3:]): float(d["in_vehicle_s"])
        for u, v, d in G.edges(data=True)
        if d.get("mode") == "rail" and d["level"] == 1
    }


# ---------------------------------------------------------------- the feed
def test_members_and_feed_info(feeds: dict[str, Path]) -> None:
    with zipfile.ZipFile(feeds["freq"]) as z:
        assert z.namelist() == [*MEMBERS, "frequencies.txt"]
    with zipfile.ZipFile(feeds["explicit"]) as z:
        assert z.namelist() == MEMBERS
    info = table(feeds["freq"], "feed_info.txt").iloc[0]
    assert info["feed_publisher_name"] == "yrdnet"
    assert info["feed_version"] == f"yrdnet {yrdnet.__version__} baseline_2025 2025"
    assert "baseline_2025" in info["feed_source"] and "network year 2025" in info["feed_source"]
    assert info["feed_note"].startswith("Modelled, not a published timetable")
    cal = table(feeds["freq"], "calendar.txt")
    assert cal.to_dict("records") == [
        {"service_id": "daily", **dict.fromkeys(["monday", "tuesday", "wednesday", "thursday"], "1"),
         **dict.fromkeys(["friday", "saturday", "sunday"], "1"), "start_date": "20250101", "end_date": "20251231"}
    ]  # fmt: skip
    assert (info["feed_start_date"], info["feed_end_date"]) == ("20250101", "20251231")


def test_routes_and_stops(feeds: dict[str, Path], G2025: nx.MultiDiGraph) -> None:
    routes = table(feeds["freq"], "routes.txt")
    assert len(routes) == G2025.graph["n_services"] and routes["route_id"].is_unique
    used = {d["service"] for *_, d in G2025.edges(data=True) if d.get("mode") == "rail"}
    assert used <= set(routes["route_id"])  # every service the graph's levels name
    assert set(routes["route_type"]) == {"2"} and set(routes["route_short_name"]) <= set(TRAIN_CLASSES)
    assert routes["route_long_name"].is_unique
    stops = table(feeds["freq"], "stops.txt").set_index("stop_id")
    rail = {str(x)[3:] for u, v, d in G2025.edges(data=True) if d.get("mode") == "rail" for x in (u, v)}
    assert set(stops.index) == rail  # the stations rail services call at (suburban stops are not in the feed)
    st = yrdnet.load_stations().loc[stops.index]
    np.testing.assert_allclose(stops["stop_lon"].astype(float), st["lon"], atol=5e-7)
    np.testing.assert_allclose(stops["stop_lat"].astype(float), st["lat"], atol=5e-7)
    assert (stops["stop_name"] == st["name_zh"]).all()


def test_trains_a_day_and_headways(feeds: dict[str, Path], trains: pd.Series) -> None:
    freq = table(feeds["freq"], "frequencies.txt").set_index("trip_id")
    h = freq["headway_secs"].astype(int)
    f = trains.loc[freq.index]
    assert (h == SPAN // f).all() and (h <= MAX_HEADWAY_S).all()
    assert (freq["start_time"] == "06:00:00").all() and (freq["exact_times"] == "0").all()
    n_runs = (freq["end_time"].map(secs) - freq["start_time"].map(secs)) // h
    assert (n_runs == f).all()  # exactly F departures, all in the window
    # services whose headway would be too long (one train a day) are written as timed trips
    trips = table(feeds["freq"], "trips.txt")
    timed = trips[~trips["trip_id"].isin(freq.index)]
    assert (SPAN // trains.loc[timed["route_id"].unique()] > MAX_HEADWAY_S).all()
    assert timed["route_id"].value_counts().sort_index().equals(trains.loc[timed["route_id"].unique()].sort_index()
                                                                .rename("count").rename_axis("route_id"))  # fmt: skip
    # every train a day is a trip of the explicit feed, leaving at 06:00 + k * headway
    ex = table(feeds["explicit"], "trips.txt")
    counts = ex["route_id"].value_counts()
    assert counts.sort_index().tolist() == trains.loc[counts.sort_index().index].tolist()
    assert set(counts.index) == set(trains.index)
    first = table(feeds["explicit"], "stop_times.txt").query("stop_sequence == '1'").set_index("trip_id")
    dep = first["departure_time"].map(secs)
    route = ex.set_index("trip_id")["route_id"]
    k = dep.groupby(route.loc[dep.index].to_numpy()).rank(method="first").astype(int) - 1
    expected = 6 * 3600 + k * (SPAN // trains.loc[route.loc[dep.index]].to_numpy())
    assert (dep == expected).all()


def test_stop_times(feeds: dict[str, Path]) -> None:
    st = table(feeds["explicit"], "stop_times.txt")
    assert set(st["timepoint"]) == {"1"}
    arr, dep = st["arrival_time"].map(secs), st["departure_time"].map(secs)
    assert (dep >= arr).all()
    seq = st["stop_sequence"].astype(int)
    new_trip = st["trip_id"] != st["trip_id"].shift()
    assert (seq[new_trip] == 1).all() and (seq.diff()[~new_trip] == 1).all()
    assert (arr[~new_trip].to_numpy() >= dep.shift()[~new_trip].to_numpy()).all()
    last = st["trip_id"] != st["trip_id"].shift(-1)
    assert (arr[last] == dep[last]).all()  # the train terminates: no dwell at the last stop


# ---------------------------------------------------------------- the round trip
@pytest.mark.slow
def test_round_trip_fastest_direct_ride_is_the_models(feeds: dict[str, Path], G2025: nx.MultiDiGraph) -> None:
    tt = read_gtfs(feeds["freq"])
    assert str(tt.date) == "2025-01-01"
    pt = pair_table(tt)
    direct = pt[pt["direct_trains"] > 0].set_index(["origin", "destination"])["fastest_direct_min"] * 60.0
    model = level1(G2025)
    assert set(direct.index) == set(model)
    diff = direct.loc[list(model)].to_numpy() - np.array(list(model.values()))
    print(f"\nround trip: {len(model)} station pairs, max |feed - model| = {np.abs(diff).max():.3f} s")
    assert len(model) > 4000
    assert np.abs(diff).max() < 1.0


@pytest.mark.slow
def test_frequencies_and_explicit_trips_read_the_same(feeds: dict[str, Path]) -> None:
    a, b = read_gtfs(feeds["freq"]), read_gtfs(feeds["explicit"])
    assert a.trips.index.equals(b.trips.index)
    for k in ("dep_stop", "arr_stop", "dep_time", "arr_time", "trip", "event_departure", "event_arrival"):
        np.testing.assert_array_equal(getattr(a, k), getattr(b, k))


@pytest.mark.slow
def test_gtfs_kit_reads_and_expands(feeds: dict[str, Path], trains: pd.Series) -> None:
    gk = pytest.importorskip("gtfs_kit")
    feed = gk.read_feed(feeds["freq"], dist_units="km")
    if hasattr(feed, "validate"):  # gtfs-kit < 10 had a validator; 10+ leaves it to dedicated tools
        problems = feed.validate()
        assert not (problems["type"] == "error").any(), problems
    d = feed.describe().set_index("indicator")["value"]
    assert (d["num_routes"], d["num_stops"], d["start_date"], d["end_date"]) == (
        len(trains),
        STOPS_2025,
        "20250101",
        "20251231",
    )
    assert len(feed.get_dates()) == 365
    full = feed.expand_frequencies()
    assert len(full.trips) == trains.sum()
    ex = gk.read_feed(feeds["explicit"], dist_units="km")

    def events(f: object) -> Counter[tuple[str, ...]]:
        st = f.stop_times.merge(f.trips[["trip_id", "route_id"]], on="trip_id")  # type: ignore[attr-defined]
        cols = ["route_id", "stop_id", "stop_sequence", "arrival_time", "departure_time"]
        return Counter(map(tuple, st[cols].astype(str).to_numpy().tolist()))

    assert events(full) == events(ex)  # gtfs-kit's expansion is the explicit feed


@pytest.mark.filterwarnings("ignore::DeprecationWarning:partridge.*")
def test_partridge_loads(feeds: dict[str, Path], trains: pd.Series) -> None:
    ptg = pytest.importorskip("partridge")
    for path in feeds.values():
        feed = ptg.load_feed(str(path))
        assert len(feed.routes) == len(trains) and len(feed.stops) == STOPS_2025
        dates = ptg.read_service_ids_by_date(str(path))
        assert len(dates) == 365 and min(dates).isoformat() == "2025-01-01"
    assert len(ptg.load_feed(str(feeds["explicit"])).trips) == trains.sum()


def test_gtfs_guru_finds_no_error(feeds: dict[str, Path]) -> None:
    guru = pytest.importorskip("gtfs_guru")  # the MobilityData rule set, in Rust
    for path in feeds.values():
        r = guru.validate(str(path), country_code="CN", date="2025-01-01")
        notices = Counter((n.severity, n.code) for n in r.notices)
        print(f"\n{path.name}: {r.error_count} errors, {r.warning_count} warnings: {dict(notices)}")
        assert r.error_count == 0, [(n.code, n.file, n.row, n.message) for n in r.errors()]
        # the only warning: Chinese names have no letter case
        assert {code for sev, code in notices if sev == "WARNING"} <= {"mixed_case_recommended_field"}


# ---------------------------------------------------------------- scenarios and graphs
def write_plan(folder: Path) -> Path:
    p = folder / "my_line_plan.toml"
    p.write_text(
        textwrap.dedent(
            """\
            [scenario]
            name = "my_line_plan"
            base = "baseline_2025"
            [[edits]]
            op = "add_line"
            line = "my_line"
            name_en = "My line"
            speed_kph = 300
            stops = ["hefei_south", "my_stop", "nanjing_south"]
            [[edits.stations]]
            id = "my_stop"
            name_zh = "新站"
            name_en = "My Stop"
            adcode = 341100
            lon = 118.3
            lat = 32.3
            """
        ),
        encoding="utf-8",
    )
    return p


@pytest.mark.slow
def test_a_new_line_exports_its_services(tmp_path: Path, feeds: dict[str, Path]) -> None:
    plan = write_plan(tmp_path)
    path = to_gtfs(plan, tmp_path / "plan.zip")
    routes = set(table(path, "routes.txt")["route_id"])
    mine = {r for r in routes if r.startswith("default:my_line:")}
    assert {"default:my_line:all:down", "default:my_line:all:up"} <= mine
    assert routes - mine == set(table(feeds["freq"], "routes.txt")["route_id"])  # adding a line only adds
    stop = table(path, "stops.txt").set_index("stop_id").loc["my_stop"]
    assert (stop["stop_name"], stop["stop_desc"], stop["stop_lon"], stop["stop_lat"]) == (
        "新站", "My Stop", "118.300000", "32.300000",
    )  # fmt: skip
    # the graph of the plan knows its scenario file: the same feed, and the same rides as its edges
    G = yrdnet.build_graph(plan)
    assert to_gtfs(G, tmp_path / "from_graph.zip").read_bytes() == path.read_bytes()
    pt = pair_table(read_gtfs(path), stations=["hefei_south", "my_stop", "nanjing_south"])
    pt = pt[pt["direct_trains"] > 0].set_index(["origin", "destination"])
    model = level1(G)
    for pair, minutes in pt["fastest_direct_min"].items():
        assert abs(minutes * 60.0 - model[pair]) < 1.0, pair
    assert ("my_stop", "nanjing_south") in pt.index


@pytest.mark.slow
def test_an_opened_line_exports_its_services(tmp_path: Path) -> None:
    base = set(table(to_gtfs("baseline_2025", tmp_path / "a.zip"), "routes.txt")["route_id"])
    plan = set(table(to_gtfs("north_yangtze_hsr", tmp_path / "b.zip"), "routes.txt")["route_id"])
    assert base < plan and all("north_yangtze_hsr" in r for r in plan - base)


def test_year_and_window(tmp_path: Path) -> None:
    p = to_gtfs("baseline", tmp_path / "b2012.zip", year=2012, service_date="2030-05-01", days=7, start="07:00",
                end="21:00")  # fmt: skip
    cal = table(p, "calendar.txt").iloc[0]
    assert (cal["start_date"], cal["end_date"]) == ("20300501", "20300507")
    assert "baseline_2012 2012" in table(p, "feed_info.txt").iloc[0]["feed_version"]
    fs = feed_services("baseline", 2012)
    freq = table(p, "frequencies.txt").set_index("trip_id")
    assert (freq["headway_secs"].astype(int) == 14 * 3600 // fs.services.loc[freq.index, "trains_per_day"]).all()
    tt = read_gtfs(p, date="2030-05-03")
    first = tt.event_departure[np.r_[True, tt.event_trip[1:] != tt.event_trip[:-1]]]
    assert first.min() == 7 * 3600 and first.max() < 21 * 3600


def test_a_graph_gives_the_feed_of_its_scenario(tmp_path: Path, feeds: dict[str, Path], G2025) -> None:
    assert to_gtfs(G2025, tmp_path / "g.zip").read_bytes() == feeds["freq"].read_bytes()
    with pytest.raises(ValueError, match="year= applies to a scenario"):
        to_gtfs(G2025, tmp_path / "y.zip", year=2020)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.zip"]


def rail_only(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph(**G.graph)
    H.add_edges_from((u, v, dict(d)) for u, v, d in G.edges(data=True) if d.get("mode") == "rail")
    return H


def osm_graph(folder: Path) -> nx.MultiDiGraph:
    xml = folder / "tiny.osm"
    xml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">'
        '<node id="1" lat="31.194" lon="121.320"><tag k="railway" v="station"/><tag k="name" v="上海虹桥"/></node>'
        '<node id="2" lat="31.419" lon="120.642"><tag k="railway" v="station"/><tag k="name" v="苏州北"/></node>'
        '<node id="3" lat="31.25" lon="121.40"/><node id="4" lat="31.30" lon="120.62"/>'
        '<way id="10"><nd ref="1"/><nd ref="2"/><tag k="railway" v="rail"/><tag k="highspeed" v="yes"/></way>'
        '<way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/></way></osm>',
        encoding="utf-8",
    )
    return yrdnet.graph_from_xml(xml, yrdnet.load_cities().loc[[310000, 320500]])


@pytest.mark.slow
def test_graphs_that_do_not_hold_a_yrdnet_scenario_fail_clearly(tmp_path: Path, G2025) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ScenarioError, match=r"does not say which yrdnet scenario.*give the scenario"):
        to_gtfs(mock_graph(), out / "mock.zip")
    with pytest.raises(ScenarioError, match=r"built from OpenStreetMap \(osm-xml\)"):
        to_gtfs(osm_graph(tmp_path), out / "osm.zip")
    H = rail_only(G2025)
    H.graph.update(scenario="my_plan", scenario_path="")
    with pytest.raises(ScenarioError, match=r"cannot find scenario 'my_plan' of the graph.*give the Scenario itself"):
        to_gtfs(H, out / "custom.zip")
    H = rail_only(G2025)
    H.graph["year"] = -1
    with pytest.raises(ScenarioError, match="has no network year"):
        to_gtfs(H, out / "noyear.zip")
    # a graph built with another model (or edited): its rides are not the rebuilt services'
    H = rail_only(G2025)
    u, v, k = next((u, v, k) for u, v, k, d in H.edges(keys=True, data=True) if d["level"] == 1)
    H[u][v][k]["in_vehicle_s"] += 30.0
    with pytest.raises(ScenarioError, match=rf"rail edge {u} -> {v} rides .* another TravelTimeModel\? Pass it"):
        to_gtfs(H, out / "edited.zip")
    H = rail_only(G2025)
    H.graph["n_services"] += 1
    with pytest.raises(ScenarioError, match=r"differ from those of the scenario as it reads now"):
        to_gtfs(H, out / "more.zip")
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_the_export_follows_the_builds_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule added where the graph build takes its services reaches the feed too."""
    import yrdnet.network.graph as graph

    real = graph.services_for_network

    def plus_one(*args, **kwargs):  # type: ignore[no-untyped-def]
        s = real(*args, **kwargs)
        extra = s.loc[["default:shanghai_suzhou_huzhou_hsr:all:down"]].rename(index=lambda _: "year_rule:extra")
        return pd.concat([s, extra.assign(trains_per_day=3)])

    monkeypatch.setattr(graph, "services_for_network", plus_one)
    p = to_gtfs("baseline_2025", tmp_path / "x.zip", frequencies=False)
    assert (table(p, "trips.txt")["route_id"] == "year_rule:extra").sum() == 3


# ---------------------------------------------------------------- writing safely
def test_replaces_the_file_atomically_and_touches_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    path = tmp_path / "feed.zip"
    path.write_bytes(b"an older feed")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    real = gtfs_export._csv

    def fail_late(header, rows):  # type: ignore[no-untyped-def]
        if header[0] == "trip_id" and "headway_secs" in header:
            raise RuntimeError("disk full")
        return real(header, rows)

    monkeypatch.setattr(gtfs_export, "_csv", fail_late)
    with pytest.raises(RuntimeError, match="disk full"):
        to_gtfs("baseline_2010", path)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before
    monkeypatch.undo()
    assert to_gtfs("baseline_2010", path) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.zip", "notes.txt"]
    assert keep.read_bytes() == b"mine" and keep.stat().st_mtime_ns == before["notes.txt"][1]
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None and "stop_times.txt" in z.namelist()
    again = to_gtfs("baseline_2010", tmp_path / "again.zip")
    assert again.read_bytes() == path.read_bytes()  # the same input, the same bytes


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"path": "feed.txt"}, OutputError, r"must be a \.zip file"),
        ({"path": "folder.zip"}, OutputError, r"is a folder"),
        ({"start": "6h"}, ValueError, r"start must be 'HH:MM' or 'HH:MM:SS', got '6h'"),
        ({"start": "22:00", "end": "21:00"}, ValueError, r"must end after it starts"),
        ({"end": "49:00"}, ValueError, r"by 48:00"),
        ({"service_date": "2025-13-01"}, ValueError, r"service_date must be a date"),
        ({"days": 0}, ValueError, r"days must be a whole number >= 1"),
        ({"scenario": "plan_2053"}, ScenarioError, r"unknown scenario 'plan_2053'.*plan_2035"),
        ({"scenario": "baseline", "year": 1999}, ScenarioError, r"to_gtfs: year must be an integer in 2000-2060"),
    ],
)
def test_bad_arguments_write_nothing(tmp_path: Path, kwargs: dict, error: type, match: str) -> None:
    (tmp_path / "folder.zip").mkdir()
    kw = dict(kwargs)
    scenario = kw.pop("scenario", "baseline_2010")
    path = tmp_path / kw.pop("path", "feed.zip")
    with pytest.raises(error, match=match):
        to_gtfs(scenario, path, **kw)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.zip"]


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b2010.zip"
    assert main(["gtfs", "baseline_2010", "--out", str(out), "--no-frequencies", "--date", "2010-06-01"]) == 0
    assert str(out) in capsys.readouterr().out
    assert table(out, "calendar.txt").iloc[0]["start_date"] == "20100601"
    with zipfile.ZipFile(out) as z:
        assert "frequencies.txt" not in z.namelist()
    assert main(["gtfs", "plan_2053", "--out", str(tmp_path / "x.zip")]) == 2
    assert "unknown scenario 'plan_2053'" in capsys.readouterr().err
