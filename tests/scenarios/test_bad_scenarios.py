"""Bad scenario files: every case gets one ScenarioError naming the file, edit and field.

Issue 12 item 1: values that used to be accepted silently (and gave wrong tables).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import yrdnet
from yrdnet import ScenarioError

HEAD = '[scenario]\nname = "bad"\nbase = "baseline_2025"\n'
LINE = '[[edits]]\nop = "add_line"\nline = "t"\nspeed_kph = 300\n'

CASES = [
    # (id, body, regex the message must match)
    (
        "length shorter than the stops",
        LINE + 'stops = ["hefei_south", "shanghai_hongqiao"]\nlength_km = 1\n',
        r"edit #1 \(add_line\): length_km = 1 is shorter than the straight line",
    ),
    (
        "boolean km",
        '[[edits]]\nop = "add_link"\nlink = "l"\nfrom = 320100\nto = 340100\nkm = true\nspeed_kph = 120\n',
        r"km must be a number > 0, found True",
    ),
    (
        "float city id",
        '[[edits]]\nop = "add_link"\nlink = "l"\nfrom = 320100.9\nto = 340100\nkm = 200\nspeed_kph = 120\n',
        r"'from' must be an integer city adcode, found 320100.9",
    ),
    (
        "unknown key in an edit",
        '[[edits]]\nop = "set_speed"\nline = "beijing_shanghai_hsr"\nspeed = 300\n',
        r"unknown key 'speed'.*set_speed accepts",
    ),
    (
        "speed 0.5",
        '[[edits]]\nop = "set_speed"\nline = "beijing_shanghai_hsr"\nspeed_kph = 0.5\n',
        r"speed_kph must be a number in \[30, 600\] km/h, found 0.5",
    ),
    (
        "speed nan",
        '[[edits]]\nop = "set_speed"\nline = "beijing_shanghai_hsr"\nspeed_kph = nan\n',
        r"speed_kph must be a number .* found nan",
    ),
    (
        "road speed 500",
        '[[edits]]\nop = "add_link"\nlink = "l"\nfrom = 320100\nto = 340100\nkm = 200\nspeed_kph = 500\n',
        r"speed_kph must be a number in \[20, 150\]",
    ),
    (
        "reused station id elsewhere",
        LINE + 'stops = ["hefei_south", "nanjing_south"]\n'
        '[[edits.stations]]\nid = "nanjing_south"\nadcode = 340100\nlon = 117.0\nlat = 31.0\n',
        r"new station 'nanjing_south': the id already exists",
    ),
    (
        "same stop twice",
        LINE + 'stops = ["hefei_south", "nanjing_south", "hefei_south"]\n',
        r"\['hefei_south'\] appear more than once",
    ),
    (
        "closing a line that is not open",
        '[[edits]]\nop = "close_line"\nline = "north_yangtze_hsr"\n',
        r"line 'north_yangtze_hsr' is not open .*nothing to close",
    ),
    (
        "speed of a closed line",
        '[[edits]]\nop = "set_speed"\nline = "north_yangtze_hsr"\nspeed_kph = 300\n',
        r"line 'north_yangtze_hsr' is not open .*open it first",
    ),
    (
        "link to itself",
        '[[edits]]\nop = "add_link"\nlink = "l"\nfrom = 320100\nto = 320100\nkm = 20\nspeed_kph = 100\n',
        r"a link from city 320100 to itself",
    ),
    (
        "unknown kind",
        LINE + 'stops = ["hefei_south", "nanjing_south"]\nkind = "maglev"\n',
        r"kind must be one of \['hsr', 'intercity', 'upgraded', 'conventional'\], found 'maglev'",
    ),
    (
        "unknown through_to",
        LINE + 'stops = ["hefei_south", "nanjing_south"]\nthrough_to = ["beijing_shanghai_hrs"]\n',
        r"through_to: unknown line 'beijing_shanghai_hrs'.*closest valid: beijing_shanghai_hsr",
    ),
    (
        "model override far out",
        "[model]\nrail_speed_factor = 85\n",
        r"\[model\] rail_speed_factor = 85 is outside the plausible range \[0.3, 1.5\]",
    ),
    ("model boolean for a number", "[model]\nwait_min = true\n", r"\[model\] wait_min must be a finite number"),
    ("model number for a switch", "[model]\nsourced_access = 1\n", r"\[model\] sourced_access must be true or false"),
    ("string where a list is expected", LINE + 'stops = "hefei_south"\n', r"'stops' must be an array of station ids"),
    (
        "new station outside the YRD",
        LINE + 'stops = ["hefei_south", "far"]\n'
        '[[edits.stations]]\nid = "far"\nadcode = 340100\nlon = 100.0\nlat = 31.0\n',
        r"new station 'far': \(100.0, 31.0\) is outside the YRD",
    ),
    (
        "unknown key in a new station",
        LINE + 'stops = ["hefei_south", "ns"]\n'
        '[[edits.stations]]\nid = "ns"\nadcode = 340100\nlon = 117.3\nlat = 31.9\nlongitude = 1\n',
        r"new station 'ns': unknown key 'longitude'",
    ),
]


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "bad.toml"
    p.write_text(HEAD + body, encoding="utf-8")
    return p


@pytest.mark.parametrize(("body", "match"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_value_is_named(tmp_path, body, match):
    p = _write(tmp_path, body)
    with pytest.raises(ScenarioError, match=match) as ei:
        yrdnet.load_scenario(p).validate()
    assert str(p) in str(ei.value)


def test_every_problem_of_a_file_in_one_error(tmp_path):
    body = (
        '[[edits]]\nop = "set_speed"\nline = "beijing_shanghai_hsr"\nspeed_kph = 0.5\n'
        '[[edits]]\nop = "add_link"\nlink = "l"\nfrom = 320100\nto = 320100\nkm = 20\nspeed_kph = 100\n'
        "[model]\nrail_speed_factor = 85\n"
    )
    p = _write(tmp_path, body)
    with pytest.raises(ScenarioError) as ei:  # issue 21: the bad [model] value no longer hides the edits
        yrdnet.load_scenario(p)
    msg = str(ei.value)
    assert msg.startswith("3 problems in the scenario")
    assert "edit #1 (set_speed)" in msg and "edit #2 (add_link)" in msg and "rail_speed_factor = 85" in msg


@pytest.mark.parametrize("name", ["../../x", "a/b", ".hidden", "x" * 81, ""])
def test_scenario_names_are_not_paths(tmp_path, name):
    p = tmp_path / "n.toml"
    p.write_text(f'[scenario]\nname = "{name}"\nbase = "baseline_2025"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"name .* cannot be used as a file name"):
        yrdnet.load_scenario(p)


@pytest.mark.parametrize("base", ["5", "true", "[1]"])
def test_base_of_the_wrong_type(tmp_path, base):
    p = tmp_path / "b.toml"
    p.write_text(f'[scenario]\nname = "b"\nbase = {base}\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="base must be a scenario name or a path string"):
        yrdnet.load_scenario(p)


def test_reusing_a_station_without_coordinates_is_fine(tmp_path):
    body = LINE + 'stops = ["hefei_south", "nanjing_south"]\n[[edits.stations]]\nid = "nanjing_south"\n'
    s = yrdnet.load_scenario(_write(tmp_path, body))
    s.validate()
    assert "t" in s.tables().lines.index


def test_shipped_scenarios_still_pass():
    for name in yrdnet.list_scenarios().index:
        yrdnet.load_scenario(name).validate()


def test_new_station_far_outside_its_city_warns(tmp_path):
    body = (
        LINE + 'stops = ["hefei_south", "odd"]\n'
        '[[edits.stations]]\nid = "odd"\nadcode = 310000\nlon = 117.3\nlat = 31.9\n'  # Shanghai's code, in Hefei
    )
    s = yrdnet.load_scenario(_write(tmp_path, body))
    with pytest.warns(yrdnet.DataWarning, match=r"new station 'odd'.*km outside city 310000"):
        s.validate()


def test_line_length_far_above_its_stops_warns(tmp_path):
    body = LINE + 'stops = ["hefei_south", "nanjing_south"]\nlength_km = 900\n'
    s = yrdnet.load_scenario(_write(tmp_path, body))
    with pytest.warns(yrdnet.DataWarning, match=r"line t: length 900.0 km is .* x the geodesic sum"):
        yrdnet.build_graph(s)
