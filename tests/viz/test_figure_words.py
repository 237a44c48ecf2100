"""The demo's map writers show analysts words, never raw indicator keys, and nothing clipped.

The figures are caught where they would be saved (``save_figure``), so the test reads
exactly the titles, legends and axis labels that ``make demo`` writes, without writing
PNGs.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

import yrdnet
from yrdnet.cli import report
from yrdnet.scenarios.scenario import build_graph
from yrdnet.viz import charts, plot, reach_maps
from yrdnet.viz.figure_text import _declutter, figure_texts, raw_keys
from yrdnet.viz.mapframe import _txt


@pytest.fixture(scope="module")
def caught(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Figure]:
    """Every figure the city and county map writers draw, by file name (nothing written)."""
    figs: dict[str, Figure] = {}

    def catch(fig: Figure, filepath: Any, dpi: int) -> None:
        if filepath is not None:  # a figure drawn without a file is not caught
            figs[Path(filepath).name] = fig

    with warnings.catch_warnings(), pytest.MonkeyPatch.context() as mp:
        warnings.simplefilter("ignore", yrdnet.UnreachableWarning)
        for mod in (plot, charts, reach_maps):
            mp.setattr(mod, "save_figure", catch)
        mp.setattr(report, "plt", type("NoClose", (), {"close": staticmethod(lambda fig: None)}))
        city = yrdnet.analyze("baseline_2025", centrality=False, sensitivity_samples=2)
        county = yrdnet.analyze("baseline_2025", zones="county", centrality=False, sensitivity_samples=2)
        G = build_graph("baseline_2025")
        out = tmp_path_factory.mktemp("maps")
        report.write_maps(city, G, out, base=city, origins=[310000], html=False)
        report.write_maps(county, G, out, base=county)
    yield figs
    for f in figs.values():
        plt.close(f)


def test_city_and_county_maps_are_all_caught(caught: dict[str, Figure]) -> None:
    names = set(caught)
    assert any(n.startswith("access_potential_multimodal_baseline") for n in names)
    assert any(n.startswith("access_potential_multimodal_county") for n in names)
    assert any(n.startswith("change_potential_county") for n in names)
    assert any(n.startswith("metro_reach_") for n in names)
    assert len(names) >= 12


def test_no_figure_shows_a_raw_registry_key(caught: dict[str, Figure]) -> None:
    bad = {n: raw_keys(figure_texts(f)) for n, f in caught.items()}
    assert {n: k for n, k in bad.items() if k} == {}
    title = figure_texts(caught[next(n for n in caught if n.startswith("change_potential_baseline"))])[0]
    assert "potential accessibility" in title and "pot_exp" not in title


def test_titles_stay_on_the_canvas_at_any_dpi(caught: dict[str, Figure]) -> None:
    for dpi in (72, 300):
        for name, fig in caught.items():
            fig.set_dpi(dpi)
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
            fig_box = fig.bbox
            for ax in fig.axes:
                ax.apply_aspect()
                t = ax._left_title  # the left title holds yrdnet's titles
                if not t.get_text():
                    continue
                box = t.get_window_extent(renderer)
                assert box.x0 >= fig_box.x0 - 1 and box.x1 <= fig_box.x1 + 1, (name, dpi, t.get_text())
                assert box.y1 <= fig_box.y1 + 1, (name, dpi, t.get_text())


def test_raw_key_inside_a_title_becomes_words() -> None:
    assert _txt("Change in pot_exp_pop_multimodal — baseline_2025, 2025", "en") == (
        "Change in potential accessibility, door to door, multimodal — baseline_2025, 2025"
    )
    assert raw_keys(["pot_exp_pop_multimodal变化", "baseline_2025"]) == ["pot_exp_pop_multimodal"]


def test_colliding_city_labels_are_moved_apart(caught: dict[str, Figure]) -> None:
    fig = caught[next(n for n in caught if n.startswith("access_potential_multimodal_baseline"))]
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [t for t in ax.texts if t.get_gid() == "yrdnet-label"]
    assert len(labels) == 41 and all(t.get_path_effects() for t in labels)
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlaps = sum(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert overlaps == 0  # without _declutter, Yangzhou and Zhenjiang overlap


def test_declutter_moves_stacked_labels_apart() -> None:
    fig, ax = plt.subplots(figsize=(3, 3), dpi=100)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    for name in ("Taizhou (JS)", "Yangzhou", "Zhenjiang"):  # three labels at one point
        ax.annotate(name, (5, 5), xytext=(3, 3), textcoords="offset points", fontsize=6, gid="yrdnet-label")
    _declutter(ax, fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert ax.texts[0].xyann == (3, 3)  # the first keeps its place
    plt.close(fig)


def test_many_series_get_distinct_styles_and_direct_labels() -> None:
    import numpy as np
    import pandas as pd

    df = pd.DataFrame(
        {f"target {i}": 1.0 + 0.01 * i + np.arange(4) * 0.0 for i in range(12)}, index=[2020, 2025, 2030, 2035]
    )
    fig, ax = plot.plot_timeline(df, direct_labels=True, dpi=50)
    styles = {(ln.get_color(), ln.get_linestyle(), ln.get_marker()) for ln in ax.get_lines()}
    assert len(styles) == 12
    assert ax.get_legend() is None
    names = [t for t in ax.texts if t.get_text().startswith("target")]
    assert len(names) == 12
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in names]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert all(b.x1 <= fig.bbox.x1 + 1 for b in boxes)  # names stay on the canvas
    plt.close(fig)
