"""The example scripts run end to end (fast mode, as subprocesses) and write what they say.

Each example runs once, with ``--fast --out <tmp>``, in a fresh interpreter with warnings
turned into errors (dependency deprecation warnings aside), so a user running it sees no
warning either. Together about 10 s.
"""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import yrdnet

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCRIPTS = ("api_tour.py", "make_maps.py", "compare_plans.py", "county_zones.py", "periphery_gains.py")


def run_example(
    name: str, out: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "YRDNET_EXAMPLES_FAST"}
    full_env.update({"MPLBACKEND": "Agg", "YRDNET_QUIET": "1", **(env or {})})
    cmd = [
        sys.executable,
        "-W",
        "error",
        "-W",
        "ignore::DeprecationWarning",
        "-W",
        "ignore::PendingDeprecationWarning",
        str(EXAMPLES / name),
        *args,
        "--out",
        str(out),
    ]
    proc = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=out.parent,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, f"{name} exited {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    assert "Traceback" not in proc.stderr
    return proc


def assert_png(path: Path, size: tuple[int, int] | None = None) -> None:
    assert path.is_file(), path
    with Image.open(path) as im:
        assert im.format == "PNG"
        im.verify()
    if size is not None:
        with Image.open(path) as im:
            assert im.size == size


@pytest.mark.parametrize("name", SCRIPTS)
def test_example_has_docstring_and_options(name: str) -> None:
    src = (EXAMPLES / name).read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(src))
    assert doc and len(doc.splitlines()) >= 5, f"{name} needs a module docstring explaining what it shows"
    for word in ("--fast", "--out", "YRDNET_EXAMPLES_FAST", "results/examples/"):
        assert word in doc, f"{name}: docstring does not mention {word}"


@pytest.mark.slow
def test_api_tour(tmp_path: Path) -> None:
    out = tmp_path / "tour"
    proc = run_example("api_tour.py", out, "--fast")
    assert "fast=True" in proc.stdout
    assert "Top 10 cities by potential accessibility" in proc.stdout
    assert "Metropolitan integration" in proc.stdout

    # OSMnx inspection: every node kind, one zone per city.
    nodes = pd.read_csv(out / "graph_nodes.csv")
    assert set(nodes["kind"]) == {"zone", "station", "road"}
    assert (nodes["kind"] == "zone").sum() == 41

    # Travel times: rail beats road on the HSR corridors; Zhoushan has no railway in 2025.
    tt = pd.read_csv(out / "travel_times.csv", index_col="pair")
    assert list(tt.columns) == ["multimodal", "rail", "road"]
    assert {"Shanghai-Nanjing", "Shanghai-Hefei", "Hangzhou-Ningbo"} <= set(tt.index)
    assert (tt["multimodal"] <= tt[["rail", "road"]].min(axis=1) + 1e-3).all()
    assert tt.loc["Shanghai-Nanjing", "rail"] < tt.loc["Shanghai-Nanjing", "road"]
    assert 60 < tt.loc["Shanghai-Nanjing", "multimodal"] < 240
    assert math.isinf(tt.loc["Ningbo-Zhoushan", "rail"])
    assert tt.loc["Ningbo-Zhoushan", "multimodal"] == pytest.approx(tt.loc["Ningbo-Zhoushan", "road"])

    top = pd.read_csv(out / "top_cities.csv", index_col="adcode")
    assert len(top) == 10
    assert top["pot_exp_pop_multimodal"].is_monotonic_decreasing

    metros = pd.read_csv(out / "metros.csv", index_col="metro")
    assert set(metros.index) == {"shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo"}
    assert metros["pairs_within_share"].between(0, 1).all()

    region = pd.read_csv(out / "region_indices.csv", index_col="indicator")
    assert 0 < region.loc["structure_index", "value"] < 1
    assert region.loc["mean_watt_pop_multimodal", "value"] > 0

    # Parameters: a shorter wait shortens trips; a new beta changes the structure index.
    params = pd.read_csv(out / "parameters.csv", index_col="variant")
    assert list(params.index) == [
        "default",
        "half-life 30 min",
        "wait 5 min",
    ]  # fast: one half-life
    assert params.loc["wait 5 min", "shanghai_nanjing_min"] < params.loc["default", "shanghai_nanjing_min"]
    assert params.loc["half-life 30 min", "beta"] == pytest.approx(2 * params.loc["default", "beta"])
    assert params.loc["half-life 30 min", "structure_index"] != pytest.approx(params.loc["default", "structure_index"])

    res = json.loads((out / "baseline_2025" / "result.json").read_text(encoding="utf-8"))
    assert (res["name"], res["year"]) == ("baseline_2025", 2025)
    assert res["region"]["structure_index"] == pytest.approx(region.loc["structure_index", "value"])


@pytest.mark.slow
def test_make_maps(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    proc = run_example("make_maps.py", out, "--fast")
    listed = (out / "maps.txt").read_text(encoding="utf-8").split()
    assert listed == [
        "network_plan_2035.png",
        "change_watt_plan_2035_vs_baseline_2025.png",
        "custom_hours_to_shanghai_plan_2035.png",
    ]
    for name in listed:
        assert_png(out / name, size=(400, 400))  # fast mode: 4 x 4 in at 100 dpi
        assert name in proc.stdout
    assert not list(out.glob("*.html")), "fast mode writes no HTML map"
    assert sorted(p.name for p in out.glob("*.png")) == sorted(listed)
    # The custom map is not blank: many distinct colours (classes, boundaries, labels).
    with Image.open(out / listed[-1]) as im:
        colours = np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)
    assert len(colours) > 20


@pytest.mark.slow
def test_compare_plans(tmp_path: Path) -> None:
    out = tmp_path / "plans"
    proc = run_example("compare_plans.py", out, "--fast")

    # The custom scenario file is written and valid: set_speed + add_line on the North Yangtze HSR.
    sc = yrdnet.load_scenario(out / "north_yangtze_plus.toml")
    assert sc.name == "north_yangtze_plus"
    assert [e["op"] for e in sc.edits] == ["set_speed", "add_line"]
    assert isinstance(sc.base, yrdnet.Scenario) and sc.base.name == "north_yangtze_hsr"

    rank = pd.read_csv(out / "ranking.csv", index_col="scenario")
    assert list(rank.index) == [
        "north_yangtze_hsr",
        "nantong_suzhou_jiaxing_ningbo",
        "north_yangtze_plus",
    ]
    # Adding lines never lengthens a trip: no plan makes Hefei worse off.
    assert (rank["hefei_watt_saving_min"] >= -1e-6).all()
    assert (rank["hefei_pot_gain_pct"] >= -1e-6).all()
    # The custom plan contains the North Yangtze HSR plus two upgrades at Hefei.
    assert (
        rank.loc["north_yangtze_plus", "hefei_pot_gain_pct"] > rank.loc["north_yangtze_hsr", "hefei_pot_gain_pct"] > 0
    )
    best_si = rank["structure_index_gain"].idxmax()
    best_hefei = rank["hefei_pot_gain_pct"].idxmax()
    assert f"Largest gain in the structure index: {best_si}" in proc.stdout
    assert f"Largest gain for Hefei: {best_hefei}" in proc.stdout

    cmp_dir = out / "comparison"
    for name in ("cities.csv", "metros.csv", "region.csv", "gainers.csv", "comparison.md"):
        assert (cmp_dir / name).is_file(), name
    md = (cmp_dir / "comparison.md").read_text(encoding="utf-8")
    assert md.startswith(
        "# yrdnet comparison: north_yangtze_hsr, nantong_suzhou_jiaxing_ningbo, north_yangtze_plus vs baseline_2025"
    )
    assert "## Region indices" in md
    region = pd.read_csv(cmp_dir / "region.csv", index_col="indicator")
    si = region.loc["structure_index"].set_index("scenario")["delta"]
    assert si.to_dict() == pytest.approx(rank["structure_index_gain"].to_dict())


@pytest.mark.slow
def test_fast_mode_from_environment(tmp_path: Path) -> None:
    out = tmp_path / "tour_env"
    proc = run_example("api_tour.py", out, env={"YRDNET_EXAMPLES_FAST": "1"})
    assert "fast=True" in proc.stdout
    params = pd.read_csv(out / "parameters.csv", index_col="variant")
    assert "half-life 90 min" not in params.index


@pytest.mark.slow
def test_county_zones(tmp_path: Path) -> None:
    out = tmp_path / "county"
    proc = run_example("county_zones.py", out, "--fast")
    assert "Zones(level='county', n=305, cities=41)" in proc.stdout
    integ = pd.read_csv(out / "integration_2010_2025.csv", header=[0, 1], index_col=0)
    assert set(integ.index) == {"shanghai", "nanjing", "hangzhou", "hefei", "suxichang", "ningbo"}
    assert (integ[("2025", "pop_weighted_mean_time_min")] < integ[("2010", "pop_weighted_mean_time_min")]).all()
    legs = pd.read_csv(out / "trip_kunshan_huangpu.csv")
    assert legs["part"].iloc[0] == "access" and legs["minutes"].sum() > 30
    assert len(pd.read_csv(out / "zones_2025.csv")) == 305
    assert not list(out.glob("*.png")), "fast mode draws no maps"


@pytest.mark.slow
def test_periphery_gains(tmp_path: Path) -> None:
    out = tmp_path / "periphery"
    proc = run_example("periphery_gains.py", out, "--fast")
    assert "Mean gain per periphery (population-weighted), baseline_2010 -> baseline_2025" in proc.stdout
    gains = pd.read_csv(out / "periphery_gains_baseline_2010_to_baseline_2025.csv", index_col=0)
    assert {"wanbei", "subei", "zhexinan"} <= set(gains["periphery"].dropna())
    summary = pd.read_csv(out / "periphery_summary.csv", index_col=[0, 1, 2])
    assert len(summary) == 5
    within = pd.read_csv(out / "population_within.csv")
    assert set(within["year"]) == {2010, 2025}
    assert not list(out.glob("*.png")), "fast mode draws no maps"
