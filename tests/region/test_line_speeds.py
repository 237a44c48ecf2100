"""Periods of other line speeds (line_speeds.csv): the shipped table and every validation rule."""

from __future__ import annotations

from pathlib import Path

import pytest

import yrdnet
from yrdnet import DataError
from yrdnet.region.datasets import data_folder, load_line_speeds
from yrdnet.region.spec import region_spec

HEADER = "line_id,from_year,to_year,operating_speed_kph,source\n"
SN = "shanghai_nanjing_intercity"  # lines.csv: opened 2010, design 350, operating 300


def _write(tmp_path: Path, rows: str) -> Path:
    p = tmp_path / "line_speeds.csv"
    p.write_text(HEADER + rows, encoding="utf-8")
    return p


def test_shipped_periods_are_sourced_and_declared() -> None:
    s = yrdnet.load_line_speeds()
    assert region_spec(data_folder())["line_speeds"] == "line_speeds.csv"
    assert s["source"].str.contains("http").all()
    row = s[s["line_id"] == SN]
    assert row[["from_year", "to_year", "operating_speed_kph"]].values.tolist() == [[2010, 2010, 350]]
    lines = yrdnet.load_lines()
    # a period is a speed other than the lines.csv one, within the line's design speed
    assert (s["operating_speed_kph"].to_numpy() != lines.loc[s["line_id"], "operating_speed_kph"].to_numpy()).all()
    assert (s["operating_speed_kph"].to_numpy() <= lines.loc[s["line_id"], "design_speed_kph"].to_numpy()).all()


def test_row_order_does_not_matter(tmp_path: Path) -> None:
    rows = [f"{SN},2010,2010,350,s\n", "beijing_shanghai_hsr,2018,2019,350,s\n", f"{SN},2012,2013,250,s\n"]
    a = load_line_speeds(_write(tmp_path, "".join(rows)))
    b = load_line_speeds(_write(tmp_path, "".join(reversed(rows))))
    assert a.equals(b)
    assert list(zip(a["line_id"], a["from_year"], strict=True)) == [
        ("beijing_shanghai_hsr", 2018),
        (SN, 2010),
        (SN, 2012),
    ]


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (
            "shanghai_nanjing_intercty,2010,2010,350,s",
            r"row 2, field 'line_id': unknown line 'shanghai_nanjing_intercty'.*closest valid: shanghai_nanjing_inter",
        ),
        (f"{SN},2012,2010,350,s", r"row 2, field 'to_year': expected to_year >= from_year 2012, found 2010"),
        (f"{SN},2010,2010,0,s", r"row 2, field 'operating_speed_kph': expected a value > 0, found 0"),
        (f"{SN},2010,2010,700,s", r"row 2, field 'operating_speed_kph': expected <= 600, found 700"),
        (f"{SN},2010,2010,380,s", r"row 2, field 'operating_speed_kph': expected <= design speed 350, found 380"),
        (f"{SN},2010,2010,300,s", r"row 2, field 'operating_speed_kph': 300 is line 'shanghai_nanjing_intercity'"),
        (
            f"{SN},2009,2010,350,s",
            r"row 2, field 'from_year': expected a year >= 2010, when line .* opened, found 2009",
        ),
        (
            "hefei_nanjing_railway_2008,2008,2011,250,s",
            r"row 2, field 'to_year': expected a year < 2011, when line .* closed",
        ),
        (f"{SN},2010,,350,s", r"row 2, field 'to_year': expected a value, found an empty cell"),
        (f"{SN},2010,2010,350,", r"row 2, field 'source': expected a value, found an empty cell"),
    ],
)
def test_bad_row_names_it(tmp_path: Path, row: str, match: str) -> None:
    with pytest.raises(DataError, match=match) as err:
        load_line_speeds(_write(tmp_path, row + "\n"))
    assert "line_speeds.csv" in str(err.value)


def test_overlapping_periods_of_one_line(tmp_path: Path) -> None:
    rows = f"{SN},2010,2012,350,s\nbeijing_shanghai_hsr,2012,2012,350,s\n{SN},2012,2013,250,s\n"
    with pytest.raises(
        DataError,
        match=r"row 4, field 'from_year/to_year': line 'shanghai_nanjing_intercity' already has a period for 2010-2012 "
        r"\(row 2\)",
    ):
        load_line_speeds(_write(tmp_path, rows))
    # touching periods do not overlap
    ok = load_line_speeds(_write(tmp_path, f"{SN},2010,2011,350,s\n{SN},2012,2013,250,s\n"))
    assert len(ok) == 2


def test_undeclared_file_means_no_period(tmp_path: Path) -> None:
    text = (data_folder() / "region.toml").read_text(encoding="utf-8")
    (tmp_path / "region.toml").write_text(text.replace('line_speeds = "line_speeds.csv"', ""), encoding="utf-8")
    with yrdnet.settings.override(data_folder=tmp_path):
        s = load_line_speeds()
    assert s.empty and list(s.columns) == ["line_id", "from_year", "to_year", "operating_speed_kph", "source"]


def test_declared_file_must_be_a_csv_of_the_folder(tmp_path: Path) -> None:
    text = (data_folder() / "region.toml").read_text(encoding="utf-8")
    bad = text.replace('line_speeds = "line_speeds.csv"', 'line_speeds = "../speeds.txt"')
    (tmp_path / "region.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(
        DataError, match=r"region.toml: line_speeds must name a CSV file of the data folder, found '../speeds.txt'"
    ):
        region_spec(tmp_path)
