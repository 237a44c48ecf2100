"""compare(): per-city, per-metro and region deltas; written tables."""

from __future__ import annotations

import numpy as np
import pytest

import yrdnet


@pytest.fixture(scope="module")
def cmp():
    return yrdnet.compare("baseline_2025", "north_yangtze_hsr", "plan_2035")


@pytest.mark.slow
def test_deltas_consistent(cmp):
    assert cmp.base == "baseline_2025"
    assert cmp.others == ["north_yangtze_hsr", "plan_2035"]
    c = cmp.cities
    ok = np.isfinite(c["delta"])
    assert np.allclose(c.loc[ok, "value"] - c.loc[ok, "base"], c.loc[ok, "delta"])
    # adding lines never makes any WATT worse
    w = c[(c["indicator"] == "watt_pop_multimodal")]
    assert (w["delta"] <= 1e-4).all()
    # the North Yangtze HSR helps Taizhou (Jiangsu) and Nantong
    g = cmp.gainers[cmp.gainers["scenario"] == "north_yangtze_hsr"].head(6)
    assert {321200, 320600} & set(g["adcode"])


def test_region_and_markdown(cmp, tmp_path):
    si = cmp.region.loc["structure_index"]
    assert (si["value"] >= si["base"] - 1e-12).all()
    md = cmp.to_markdown()
    assert "| scenario | indicator | base | value | delta | delta_pct |" in md
    assert "structure_index" in md
    out = cmp.to_dir(tmp_path / "c")
    assert {p.name for p in out.iterdir()} == {
        ".yrdnet-output",
        "cities.csv",
        "metros.csv",
        "region.csv",
        "gainers.csv",
        "comparison.md",
    }


def test_compare_needs_two():
    with pytest.raises(ValueError, match="at least one other"):
        yrdnet.compare("baseline_2025")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_comparison_markdown_opens_with_a_headline() -> None:
    import yrdnet

    md = yrdnet.compare("baseline_2025", "plan_2035").to_markdown()
    head = md.split("## Region indices")[0]
    assert "## Headline" in head and "What changed most:" in head and "Where:" in head
    assert "pot_exp_pop" not in head.split("What changed most:")[1].split("\n")[0]  # words, not keys
