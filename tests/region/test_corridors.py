"""Named corridors as analysis scopes (issue 20, item 7): the G60 science and innovation corridor."""

from __future__ import annotations

from pathlib import Path

import pytest

import yrdnet
from yrdnet.core.errors import DataError

G60_CITIES = {310000, 320500, 330100, 330400, 330500, 330700, 340100, 340200, 341800}


def test_g60_members_are_sourced_cities_and_songjiang() -> None:
    c = yrdnet.load_corridors()
    assert list(c.index) == ["g60"]
    members = set(c.loc["g60", "members"])
    assert 310117 in members and 310000 not in members  # Songjiang District, not all of Shanghai
    assert members - {310117} == G60_CITIES - {310000}
    assert "zjol.com.cn" in c.loc["g60", "source"]


@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_g60_scope_at_city_and_county_level() -> None:
    res = yrdnet.analyze("baseline_2025", "g60", centrality=False, sensitivity_samples=2)
    assert set(res.zones.index) == G60_CITIES  # at city level Songjiang stands for Shanghai
    county = yrdnet.analyze("baseline_2025", "g60", zones="county", centrality=False, sensitivity_samples=2)
    ids = set(county.zones.index)
    Z = yrdnet.load_zones("county").table
    assert 310117 in ids and 310115 not in ids  # Songjiang in, Pudong out
    jiaxing = set(Z.index[Z["city"] == 330400])
    assert jiaxing <= ids
    assert {int(Z.loc[i, "city"]) for i in ids} == G60_CITIES


def test_unknown_scope_lists_the_corridors() -> None:
    with pytest.raises(ValueError, match="g60"):
        yrdnet.analyze("baseline_2025", "g61", centrality=False, sensitivity_samples=2)


def test_a_bad_member_is_named(tmp_path: Path) -> None:
    p = tmp_path / "corridors.csv"
    p.write_text("corridor,name_zh,name_en,member_adcodes,source\nx,甲,X,320500;999999,a source\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2, field 'member_adcodes': '999999' is neither a city nor a county"):
        yrdnet.load_corridors(p)
