"""Exact CSV round trips for result tables: each table's schema, recorded and read back.

A CSV file cannot tell an empty string from a missing value, nor ``int64`` from ``Int64``
or a string index from a numeric one. :func:`table_schema` records what the file cannot
say (index names and types, the columns' name, each column's type, which text columns
hold empty strings); :func:`read_table` reads the file back with it, so a table written
with :func:`yrdnet.core.io.write_csv` and read with its schema equals the original
(``pandas.testing.assert_frame_equal``, dtypes included).

Limits: a text column holding both empty strings and missing values reads both back as
empty strings; floats are exact as written (``%.2f`` tables come back rounded).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["read_table", "table_schema"]

#: Column types given to :func:`pandas.read_csv` as recorded; other types (``object`` of
#: mixed values) are left to its inference.
_READ_AS = {"int64", "float64", "float32", "Int64", "Float64", "bool", "boolean", "str", "string"}


def _is_text(s: pd.Series) -> bool:
    if pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
        return True
    return pd.api.types.is_object_dtype(s.dtype) and all(isinstance(v, str) for v in s.dropna())


def table_schema(df: pd.DataFrame, *, index: bool = True) -> dict[str, Any]:
    """What :func:`read_table` needs to read ``df``'s CSV file back exactly.

    Parameters
    ----------
    df
        The table, as written (with its index when ``index``).
    index
        Whether the index is written as the first column(s).

    Returns
    -------
    dict
        JSON-ready: ``index`` (names), ``index_dtypes``, ``columns_name``, ``dtypes``
        (column -> dtype name), ``columns_dtype`` (of the column labels) and ``text``
        (text columns whose empty cells are empty strings, not missing values).
    """
    text = [str(c) for c in df.columns if _is_text(df[c]) and ((df[c] == "").any() or not df[c].isna().any())]
    return {
        "index": [None if n is None else str(n) for n in df.index.names] if index else [],
        "index_dtypes": [str(df.index.get_level_values(i).dtype) for i in range(df.index.nlevels)] if index else [],
        "columns_name": None if df.columns.name is None else str(df.columns.name),
        "columns_dtype": str(df.columns.dtype),
        "dtypes": {str(c): str(t) for c, t in df.dtypes.items()},
        "text": text,
    }


def read_table(path: str | Path, schema: dict[str, Any]) -> pd.DataFrame:
    """Read a CSV file written from a table whose :func:`table_schema` is ``schema``.

    Parameters
    ----------
    path
        The CSV file.
    schema
        :func:`table_schema` of the table written.

    Returns
    -------
    pandas.DataFrame
        The table: empty strings of text columns kept, other empty cells missing, each
        column and index level of its recorded type.
    """
    dtypes: dict[str, str] = schema["dtypes"]
    text = set(schema["text"])
    n_index = len(schema["index"])
    df = pd.read_csv(
        path,
        index_col=list(range(n_index)) if n_index else None,
        keep_default_na=False,
        na_values={c: [""] for c in dtypes if c not in text},
        dtype={c: t for c, t in dtypes.items() if t in _READ_AS},
    )
    if n_index:
        levels = [df.index.get_level_values(i).astype(t) for i, t in enumerate(schema["index_dtypes"])]
        df.index = pd.MultiIndex.from_arrays(levels, names=schema["index"]) if n_index > 1 else levels[0]
        df.index.names = schema["index"]
    df.columns = df.columns.astype(schema.get("columns_dtype", "str"))
    df.columns.name = schema["columns_name"]
    return df
