"""Out-of-sample check of the county road model against published driving times.

``tests/data/validation_county_road.csv`` (see ``README_county_road.md``) holds published
driving times between county-level units or between a county and a whole city. The rules
below were fixed before the model's times were looked at; no parameter was fitted to the
table:

* a whole-city end is the zone holding the city's centre (:meth:`yrdnet.Zones.core_zones`,
  e.g. Huangpu for Shanghai, Gongshu for Hangzhou);
* a dated row uses the latest shipped baseline network not after its year (2012 ->
  ``baseline_2010``, 2023 -> ``baseline_2020``); an undated row uses ``baseline_2025``;
* the model time is :func:`yrdnet.travel_times` by ``road`` on the county graph;
* rows whose end is a town rather than the seat ("END IS A TOWN" in ``notes``) are
  reported apart: the model routes seat to seat.

``pytest -s tests/network/test_validation_county_road.py`` prints the table.

Measured on the 34-row table of 2026-12-01: 38 % of all rows (13 of 34) and 44 % of the
seat-to-seat rows (12 of 27) within ±25 %, median |error| 33 % and 29 %. The issue's bar
(70 % within ±25 %) is **not met**. The largest errors have causes the parameters
cannot fix: the curated expressway table holds 77 straight links between city centres, so
a seat may meet a link going the wrong way (Haining joins the Jiaxing-Shaoxing link, not
a Hangzhou one: +62 %) or none within 15 km and drive 60 km/h local roads (Shuyang,
Susong, Yixing: +32 % to +148 %); and town ends (Zhouzhuang, Xitang, Wuzhen) lie
10-30 km beyond the seats the model routes to (-41 % to -59 %). An OpenStreetMap extract
(``graph_from_pbf(path, zones=load_zones("county"))``) is the remedy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.road_validation import modelled_minutes, road_rows

TOL = 0.25
ISSUE_BAR = 0.70  # issue 10: >= 70 % within ±25 % -- not met, see the module docstring
REGRESSION_FLOOR = 0.30  # measured 0.38 (all rows); guards against a broken county road model


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    path = Path(__file__).parents[1] / "data" / "validation_county_road.csv"
    df = pd.read_csv(path)
    rows = road_rows(None, path)  # the rules above (yrdnet.analysis.road_validation), in the file's order
    df["network"] = rows["graph"].to_numpy()
    df["from_zone"], df["to_zone"] = rows["from_zone"].to_numpy(), rows["to_zone"].to_numpy()
    df["model_min"] = modelled_minutes(rows)
    df["error"] = df["model_min"] / df["minutes"] - 1.0
    df["town_end"] = rows["town_end"].to_numpy()
    cols = ["from_name_zh", "to_name_zh", "network", "minutes", "model_min", "error", "town_end"]
    print(
        "\nCounty road validation (published driving time vs model):\n"
        + df[cols].to_string(float_format="{:.2f}".format)
    )
    return df


def _summary(t: pd.DataFrame) -> tuple[float, float, int]:
    err = t["error"].abs()
    return float((err <= TOL).mean()), float(err.median()), int((err <= TOL).sum())


@pytest.mark.slow
def test_county_road_validation(table):
    assert len(table) >= 15
    assert np.isfinite(table["model_min"]).all()
    share, med, n_ok = _summary(table)
    seat = table[~table["town_end"]]
    s_share, s_med, s_ok = _summary(seat)
    print(
        f"county road: {share:.0%} of {len(table)} rows within ±{TOL:.0%} ({n_ok}), median |error| {med:.1%}; "
        f"seat-to-seat rows: {s_share:.0%} of {len(seat)} ({s_ok}), median |error| {s_med:.1%}; "
        f"issue bar {ISSUE_BAR:.0%} {'met' if share >= ISSUE_BAR else 'NOT met'}"
    )
    assert share >= REGRESSION_FLOOR


def test_every_row_resolves_to_zones(table):
    Z = yrdnet.load_zones("county")
    assert set(table["from_zone"]).union(table["to_zone"]) <= set(Z.ids)
    assert table["source"].notna().all()
