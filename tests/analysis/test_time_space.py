"""The time-space table: rail times between cities by year, station to station and door to door."""

from __future__ import annotations

import numpy as np
import pytest

import yrdnet


@pytest.fixture(scope="module")
def table():
    return yrdnet.time_space_table(["baseline_2015", "baseline_2025"])


def test_rows_and_pairs(table) -> None:
    assert list(table["pair_set"]) == ["all city pairs", "core links"] * 2
    n = len(yrdnet.load_cities())
    assert (table.loc[table["pair_set"] == "all city pairs", "pairs"] == n * (n - 1)).all()
    assert (table.loc[table["pair_set"] == "core links", "pairs"] == 10).all()
    reach = table[table["pair_set"] == "all city pairs"].set_index("year")["pairs_door_to_door"]
    assert reach[2025] >= reach[2015]  # lines only open


def test_common_pairs_are_one_set(table) -> None:
    common = table.groupby("pair_set")["pairs_common"].nunique()
    assert (common == 1).all()
    for _, r in table.iterrows():
        assert r["pairs_common"] <= min(r["pairs_station_to_station"], r["pairs_door_to_door"])
        # a door-to-door trip includes the train ride and more
        assert r["mean_door_to_door_common_min"] > r["mean_station_to_station_common_min"]


def test_core_links_match_targets(table) -> None:
    res = yrdnet.analyze("baseline_2025", centrality=False, sensitivity_samples=5)
    t = res.targets
    core = t[t["kind"] == "core_link"]
    row = table[(table["year"] == 2025) & (table["pair_set"] == "core links")].iloc[0]
    fin = np.isfinite(core["station_fastest_main_min"].astype(float))
    # both directions in the table, one per target: the directed means agree within rounding of asymmetry
    assert row["pairs_station_to_station"] == 2 * int(fin.sum())


def test_core_links_one_definition() -> None:
    links = yrdnet.core_links()
    assert len(links) == 5 and all(a == 310000 for a, _ in links)
    assert {b for _, b in links} == {320100, 320500, 330100, 330200, 340100}
    county = yrdnet.load_zones("county")
    at = county.core_zones()
    assert yrdnet.core_links(zones=county) == [(at[a], at[b]) for a, b in links]
