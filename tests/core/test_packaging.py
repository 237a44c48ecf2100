"""`pip install .` (not only editable) gives a package that finds its data anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if r.returncode != 0 and "No module named 'hatchling'" in r.stderr:
        pytest.skip("hatchling not installed (install the dev extra)")
    assert r.returncode == 0, r.stderr
    (whl,) = out.glob("yrdnet-*.whl")
    return whl


def test_wheel_ships_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in (
        "cities.csv",
        "metros.csv",
        "stations.csv",
        "lines.csv",
        "highways.csv",
        "boundaries.geojson",
        "scenarios/plan_2035.toml",
        "scenarios/baseline_2010.toml",
    ):
        assert f"yrdnet/_data/{f}" in names, f
    assert "yrdnet/py.typed" in names


@pytest.mark.slow
def test_installed_wheel_works_from_any_directory(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import yrdnet, pathlib; p = yrdnet.get_path('cities.csv'); "
        "assert '_data' in str(p), p; print(len(yrdnet.load_cities()), len(yrdnet.list_scenarios()))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert r.returncode == 0, r.stderr
    n_cities, n_scen = map(int, r.stdout.split())
    assert n_cities == 41 and n_scen >= 5
