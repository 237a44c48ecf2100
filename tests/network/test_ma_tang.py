"""yrdnet's prefecture road times beside Ma & Tang's modelled ones: a model comparison.

``tools/compare_ma_tang.py`` (see its docstring) compares the city-to-city road times of
the shipped baselines with the times of Ma & Tang (2024) for the 91 pairs of 14 YRD
prefectures in ``tests/data/ma_tang_road_pairs.csv``. Both sides are models (different
networks, speeds and end points), so the test asserts agreement in *order* (Spearman rho)
and a ratio in a plausible band, not equality; ``pytest -s`` prints the table.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet.routing.matrices import UnreachableWarning

ROOT = Path(__file__).resolve().parents[2]
#: Measured on the dated expressway network (issue 19): rho 0.84-0.86 in 2010, 2015, 2020.
#: A floor: a network that sent trips the wrong way would lose the order first.
MIN_RHO = 0.75
#: Ma & Tang drive their raster at design speeds by vintage and 10 km/h off the network;
#: the median ratio yrdnet / Ma & Tang measured 0.84-0.87. A band, not a target.
RATIO_BAND = (0.6, 1.3)


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("compare_ma_tang", ROOT / "tools" / "compare_ma_tang.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_prefecture_road_times_agree_in_order_with_ma_tang() -> None:
    tool = _tool()
    excerpt = tool.read_excerpt(tool.DEFAULT_EXCERPT, yrdnet.load_cities().index)
    assert len(excerpt[["from_adcode", "to_adcode"]].drop_duplicates()) == 91
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnreachableWarning)
        out = tool.compare(excerpt, [2010, 2015, 2020])
    with pd.option_context("display.width", 160):
        print("\nyrdnet vs Ma & Tang (2024), prefecture road times (model comparison):\n" + out.to_string(index=False))
    assert (out["pairs"] == 91).all()
    assert (out["spearman_rho"] >= MIN_RHO).all()
    lo, hi = RATIO_BAND
    assert out["median_ratio_yrdnet_to_ma_tang"].between(lo, hi).all()


def test_a_code_matching_no_city_is_named(tmp_path: Path) -> None:
    tool = _tool()
    bad = tmp_path / "mt.csv"
    bad.write_text("origin,destination,year_2010\n3201,9999,1.5\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="prefecture code 9999 matches no city"):
        tool.read_excerpt(bad, yrdnet.load_cities().index)
