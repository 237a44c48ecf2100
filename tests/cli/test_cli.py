"""The ``yrdnet`` command line: every command, its outputs, and its exit codes.

Commands run in-process through :func:`yrdnet.cli.commands.main` (output captured with capsys);
``--help`` also runs once as a real ``python -m yrdnet`` subprocess. Exit codes: 0 success,
1 analysis error, 2 bad input with a one-line message naming the fault.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image

import yrdnet
from yrdnet.cli import report
from yrdnet.cli.commands import main
from yrdnet.core.io import load_graphml

COMMANDS = ("build", "analyze", "compare", "map", "timeline", "scenarios", "demo")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command from a temporary folder, so default outputs never land in the repo."""
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(err: str) -> str:
    """The single ``yrdnet: error:`` line a bad input must produce (no traceback)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{err}"
    assert lines[0].startswith("yrdnet: error: ")
    assert "Traceback" not in err
    return lines[0]


def assert_png_200dpi(path: Path) -> None:
    with Image.open(path) as im:
        assert im.format == "PNG", path
        dpi = im.info.get("dpi")
        assert dpi is not None, f"{path.name}: no dpi recorded"
        assert dpi == pytest.approx((200, 200), abs=0.01), f"{path.name}: dpi {dpi}"
        assert min(im.size) >= 600, f"{path.name}: {im.size}"
        im.verify()


# ----------------------------------------------------------------------------- help
def check_help(text: str) -> None:
    for c in COMMANDS:
        assert f"    {c}" in text, f"--help does not list {c!r}"
    assert "examples:" in text
    assert "yrdnet demo --out results" in text
    assert "yrdnet compare baseline_2025 plan_2035" in text
    for opt in ("--debug", "--quiet", "--version"):
        assert opt in text


def test_help_lists_commands_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    check_help(capsys.readouterr().out)


@pytest.mark.slow
def test_help_as_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-m", "yrdnet", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: yrdnet")
    check_help(proc.stdout)


def test_command_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["analyze", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--scope" in out and "--out" in out
    assert "yrdnet analyze my_plan.toml --scope central" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys, "--version")
    assert rc == 0
    assert out.strip() == f"yrdnet {yrdnet.__version__}"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = run(capsys)
    assert rc == 2
    assert "usage: yrdnet" in out and "examples:" in out


# ----------------------------------------------------------------------------- commands
def test_scenarios_lists_shipped(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "scenarios")
    assert rc == 0, err
    shipped = yrdnet.list_scenarios()
    lines = out.strip().splitlines()
    assert [ln.split()[0] for ln in lines] == list(shipped.index)
    assert {"baseline_2010", "baseline_2025", "plan_2035", "north_yangtze_hsr"} <= set(shipped.index)
    line = next(ln for ln in lines if ln.startswith("plan_2035"))
    assert line.split()[1] == "2035"
    assert shipped.loc["plan_2035", "description"] in line


@pytest.mark.slow
def test_build_writes_graphml_and_geopackage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "graphs"
    rc, out, err = run(capsys, "build", "baseline_2020", "--out", str(out_dir))
    assert rc == 0, err
    gml, gpkg = out_dir / "baseline_2020.graphml", out_dir / "baseline_2020.gpkg"
    assert gml.is_file() and gpkg.is_file()
    G = load_graphml(gml)
    assert G.graph["scenario"] == "baseline_2020"
    assert G.graph["year"] == 2020
    assert f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges" in out
    nodes = gpd.read_file(gpkg, layer="nodes")
    edges = gpd.read_file(gpkg, layer="edges")
    assert len(nodes) == G.number_of_nodes()
    assert len(edges) == G.number_of_edges()
    assert (nodes["kind"] == "zone").sum() == 41
    assert {"rail", "road"} <= set(edges["mode"])


def test_analyze_writes_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "res"
    rc, out, err = run(capsys, "analyze", "baseline_2020", "--out", str(out_dir))
    assert rc == 0, err
    for name in (
        "cities.csv",
        "region.csv",
        "result.json",
        "cities.gpkg",
        "metros.csv",
        "od_multimodal.csv",
    ):
        assert (out_dir / name).is_file(), name
    cities = pd.read_csv(out_dir / "cities.csv", index_col="adcode")
    assert len(cities) == 41
    assert (cities["pot_exp_pop_multimodal"] > 0).all()
    region = pd.read_csv(out_dir / "region.csv", index_col="indicator")
    assert 0 < region.loc["structure_index", "value"] < 1
    res = json.loads((out_dir / "result.json").read_text(encoding="utf-8"))
    assert (res["name"], res["year"], res["scope"]) == ("baseline_2020", 2020, "yrd")
    assert res["region"]["structure_index"] == pytest.approx(region.loc["structure_index", "value"])
    gdf = gpd.read_file(out_dir / "cities.gpkg", layer="cities")
    assert len(gdf) == 41 and gdf.crs.to_epsg() == 4326
    assert "structure_index" in out
    assert "ScenarioResult(name='baseline_2020'" in out


def test_analyze_scope(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, "analyze", "baseline_2025", "--scope", "hefei", "--out", str(tmp_path / "hf"))
    assert rc == 0, err
    cities = pd.read_csv(tmp_path / "hf" / "cities.csv", index_col="adcode")
    assert set(cities.index) == set(yrdnet.metro_members()["hefei"])


@pytest.mark.slow
def test_compare_writes_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "cmp"
    rc, out, err = run(capsys, "compare", "baseline_2020", "baseline_2025", "--out", str(out_dir))
    assert rc == 0, err
    md = (out_dir / "comparison.md").read_text(encoding="utf-8")
    assert md.startswith("# yrdnet comparison: baseline_2025 vs baseline_2020")
    assert "## Region indices" in md
    assert "| scenario | indicator | base | value | delta | delta_pct |" in md
    assert "| baseline_2025 | structure_index |" in md
    assert "## Cities that gain most" in md
    region = pd.read_csv(out_dir / "region.csv", index_col="indicator")
    # The 2025 network only adds lines to 2020's: trips get shorter on average.
    assert region.loc["mean_watt_pop_multimodal", "delta"] < 0
    assert "## Region indices" in out


def test_compare_needs_two_scenarios(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, "compare", "baseline_2025", "--out", str(tmp_path / "c"))
    assert rc == 2
    assert "compare needs a base scenario and at least one other" in one_line_error(err)


@pytest.mark.slow
def test_map_writes_png_at_200_dpi(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "maps"
    rc, out, err = run(capsys, "map", "baseline_2025", "--no-html", "--origin", "340100", "--out", str(out_dir))
    assert rc == 0, err
    pngs = sorted(out_dir.glob("*.png"))
    assert {p.name for p in pngs} >= {
        "network_baseline_2025.png",
        "access_potential_multimodal_baseline_2025.png",
        "metros_baseline_2025.png",
        "isochrones_340100_baseline_2025.png",
    }
    assert not list(out_dir.glob("*.html"))
    assert not list(out_dir.glob("isochrones_310000_*")), "--origin replaces the default origins"
    for p in pngs:
        assert_png_200dpi(p)
        assert str(p) in out


@pytest.mark.slow
def test_timeline(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "tl"
    rc, out, err = run(capsys, "timeline", "baseline_2010", "baseline_2025", "--out", str(out_dir))
    assert rc == 0, err
    assert (out_dir / "timeline.csv").read_text(encoding="utf-8").startswith("indicator,baseline_2010,")
    tl = pd.read_csv(out_dir / "timeline.csv", index_col="indicator")
    assert list(tl.columns) == ["baseline_2010", "baseline_2025"]
    assert list(tl.loc["year"]) == [2010, 2025]
    assert tl.loc["mean_watt_pop_multimodal", "baseline_2025"] < tl.loc["mean_watt_pop_multimodal", "baseline_2010"]
    assert_png_200dpi(out_dir / "timeline.png")
    # the printed rows are those that move; the superseded structure_index stays in the table
    assert "metro_logistic_integration" in out and "structure_index" not in out
    assert "structure_index" in tl.index


# ----------------------------------------------------------------------------- bad input
def test_unknown_scenario_names_closest(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, "analyze", "north_yangtse_hsr", "--out", str(tmp_path / "x"))
    assert rc == 2
    line = one_line_error(err)
    assert "unknown scenario 'north_yangtse_hsr'" in line
    assert "closest valid: north_yangtze_hsr" in line
    assert not (tmp_path / "x").exists()


def test_scenario_file_with_unknown_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    toml = tmp_path / "typo.toml"
    toml.write_text(
        '[scenario]\nname = "typo"\nbase = "baseline_2025"\n\n'
        '[[edits]]\nop = "set_speed"\nline = "hefei_nanjing_railwy"\nspeed_kph = 350\n',
        encoding="utf-8",
    )
    rc, _, err = run(capsys, "analyze", str(toml), "--out", str(tmp_path / "x"))
    assert rc == 2
    line = one_line_error(err)
    assert "typo.toml" in line
    assert "edit #1 (set_speed)" in line
    assert "unknown line 'hefei_nanjing_railwy'" in line
    assert "closest valid: hefei_nanjing_railway" in line


def test_scenario_file_not_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    toml = tmp_path / "broken.toml"
    toml.write_text('[scenario\nname = "broken"\n', encoding="utf-8")
    rc, _, err = run(capsys, "build", str(toml), "--out", str(tmp_path / "x"))
    assert rc == 2
    line = one_line_error(err)
    assert "broken.toml" in line and "not valid TOML" in line and "line 1" in line


def test_scenario_file_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, "analyze", str(tmp_path / "nowhere.toml"))
    assert rc == 2
    assert "scenario file not found" in one_line_error(err)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate' (choose from 'build'"),
        (["analyze"], "the following arguments are required: scenario"),
        (["map", "baseline_2025", "--zones", "town"], "argument --zones: expected city and/or county, got 'town'"),
        (["analyze", "baseline_2025", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: yrdnet")
    assert f"yrdnet: error: {expected}" in err
    assert "Traceback" not in err


def test_unknown_scope(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, "analyze", "baseline_2025", "--scope", "nowhere", "--out", str(tmp_path / "x"))
    assert rc == 2
    line = one_line_error(err)
    assert "unknown scope 'nowhere'" in line
    assert "'central'" in line and "'hefei'" in line  # the valid choices are listed


def test_debug_prints_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rc, _, err = run(capsys, "--debug", "analyze", "north_yangtse_hsr", "--out", str(tmp_path / "x"))
    assert rc == 2
    assert "Traceback (most recent call last)" in err
    assert "ScenarioError" in err
    assert err.strip().splitlines()[-1].startswith("yrdnet: error: unknown scenario")


def test_analysis_failure_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(yrdnet, "analyze", boom)
    rc, _, err = run(capsys, "analyze", "baseline_2025", "--out", str(tmp_path / "x"))
    assert rc == 1
    line = err.strip().splitlines()[-1]
    assert line == "yrdnet: analysis failed: RuntimeError: boom (rerun with --debug for the traceback)"
    assert "Traceback" not in err
    rc, _, err = run(capsys, "--debug", "analyze", "baseline_2025", "--out", str(tmp_path / "x"))
    assert rc == 1
    assert "Traceback (most recent call last)" in err and "RuntimeError: boom" in err


# ----------------------------------------------------------------------------- demo
@pytest.mark.slow
def test_demo_writes_maps_tables_and_prints_indices(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo draws the maps of each result: the base scenario's alone and the plan's with
    # the base (change maps, additions on the web map), at city then county level. The maps
    # of a result alone are what `yrdnet map` draws (test_map_writes_png_at_200_dpi and
    # test_cli_map_and_timeline_county check them), so here those two calls are only
    # recorded and the plan's maps against the base are drawn and checked in full.
    real, calls = report.write_maps, []

    def write_maps(res: Any, G: Any, out: Any, **kw: Any) -> list[Path]:
        calls.append((res.name, res.level, kw.get("base") and kw["base"].name, kw.get("base_graph") is not None))
        return real(res, G, out, **kw) if kw.get("base") is not None else []

    monkeypatch.setattr(report, "write_maps", write_maps)
    out_dir = tmp_path / "demo"
    rc, out, err = run(capsys, "demo", "--out", str(out_dir))
    assert rc == 0, err
    assert calls == [
        ("baseline_2025", "city", None, False),
        ("plan_2035", "city", "baseline_2025", True),
        ("baseline_2025", "county", None, False),
        ("plan_2035", "county", "baseline_2025", True),
    ]
    pngs = list(out_dir.rglob("*.png"))
    htmls = list(out_dir.rglob("*.html"))
    assert len(pngs) >= 6, pngs
    names = {p.name for p in pngs}
    assert {
        "change_potential_plan_2035_vs_baseline_2025.png",
        "change_potential_county_plan_2035_vs_baseline_2025.png",
        "timeline.png",
    } <= names, names
    assert sorted(p.name for p in htmls) == ["webmap_county_plan_2035.html", "webmap_plan_2035.html"]
    assert f"Maps ({len(pngs) + len(htmls)} files)" in out
    for p in pngs:
        assert_png_200dpi(p)
    assert "<html" in htmls[0].read_text(encoding="utf-8")[:2000].lower()
    for sub in (
        "baseline_2025/result.json",
        "plan_2035/result.json",
        "compare/comparison.md",
        "timeline.csv",
        "summary.txt",
        "composite.csv",
        "composite_dashboard.csv",
        "maps/time_space/time_space_2010.png",
        "maps/time_space/time_space_2025.png",
        "maps/time_space/janelle_convergence.csv",
        "maps/periphery_gains_baseline_2010_to_baseline_2025.png",
        "periphery/population_within.csv",
    ):
        assert (out_dir / sub).is_file(), sub
    # the headlines are what moves (issue 20): the composite first, with its raw components
    lines = out.strip().splitlines()
    assert lines[0].startswith("Spatial-structure composite")
    comp = pd.read_csv(out_dir / "composite.csv", index_col=0)
    assert f"{comp.loc['plan_2035', 'composite_index']:.3f}" in lines[2]
    assert "Region indices that move, baseline_2010 -> " in out
    tl = pd.read_csv(out_dir / "timeline.csv", index_col=0)
    assert tl.index.name == "indicator"
    for ind in ("metro_logistic_integration", "theil_people_pot_exp_pop_multimodal", "mean_watt_pop_multimodal"):
        assert ind in out
        assert tl.loc[ind].max() > tl.loc[ind].min(), ind  # a headline moves over the timeline
    assert f"{tl.loc['mean_watt_pop_multimodal', 'plan_2035']:.3f}" in out
    # the superseded index stays in the tables and the API only
    assert "structure_index" in tl.index and "structure_index" not in out
    for head in ("Shanghai's rank of 41", "Core links, fastest train between main stations", "Janelle convergence",
                 "Who gains in the periphery"):  # fmt: skip
        assert head in out, head
    assert (out_dir / "summary.txt").read_text(encoding="utf-8").strip() == out.strip()


def test_trip_command(capsys):
    from yrdnet.cli.commands import main

    assert main(["trip", "baseline_2025", "340100", "310000", "--mode", "rail"]) == 0
    out = capsys.readouterr().out
    assert "wait/board" in out and "in-vehicle" in out and "total:" in out
    assert main(["trip", "baseline_2025", "340100", "330900", "--mode", "rail"]) == 2
    err = capsys.readouterr().err
    assert "unreachable from 340100 by rail" in err
