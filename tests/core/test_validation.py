"""The one collect-then-raise home (Problems), the one hint (did_you_mean) and reference checks (Ref)."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet.core.errors import DataError, ScenarioError
from yrdnet.core.validation import Column, Problems, Ref, did_you_mean, validate_table

PKG = Path(yrdnet.__file__).parent


def test_did_you_mean_names_close_matches_only() -> None:
    assert did_you_mean("nanjing_sooth", ["nanjing_south", "hangzhou_east"]) == " (closest valid: nanjing_south)"
    assert did_you_mean(320599, [320500, 310000]).startswith(" (closest valid: 320500")
    assert did_you_mean("zzzz", ["nanjing_south"]) == ""


def test_problems_one_line_for_one_problem_and_a_list_for_several(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    probs = Problems(p)
    probs.raise_if_any()  # nothing collected: no error
    probs.add(3, "lon", "expected a number, found 'a'")
    with pytest.raises(DataError) as e:
        probs.raise_if_any()
    assert str(e.value) == f"{p}: row 3, field 'lon': expected a number, found 'a'"
    probs.add(None, None, "missing column 'lat'")
    probs.add(4, "stop_id", "unknown stop", file="stops.txt")
    with pytest.raises(DataError) as e:
        probs.raise_if_any()
    lines = str(e.value).splitlines()
    assert lines[0] == f"3 problems in {p}:"
    assert lines[2:] == ["  - missing column 'lat'", "  - stops.txt row 4, field 'stop_id': unknown stop"]


def test_problems_of_self_locating_messages_raise_the_given_error() -> None:
    probs = Problems(None, error=ScenarioError, subject="the scenario")
    probs.extend([f"scenario 's': edit #{i}: bad" for i in range(30)])
    with pytest.raises(ScenarioError, match=r"^30 problems in the scenario:\n  - scenario 's': edit #0: bad") as e:
        probs.raise_if_any()
    assert str(e.value).endswith("... and 5 more")


def test_ref_checks_values_and_list_items_with_a_hint(tmp_path: Path) -> None:
    df = pd.DataFrame({"id": ["a", "b"], "stops": ["s1;s2", "s1;s3x"], "city": ["1", "7"]})
    cols = [Column("id"), Column("stops", "list"), Column("city", "int")]
    refs = [Ref("stops", frozenset({"s1", "s2", "s3"}), "station"), Ref("city", frozenset({1, 2}), "city")]
    with pytest.raises(DataError) as e:
        validate_table(df, cols, tmp_path / "t.csv", key="id", refs=refs)
    msg = str(e.value)
    assert "row 3, field 'stops': unknown station 's3x' (closest valid: s3)" in msg
    assert "row 3, field 'city': unknown city 7" in msg
    assert "row 2" not in msg


def test_no_other_collector_or_hint_helper_in_the_package() -> None:
    """One home: no module but core.validation calls difflib or defines a problem collector."""
    offenders = []
    for f in PKG.rglob("*.py"):
        if f == PKG / "core" / "validation.py":
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                if "difflib" in names:
                    offenders.append(f"{f.name}: imports difflib")
            if isinstance(node, ast.ClassDef) and "Problems" in node.name:
                offenders.append(f"{f.name}: class {node.name}")
    assert offenders == []


def test_available_lists_every_shipped_file() -> None:
    root = yrdnet.datasets.data_folder()
    shipped = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__" not in str(p))
    shipped = [n for n in shipped if not any(part.startswith(".") for part in n.split("/"))]
    assert yrdnet.available() == shipped
    assert {"README.md", "targets.csv", "project_costs.csv", "gtfs_yrd_2016.zip"} <= set(shipped)
    for name in shipped:
        assert yrdnet.get_path(name).is_file()
    with pytest.raises(DataError, match=r"unknown data file 'citys\.csv'.*closest valid: cities\.csv"):
        yrdnet.get_path("citys.csv")
