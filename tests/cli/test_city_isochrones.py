"""City isochrone maps drawn from the county surface (issue 22, item 1: "isochrones from a
fine surface, not from 41 points"): each county zone's band is the band of its own time
from the origin city's centre zone, routed on the county graph of the same network."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

import yrdnet
from yrdnet.cli import city_isochrones as ci
from yrdnet.region.boundaries import load_boundaries
from yrdnet.region.datasets import load_county_boundaries
from yrdnet.region.region import load_region
from yrdnet.routing.matrices import node_distances
from yrdnet.viz import plot, reach_maps
from yrdnet.viz.mapframe import _colors

BANDS = (60.0, 120.0, 180.0, 240.0)


@pytest.fixture(scope="module")
def drawn() -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", yrdnet.UnreachableWarning)
        G = yrdnet.build_graph("baseline_2025")
        res = yrdnet.analyze(G, centrality=False, sensitivity_samples=2)
    figs: dict[str, Figure] = {}

    def catch(fig: Figure, path: Any, dpi: int) -> None:
        if path is not None:  # a figure drawn without a file is not caught
            figs[Path(path).name] = fig

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(plot, "save_figure", catch)
        mp.setattr(reach_maps, "save_figure", catch)
        jobs = ci.city_isochrone_jobs(res, G, load_boundaries(), [340100, 999999], {"scenario": res.name, "year": 2025})
        for name, job in jobs:
            job(Path(name))
    yield {"figs": figs, "jobs": [n for n, _ in jobs]}
    plt.close("all")


@pytest.mark.slow
def test_bands_are_the_county_zones_own_times(drawn: dict[str, Any]) -> None:
    assert drawn["jobs"] == ["isochrones_340100_baseline_2025.png"]  # unknown origins skipped
    fig = drawn["figs"]["isochrones_340100_baseline_2025.png"]
    ax = fig.axes[0]
    assert not [c for c in ax.collections if isinstance(c, ContourSet)]  # no contours between 41 points
    assert "Hefei, by county zone" in ax.get_title("left")
    assert ax.get_xlabel() == ax.get_ylabel() == ""  # no "Easting [metre]" from the outlines' plot
    # the county zone times, routed here on the county graph from the zone holding Hefei's centre
    centre = load_region().zones("county").core_zones()[340100]
    assert str(centre).startswith("3401")
    Gc = yrdnet.build_graph("baseline_2025", zones="county")
    polys = load_county_boundaries()
    zones = [z for z in polys.index if f"zone:{z}" in Gc]
    minutes = node_distances(Gc, [f"zone:{centre}"], targets=[f"zone:{z}" for z in zones])[0] / 60.0
    assert len(zones) == 305 and np.isfinite(minutes).sum() > 290
    band = np.where(np.isfinite(minutes), np.digitize(minutes, BANDS, right=True), -1)
    assert len(set(band)) >= 4  # a real surface: several bands, not one colour per city
    colors = [to_rgba(c) for c in _colors("viridis", len(BANDS) + 1)]
    # each zone polygon carries its band's colour, in drawing order (unreachable zones hatched apart)
    want = [tuple(np.round(colors[b], 6)) for b in band if b >= 0]
    patches = [c for c in ax.collections if isinstance(c, PatchCollection)]
    fills = [c for c in patches if len(c.get_paths()) == len(want) and len({tuple(f) for f in c.get_facecolors()}) > 1]
    assert len(fills) == 1, [len(c.get_paths()) for c in patches]  # the base map is one grey, the bands several
    got = [tuple(np.round(fc, 6)) for fc in fills[0].get_facecolors()]
    assert got == want
