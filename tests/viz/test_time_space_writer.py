"""The time-space writer (issue 20, item 6): maps beside geography and the convergence tables, on disk."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import matplotlib
import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.time_space import travel_times_by_year
from yrdnet.core.geodesy import distance_matrix_km
from yrdnet.viz.time_space import write_time_space_maps

matplotlib.use("Agg")


def _times() -> tuple[dict[int, pd.DataFrame], pd.DataFrame]:
    """The 41 cities at 60 km/h crow-fly in 2010 and 80 km/h in 2020 (every pair 25 % faster)."""
    cities = yrdnet.load_cities()
    km = distance_matrix_km(cities)
    return {2020: km / 80.0 * 60.0, 2010: km / 60.0 * 60.0}, cities


def test_writer_writes_maps_and_tables(tmp_path: Path) -> None:
    times, cities = _times()
    paths = write_time_space_maps(times, tmp_path / "ts", zones=cities, dpi=60)
    names = [p.name for p in paths]
    assert names[:3] == ["time_space_2010.png", "time_space_2020.png", "time_space_2010_2020.png"]
    assert {"janelle_convergence.csv", "janelle_convergence_summary.csv", "time_space_fit.csv"} <= set(names)
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert not [p for p in (tmp_path / "ts").iterdir() if p.name.startswith(".")]  # no temporary left
    conv = pd.read_csv(tmp_path / "ts" / "janelle_convergence.csv")
    assert len(conv) == 41 * 40 // 2 and int(conv["core_link"].sum()) == 5
    shanghai_nanjing = conv[(conv["name_a"] == "Shanghai") & (conv["name_b"] == "Nanjing")].iloc[0]
    assert shanghai_nanjing["time_saved_2010_2020_pct"] == pytest.approx(25.0)
    scale = pd.read_csv(tmp_path / "ts" / "time_space_fit.csv", index_col="year")["scale"]
    assert scale[2020] == pytest.approx(0.75 * scale[2010], abs=1e-3)  # written to 4 digits
    summary = pd.read_csv(tmp_path / "ts" / "janelle_convergence_summary.csv", index_col="period")
    assert summary.loc["2010-2020", "core_links"] == 5


def test_writer_refuses_bad_input(tmp_path: Path) -> None:
    times, cities = _times()
    with pytest.raises(ValueError, match="give zones"):
        write_time_space_maps(times, tmp_path)
    bad = {2010: times[2010], 2020: times[2020].iloc[1:, 1:]}
    with pytest.raises(ValueError, match="zones of 2020 differ from those of 2010"):
        write_time_space_maps(bad, tmp_path, zones=cities)
    assert not list(tmp_path.iterdir())  # nothing drawn before the check


def test_results_of_one_year_twice_are_named() -> None:
    times, _ = _times()
    a = SimpleNamespace(name="baseline_2010", year=2010, od={"multimodal": times[2010]})
    b = SimpleNamespace(name="my_2010", year=2010, od={"multimodal": times[2010]})
    with pytest.raises(ValueError, match="'baseline_2010' and 'my_2010' both have network year 2010"):
        travel_times_by_year([a, b])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="has no 'rail' travel times"):
        travel_times_by_year([a], "rail")  # type: ignore[list-item]
