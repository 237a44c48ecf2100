"""settings.use_cache: built graphs and travel-time matrices kept on disk, content-addressed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import yrdnet
from yrdnet import settings
from yrdnet.core import cache
from yrdnet.core.params import TravelTimeModel
from yrdnet.routing import matrices
from yrdnet.scenarios import scenario as scenario_mod

SCENARIO = "baseline_2010"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    d = tmp_path / "cache"
    with settings.override(use_cache=True, cache_folder=d):
        yield d


def _entries(d: Path) -> list[Path]:
    return sorted(p for p in d.rglob("*.pickle"))


def _no_build(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("built although the cache holds the graph")


def _same(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> bool:
    return (
        G.graph == H.graph
        and list(G.nodes(data=True)) == list(H.nodes(data=True))
        and list(G.edges(keys=True, data=True)) == list(H.edges(keys=True, data=True))
    )


def test_off_by_default_and_writes_nothing(tmp_path: Path) -> None:
    assert settings.use_cache is False
    with settings.override(cache_folder=tmp_path / "c"):
        yrdnet.build_graph(SCENARIO)
    assert not (tmp_path / "c").exists()


def test_second_build_is_loaded_identical(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    G = yrdnet.build_graph(SCENARIO)
    assert len(_entries(cache_dir / "graphs")) == 1
    monkeypatch.setattr(scenario_mod, "graph_from_tables", _no_build)
    H = yrdnet.build_graph(SCENARIO)
    assert H is not G and _same(G, H)
    H.remove_node(next(iter(H.nodes)))  # a caller's edit never reaches the cache
    assert _same(G, yrdnet.build_graph(SCENARIO))


def test_a_model_parameter_or_a_zone_level_misses(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    yrdnet.build_graph(SCENARIO)
    monkeypatch.setattr(scenario_mod, "graph_from_tables", _no_build)
    with pytest.raises(AssertionError, match="built although"):
        yrdnet.build_graph(SCENARIO, model=TravelTimeModel().replace(wait_min=TravelTimeModel().wait_min + 1))
    with pytest.raises(AssertionError, match="built although"):
        yrdnet.build_graph(SCENARIO, year=2011)
    with pytest.raises(AssertionError, match="built although"):
        yrdnet.build_graph(SCENARIO, zones="county")


def test_editing_a_data_file_misses_touching_it_does_not(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(yrdnet.datasets.data_folder(), data)
    with settings.override(data_folder=data):
        G = yrdnet.build_graph(SCENARIO)
        lines = data / "lines.csv"
        st = lines.stat()
        os.utime(lines, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        assert _same(G, yrdnet.build_graph(SCENARIO))  # same content (keys are content hashes): a hit
        assert len(_entries(cache_dir / "graphs")) == 1
        with lines.open("a", encoding="utf-8") as f:
            f.write("\n")  # a blank line: new content, same table
        H = yrdnet.build_graph(SCENARIO)  # rebuilt: a new entry
        assert _same(G, H)
        assert len(_entries(cache_dir / "graphs")) == 2
        monkeypatch.setattr(scenario_mod, "graph_from_tables", _no_build)
        assert _same(G, yrdnet.build_graph(SCENARIO))


def test_a_corrupt_entry_is_ignored_and_rewritten(cache_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    G = yrdnet.build_graph(SCENARIO)
    (entry,) = _entries(cache_dir / "graphs")
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2])  # truncated
    with caplog.at_level("WARNING", logger="yrdnet.core.cache"):
        H = yrdnet.build_graph(SCENARIO)
    assert "corrupt cache entry" in caplog.text
    assert _same(G, H)
    assert entry.read_bytes() == good  # rewritten whole
    entry.write_bytes(good.replace(b"zone:", b"zonX:", 1))  # same length, wrong content
    assert _same(G, yrdnet.build_graph(SCENARIO))


def test_travel_times_hit_on_the_same_arrays_and_miss_on_new_weights(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    G = yrdnet.build_graph(SCENARIO)
    T = yrdnet.travel_times(G, "rail", warn_unreachable=False)
    monkeypatch.setattr(matrices, "node_distances", _no_build)
    H = yrdnet.build_graph(SCENARIO)  # another object, the same content
    assert yrdnet.travel_times(H, "rail", warn_unreachable=False).equals(T)
    with pytest.raises(AssertionError, match="built although"):
        yrdnet.travel_times(H, "road", warn_unreachable=False)
    u, v, k = next((u, v, k) for u, v, k, m in H.edges(keys=True, data="mode") if m == "rail")
    H.edges[u, v, k]["travel_time"] += 60.0
    with pytest.raises(AssertionError, match="built although"):
        yrdnet.travel_times(H, "rail", warn_unreachable=False)


def test_cache_key_is_canonical() -> None:
    assert cache.cache_key({"a": 1, "b": [1, 2]}) == cache.cache_key({"b": [1, 2], "a": 1})
    assert cache.cache_key((1, 2)) != cache.cache_key([1, 2])
    assert cache.cache_key(TravelTimeModel()) != cache.cache_key(TravelTimeModel().replace(wait_min=1.0))
    with pytest.raises(TypeError, match="cannot hash"):
        cache.cache_key(object())


def test_one_registry_clears_every_in_memory_cache() -> None:
    names = yrdnet.clear_caches()
    assert names == cache.registered_caches()
    for name in (
        "region.datasets.validated_tables",
        "region.zones.zones",
        "routing.compile.compiled_graphs",
        "network.county_roads.zone_roads",
        "plans.sweep_eval.prepared_bases",
        "viz.mapframe.cjk_font",
    ):
        assert name in names
    yrdnet.load_cities()
    assert yrdnet.datasets._validated.cache_info().currsize > 0
    yrdnet.clear_caches()
    assert yrdnet.datasets._validated.cache_info().currsize == 0
    # the old names keep working
    from yrdnet.network.county_roads import clear_cache as roads_clear
    from yrdnet.plans.sweep import clear_cache as sweep_clear
    from yrdnet.routing.compile import clear_cache as compile_clear

    for clear in (roads_clear, sweep_clear, compile_clear):
        clear()
