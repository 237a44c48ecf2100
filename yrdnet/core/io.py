"""Atomic writers and graph persistence (GraphML, GeoPackage): the one home of atomic output.

* :func:`atomic_path` — one file: written to a hidden temporary file beside it, then
  :func:`os.replace`-d onto it (atomic on POSIX); a failure or a kill leaves the previous
  file (or none), never a half-written one. Files get the normal mode (``0o666`` less the
  umask), not ``mkstemp``'s ``0o600``.
* :func:`atomic_dir` — a result *folder*: everything is written into a hidden sibling
  folder, which then replaces the target whole. On Linux the two folders are swapped with
  one ``renameat2(RENAME_EXCHANGE)`` call, so at every instant the target is the complete
  previous folder or the complete new one; elsewhere two renames are used and a kill
  between them is repaired by the next write (the previous folder is restored from its
  hidden sibling). Leftovers of killed runs (hidden ``.<name>.tmp-*`` / ``.<name>.old-*``
  siblings) are removed by the next write. A folder yrdnet writes carries a
  ``.yrdnet-output`` marker; an existing non-empty folder without it is never replaced
  (:class:`yrdnet.OutputError`), so a mistyped ``--out`` cannot delete a user's files.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from yrdnet.core.errors import OutputError

__all__ = [
    "MARKER",
    "atomic_dir",
    "atomic_path",
    "check_output_dir",
    "load_graphml",
    "safe_name",
    "save_geopackage",
    "save_graphml",
    "write_bytes",
    "write_csv",
    "write_gpkg",
    "write_json",
    "write_text",
]

#: File that marks a folder as written by yrdnet (it may be replaced whole).
MARKER = ".yrdnet-output"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


def safe_name(name: str) -> str:
    """Return ``name`` if it can be used as a file or folder name inside an output folder.

    Letters, digits, ``_``, ``-`` and ``.`` (1-80 characters, not starting with ``.``,
    no ``..``): a scenario named ``../../x`` can never make yrdnet write outside ``--out``.

    Raises
    ------
    OutputError
        For any other name.
    """
    if not isinstance(name, str) or not _SAFE.match(name) or ".." in name:
        raise OutputError(f"{name!r} cannot be used as a file name (letters, digits, '_', '-', '.' only)")
    return name


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it onto ``path``.

    Parameters
    ----------
    path
        The file to write.

    Yields
    ------
    pathlib.Path
        Where to write; it is renamed onto ``path`` when the block exits without error.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_p = Path(tmp)
    try:
        yield tmp_p
        os.chmod(tmp_p, 0o666 & ~_umask())
        os.replace(tmp_p, path)
    finally:
        if tmp_p.exists():
            tmp_p.unlink()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux ``renameat2``; False where that is unavailable."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _siblings(path: Path, kind: str) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.{kind}-*"))


def _recover(path: Path) -> None:
    """Undo what a killed write left: restore a moved-away folder, drop temporary ones."""
    olds = _siblings(path, "old")
    if not path.exists() and olds:
        os.rename(olds[-1], path)
        olds = olds[:-1]
    for p in [*olds, *_siblings(path, "tmp")]:
        shutil.rmtree(p, ignore_errors=True)


def _check_replaceable(path: Path) -> None:
    if not path.exists():
        return
    if not path.is_dir():
        raise OutputError(f"output folder {path} exists and is a file; give a folder path")
    if any(path.iterdir()) and not (path / MARKER).is_file():
        raise OutputError(
            f"output folder {path} exists, is not empty and was not written by yrdnet (no {MARKER} file); "
            "yrdnet replaces its output folders whole, so give a new or empty folder (or delete this one)"
        )


def _swap_in(tmp: Path, path: Path) -> None:
    if not path.exists():
        os.rename(tmp, path)
        return
    if _exchange(tmp, path):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous folder
        return
    old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
    os.rmdir(old)
    os.rename(path, old)
    os.rename(tmp, path)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a fresh hidden folder; on success it replaces ``path`` whole (see the module notes).

    Parameters
    ----------
    path
        The result folder. It must not exist, be empty, or be a folder yrdnet wrote.

    Yields
    ------
    pathlib.Path
        An empty folder to write into.

    Raises
    ------
    OutputError
        If ``path`` is a file, or a non-empty folder yrdnet did not write.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _recover(path)
    _check_replaceable(path)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        yield tmp
        (tmp / MARKER).write_text(
            "written by yrdnet; this folder is replaced whole by the next run\n", encoding="utf-8"
        )
        os.chmod(tmp / MARKER, 0o666 & ~_umask())
        _swap_in(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write(path: str | Path, writer: Callable[[Path], Any]) -> Path:
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write bytes atomically."""
    return _write(path, lambda p: p.write_bytes(data))


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


#: Timestamp GDAL writes into GeoPackage metadata (``gpkg_contents.last_change``): fixed,
#: so the same inputs give byte-identical files (run times go to ``run.log`` instead).
GPKG_DATE = "2000-01-01T00:00:00.000Z"


@contextlib.contextmanager
def _fixed_gdal_date() -> Iterator[None]:
    import pyogrio

    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


def write_gpkg(path: str | Path, gdf: Any, layer: str) -> Path:
    """Write a GeoDataFrame as a one-layer GeoPackage atomically and reproducibly.

    Object columns are written as text; GDAL's timestamp is fixed (:data:`GPKG_DATE`).
    """
    g = gdf.copy()
    for c in g.columns:
        if g[c].dtype == object and c != "geometry":
            g[c] = g[c].astype(str)
    with _fixed_gdal_date():
        return _write(path, lambda p: g.reset_index().to_file(p, layer=layer, driver="GPKG"))


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

    with _fixed_gdal_date():
        return _write(path, lambda p: ox.io.save_graph_geopackage(G, p, directed=True))


def check_output_dir(path: str | Path) -> Path:
    """Raise now what :func:`atomic_dir` would raise at the end for ``path``; writes nothing.

    A cheap preflight for commands that write a result folder after a long analysis.

    Parameters
    ----------
    path
        The result folder.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OutputError
        If ``path`` is a file, or a non-empty folder yrdnet did not write.
    """
    path = Path(path)
    _check_replaceable(path)
    return path
