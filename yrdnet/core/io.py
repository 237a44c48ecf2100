"""Atomic writers and graph persistence (GraphML, GeoPackage): the one home of atomic output.

The guard on names that become paths, :func:`safe_name`, lives in :mod:`yrdnet.core.safe_names`
(re-exported here).

* :func:`atomic_path` — one file: written to a hidden temporary file beside it, then
  :func:`os.replace`-d onto it (atomic on POSIX); a failure or a kill leaves the previous
  file (or none), never a half-written one. Files get the normal mode (``0o666`` less the
  umask), not ``mkstemp``'s ``0o600``.
* :func:`atomic_dir` — a result *folder*: everything is written into a hidden sibling
  folder, which then replaces the target whole. On Linux the two folders are swapped with
  one ``renameat2(RENAME_EXCHANGE)`` call, so at every instant the target is the complete
  previous folder or the complete new one; elsewhere two renames are used and a kill
  between them is repaired by the next write (the previous folder is restored from its
  hidden sibling). A folder yrdnet writes carries a
  ``.yrdnet-output`` marker; an existing non-empty folder without it is never replaced
  (:class:`yrdnet.OutputError`), so a mistyped ``--out`` cannot delete a user's files.

**Concurrent writers.** Each run owns its hidden ``.<name>.tmp-*`` folder: it holds an
``flock`` on that folder from the moment the folder exists (it is made while the commit
lock below is held) until the run ends; the kernel releases the lock when the run dies,
however it dies. A later write removes a ``.tmp-*`` sibling only if it can take that
lock, i.e. only a leftover *proven* dead; a folder another run is still filling is left
alone. The cleanup, the checks and every commit (swap, removal of the previous folder)
run under a short ``flock`` on ``.<name>.lock`` beside the target (unlinked on release),
so two runs writing one ``--out`` each swap in a complete folder, one after the other:
the one that commits last wins whole, and a ``.old-*`` sibling seen under that lock can
only be a killed commit's, restored or removed. Folders written inside a folder being
written (``tables/`` of a result) lock their own names, never the outer folder. Where
``flock`` is unavailable (not POSIX, some network file systems) writers are not
serialised and no ``.tmp-*`` folder is removed, since none can be proven dead.

**Errors name the path.** A full disk or a refused permission inside a write is
re-raised naming the user's file or folder (``/out/cities.csv``), never only the hidden
temporary one or no file at all (:func:`describe_os_error` words it for the CLI).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from yrdnet.core.attr_types import graph_types, restore_types
from yrdnet.core.errors import OutputError
from yrdnet.core.safe_names import _SAFE, SAFE_NAME_WORDS, safe_name  # noqa: F401  (split for size; importable here)

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no flock, leftovers are kept
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "MARKER",
    "OSMNX_LOAD_ARGS",
    "TYPES_ATTR",
    "atomic_dir",
    "atomic_path",
    "check_output_dir",
    "describe_os_error",
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
log = logging.getLogger(__name__)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _named(e: OSError, path: Path, tmp: Path | None = None) -> OSError:
    """``e`` naming the user's ``path`` where it names no file or one of yrdnet's hidden files.

    A full disk or a refused permission then reads ``cannot write /out/cities.csv: No
    space left on device`` instead of an empty name, a file inside the hidden folder
    ``tmp`` or a hidden sibling ``.<name>.*`` of ``path``.
    """
    name = os.fsdecode(e.filename) if isinstance(e.filename, (str, bytes)) else ""
    if tmp is not None and name.startswith(str(tmp) + os.sep):
        shown = str(path) + name[len(str(tmp)) :]
    elif not name or name == str(tmp) or _is_hidden_sibling(Path(name), path):
        shown = str(path)
    else:
        return e
    return OSError(e.errno, e.strerror or str(e), shown)  # OSError picks the subclass (PermissionError, ...)


def _is_hidden_sibling(p: Path, path: Path) -> bool:
    return p.parent == path.parent and p.name.startswith(f".{path.name}.")


@contextlib.contextmanager
def _naming(path: Path, tmp: Path | None = None) -> Iterator[None]:
    """Re-raise an ``OSError`` of the block naming ``path`` (:func:`_named`)."""
    try:
        yield
    except OSError as e:
        new = _named(e, path, tmp)
        if new is e:
            raise
        raise new from e


def describe_os_error(e: OSError) -> str:
    """One line for a user: ``cannot read or write <path>: <reason>``, never an empty path.

    Examples
    --------
    >>> import errno
    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device", "/out/a.csv"))
    'cannot read or write /out/a.csv: No space left on device'
    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device"))
    'cannot read or write (the system named no file): No space left on device'
    """
    names = [os.fsdecode(f) for f in (e.filename, e.filename2) if isinstance(f, (str, bytes)) and f]
    where = " -> ".join(names) if names else "(the system named no file)"
    return f"cannot read or write {where}: {e.strerror or e}"


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

    Raises
    ------
    OSError
        A full disk, a refused permission, ...: naming ``path`` (never only the hidden
        temporary file, never no file at all).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _naming(path):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_p = Path(tmp)
    try:
        with _naming(path, tmp_p):
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


# ----------------------------------------------------------------------- locks
def _lock(folder: Path) -> int | None:
    """An open descriptor of ``folder`` holding an exclusive ``flock`` on it, taken without waiting.

    ``None`` when another open description holds the lock (a live run) or when the file
    system has no ``flock`` (no ``fcntl``, some network file systems): the caller then
    treats the folder as owned by a live run.
    """
    if fcntl is None:  # pragma: no cover - not POSIX
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held by a live run; others: no locks here
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the only descriptor of the description releases the flock


def _open_lock_file(lock: Path) -> int | None:
    """An open descriptor of ``lock`` holding its ``flock``, the file still in place; None without locks."""
    for _ in range(1000):  # each retry means another run unlinked the file we had opened
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:  # e.g. a read-only folder: the write itself will say so
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            st, now = os.fstat(fd), os.stat(lock)
        except FileNotFoundError:
            os.close(fd)
            continue
        except OSError:  # no flock on this file system
            os.close(fd)
            return None
        if (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino):
            return fd
        os.close(fd)
    return None  # pragma: no cover - a thousand runs in a row unlinked it


@contextlib.contextmanager
def _commit_lock(path: Path) -> Iterator[None]:
    """Serialise the cleanup, checks and commit of every writer of ``path``.

    An ``flock`` on ``.<name>.lock`` beside ``path``, held for milliseconds (a rename,
    the removal of a previous folder) and unlinked on release, so nothing is left
    behind; a run that died holding it leaves the file, which the next run takes over
    (the kernel released the lock) and removes. Without ``flock`` the writers run
    unserialised, as before.
    """
    lock = path.parent / f".{path.name}.lock"
    fd = _open_lock_file(lock) if fcntl is not None else None
    try:
        yield
    finally:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(lock)  # while still holding the lock: a waiter sees it gone and retries
            os.close(fd)


# ----------------------------------------------------------------------- folders
def _siblings(path: Path, kind: str) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.{kind}-*"))


def _remove_if_dead(tmp: Path) -> bool:
    """Remove the temporary folder ``tmp`` if no live run holds its lock; True if removed."""
    fd = _lock(tmp)
    if fd is None:
        return False  # a live run is still filling it (or its death cannot be proven)
    try:
        shutil.rmtree(tmp, ignore_errors=True)
    finally:
        _unlock(fd)
    return True


def _recover(path: Path) -> None:
    """Undo what killed writes left: restore a moved-away folder, drop their temporary ones.

    Called with the commit lock held. A ``.old-*`` sibling exists then only if a run was
    killed inside its commit (commits hold the same lock), so it is restored or removed.
    A ``.tmp-*`` sibling is removed only if its ``flock`` is free, i.e. the run that made
    it is dead; a folder another run is still filling is left alone.
    """
    olds = _siblings(path, "old")
    if not path.exists() and olds:
        os.rename(olds[-1], path)
        olds = olds[:-1]
    for p in olds:
        shutil.rmtree(p, ignore_errors=True)
    for p in _siblings(path, "tmp"):
        if _remove_if_dead(p):
            log.info("removed %s, left by a run that was killed", p)


def _check_replaceable(path: Path) -> None:
    if path.is_symlink():
        raise OutputError(
            f"output folder {path} is a symbolic link (to {os.readlink(path)}); yrdnet replaces its output "
            "folders whole and would replace the link, so give the real folder"
        )
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
    """Put the complete folder ``tmp`` at ``path`` (commit lock held); the previous one is removed."""
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


def _start(path: Path) -> tuple[Path, int | None]:
    """Clean up after dead runs, check ``path`` and make this run's locked temporary folder."""
    with _commit_lock(path):
        _recover(path)
        _check_replaceable(path)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
        fd = _lock(tmp)  # before the commit lock is released: never seen unlocked
    return tmp, fd


def _commit(tmp: Path, path: Path) -> None:
    (tmp / MARKER).write_text("written by yrdnet; this folder is replaced whole by the next run\n", encoding="utf-8")
    os.chmod(tmp / MARKER, 0o666 & ~_umask())
    with _commit_lock(path):
        _check_replaceable(path)  # another run may have made it meanwhile; a yrdnet folder is fine
        _swap_in(tmp, path)


@contextlib.contextmanager
def atomic_dir(path: str | Path) -> Iterator[Path]:
    """Yield a fresh hidden folder; on success it replaces ``path`` whole (see the module notes).

    Several runs may write the same ``path`` at once (two ``--out`` alike): each fills its
    own locked hidden folder, and each commit swaps a complete folder in, so the run that
    finishes last wins whole and no run's folder is ever removed while it is being filled.

    Parameters
    ----------
    path
        The result folder. It must not exist, be empty, or be a folder yrdnet wrote; not
        a symbolic link.

    Yields
    ------
    pathlib.Path
        An empty folder to write into.

    Raises
    ------
    OutputError
        If ``path`` is a file, a symbolic link, or a non-empty folder yrdnet did not write.
    OSError
        A full disk, a refused permission, ...: naming the file under ``path`` (not the
        hidden folder) or ``path`` itself; the previous folder is kept.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _naming(path):
        tmp, fd = _start(path)
    try:
        with _naming(path, tmp):
            os.chmod(tmp, 0o777 & ~_umask())
            yield tmp
            _commit(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _unlock(fd)


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

#: Graph attribute in a yrdnet GraphML file recording each attribute's Python type.
TYPES_ATTR = "yrdnet_types"

#: Arguments that let :func:`osmnx.load_graphml` read a yrdnet GraphML file: node ids are
#: text (``zone:310000``), which OSMnx would otherwise convert to ``int``.
OSMNX_LOAD_ARGS: dict[str, Any] = {"node_dtypes": {"osmid": str}}


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
    """Save a contract graph as GraphML (via OSMnx) atomically.

    Every attribute is written as text, as :func:`osmnx.save_graphml` does; the graph
    attribute :data:`TYPES_ATTR` records each attribute's type (``int``, ``float``,
    ``bool`` or ``str``) so that :func:`load_graphml` restores the graph exactly.

    The file also opens in OSMnx, given that node ids are text
    (:data:`OSMNX_LOAD_ARGS`)::

        import osmnx as ox
        G = ox.load_graphml("baseline_2025.graphml", node_dtypes={"osmid": str})

    Parameters
    ----------
    G
        The graph; its ``graph``, node and edge attributes are not modified.
    path
        The ``.graphml`` file to write.

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    import osmnx as ox

    H = G.copy()
    H.graph[TYPES_ATTR] = json.dumps(graph_types(G), sort_keys=True)
    return _write(path, lambda p: ox.io.save_graphml(H, p))


def load_graphml(path: str | Path) -> nx.MultiDiGraph:
    """Load a graph saved with :func:`save_graphml`, restoring every attribute's type.

    Node ids stay text (``zone:310000``); attribute types come from the file's
    :data:`TYPES_ATTR` record (files written before it existed fall back to the types of
    the contract's core attributes: coordinates, ``city``, lengths, times and speeds).

    Parameters
    ----------
    path
        A ``.graphml`` file written by :func:`save_graphml` (``yrdnet build``,
        ``yrdnet roads fetch``).

    Returns
    -------
    networkx.MultiDiGraph
        The graph, with the attribute values and types it was saved with.
    """
    import osmnx as ox

    G = ox.io.load_graphml(path, node_dtypes=_NODE_DTYPES, edge_dtypes=_EDGE_DTYPES, graph_dtypes=_GRAPH_DTYPES)
    raw = G.graph.pop(TYPES_ATTR, None)
    if raw is not None:
        restore_types(G, json.loads(raw))
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
