"""The named peripheries (issue 20, item 5): sourced members, one error per bad row."""

from __future__ import annotations

from pathlib import Path

import pytest

import yrdnet
from yrdnet.core.errors import DataError

HEAD = "periphery,name_zh,name_en,member_adcodes,source\n"


def test_the_three_peripheries_and_their_sources() -> None:
    p = yrdnet.load_peripheries()
    assert list(p.index) == ["wanbei", "subei", "zhexinan"]
    assert set(p.loc["wanbei", "members"]) == {340600, 341600, 341300, 340300, 341200, 340400}
    assert set(p.loc["subei", "members"]) == {320300, 320700, 320800, 320900, 321300}
    assert set(p.loc["zhexinan", "members"]) == {331100, 330324, 330328, 330326, 330329, 330327}
    assert all("http" in s for s in p["source"])  # every row names where it came from
    R = yrdnet.load_region()
    assert R.peripheries.equals(p)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("x,甲,X,340600,s\nx,乙,Y,320300,s\n", r"row 3, field 'periphery': duplicate periphery 'x'"),
        ("x,甲,X,340600;999999,s\n", r"row 2, field 'member_adcodes': '999999' is neither a city nor a county"),
        ("x,甲,X,330300,s\ny,乙,Y,330324,s\n", r"row 3, field 'member_adcodes': 330324 is already in periphery 'x'"),
        ("x,甲,X,330324,s\ny,乙,Y,330300,s\n", r"row 3, field 'member_adcodes': 330300 is already in periphery 'x'"),
    ],
    ids=["duplicate", "unknown adcode", "county of a member city", "city of a member county"],
)
def test_a_bad_row_is_named(tmp_path: Path, rows: str, message: str) -> None:
    f = tmp_path / "peripheries.csv"
    f.write_text(HEAD + rows, encoding="utf-8")
    with pytest.raises(DataError, match=message) as e:
        yrdnet.load_peripheries(f)
    assert "peripheries.csv" in str(e.value)


def test_corridors_may_overlap() -> None:
    """The corridors share the reader but not the one-area-per-zone rule."""
    c = yrdnet.load_corridors()
    assert 310117 in c.loc["g60", "members"]
