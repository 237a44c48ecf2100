"""analyze(..., travel_times=) takes precomputed matrices (the sweep's path) and checks them."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import yrdnet
from yrdnet.routing.compile import MODES


@pytest.fixture(scope="module")
def graph_and_od():
    G = yrdnet.build_graph("baseline_2025")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        od = {m: yrdnet.travel_times(G, m) for m in MODES}
    return G, od


def test_given_travel_times_give_the_same_result(graph_and_od):
    G, od = graph_and_od
    a = yrdnet.analyze(G, centrality=False, sensitivity_samples=10)
    b = yrdnet.analyze(G, centrality=False, sensitivity_samples=10, travel_times=od)
    pd.testing.assert_frame_equal(a.region, b.region)
    pd.testing.assert_frame_equal(a.cities, b.cities)
    assert a.notes == b.notes  # the unreachable notes come out the same way


def test_given_travel_times_are_used(graph_and_od):
    G, od = graph_and_od
    slow = {m: (T * 2).where(T > 0, 0.0) for m, T in od.items()}
    a = yrdnet.analyze(G, centrality=False, sensitivity_samples=10, travel_times=od)
    b = yrdnet.analyze(G, centrality=False, sensitivity_samples=10, travel_times=slow)
    assert b.index("mean_watt_pop_multimodal") == pytest.approx(2 * a.index("mean_watt_pop_multimodal"), rel=1e-5)


def test_bad_travel_times_name_the_mode(graph_and_od):
    G, od = graph_and_od
    with pytest.raises(ValueError, match="missing \\['road'\\]"):
        yrdnet.analyze(G, centrality=False, travel_times={k: v for k, v in od.items() if k != "road"})
    bad = dict(od, rail=od["rail"].iloc[:-1, :-1])
    with pytest.raises(ValueError, match=r"travel_times\['rail'\].*40 x 40"):
        yrdnet.analyze(G, centrality=False, travel_times=bad)
