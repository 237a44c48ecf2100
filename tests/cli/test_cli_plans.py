"""The plan commands of the CLI: ``sweep``, ``uncertainty``, ``best-plan`` (issue 13, item 4).

Each writes its folder (CSV tables and a chart) and agrees with the Python API it wraps.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from yrdnet.cli.commands import main
from yrdnet.plans.sweep import sweep


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["--quiet", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.slow
def test_sweep_writes_the_api_table_and_reports_failures(capsys, tmp_path):
    rc, out, err = run(capsys, "sweep", "ningbo_zhoushan", "no_such_plan", "--indicators", "uci,dominance_core")
    assert rc == 1  # a sweep with a failed scenario says so (issue 21), and keeps the rest
    assert "1 of 2 scenario(s) failed (no_such_plan: " in err
    table = pd.read_csv(tmp_path / "results/sweep/sweep.csv")
    assert set(table["scenario"]) == {"ningbo_zhoushan", "no_such_plan"}
    bad = table[table["scenario"] == "no_such_plan"]
    assert (bad["status"] == "failed").all() and bad["error"].str.contains("unknown scenario").all()
    api = sweep(["ningbo_zhoushan"], indicators=["uci", "dominance_core"], progress=False)
    got = table[table["status"] == "ok"].set_index("indicator")["value"]
    assert got.to_dict() == pytest.approx(api.set_index("indicator")["value"].to_dict(), rel=1e-12)
    assert "failed: no_such_plan" in out


@pytest.mark.slow
def test_sweep_combinations_of_candidates(capsys, tmp_path):
    rc, _, _ = run(
        capsys,
        "sweep",
        "--candidates",
        "ningbo_zhoushan,chaohu_maanshan",
        "--combinations",
        "--indicators",
        "mean_watt_pop_multimodal",
        "--objective",
        "mean_watt_pop_multimodal",
        "--costs",
        "km",
        "--out",
        "combos",
    )
    assert rc == 0
    table = pd.read_csv(tmp_path / "combos/sweep.csv")
    # the cost chart's exhaustive search reuses the swept values: the chosen package is the
    # lowest mean WATT of the four (no budget given: every package is affordable)
    evaluated = pd.read_csv(tmp_path / "combos/best_plan/evaluated.csv", keep_default_na=False)
    assert len(evaluated) == 4 and evaluated["within_budget"].all()
    chosen = evaluated.loc[evaluated["chosen"], "objective"].iloc[0]
    assert chosen == pytest.approx(table["value"].min(), rel=1e-12)
    assert (tmp_path / "combos/cost.png").stat().st_size > 0
    watt = table.set_index("scenario")["value"]
    # 2^2 packages: the base, each project, both
    assert len(watt) == 4
    both = watt["ningbo_zhoushan+chaohu_maanshan"]
    # adding a line never lengthens a trip, so it never raises the mean WATT of reachable pairs
    # above the single-project values by more than rounding
    assert both <= min(watt["ningbo_zhoushan"], watt["chaohu_maanshan"]) + 1e-9


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["sweep"], "SCENARIO names or --candidates"),
        (["sweep", "plan_2035", "--candidates"], "not both"),
        (["sweep", "plan_2035", "--combinations"], "--combinations and --k apply to --candidates"),
        (["sweep", "--candidates", "--k", "99"], "--k must be between 1 and"),
        (["sweep", "plan_2035", "--indicators", "no_such_indicator"], "no_such_indicator"),
        (["sweep", "plan_2035", "--workers", "0"], "--workers must be >= 1"),
        (["best-plan", "--budget", "-5", "--candidates", "ningbo_zhoushan"], "budget"),
    ],
)
def test_bad_input_exits_2(capsys, argv, expected):
    rc, _, err = run(capsys, *argv)
    assert rc == 2
    assert expected in err


@pytest.mark.slow
def test_best_plan_writes_tables_and_chart(capsys, tmp_path):
    rc, out, _ = run(
        capsys,
        "best-plan",
        "--budget",
        "400",
        "--candidates",
        "ningbo_zhoushan,chaohu_maanshan",
        "--objective",
        "mean_watt_pop_multimodal",
        "--costs",
        "km",
    )
    assert rc == 0
    folder = tmp_path / "results/best_plan"
    plan = json.loads((folder / "tables/plan.json").read_text(encoding="utf-8"))
    evaluated = pd.read_csv(folder / "tables/evaluated.csv", keep_default_na=False)
    chosen = evaluated[evaluated["chosen"]]
    assert len(chosen) == 1 and chosen["package"].iloc[0] == "+".join(plan["package"])
    affordable = evaluated[evaluated["within_budget"]]
    assert chosen["objective"].iloc[0] == affordable["objective"].min()  # WATT is minimised
    with Image.open(folder / "best_plan.png") as im:
        assert im.size[0] > 500
    assert "chosen" in out


@pytest.mark.slow
def test_uncertainty_writes_tables_and_chart(capsys, tmp_path):
    rc, out, _ = run(capsys, "uncertainty", "--method", "montecarlo", "--n", "2", "--indicator", "dominance_core")
    assert rc == 0
    folder = tmp_path / "results/uncertainty"
    conclusions = pd.read_csv(folder / "tables/conclusions.csv", index_col=0)
    assert conclusions["holds_share"].between(0, 1).all()
    assert (folder / "sensitivity.png").stat().st_size > 0
    assert "holds_share" in out
