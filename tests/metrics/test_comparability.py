"""Comparable over time: reachable share beside WATT, census-mass track, airport accessibility."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError
from yrdnet.metrics.accessibility import reachable_share
from yrdnet.metrics.airports import airport_zones, time_to_airports


def test_reachable_share_hand_and_networkx() -> None:
    ids = [1, 2, 3, 4]
    inf = np.inf
    T = pd.DataFrame([[0, 10, inf, inf], [10, 0, inf, inf], [inf, inf, 0, 5], [inf, inf, 5, 0]], index=ids, columns=ids)
    m = pd.Series({1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0})
    r = reachable_share(T, m)
    assert r.tolist() == pytest.approx([2 / 9, 1 / 8, 4 / 7, 3 / 6])
    G = nx.Graph([(1, 2), (3, 4)])
    for i in ids:
        reach = nx.descendants(G, i)
        assert r[i] == pytest.approx(sum(m[j] for j in reach) / (m.sum() - m[i]))


def test_airport_attachment_and_times() -> None:
    zones = pd.DataFrame({"lon": [121.47, 118.8, 120.6], "lat": [31.23, 32.06, 31.3]}, index=[1, 2, 3])
    ap = pd.DataFrame({"lon": [121.8, 118.86], "lat": [31.14, 31.74]}, index=["PVG", "NKG"])
    att = airport_zones(ap, zones)
    assert att.to_dict() == {"PVG": 1, "NKG": 2}
    T = pd.DataFrame([[0, 150, 60], [150, 0, 100], [60, 100, 0]], index=[1, 2, 3], columns=[1, 2, 3], dtype=float)
    roles = pd.Series({"PVG": "international_hub", "NKG": "regional"})
    t = time_to_airports(T, att, roles)
    assert t["time_to_airport_min"].tolist() == [0.0, 0.0, 60.0]
    assert t["time_to_international_hub_min"].tolist() == [0.0, 150.0, 60.0]
    with pytest.raises(DataError, match="no regional airport"):
        time_to_airports(T, att, roles.replace("regional", "international_hub"), kinds=["regional"])


def test_airport_attached_by_polygon_at_county_level() -> None:
    Z = yrdnet.load_zones("county")
    ap = yrdnet.datasets.load_airports()
    att = airport_zones(ap, Z.table, Z.polygons)
    parent = Z.table["city"]
    # each airport's zone lies in the airport's city (data/airports.csv, derived by polygon)
    assert (parent.reindex(att.to_numpy()).to_numpy() == ap["city"].to_numpy()).all()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_analysis_rows_and_census_track() -> None:
    res = yrdnet.analyze("baseline_2010", centrality=False, sensitivity_samples=5)
    r = res.region["value"]
    assert 0 < r["reachable_share_pop_rail"] < 1 and r["reachable_share_pop_multimodal"] == pytest.approx(1.0)
    assert res.cities.loc[310000, "time_to_international_hub_min"] == 0.0
    assert r["mean_time_to_international_hub_min"] > r["mean_time_to_airport_min"]
    tl = yrdnet.timeline(["baseline_2010", "baseline_2020"], masses="both", indicators=["mean_watt_pop_multimodal"])
    assert list(tl.index) == ["mean_watt_pop_multimodal", "mean_watt_pop_multimodal (census masses)"]
    # 2020 masses are the 2020 census: the tracks agree in 2020 and differ in 2010
    row = tl.loc["mean_watt_pop_multimodal"]
    census = tl.loc["mean_watt_pop_multimodal (census masses)"]
    assert row["baseline_2020"] == pytest.approx(census["baseline_2020"])
    assert row["baseline_2010"] != pytest.approx(census["baseline_2010"])
