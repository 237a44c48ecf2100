"""Time-space maps (issue 20, item 6): classical MDS of travel times, Procrustes-aligned to geography."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yrdnet.core.errors import DataError
from yrdnet.metrics.time_space_map import _projected_km, time_space_map

ROOT = Path(__file__).resolve().parents[2]
RNG = np.random.default_rng(6)


def _zones(n: int = 12) -> pd.DataFrame:
    return pd.DataFrame({"lon": RNG.uniform(116, 122, n), "lat": RNG.uniform(28, 34, n)}, index=range(100, 100 + n))


def _planar_minutes(z: pd.DataFrame, kph: float) -> pd.DataFrame:
    xy = _projected_km(z["lon"].to_numpy(), z["lat"].to_numpy())
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    return pd.DataFrame(d / kph * 60.0, index=z.index, columns=z.index)


def test_planar_times_give_back_geography() -> None:
    z = _zones()
    m = time_space_map(_planar_minutes(z, 60.0), z, speed_kph=60.0)
    assert m.stress < 1e-9 and m.scale == pytest.approx(1.0, rel=1e-9) and m.explained == pytest.approx(1.0)
    c = m.coords
    assert np.allclose(c[["x_km", "y_km"]].to_numpy(), c[["geo_x_km", "geo_y_km"]].to_numpy(), atol=1e-6)


def test_twice_as_fast_is_half_the_size() -> None:
    z = _zones()
    slow = time_space_map(_planar_minutes(z, 60.0), z, speed_kph=60.0)
    fast = time_space_map(_planar_minutes(z, 120.0), z, speed_kph=60.0)
    assert fast.scale == pytest.approx(slow.scale / 2.0, rel=1e-9)


def test_row_order_and_direction_averaging() -> None:
    z = _zones()
    T = _planar_minutes(z, 80.0) + RNG.uniform(0, 5, (len(z), len(z)))
    a = time_space_map(T, z)
    perm = list(RNG.permutation(T.index))
    b = time_space_map(T.loc[perm, perm[::-1]], z.loc[perm[::-1]])
    assert np.allclose(a.coords.to_numpy(), b.coords.loc[a.coords.index].to_numpy(), atol=1e-9)
    assert a.stress == pytest.approx(b.stress)


def test_bad_input_is_named() -> None:
    z = _zones(4)
    T = _planar_minutes(z, 60.0)
    T.iloc[0, 2] = np.inf
    T.iloc[2, 0] = np.inf
    with pytest.raises(DataError, match="no travel time between 100 and 102"):
        time_space_map(T, z)
    with pytest.raises(DataError, match=r"no lon/lat for ids \[103\]"):
        time_space_map(_planar_minutes(z, 60.0), z.drop(103))
    with pytest.raises(DataError, match="speed_kph must be > 0"):
        time_space_map(_planar_minutes(z, 60.0), z, speed_kph=0.0)


@pytest.mark.slow
def test_example_draws_2010_and_2025(tmp_path: Path) -> None:
    script = str(ROOT / "examples" / "time_space_maps.py")
    proc = subprocess.run(
        [sys.executable, script, "--out", str(tmp_path), "--years", "2010", "2025"],
        capture_output=True, text=True, check=False, timeout=300, env={**os.environ, "MPLBACKEND": "Agg"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    for name in ("time_space_2010.png", "time_space_2025.png", "time_space_2010_2025.png"):
        assert (tmp_path / name).stat().st_size > 10_000
    fit = pd.read_csv(tmp_path / "time_space_fit.csv", index_col="year")
    assert fit.loc[2025, "scale"] < fit.loc[2010, "scale"]  # time has shrunk the region
    conv = pd.read_csv(tmp_path / "janelle_convergence.csv")
    assert len(conv) == 41 * 40 // 2 and int(conv["core_link"].sum()) == 5
    assert "mean Janelle convergence of the core links" in proc.stdout


def test_county_level_map_is_fast() -> None:
    from yrdnet.region.zones import load_zones

    z = load_zones("county").table
    start = time.perf_counter()
    m = time_space_map(_planar_minutes(z, 60.0), z)
    assert time.perf_counter() - start < 5.0
    assert len(m.coords) == 305 and m.stress < 1e-6
