"""The road periods of yrdnet.network.road_times: free flow as before, typical slower and sized by town."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.road_validation import road_rows, split_of
from yrdnet.core.params import TravelTimeModel
from yrdnet.network.road_times import expressway_seconds, town_exit_km, town_exit_seconds, town_population
from yrdnet.region.datasets import load_counties
from yrdnet.routing.matrices import UnreachableWarning
from yrdnet.scenarios.checks import check_model

DATA = Path(__file__).parents[1] / "data"
FREE = TravelTimeModel(road_period="free_flow")
#: The mechanism with a delay (the fitted default delay is 0: see TravelTimeModel.road_period).
TYPICAL = TravelTimeModel(road_period="typical", town_exit_min=10.0, town_exit_exponent=0.5)


def _cities() -> pd.DataFrame:
    return yrdnet.load_cities()


def test_free_flow_is_the_former_formula() -> None:
    km, v = np.array([10.0, 163.5, 0.0]), np.array([120.0, 100.0, 120.0])
    m = FREE.replace(road_congestion=1.3)
    want = np.maximum(km / (v * m.road_speed_factor) * 3600.0 * 1.3, 1.0)
    assert np.array_equal(expressway_seconds(km, v, m), want)
    cities = _cities()
    assert (town_exit_seconds(cities, FREE, level="city") == FREE.road_access_min * 60).all()
    assert (town_exit_seconds(cities, FREE, level="county") == FREE.county_access_min * 60).all()
    assert (town_exit_km(cities, TYPICAL, level="city") == town_exit_km(cities, FREE, level="city")).all()


def test_free_flow_graph_edges_are_the_former_times() -> None:
    G = yrdnet.build_graph("baseline", year=2025, model=FREE)
    n = 0
    for _u, w, e in G.edges(data=True):
        # local roads drive at local_road_speed_kph (no factor); interchanges have no length
        if e.get("mode") == "road" and e.get("route") not in ("local", "interchange"):
            km, v = e["length"] / 1000.0, e["speed_kph"]
            assert e["travel_time"] == pytest.approx(km / (v * 0.95) * 3600.0, rel=1e-12)
            n += 1
        elif e.get("mode") == "access" and str(w).startswith(("road:", "rd:z")):
            assert e["travel_time"] == 600.0
    assert n > 100


def test_bigger_towns_take_longer_to_leave_under_typical() -> None:
    cities = _cities()
    pop = town_population(cities, level="city")
    exit_s = town_exit_seconds(cities, TYPICAL, level="city")
    order = np.argsort(pop)
    assert (np.diff(exit_s[order]) >= 0).all() and exit_s[order[-1]] > exit_s[order[0]]
    assert int(cities.index[np.argmax(exit_s)]) == 310000  # Shanghai
    # a district leaves its city's built-up area (the same delay), a county its own town
    Z = yrdnet.load_zones("county").table
    z = town_exit_seconds(Z, TYPICAL, level="county")
    by_id = dict(zip(Z.index, z, strict=True))
    delay_city = float(exit_s[list(cities.index).index(310000)]) - TYPICAL.road_access_min * 60
    assert by_id[310101] - TYPICAL.county_access_min * 60 == pytest.approx(delay_city)
    assert by_id[310101] > by_id[320583] > by_id[341623]  # Huangpu (Shanghai) > Kunshan > Lixin


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [("town_exit_min", 5.0, 20.0), ("road_typical_speed_factor", 0.95, 0.7)],
)
def test_typical_times_grow_with_the_parameters(field: str, low: float, high: float) -> None:
    cities = _cities()
    a, b = TYPICAL.replace(**{field: low}), TYPICAL.replace(**{field: high})
    assert (town_exit_seconds(cities, b, level="city") >= town_exit_seconds(cities, a, level="city")).all()
    assert expressway_seconds(100.0, 120.0, b) >= expressway_seconds(100.0, 120.0, a)
    assert town_exit_seconds(cities, b, level="city").sum() + expressway_seconds(100.0, 120.0, b) > town_exit_seconds(
        cities, a, level="city"
    ).sum() + expressway_seconds(100.0, 120.0, a)


def test_the_exponent_widens_the_gap_between_big_and_small_towns() -> None:
    cities = _cities()
    pop = town_population(cities, level="city")
    lo = town_exit_seconds(cities, TYPICAL.replace(town_exit_exponent=0.2), level="city")
    hi = town_exit_seconds(cities, TYPICAL.replace(town_exit_exponent=0.8), level="city")
    big, small = pop > 1e6, pop < 1e6
    assert (hi[big] > lo[big]).all() and (hi[small] < lo[small]).all()


def _road_times(model: TravelTimeModel) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        return yrdnet.travel_times(yrdnet.build_graph("baseline", year=2025, model=model), "road")


def test_typical_is_slower_than_free_flow_on_every_city_pair() -> None:
    free, typ = _road_times(FREE), _road_times(TYPICAL)
    off = ~np.eye(len(free), dtype=bool) & np.isfinite(free.to_numpy())
    assert (typ.to_numpy()[off] > free.to_numpy()[off]).all()
    # the largest town loses the most: Shanghai's trips slow down more than Hefei's on average
    extra = (typ - free).where(off)
    assert extra.loc[310000].mean() > extra.loc[340100].mean()


def test_county_network_changes_with_the_period() -> None:
    Z = yrdnet.load_zones("county")
    g_free = yrdnet.build_graph("baseline_2025", zones=Z, model=FREE)
    g_typ = yrdnet.build_graph("baseline_2025", zones=Z, model=TYPICAL)
    t_free = g_free.edges["zone:310101", "rd:z310101", 0]["travel_time"]
    t_typ = g_typ.edges["zone:310101", "rd:z310101", 0]["travel_time"]
    assert t_free == FREE.county_access_min * 60 and t_typ > t_free


def test_bad_road_period_is_named() -> None:
    with pytest.raises(ValueError, match=r"road_period must be 'free_flow' or 'typical', got 'peak'"):
        TravelTimeModel(road_period="peak")  # type: ignore[arg-type]
    found = check_model({"road_period": "rush"}, TravelTimeModel.__dataclass_fields__, "s")
    assert found == ["s: [model] road_period must be 'free_flow' or 'typical', found 'rush'"]
    assert check_model({"road_period": "free_flow"}, TravelTimeModel.__dataclass_fields__, "s") == []


def test_typical_needs_a_population() -> None:
    zones = pd.DataFrame({"lon": [120.0], "lat": [30.0]}, index=[1])
    assert town_exit_seconds(zones, FREE, level="county")[0] == FREE.county_access_min * 60
    with pytest.raises(ValueError, match="needs a 'population'"):
        town_exit_seconds(zones, TYPICAL, level="county")


def test_split_is_the_documented_rule() -> None:
    rows = road_rows(DATA / "validation_times.csv", DATA / "validation_county_road.csv")
    counties = load_counties()["city"].astype(int).to_dict()
    pair = [
        tuple(sorted((counties.get(int(a), int(a)), counties.get(int(b), int(b)))))
        for a, b in zip(rows["from_adcode"], rows["to_adcode"], strict=True)
    ]
    for p, s in zip(pair, rows["split"], strict=True):
        h = int.from_bytes(hashlib.blake2b(f"{p[0]}-{p[1]}".encode(), digest_size=8).digest(), "big")
        assert s == ("holdout" if h % 3 == 0 else "fit")
        assert split_of(p[1], p[0]) == s  # direction does not matter
    fit = {p for p, s in zip(pair, rows["split"], strict=True) if s == "fit"}
    hold = {p for p, s in zip(pair, rows["split"], strict=True) if s == "holdout"}
    assert fit and hold and not fit & hold
    assert set(rows["split"]) == {"fit", "holdout"}
