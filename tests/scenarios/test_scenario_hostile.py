"""Hostile scenario files (issue 21, item 5): one ScenarioError before anything runs.

Each file must give exactly one :class:`yrdnet.ScenarioError` (never a KeyError,
TypeError, RecursionError or any other traceback), naming the file and the field or edit
at fault; a file with several problems lists all of them in that one error, ``[model]``
included. Loading and checking a scenario writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import yrdnet
from yrdnet import ScenarioError
from yrdnet.cli import main
from yrdnet.scenarios.checks import MAX_DEPTH, MAX_TEXT
from yrdnet.scenarios.scenario import MAX_BASES, scenario_for_year

HEAD = '[scenario]\nname = "bad"\nbase = "baseline_2025"\n'
LINE = '[[edits]]\nop = "add_line"\nline = "t"\nspeed_kph = 300\nstops = ["hefei_south", "ns"]\n'
STATION = '[[edits.stations]]\nid = "ns"\nadcode = 340100\nlon = 117.3\nlat = 31.9\n'
LINK = '[[edits]]\nop = "add_link"\nlink = "l"\nfrom = 320100\nto = 340100\nkm = 200\nspeed_kph = 120\n'
SET = '[[edits]]\nop = "set_speed"\nline = "beijing_shanghai_hsr"\nspeed_kph = 300\n'

#: (id, whole file, regexes the one message must match, number of problems or None for one).
CASES: list[tuple[str, str, list[str], int | None]] = [
    # ---- the file as a whole
    ("empty file", "", [r"empty scenario file"], None),
    ("comments only", "# nothing here\n\n", [r"empty scenario file"], None),
    ("not TOML", HEAD + "[[edits]\n", [r"not valid TOML"], None),
    ("unknown top-level key", HEAD + "[modle]\nwait_min = 5\n", [r"unknown top-level key 'modle'.*model"], None),
    ("very deep array", "x = " + "[" * 3000 + "]" * 3000 + "\n", [r"nested too deep to read"], None),
    (
        "deep nesting in an edit",
        HEAD + SET + "source = " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
        [rf"nested deeper than {MAX_DEPTH} levels"],
        None,
    ),
    ("huge description", HEAD + f'description = "{"x" * (MAX_TEXT + 1)}"\n', [r"a string of \d+ characters"], None),
    # ---- [scenario]
    ("scenario is a number", "scenario = 3\n", [r"\[scenario\] must be a table, found 3"], None),
    ("scenario is an array", "scenario = [1]\n", [r"\[scenario\] must be a table, found \[1\]"], None),
    ("unknown key in [scenario]", HEAD + "yaer = 2030\n", [r"unknown key 'yaer' in \[scenario\].*year"], None),
    ("model = 5 inside [scenario]", HEAD + "model = 5\n", [r"unknown key 'model' in \[scenario\]"], None),
    ("name is a number", '[scenario]\nname = 5\nbase = "baseline"\n', [r"\[scenario\] name 5 cannot be used"], None),
    ("year as a string", HEAD + 'year = "2030"\n', [r"year must be an integer in 2000-2060, got '2030'"], None),
    ("year as a float", HEAD + "year = 2030.0\n", [r"year must be an integer .* got 2030.0"], None),
    ("year as a boolean", HEAD + "year = true\n", [r"year must be an integer .* got True"], None),
    ("year far out", HEAD + "year = 3000\n", [r"year must be an integer .* got 3000"], None),
    ("year before its base", HEAD + "year = 2010\n", [r"year = 2010 is earlier than the network year 2025"], None),
    ("description not text", HEAD + "description = 5\n", [r"\[scenario\] description must be a string"], None),
    ("base a table", '[scenario]\nname = "b"\nbase = { a = 1 }\n', [r"base must be a scenario name or a path"], None),
    ("base empty", '[scenario]\nname = "b"\nbase = ""\n', [r"base must be a scenario name or a path"], None),
    ("unknown base", '[scenario]\nname = "b"\nbase = "baseline_2052x"\n', [r"base 'baseline_2052x': unknown"], None),
    ("base missing file", '[scenario]\nname = "b"\nbase = "gone.toml"\n', [r"scenario file not found"], None),
    # ---- [[edits]] shape and ops
    ("edits a string", HEAD + 'edits = "x"\n', [r"unknown key 'edits' in \[scenario\]"], None),
    ("edits at top level a string", 'edits = "x"\n', [r"\[\[edits\]\] must be an array of tables"], None),
    ("edits of numbers", "edits = [1, 2]\n", [r"edit #1 must be a table", r"edit #2 must be a table"], 2),
    ("unknown op", HEAD + '[[edits]]\nop = "open"\nline = "x"\n', [r"edit #1: unknown op 'open'.*open_line"], None),
    ("edit without op", HEAD + '[[edits]]\nline = "x"\n', [r"edit #1: unknown op None"], None),
    ("op a number", HEAD + "[[edits]]\nop = 5\n", [r"edit #1: unknown op 5"], None),
    # ---- [model]
    ("model = 5", HEAD.replace('"bad"', '"m"') + "model = 5\n", [r"unknown key 'model'"], None),
    ("top-level model = 5", "model = 5\n", [r"\[model\] must be a table .* found 5"], None),
    ("model a string", 'model = "fast"\n', [r"\[model\] must be a table .* found 'fast'"], None),
    (
        "unknown model key",
        HEAD + "[model]\nwait_mins = 5\n",
        [r"unknown \[model\] parameter 'wait_mins'.*wait_min"],
        None,
    ),
    ("model string for a number", HEAD + '[model]\nwait_min = "x"\n', [r"\[model\] wait_min must be a finite"], None),
    ("model array for a number", HEAD + "[model]\nwait_min = [1]\n", [r"\[model\] wait_min must be a finite"], None),
    ("model nan", HEAD + "[model]\nwait_min = nan\n", [r"\[model\] wait_min must be a finite number, found nan"], None),
    ("model inf", HEAD + "[model]\nwait_min = inf\n", [r"\[model\] wait_min must be a finite number, found inf"], None),
    ("model bad choice", HEAD + '[model]\nroad_period = "rush"\n', [r"road_period must be 'free_flow' or"], None),
    (
        "model runaway road speed",
        HEAD + "[model]\nlocal_road_speed_kph = 1e300\n",
        [r"local_road_speed_kph = 1e\+300 is outside the plausible range"],
        None,
    ),
    (
        "bad model does not hide a bad edit",
        HEAD + '[[edits]]\nop = "open_line"\nline = "nope"\n[model]\nwait_min = "x"\n',
        [r"\[model\] wait_min must be a finite", r"edit #1 \(open_line\): unknown line 'nope'"],
        2,
    ),
    (
        "every problem of the file together",
        '[scenario]\nname = "bad"\nbase = "baseline_2025"\nyaer = 1\n'
        '[[edits]]\nop = "opne_line"\n' + SET.replace("300", "3") + "[model]\nwait_min = -1\nfoo = 1\n",
        [
            r"unknown key 'yaer'",
            r"edit #1: unknown op 'opne_line'",
            r"unknown \[model\] parameter 'foo'",
            r"wait_min = -1 is outside",
            r"edit #2 \(set_speed\): speed_kph must be a number in \[30, 600\]",
        ],
        5,
    ),
    # ---- reused ids
    (
        "two stations with one id",
        HEAD + LINE + STATION + STATION.replace("117.3", "117.5"),
        [r"edit #1 \(add_line\): station id\(s\) \['ns'\] given more than once"],
        None,
    ),
    (
        "a new line with an existing id",
        HEAD + LINE.replace('"t"', '"beijing_shanghai_hsr"') + STATION,
        [r"edit #1 \(add_line\): line 'beijing_shanghai_hsr' already exists"],
        None,
    ),
    (
        "one new line id twice",
        HEAD + LINE + STATION + LINE.replace('"ns"', '"nanjing_south"'),
        [r"edit #2 \(add_line\): line 't' already exists"],
        None,
    ),
    # ---- wrong types inside edits
    ("stations a string", HEAD + LINE + 'stations = "ns"\n', [r"'stations' must be an array of tables"], None),
    (
        "station a number",
        HEAD + LINE + "stations = [5]\n",
        [r"each \[\[edits.stations\]\] entry must be a table"],
        None,
    ),
    (
        "station lon a word",
        HEAD + LINE + STATION.replace("117.3", '"east"'),
        [r"new station 'ns': lon and lat must be numbers"],
        None,
    ),
    ("source a number", HEAD + SET + "source = 5\n", [r"edit #1 \(set_speed\): 'source' must be a string"], None),
    ("route a number", HEAD + LINK + "route = 99\n", [r"edit #1 \(add_link\): 'route' must be a string"], None),
    (
        "trains a word",
        HEAD + LINE + 'trains_per_day = { express = "many" }\n' + STATION,
        [r"trains_per_day.express must be an integer"],
        None,
    ),
    (
        "express stops a number",
        HEAD + LINE + "express_stops = 5\n" + STATION,
        [r"express_stops must be an array"],
        None,
    ),
    ("line id ends in a newline", HEAD + LINE.replace('"t"', '"t\\n"') + STATION, [r"'line' must be an id"], None),
    ("link id ends in a newline", HEAD + LINK.replace('"l"', '"l\\n"'), [r"'link' must be an id"], None),
    ("speed a string", HEAD + SET.replace("300", '"300"'), [r"speed_kph must be a number .* found '300'"], None),
    ("line a number", HEAD + '[[edits]]\nop = "open_line"\nline = 5\n', [r"needs 'line' \(a line id string\)"], None),
    ("line an array", HEAD + '[[edits]]\nop = "close_line"\nline = ["a"]\n', [r"needs 'line'.*\['a'\]"], None),
    ("stops nested", HEAD + LINE.replace('["hefei_south", "ns"]', "[[1]]"), [r"'stops' must be an array"], None),
    ("km a string", HEAD + LINK.replace("km = 200", 'km = "200"'), [r"km must be a number > 0, found '200'"], None),
]


def _message(p: Path) -> str:
    with pytest.raises(ScenarioError) as ei:
        yrdnet.load_scenario(p).validate()
    assert not isinstance(ei.value, (KeyError, TypeError, RecursionError, AttributeError))
    return str(ei.value)


@pytest.mark.parametrize(("body", "patterns", "count"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_file(tmp_path: Path, body: str, patterns: list[str], count: int | None) -> None:
    p = tmp_path / "hostile.toml"
    p.write_text(body, encoding="utf-8")
    msg = _message(p)
    assert str(p) in msg, msg
    for pat in patterns:
        assert re.search(pat, msg, re.DOTALL), (pat, msg)
    if count is not None:
        assert msg.startswith(f"{count} problems in the scenario"), msg
    assert "Traceback" not in msg
    assert sorted(q.name for q in tmp_path.iterdir()) == ["hostile.toml"]  # nothing written


def test_an_existing_link_id_between_other_cities(tmp_path: Path) -> None:
    hw = yrdnet.load_highways()
    lk = str(hw.index[0])
    ends = sorted({int(hw.at[lk, "from_adcode"]), int(hw.at[lk, "to_adcode"])})
    other = 340100 if 340100 not in ends else 320100
    p = tmp_path / "reuse.toml"
    p.write_text(HEAD + LINK.replace('"l"', f'"{lk}"').replace("to = 340100", f"to = {other}"), encoding="utf-8")
    msg = _message(p)
    assert f"link id {lk!r} already exists between cities {ends}" in msg and str(p) in msg


def test_an_existing_link_id_between_the_same_cities_changes_that_link(tmp_path: Path) -> None:
    hw = yrdnet.load_highways()
    lk = str(hw.index[0])
    a, b = int(hw.at[lk, "from_adcode"]), int(hw.at[lk, "to_adcode"])
    km = float(hw.at[lk, "km"]) * 1.5
    p = tmp_path / "upgrade.toml"
    body = f'[[edits]]\nop = "add_link"\nlink = "{lk}"\nfrom = {b}\nto = {a}\nkm = {km}\nspeed_kph = 100\n'
    p.write_text(HEAD + body, encoding="utf-8")
    t = yrdnet.load_scenario(p).tables()
    assert float(t.highways.at[lk, "km"]) == pytest.approx(km)


def test_undecodable_file(tmp_path: Path) -> None:
    p = tmp_path / "bytes.toml"
    p.write_bytes(b'[scenario]\nname = "\xff\xfe"\n')
    assert "not valid TOML" in _message(p)


def test_a_folder_named_like_a_file(tmp_path: Path) -> None:
    p = tmp_path / "dir.toml"
    p.mkdir()
    with pytest.raises(ScenarioError, match="scenario file not found"):
        yrdnet.load_scenario(p)


def test_a_base_that_is_its_own_base(tmp_path: Path) -> None:
    p = tmp_path / "self.toml"
    p.write_text('[scenario]\nname = "self"\nbase = "self.toml"\n', encoding="utf-8")
    msg = _message(p)
    assert msg.startswith("scenario base cycle") and str(p) in msg


def test_a_two_file_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[scenario]\nname = "a"\nbase = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[scenario]\nname = "b"\nbase = "a.toml"\n', encoding="utf-8")
    msg = _message(tmp_path / "a.toml")
    assert "scenario base cycle" in msg and "a.toml -> " in msg and "b.toml" in msg


def test_a_very_long_base_chain(tmp_path: Path) -> None:
    prev = "baseline_2025"
    for i in range(MAX_BASES + 10):
        (tmp_path / f"c{i}.toml").write_text(f'[scenario]\nname = "c{i}"\nbase = "{prev}"\n', encoding="utf-8")
        prev = f"c{i}.toml"
    top = tmp_path / f"c{MAX_BASES + 9}.toml"
    msg = _message(top)
    assert f"base chain deeper than {MAX_BASES} files" in msg and str(top) in msg
    assert len(msg) < 1000  # one sentence, not one wrapper per file of the chain


def test_a_chain_within_the_limit_loads(tmp_path: Path) -> None:
    prev = "baseline_2025"
    for i in range(5):
        (tmp_path / f"c{i}.toml").write_text(f'[scenario]\nname = "c{i}"\nbase = "{prev}"\n', encoding="utf-8")
        prev = f"c{i}.toml"
    sc = yrdnet.load_scenario(tmp_path / "c4.toml")
    assert len(sc.chain()) == 6 and sc.effective_year == 2025


def test_a_problem_in_the_base_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(HEAD + "[model]\nwait_min = -5\n", encoding="utf-8")
    p = tmp_path / "top.toml"
    p.write_text('[scenario]\nname = "top"\nbase = "base.toml"\n', encoding="utf-8")
    msg = _message(p)
    assert "base 'base.toml'" in msg and "wait_min = -5 is outside" in msg and str(tmp_path / "base.toml") in msg


def test_a_year_override_before_the_base_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"year 2010 is earlier than the network year 2025 .*'plan_2035'"):
        scenario_for_year("plan_2035", 2010, where="--year")
    with pytest.raises(ScenarioError, match=r"year 2010 is earlier"):
        yrdnet.build_graph("plan_2035", year=2010)
    assert scenario_for_year("plan_2035", 2030).effective_year == 2030  # later is fine
    assert scenario_for_year("baseline_2025", 2010).effective_year == 2010  # a baseline takes any year


def test_cli_year_before_the_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert main(["gtfs", "plan_2035", "--year", "2010"]) == 2
    err = capsys.readouterr().err
    assert "year 2010 is earlier than the network year 2025" in err
    assert list(tmp_path.iterdir()) == []


def test_shipped_scenarios_pass_every_check() -> None:
    for name in yrdnet.list_scenarios().index:
        yrdnet.load_scenario(name).validate()
