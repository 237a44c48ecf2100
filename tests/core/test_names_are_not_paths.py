"""Names are never paths (issue 21, item 2): one guard, :func:`yrdnet.core.io.safe_name`.

Every surface where a name becomes part of a file name is tried with the same hostile
names: the guard itself, a scenario file's ``name``, a shipped-name lookup, the ``name``
of a ``result.json`` read by ``yrdnet map``, the maps writer, the travel-time modes of a
result folder, sweep rows and CLI arguments. Each must fail with the library's error type,
quote the bad name, and write nothing (neither in the output folder nor beside it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import yrdnet
from yrdnet import OutputError, ScenarioError
from yrdnet.analysis.results import ScenarioResult
from yrdnet.cli import main, report
from yrdnet.core.io import safe_name

#: (id, name): names that must never become (part of) a path.
HOSTILE = [
    ("parent", "../x"),
    ("parent-deep", "x/../../ESCAPED"),
    ("slash", "a/b"),
    ("backslash", "a\\b"),
    ("trailing-newline", "abc\n"),
    ("inner-newline", "ab\ncd"),
    ("trailing-cr", "abc\r"),
    ("tab", "a\tb"),
    ("empty", ""),
    ("dot", "."),
    ("dotdot", ".."),
    ("hidden", ".hidden"),
    ("double-dot-inside", "a..b"),
    ("too-long", "x" * 200),
    ("absolute", "/abs"),
    ("nul", "a\x00b"),
    ("non-ascii", "ü"),
    ("non-ascii-digit", "plan_２０３５"),
    ("space", "my plan"),
    ("leading-dash", "-rf"),
    ("home", "~/x"),
    ("glob", "a*"),
]
IDS = [h[0] for h in HOSTILE]
NAMES = [h[1] for h in HOSTILE]


def _quoted(name: str) -> str:
    """What of the name the message must show (its repr, cut for a long one)."""
    return repr(name)[:40]


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# ---------------------------------------------------------------- the guard itself
@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_the_guard_refuses_and_quotes_the_name(name: str) -> None:
    with pytest.raises(OutputError) as ei:
        safe_name(name)
    assert _quoted(name) in str(ei.value)
    assert "cannot be used as a file name" in str(ei.value)


@pytest.mark.parametrize("name", [None, 5, b"plan", ["a"]], ids=["none", "int", "bytes", "list"])
def test_the_guard_refuses_non_strings(name: object) -> None:
    with pytest.raises(OutputError, match="cannot be used as a file name"):
        safe_name(name)  # type: ignore[arg-type]


def test_the_guard_raises_the_error_asked_for() -> None:
    with pytest.raises(ScenarioError, match=r"scenario 'abc\\n' cannot be used"):
        safe_name("abc\n", what="scenario", error=ScenarioError)


@pytest.mark.parametrize("name", ["plan_2035", "north-yangtze.v2", "a+b", "X" * 80, "7"])
def test_sound_names_pass(name: str) -> None:
    assert safe_name(name) == name


# ---------------------------------------------------------------- scenario files
@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_scenario_file_name(tmp_path: Path, name: str) -> None:
    p = tmp_path / "s.toml"
    p.write_text(f'[scenario]\nname = {json.dumps(name)}\nbase = "baseline_2025"\n', encoding="utf-8")
    before = _tree(tmp_path)
    with pytest.raises(ScenarioError) as ei:
        yrdnet.load_scenario(p)
    msg = str(ei.value)
    assert str(p) in msg and "[scenario] name" in msg and _quoted(name) in msg
    assert _tree(tmp_path) == before


def test_a_file_stem_that_is_no_name_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "my plan.toml"  # no [scenario] name: the stem would become the name
    p.write_text('[[edits]]\nop = "close_line"\nline = "beijing_shanghai_hsr"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"defaults to the file's stem.*'my plan' cannot be used as a file name"):
        yrdnet.load_scenario(p)


# ---------------------------------------------------------------- shipped-name lookup
@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_scenario_lookup_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)  # none of these names is a file here
    with pytest.raises(ScenarioError) as ei:
        yrdnet.load_scenario(name)
    assert _quoted(name) in str(ei.value)
    assert _tree(tmp_path) == set()


def test_a_name_cannot_reach_a_file_outside_the_scenarios_folder(tmp_path: Path, data_copy: Path) -> None:
    # data/escaped.toml is a valid scenario, one folder above the shipped ones
    (data_copy / "escaped.toml").write_text('[scenario]\nname = "escaped"\nbase = "baseline"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"scenario '\.\./escaped' cannot be used as a file name"):
        yrdnet.load_scenario("../escaped")


def test_a_base_name_is_guarded_too(tmp_path: Path) -> None:
    p = tmp_path / "s.toml"
    p.write_text('[scenario]\nname = "s"\nbase = "../plan_2035"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"base '\.\./plan_2035'.*cannot be used as a file name"):
        yrdnet.load_scenario(p)


# ---------------------------------------------------------------- result folders
def _result_folder(folder: Path, name: object) -> Path:
    folder.mkdir(parents=True)
    (folder / "result.json").write_text(json.dumps({"name": name, "year": 2025, "scope": "yrd"}), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_yrdnet_map_refuses_the_name_in_result_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    res = _result_folder(work / "res", name)
    out = work / "out" / "maps"
    monkeypatch.chdir(work)
    before = _tree(tmp_path)
    assert main(["map", str(res), "--out", str(out), "--no-html"]) == 2
    err = capsys.readouterr().err
    assert "result.json" in err and "cannot be used as a file name" in err
    assert _tree(tmp_path) == before  # no maps, no --out folder, nothing beside it


def test_yrdnet_map_refuses_a_result_json_without_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    res = tmp_path / "res"
    res.mkdir()
    (res / "result.json").write_text("[1, 2]", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["map", str(res), "--out", str(tmp_path / "out"), "--no-html"]) == 2
    assert "not a yrdnet result (no 'name')" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", NAMES, ids=IDS)
def test_the_maps_writer_checks_before_writing(tmp_path: Path, name: str) -> None:
    out = tmp_path / "maps"
    res = SimpleNamespace(name=name, level="city", year=2025)
    with pytest.raises(OutputError) as ei:
        report.write_maps(res, None, out)  # type: ignore[arg-type]
    assert _quoted(name) in str(ei.value)
    assert not out.exists()


def test_the_maps_writer_checks_the_base_name(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    res = SimpleNamespace(name="plan_2035", level="city", year=2035)
    base = SimpleNamespace(name="x/../../ESCAPED", level="city", year=2025)
    with pytest.raises(OutputError, match=r"'x/\.\./\.\./ESCAPED'"):
        report.write_maps(res, None, out, base=base)  # type: ignore[arg-type]
    assert not out.exists()


@pytest.mark.parametrize("mode", ["../multimodal", "a/b", "rail\n", ""], ids=["parent", "slash", "newline", "empty"])
def test_a_result_folder_refuses_a_mode_that_is_a_path(tmp_path: Path, mode: str) -> None:
    fake = SimpleNamespace(od={"multimodal": pd.DataFrame(), mode: pd.DataFrame()})
    out = tmp_path / "res"
    with pytest.raises(OutputError) as ei:
        ScenarioResult.to_dir(fake, out)  # type: ignore[arg-type]
    assert "travel-time mode" in str(ei.value) and _quoted(mode) in str(ei.value)
    assert _tree(tmp_path) == set()


@pytest.mark.parametrize("name", ["/abs/plan.toml", "../plan_2035", "plan\n"], ids=["absolute", "parent", "newline"])
def test_the_demo_checks_its_folder_names_first(tmp_path: Path, name: str) -> None:
    out = tmp_path / "demo"
    for kw in ({"base": name}, {"plan": name}):
        with pytest.raises(OutputError, match=r"demo scenario .* cannot be used as a file name"):
            report.demo(out, echo=lambda _: None, **kw)
    assert _tree(tmp_path) == set()


# ---------------------------------------------------------------- CLI arguments
@pytest.mark.parametrize("command", ["analyze", "build", "gtfs"])
@pytest.mark.parametrize("name", ["../x", "abc\n", "/abs", "a/b"], ids=["parent", "newline", "absolute", "slash"])
def test_cli_scenario_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = [command, name] + (["--out", str(tmp_path / "out")] if command == "build" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "yrdnet: error:" in err and (repr(name) in err or name.strip() in err)
    assert _tree(tmp_path) == set()  # no results/<name>, no <name>_gtfs.zip, no out/


def test_cli_file_scenario_with_a_bad_name_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "s.toml"
    p.write_text('[scenario]\nname = "../../ESCAPED"\nbase = "baseline_2025"\n', encoding="utf-8")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    before = _tree(tmp_path)
    for argv in (["analyze", str(p)], ["build", str(p), "--out", "g"], ["gtfs", str(p)]):
        assert main(argv) == 2
        assert "'../../ESCAPED' cannot be used as a file name" in capsys.readouterr().err
    assert _tree(tmp_path) == before
    assert not any("ESCAPED" in f for f in os.listdir(tmp_path))


# ---------------------------------------------------------------- sweep rows
def test_sweep_rows_of_names_that_are_paths_fail_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yrdnet.plans.sweep import _load
    from yrdnet.plans.sweep_eval import Job

    monkeypatch.chdir(tmp_path)
    job = Job(zones="city", indicators=(), model=None, params=None, incremental=True, data_folder=None)
    for name in ("../x", "abc\n", "a/b"):
        rows = _load(name, job)
        assert isinstance(rows, list) and rows, name
        assert "ScenarioError" in rows[0]["error"] and "cannot be used as a file name" in rows[0]["error"]
    assert _tree(tmp_path) == set()
