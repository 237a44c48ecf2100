"""The self-contained web map: built and read with the network refused, every layer present, nothing fetched."""

from __future__ import annotations

import socket
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import yrdnet
from yrdnet.region.boundaries import load_boundaries
from yrdnet.region.datasets import load_county_boundaries
from yrdnet.testing import mock_graph
from yrdnet.viz.svgmap import TILES, offline_map
from yrdnet.viz.webmap import _edge_key, interactive_map

CODES = [310000, 320100, 320500, 330100, 330200, 330900, 340100]


@pytest.fixture
def no_network(monkeypatch):  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


class _Page(HTMLParser):
    """Elements per layer group, and every URL-like attribute of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.layer: str | None = None
        self.depth = 0
        self.counts: dict[str, dict[str, int]] = {}
        self.urls: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        self.urls += [(tag, k, v or "") for k, v in attrs if k in ("src", "href", "xlink:href", "data", "action")]
        self.urls += [(tag, "style", v) for k, v in attrs if k == "style" and v and "url(" in v and "#" not in v]
        if tag == "g" and (a.get("id") or "").startswith("layer-"):
            self.layer, self.depth = a["id"][6:], 0  # type: ignore[index]
            self.counts[self.layer] = {}
        elif self.layer is not None:
            self.depth += tag == "g"
            self.counts[self.layer][tag] = self.counts[self.layer].get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "g" and self.layer is not None:
            if self.depth == 0:
                self.layer = None
            else:
                self.depth -= 1


def _parse(text: str) -> _Page:
    p = _Page()
    p.feed(text)
    return p


@pytest.fixture(scope="module")
def cities():  # type: ignore[no-untyped-def]
    c = yrdnet.load_cities().loc[CODES].copy()
    c["acc"] = np.linspace(1.0, 2.0, len(c))
    c.loc[330900, "acc"] = np.nan  # drawn grey
    return c


def _n_lines(G, mode: str) -> int:  # type: ignore[no-untyped-def]
    return len({_edge_key(u, v, d) for u, v, d in G.edges(data=True) if d.get("mode") == mode})


def test_offline_map_has_every_layer_and_fetches_nothing(cities, tmp_path: Path, no_network) -> None:  # type: ignore[no-untyped-def]
    G, base = mock_graph(), mock_graph()
    G.add_edge("rd:330100", "rd:340100", mode="road", route="G50", length=3.9e5, speed_kph=120.0, travel_time=11700.0)
    out = tmp_path / "maps" / "offline.html"
    bnd = load_boundaries().loc[CODES]
    page = interactive_map(G, cities, column="acc", added_edges=base, boundaries=bnd, filepath=out, offline=True)
    text = out.read_text(encoding="utf-8")
    assert page == text
    p = _parse(text)
    # nothing outside the file: no script/style/image/tile reference at all, let alone http(s)
    assert p.urls == [], p.urls
    assert "link" not in p.tags and "iframe" not in p.tags and "img" not in p.tags
    assert "http://" not in text and "https://" not in text and "//unpkg" not in text
    assert p.tags.count("script") == 1 and p.tags.count("style") == 1  # both inline
    # every layer, with as many features as the data has
    assert p.counts["rail"]["path"] == _n_lines(G, "rail") > 0
    assert p.counts["road"]["path"] == _n_lines(G, "road") > 0
    assert p.counts["added"].get("path", 0) == 1  # the G50 link is the one addition
    assert p.counts["cities"]["circle"] == len(CODES)
    assert p.counts["boundaries"]["path"] == len(bnd)
    assert "tiles" not in p.counts
    # one check box per layer, and hover titles on the features
    assert text.count('type="checkbox"') == len(p.counts)
    assert p.tags.count("title") >= p.counts["rail"]["path"] + len(CODES)
    assert 'fill="#cccccc"' in text  # the city without a value
    assert out.stat().st_size < 200_000


def test_offline_map_is_byte_identical(cities, no_network) -> None:  # type: ignore[no-untyped-def]
    G = mock_graph()
    assert offline_map(G, cities, column="acc") == offline_map(G, cities, column="acc")


def test_county_choropleth_fills_every_zone(no_network) -> None:  # type: ignore[no-untyped-def]
    zones = yrdnet.load_zones("county").table
    polys = load_county_boundaries()
    zones = zones.assign(pop=zones["population"].astype(float))
    page = offline_map(mock_graph(), zones, column="pop", boundaries=polys)
    p = _parse(page)
    assert p.counts["boundaries"]["path"] == len(polys) == 305
    assert p.counts["cities"]["circle"] == len(zones)
    filled = page.count('fill-opacity="0.75"')
    assert filled == len(set(polys.index) & set(zones.index)) > 300
    assert p.urls == []


def test_tiles_are_the_users_choice(cities, no_network) -> None:  # type: ignore[no-untyped-def]
    G = mock_graph()
    local = "http://tiles.intranet.example/{z}/{x}/{y}.png"
    p = _parse(offline_map(G, cities, column="acc", tiles=local))
    imgs = [u for t, _, u in p.urls if t == "image"]
    assert imgs and all(u.startswith("http://tiles.intranet.example/") for u in imgs)
    assert p.counts["tiles"]["image"] == len(imgs)
    named = _parse(offline_map(G, cities, column="acc", tiles="OpenStreetMap"))
    assert all(u.startswith(TILES["OpenStreetMap"].split("{")[0]) for _, _, u in named.urls)
    with pytest.raises(ValueError, match="URL template"):
        offline_map(G, cities, column="acc", tiles="Stamen Watercolour")
    with pytest.raises(KeyError, match="not in cities"):
        offline_map(G, cities, column="nope")


def test_cli_rejects_bad_tiles_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from yrdnet.cli.commands import main

    out = tmp_path / "maps"
    assert main(["map", "baseline_2025", "--offline", "--tiles", "Stamen", "--out", str(out)]) == 2
    assert "URL template" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("offline", [False, True])
def test_both_web_maps_name_the_measure_in_words(cities, no_network, offline: bool) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("folium")
    key = "pot_exp_pop_multimodal"
    m = interactive_map(mock_graph(), cities.assign(**{key: cities["acc"]}), column=key, offline=offline)
    text = m if offline else m.get_root().render()
    assert "Cities: potential accessibility, door to door, multimodal" in text
    assert f"Cities: {key}" not in text and f": {key}<" not in text
