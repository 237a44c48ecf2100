"""API edges that used to return silently wrong results (issue 12, item 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yrdnet
from yrdnet import DataError
from yrdnet.metrics.polycentricity import urban_centrality_index
from yrdnet.testing import mock_graph


@pytest.mark.parametrize("chunk", [-1, 0, 1.5, True, "2"])
def test_bad_chunk_size_is_refused(chunk):
    with pytest.raises(ValueError, match="chunk_size must be a positive integer"):
        yrdnet.travel_times(mock_graph(), "road", chunk_size=chunk)


def test_chunk_size_one_equals_default():
    G = mock_graph()
    a = yrdnet.travel_times(G, "multimodal", chunk_size=1, warn_unreachable=False)
    b = yrdnet.travel_times(G, "multimodal", warn_unreachable=False)
    pd.testing.assert_frame_equal(a, b)


def test_in_place_weight_edits_are_seen():
    G = mock_graph()
    before = yrdnet.travel_times(G, "road", warn_unreachable=False)
    for *_, d in G.edges(data=True):
        if d["mode"] == "road":
            d["travel_time"] *= 2
    after = yrdnet.travel_times(G, "road", warn_unreachable=False)
    finite = np.isfinite(before.to_numpy()) & (before.to_numpy() > 0)
    assert (after.to_numpy()[finite] > before.to_numpy()[finite]).all()


def test_unreachable_centres_are_named():
    ids = [310000, 320100, 330900]
    D = pd.DataFrame([[0, 60, np.inf], [60, 0, np.inf], [np.inf, np.inf, 0]], ids, ids)
    with pytest.raises(DataError, match=r"unreachable, involving .*330900"):
        urban_centrality_index(pd.Series([1.0, 1.0, 1.0], ids), D)


def test_ctrl_c_exits_130_with_one_line(monkeypatch, capsys):
    from yrdnet.cli import commands as cli

    def interrupted(args):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert cli.main(["scenarios"]) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["yrdnet: interrupted (nothing was left half-written)"]


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "", "x" * 81, "a..b"])
def test_unsafe_names_never_become_paths(name):
    from yrdnet.core.io import safe_name

    with pytest.raises(yrdnet.OutputError, match="cannot be used as a file name"):
        safe_name(name)


def test_safe_names_pass():
    from yrdnet.core.io import safe_name

    assert safe_name("plan_2035") == "plan_2035"
    assert safe_name("north-yangtze.v2") == "north-yangtze.v2"
