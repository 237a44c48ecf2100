"""csv_tables: a table written as CSV reads back exactly with its recorded schema."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from yrdnet.analysis.csv_tables import read_table, table_schema
from yrdnet.core.io import write_csv


def _round_trip(df: pd.DataFrame, tmp_path: Path, **kw: object) -> pd.DataFrame:
    write_csv(tmp_path / "t.csv", df, **kw)
    schema = json.loads(json.dumps(table_schema(df, index=bool(kw.get("index", True)))))  # as in result.json
    return read_table(tmp_path / "t.csv", schema)


def test_empty_strings_missing_values_and_types(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "name": pd.array(["Hefei", "", "NA"], dtype="str"),  # "" and "NA" are text, not missing
            "metro": pd.array(["hefei", np.nan, "nanjing"], dtype="str"),  # a missing text value
            "value": [1.0, np.nan, 1 / 3],
            "n": [1, 2, 3],
            "rank": pd.array([1, None, 3], dtype="Int64"),
            "small": np.array([0.1, 2.5, 3.0], dtype="float32"),
            "ok": [True, False, True],
        },
        index=pd.Index(["a", "b", "c"], name="indicator"),
    )
    df.columns.name = "measure"
    back = _round_trip(df, tmp_path)
    pd.testing.assert_frame_equal(back, df, check_exact=True)
    assert back.loc["b", "name"] == "" and back.loc["c", "name"] == "NA" and pd.isna(back.loc["b", "metro"])
    assert pd.isna(pd.read_csv(tmp_path / "t.csv", index_col=0).loc["b", "name"])  # what plain read_csv does


@pytest.mark.parametrize("index", [True, False])
def test_integer_labels_multiindex_and_no_index(tmp_path: Path, index: bool) -> None:
    T = pd.DataFrame(
        [[0.0, 1.25], [1.25, 0.0]],
        index=pd.MultiIndex.from_tuples([(310000, "x"), (320100, "")], names=["origin", "tag"]),
        columns=pd.Index([310000, 320100], name="destination"),
    )
    if not index:
        T = T.reset_index(drop=True)
    pd.testing.assert_frame_equal(_round_trip(T, tmp_path, index=index), T, check_exact=True)
