"""Modelled times against published timetables (tests/data/validation_times.csv).

Rail rows compare the modelled *station-to-station* time (in-vehicle + intermediate
stops + any transfer, without the door-to-door parts: access, terminal, wait, egress) on
the network as it stood in the row's year. Road rows compare the city-centre to
city-centre driving time (including ``road_access_min`` at both ends). The printed table
shows every pair; ``pytest -s`` to see it.
"""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet.routing import UnreachableWarning, node_distances

DATA = Path(__file__).parent / "data" / "validation_times.csv"
TOL = 0.20
REQUIRED_SHARE = 0.80


@cache
def _graph(year: int):  # type: ignore[no-untyped-def]
    return yrdnet.build_graph("baseline", year=year)


def _station_lookup() -> dict[str, str]:
    st = yrdnet.load_stations()
    return {str(r.name_zh): sid for sid, r in st.iterrows()}


def modelled_table() -> pd.DataFrame:
    """Every validation row with its modelled minutes and relative error."""
    df = pd.read_csv(DATA, dtype={"from_city_adcode": int, "to_city_adcode": int})
    m = yrdnet.TravelTimeModel()
    lookup = _station_lookup()
    out = []
    for r in df.itertuples():
        year = int(r.year) if not pd.isna(r.year) else 2025
        year = min(max(year, 2008), 2025)
        G = _graph(year)
        model_min = np.nan
        note = ""
        if r.mode == "rail":
            a, b = lookup.get(str(r.from_station_zh)), lookup.get(str(r.to_station_zh))
            if a is None or b is None:
                note = "station not in data"
            elif f"st:{a}" not in G or f"st:{b}" not in G:
                note = f"station not served in {year}"
            else:
                sec = node_distances(G, [f"st:{a}"], mode="rail", targets=[f"st:{b}"])[0, 0]
                model_min = sec / 60.0 - m.wait_min - m.alight_min
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UnreachableWarning)
                T = yrdnet.travel_times(G, "road", zones=[r.from_city_adcode, r.to_city_adcode])
            model_min = float(T.iloc[0, 1])
        err = model_min / r.minutes - 1 if np.isfinite(model_min) else np.nan
        out.append(
            {
                "mode": r.mode,
                "year": year,
                "from": r.from_station_zh if r.mode == "rail" else r.from_city_adcode,
                "to": r.to_station_zh if r.mode == "rail" else r.to_city_adcode,
                "published": r.minutes,
                "modelled": round(model_min, 1) if np.isfinite(model_min) else np.nan,
                "error": err,
                "note": note,
            }
        )
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    t = modelled_table()
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print("\n", t.to_string(float_format=lambda x: f"{x:.2f}"))
    return t


@pytest.mark.parametrize(("mode", "n_min"), [("rail", 20), ("road", 10)])
def test_within_20_percent(table, mode, n_min):
    t = table[(table["mode"] == mode) & table["error"].notna()]
    assert len(t) >= n_min, f"only {len(t)} comparable {mode} pairs"
    share = (t["error"].abs() <= TOL).mean()
    print(f"{mode}: {share:.0%} of {len(t)} pairs within ±{TOL:.0%}; median |error| {t['error'].abs().median():.1%}")
    assert share >= REQUIRED_SHARE


def test_every_row_has_a_source_and_year():
    df = pd.read_csv(DATA)
    assert df["source"].notna().all()
    assert (df[df["mode"] == "rail"]["year"].notna()).all()
