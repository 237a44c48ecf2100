"""ScenarioResult.from_dir reads back what to_dir wrote; the CLI maps a result folder without re-analysing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.cli.commands import main


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
@pytest.mark.parametrize("zones", ["city", "county"])
def test_from_dir_round_trip(tmp_path: Path, zones: str) -> None:
    res = yrdnet.analyze("baseline_2020", zones=zones, centrality=False, sensitivity_samples=5)
    res.to_dir(tmp_path / "r")
    back = yrdnet.ScenarioResult.from_dir(tmp_path / "r")
    assert (back.name, back.year, back.scope, back.level) == (res.name, res.year, res.scope, res.level)
    pd.testing.assert_series_equal(back.region["value"], res.region["value"], check_exact=False, rtol=1e-12)

    def cols(df: pd.DataFrame) -> list[str]:
        return [c for c in df.columns if c != "geometry"]

    assert cols(back.cities) == cols(res.cities)
    assert list(back.cities.index) == list(res.cities.index)
    np.testing.assert_allclose(back.od["rail"].to_numpy(), res.od["rail"].to_numpy(), atol=0.006)
    assert list(back.od["rail"].columns) == list(res.od["rail"].index)
    assert list(back.targets.index) == list(res.targets.index)
    assert back.cities.crs == res.cities.crs
    if zones == "county":
        assert back.zones is not None and len(back.zones) == len(res.zones)
    # and it can be written again
    back.to_dir(tmp_path / "again")
    assert (tmp_path / "again" / "region.csv").read_bytes() == (tmp_path / "r" / "region.csv").read_bytes()


def test_from_dir_not_a_result(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not a yrdnet result folder"):
        yrdnet.ScenarioResult.from_dir(tmp_path)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_cli_map_of_a_result_folder_uses_the_saved_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "res"
    assert main(["analyze", "baseline_2020", "--out", str(folder)]) == 0

    def no_analysis(*a: object, **k: object) -> None:
        raise AssertionError("map of a result folder must not re-analyse")

    monkeypatch.setattr(yrdnet, "analyze", no_analysis)
    out = tmp_path / "maps"
    assert main(["map", str(folder), "--no-html", "--out", str(out)]) == 0
    assert (out / "network_baseline_2020.png").is_file()
