"""Atomic writers and graph persistence (GraphML, GeoPackage).

Every writer writes to a temporary file in the destination folder and renames it into
place, so a failure never leaves a half-written output.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

__all__ = [
    "atomic_dir",
    "atomic_path",
    "load_graphml",
    "save_geopackage",
    "save_graphml",
    "write_csv",
    "write_json",
    "write_text",
]


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_p = Path(tmp)
    try:
        yield tmp_p
        os.replace(tmp_p, path)
    finally:
        if tmp_p.exists():
            tmp_p.unlink()


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``path`` (files merged into it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        yield tmp
        path.mkdir(parents=True, exist_ok=True)
        for p in sorted(tmp.rglob("*")):
            rel = p.relative_to(tmp)
            if p.is_dir():
                (path / rel).mkdir(parents=True, exist_ok=True)
            else:
                os.replace(p, path / rel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write(path: str | Path, writer: Callable[[Path], Any]) -> Path:
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    """Write text (UTF-8) atomically."""
    return _write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_csv(path: str | Path, df: pd.DataFrame, **kwargs: Any) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically."""
    return _write(path, lambda p: df.to_csv(p, encoding="utf-8", **kwargs))


def write_json(path: str | Path, obj: Any) -> Path:
    """Write JSON atomically (non-finite floats become null)."""
    return write_text(path, json.dumps(_clean(obj), ensure_ascii=False, indent=2))


def _clean(obj: Any) -> Any:
    import math

    import numpy as np

    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    return obj


_NODE_DTYPES = {"x": float, "y": float, "city": int, "osmid": str}
_EDGE_DTYPES = {"length": float, "travel_time": float, "speed_kph": float}
_GRAPH_DTYPES = {"year": int, "n_lines": int}


def save_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Save a contract graph as GraphML (via OSMnx) atomically."""
    import osmnx as ox

    return _write(path, lambda p: ox.io.save_graphml(G, p))


def load_graphml(path: str | Path) -> nx.MultiDiGraph:
    """Load a graph saved with :func:`save_graphml`, restoring attribute types."""
    import osmnx as ox

    G = ox.io.load_graphml(path, node_dtypes=_NODE_DTYPES, edge_dtypes=_EDGE_DTYPES, graph_dtypes=_GRAPH_DTYPES)
    return G


def save_geopackage(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Save a contract graph as a GeoPackage with ``nodes`` and ``edges`` layers, atomically."""
    import osmnx as ox

    return _write(path, lambda p: ox.io.save_graph_geopackage(G, p, directed=True))
