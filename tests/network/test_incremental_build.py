"""The building blocks the incremental graph construction reuses, against the full build's.

levels_of_pairs (plain Python) against levels_from_records (pandas) on whole networks;
default_services(only=...) against the full call; and the graph builders refactored out
of yrdnet.network.graph against build_graph's graph.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from yrdnet.network.graph import city_access_edges, filter_network, rail_edges, running_services
from yrdnet.network.history import network_of_year
from yrdnet.network.services import (
    default_services,
    levels_from_records,
    levels_of_pairs,
    load_services,
    pair_records,
)
from yrdnet.scenarios.scenario import build_graph, load_scenario


def _network(name: str):  # type: ignore[no-untyped-def]
    sc = load_scenario(name)
    t, m = sc.tables(), sc.travel_time_model()
    lines_f, _ = filter_network(t.lines, t.highways, sc.effective_year)
    net = network_of_year(lines_f, t.stations, sc.effective_year)  # what the build runs that year
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rs = running_services(net, t.stations, t.cities, m)
    lines_y, running = net.lines, rs.services
    times = rs.stop_times(m)
    meta = list(zip(running["trains_per_day"], running["lines"], running["train_class"], strict=True))
    return sc, t, m, lines_y, running, list(zip(times, meta, strict=True))


@pytest.mark.parametrize("name", ["baseline_2010", "plan_2035"])
def test_levels_of_pairs_equals_pandas_path(name: str) -> None:
    _, _, m, _, _, rows = _network(name)
    want = levels_from_records(pair_records(rows), m)
    pairs = set(zip(want["origin"], want["destination"], strict=True))
    got = levels_of_pairs(rows, pairs, m)
    assert len(got) == len(want) > 1000
    for c in want.columns:  # bit for bit, column by column
        assert got[c].tolist() == want[c].tolist(), c
    # a subset of pairs gives exactly those pairs' rows
    some = set(sorted(pairs)[::97])
    sub = levels_of_pairs(rows, some, m)
    keep = [p in some for p in zip(want["origin"], want["destination"], strict=True)]
    pd.testing.assert_frame_equal(
        sub.reset_index(drop=True),
        want[keep].reset_index(drop=True),
        check_dtype=False,
    )


def test_default_services_only_equals_full_call() -> None:
    _, t, m, lines_y, _, _ = _network("plan_2035")
    covered = {str(x) for lns in load_services()["lines"] for x in lns}
    full = default_services(lines_y, t.stations, t.cities, m, covered=covered)
    thru = [lid for lid in lines_y.index if lines_y.loc[lid, "through_to"]]
    chosen = [*thru[:2], *list(lines_y.index[:3])]
    part = default_services(lines_y, t.stations, t.cities, m, covered=covered, only=chosen)
    owner = [str(s).split(":")[1].split(">")[0] for s in full.index]
    pd.testing.assert_frame_equal(part, full[[o in chosen for o in owner]])
    assert len(part) > 0


def test_refactored_builders_match_the_graph() -> None:
    _, t, m, _, running, rows = _network("baseline_2025")
    G = build_graph("baseline_2025")
    edges = list(rail_edges(levels_from_records(pair_records(rows), m), m))
    got = sorted((u, v, tuple(sorted(d.items()))) for u, v, d in edges)
    want = sorted((u, v, tuple(sorted(d.items()))) for u, v, d in G.edges(data=True) if d["mode"] == "rail")
    assert got == want
    halls = sorted(n for n in G if n.startswith("st:"))
    acc = city_access_edges(t.cities, t.stations, m, halls)
    got_a = sorted((u, v, tuple(sorted(d.items()))) for u, v, d in acc)
    want_a = sorted(
        (u, v, tuple(sorted(d.items())))
        for u, v, d in G.edges(data=True)
        if d["mode"] == "access" and (u.startswith("st:") or v.startswith("st:"))
    )
    assert got_a == want_a
    assert len(running) == G.graph["n_services"]


def _pandas_same(new: pd.DataFrame, base: pd.DataFrame, cols: list[str]) -> bool:
    if not base.index.isin(new.index).all():
        return False
    return pd.DataFrame(new.loc[base.index, cols]).equals(pd.DataFrame(base[cols]))


def test_leading_rows_check_never_passes_what_pandas_refuses() -> None:
    from yrdnet.network.delta import _STATION_COLS, _leading_rows_equal

    base = load_scenario("baseline_2025").tables().stations
    cols = list(_STATION_COLS)
    extra = base.iloc[:2].rename(index=lambda s: f"{s}_new")
    cases = {
        "same": (base.copy(), True),
        "appended": (pd.concat([base, extra]), True),
        "lon moved": (base.assign(lon=base["lon"].where(base.index != base.index[5], 0.0)), False),
        "name changed": (base.assign(name_en=base["name_en"].where(base.index != base.index[7], "x")), False),
        "adcode as float": (base.assign(adcode=base["adcode"].astype(float)), False),
        "rows reordered": (base.iloc[::-1], None),
        "an id repeated": (pd.concat([base, base.iloc[:1]]), None),
        "a row missing": (base.iloc[1:], False),
        "name missing": (base.assign(name_zh=base["name_zh"].where(base.index != base.index[3], None)), False),
    }
    nan_lon = base.assign(lon=base["lon"].where(base.index != base.index[4], np.nan))
    cases["nan in both"] = (nan_lon.copy(), True)
    for name, (new, fast) in cases.items():
        ref = nan_lon if name == "nan in both" else base
        got, want = _leading_rows_equal(new, ref, _STATION_COLS), _pandas_same(new, ref, cols)
        assert not got or want, name  # True only where pandas agrees
        if fast is not None:
            assert got == fast, name
