"""A scenario's new line with its own trains (trains_per_day, express_stops) and the stations a line opens."""

from __future__ import annotations

import warnings
from pathlib import Path

import networkx as nx
import pytest

import yrdnet
from yrdnet import ScenarioError
from yrdnet.network.graph import filter_network
from yrdnet.network.history import network_of_year, open_stations
from yrdnet.network.services import services_for_network
from yrdnet.scenarios.incremental import IncrementalBase

HEAD = '[scenario]\nname = "t"\nbase = "baseline_2025"\n'
STOPS = ["hefei_south", "chaohu_east", "wuhu", "xuancheng"]  # stations of 2025, three cities apart
LINE = f'[[edits]]\nop = "add_line"\nline = "x_line"\nspeed_kph = 350\nstops = {STOPS!r}\n'.replace("'", '"')


def _write(tmp_path: Path, body: str, name: str = "t.toml") -> Path:
    p = tmp_path / name
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def _services(p: Path) -> dict[str, tuple[list[str], int]]:
    """``{service id: (stops, trains a day)}`` of the scenario line's own services."""
    sc = yrdnet.load_scenario(p)
    t, m = sc.tables(), sc.travel_time_model()
    lines_f, _ = filter_network(t.lines, t.highways, sc.effective_year)
    net = network_of_year(lines_f, t.stations, sc.effective_year)
    sv = services_for_network(
        net.lines, t.stations, t.cities, m, net.services, net.extra, covered=net.timetable.covered
    )
    own = sv[[lns == ["x_line"] for lns in sv["lines"]]]
    return {str(k): (list(r["stops"]), int(r["trains_per_day"])) for k, r in own.iterrows()}


def test_default_pattern_without_trains(tmp_path: Path) -> None:
    got = _services(_write(tmp_path, LINE))
    m = yrdnet.TravelTimeModel()
    assert got["default:x_line:all:down"] == (STOPS, m.default_allstop_trains)
    assert got["default:x_line:express:down"][1] == m.default_express_trains


def test_express_and_all_stop_numbers(tmp_path: Path) -> None:
    body = LINE + 'trains_per_day = { express = 20, all_stop = 6 }\nexpress_stops = ["hefei_south", "xuancheng"]\n'
    got = _services(_write(tmp_path, body))
    assert got["default:x_line:express:down"] == (["hefei_south", "xuancheng"], 20)
    assert got["default:x_line:express:up"] == (["xuancheng", "hefei_south"], 20)
    assert got["default:x_line:all:down"] == (STOPS, 6)


def test_one_number_runs_one_pattern(tmp_path: Path) -> None:
    got = _services(_write(tmp_path, LINE + "trains_per_day = 30\n"))
    assert set(got) == {"default:x_line:all:down", "default:x_line:all:up"} and got["default:x_line:all:up"][1] == 30
    got = _services(
        _write(tmp_path, LINE + 'trains_per_day = 12\nexpress_stops = ["hefei_south", "wuhu", "xuancheng"]\n')
    )
    assert set(got) == {"default:x_line:express:down", "default:x_line:express:up"}
    assert got["default:x_line:express:down"] == (["hefei_south", "wuhu", "xuancheng"], 12)


def test_a_key_left_out_keeps_the_default(tmp_path: Path) -> None:
    got = _services(_write(tmp_path, LINE + "trains_per_day = { all_stop = 0 }\n"))
    assert not any(":all:" in k for k in got)
    assert got["default:x_line:express:down"][1] == yrdnet.TravelTimeModel().default_express_trains


def test_more_trains_wait_less(tmp_path: Path) -> None:
    new = (
        '[[edits]]\nop = "add_line"\nline = "x_new"\nspeed_kph = 300\nstops = ["x_a", "x_b"]\n'
        'stations = [{ id = "x_a", adcode = 340100, lon = 117.2, lat = 31.7 },'
        ' { id = "x_b", adcode = 320100, lon = 118.7, lat = 31.9 }]\n'
    )
    few = yrdnet.build_graph(_write(tmp_path, new + "trains_per_day = 4\n", "few.toml"))
    many = yrdnet.build_graph(_write(tmp_path, new + "trains_per_day = 60\n", "many.toml"))

    def edge(G: nx.MultiDiGraph) -> dict[str, float]:
        (d,) = G["st:x_a"]["st:x_b"].values()
        return d

    assert edge(few)["trains_per_day"] == 4 and edge(many)["trains_per_day"] == 60
    assert edge(many)["wait_s"] < edge(few)["wait_s"] and edge(many)["in_vehicle_s"] == edge(few)["in_vehicle_s"]


def test_incremental_equals_full_with_trains(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        LINE + 'trains_per_day = { express = 9, all_stop = 3 }\nexpress_stops = ["hefei_south", "wuhu", "xuancheng"]\n',
    )
    base = IncrementalBase.build("baseline_2025", modes=("rail",))
    got, want = base.scenario_graph(p), yrdnet.build_graph(p)
    edges = lambda G: sorted((u, v, tuple(sorted(d.items()))) for u, v, d in G.edges(data=True))  # noqa: E731
    assert edges(got) == edges(want)
    T, method = base.travel_times(p, "rail", warn_unreachable=False)
    assert method == "incremental"
    assert T.equals(yrdnet.travel_times(want, "rail", warn_unreachable=False))


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("trains_per_day = 0\n", r"trains_per_day must be an integer in \[1, 500\] or a table"),
        ("trains_per_day = 2.5\n", r"trains_per_day must be an integer .* found 2.5"),
        ("trains_per_day = { express = -1 }\n", r"trains_per_day.express must be an integer in \[0, 500\], found -1"),
        ("trains_per_day = { fast = 3 }\n", r"trains_per_day: unknown key 'fast'; expected express and/or all_stop"),
        ("trains_per_day = { express = 0, all_stop = 0 }\n", r"trains_per_day runs no train"),
        (
            'express_stops = ["hefei_south", "nanjing_south"]\n',
            r"express_stops \['nanjing_south'\] are not stops of the line",
        ),
        ('express_stops = ["xuancheng", "hefei_south"]\n', r"express_stops must follow the order of stops"),
        ('express_stops = ["hefei_south", "wuhu"]\n', r"express_stops must start and end at the line's ends"),
        ('express_stops = ["hefei_south"]\n', r"express_stops must be an array of at least 2 station ids"),
        ("trains = 3\n", r"unknown key 'trains'.*add_line accepts"),
    ],
)
def test_bad_trains_named(tmp_path: Path, body: str, match: str) -> None:
    p = _write(tmp_path, LINE + body)
    with pytest.raises(ScenarioError, match=match) as ei:
        yrdnet.load_scenario(p).validate()
    assert str(p) in str(ei.value) and "edit #1 (add_line)" in str(ei.value)


def test_a_line_a_scenario_opens_opens_its_stations(tmp_path: Path) -> None:
    """宁波东 closed in 2013 (Ningbo's temporary station); the Ningbo–Zhoushan railway reopens it."""
    st = yrdnet.load_stations()
    assert "ningbo_east" not in open_stations(st, 2025)
    t = yrdnet.load_scenario("ningbo_zhoushan").tables()
    assert "ningbo_east" in open_stations(t.stations, 2025)
    assert "ningbo_zhoushan" in t.stations.at["ningbo_east", "dates_source"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = yrdnet.build_graph("ningbo_zhoushan")
    assert G.has_edge("st:ningbo_east", "st:zhoushan")
    # a line added to a 2010 network through Hefei South (opened 2014) opens it in that scenario
    body = '[[edits]]\nop = "add_line"\nline = "early"\nspeed_kph = 250\nstops = ["hefei_south", "luan"]\n'
    p = tmp_path / "early.toml"
    p.write_text('[scenario]\nname = "early"\nbase = "baseline_2010"\n' + body, encoding="utf-8")
    assert "hefei_south" in open_stations(yrdnet.load_scenario(p).tables().stations, 2010)
