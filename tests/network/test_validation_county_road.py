"""The county driving-time table and the rules that turn its rows into zone pairs.

``tests/data/validation_county_road.csv`` (see ``README_county_road.md``) holds published
driving times between county-level units or between a county and a whole city. The rules
(:mod:`yrdnet.analysis.road_validation`, fixed before the model's times were looked at):

* a whole-city end is the zone holding the city's centre (:meth:`yrdnet.Zones.core_zones`,
  e.g. Huangpu for Shanghai, Gongshu for Hangzhou);
* a row is modelled on the network of its own year (2008-2025; undated rows 2025);
* the model time is :func:`yrdnet.travel_times` by ``road`` on the county graph;
* rows whose end is a town rather than the seat ("END IS A TOWN" in ``notes``) are
  flagged: the model routes seat to seat.

The scores of the default road network on this table and on the prefecture rows, both
printed row by row, are in ``tests/network/test_expressway_validation.py``. Before issue
19 (77 straight city links, free flow) this table scored 38 % within ±25 %.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.road_validation import road_rows


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    path = Path(__file__).parents[1] / "data" / "validation_county_road.csv"
    df = pd.read_csv(path)
    rows = road_rows(None, path)  # the rules above, in the file's order
    df["from_zone"], df["to_zone"] = rows["from_zone"].to_numpy(), rows["to_zone"].to_numpy()
    df["town_end"] = rows["town_end"].to_numpy()
    return df


def test_every_row_resolves_to_zones(table):
    Z = yrdnet.load_zones("county")
    assert set(table["from_zone"]).union(table["to_zone"]) <= set(Z.ids)
    assert table["source"].notna().all()
