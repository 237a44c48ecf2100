"""ScenarioResult.from_dir reads back what to_dir wrote; the CLI maps a result folder without re-analysing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet.cli.commands import main


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
@pytest.mark.parametrize("zones", ["city", "county"])
def test_from_dir_round_trip(tmp_path: Path, zones: str) -> None:
    res = yrdnet.analyze("baseline_2020", zones=zones, centrality=False, sensitivity_samples=5)
    assert (res.cities["metros"] == "").any()  # cities outside any metro: an empty string, not missing
    res.metros.iloc[0, res.metros.columns.get_loc("name_en")] = ""  # an empty text cell in an indexed table
    res.to_dir(tmp_path / "r")
    back = yrdnet.ScenarioResult.from_dir(tmp_path / "r")
    assert (back.name, back.year, back.scope, back.level) == (res.name, res.year, res.scope, res.level)
    tables = ["cities", "zones", "metros", "region", "stepwise", "linkage", "functional", "sensitivity", "targets"]
    for name in tables:  # every table exactly: values, dtypes, index and column names
        a, b = getattr(res, name), getattr(back, name)
        a, b = (pd.DataFrame(t.drop(columns="geometry")) if "geometry" in t else t for t in (a, b))
        assert not a.empty, name
        pd.testing.assert_frame_equal(b, a, check_exact=True, obj=name)
    assert back.metros["name_en"].iloc[0] == ""
    for mode, T in res.od.items():  # written to 0.01 min
        two = T.map(lambda v: float(f"{v:.2f}")).astype(T.dtypes.iloc[0])
        pd.testing.assert_frame_equal(back.od[mode], two, check_exact=True, obj=f"od_{mode}")
    assert back.cities.crs == res.cities.crs
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
