"""Caches, one policy: a registry of the in-memory caches and an on-disk cache of expensive products.

**In memory.** Every module that keeps a cache registers a function that empties it
(:func:`register_cache`); :func:`clear_caches` (``yrdnet.clear_caches()``) empties them
all. The caches are keyed on what they depend on (the content of the data files read,
:func:`content_version`; the
graph's checksum, ...), so clearing them is never needed for correctness, only to free
memory.

**On disk.** With ``settings.use_cache = True`` (default ``False``) built scenario graphs
(:func:`yrdnet.build_graph`) and travel-time matrices (:func:`yrdnet.travel_times`) are
kept under ``settings.cache_folder`` and reused by later calls and processes. An entry
is content-addressed: its name is the SHA-256 of the canonical inputs
(:func:`cache_key`: the scenario's content, the model parameters, the zones, the
versions of the data files and the yrdnet version for a graph; the routing arrays and
zones for a matrix), so a changed input is a different entry and nothing is ever stale.
Entries are written atomically (:func:`yrdnet.core.io.write_bytes`) and carry a checksum
of their payload; an entry that is truncated or corrupt is ignored, removed and
rewritten, never returned. Delete the folder to empty the disk cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import pickle
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from yrdnet._version import __version__
from yrdnet.core.io import write_bytes
from yrdnet.core.settings import settings

__all__ = [
    "cache_key",
    "clear_caches",
    "content_version",
    "disk_get",
    "disk_put",
    "register_cache",
    "registered_caches",
]

log = logging.getLogger(__name__)

_CLEARERS: dict[str, Callable[[], Any]] = {}
_MAGIC = b"yrdnet-cache-1\n"


# ----------------------------------------------------------------------- in memory
def register_cache(name: str, clear: Callable[[], Any]) -> None:
    """Register the function that empties one in-memory cache.

    Parameters
    ----------
    name
        Dotted name of the cache (``"<module>.<what>"``); registering a name again
        replaces its function (a reloaded module).
    clear
        Called without arguments by :func:`clear_caches`.
    """
    _CLEARERS[name] = clear


def registered_caches() -> list[str]:
    """Names of the registered in-memory caches, sorted."""
    return sorted(_CLEARERS)


def clear_caches() -> list[str]:
    """Empty every registered in-memory cache (the disk cache is left alone).

    Returns
    -------
    list of str
        The names of the caches emptied.

    Examples
    --------
    >>> import yrdnet
    >>> "routing.compile.compiled_graphs" in yrdnet.clear_caches()
    True
    """
    for clear in _CLEARERS.values():
        clear()
    return registered_caches()


# ----------------------------------------------------------------------- keys
def _feed(h: Any, obj: Any) -> None:
    """Feed a canonical, type-tagged encoding of ``obj`` to the hash ``h``."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    elif isinstance(obj, bytes):
        h.update(b"bytes:%d;" % len(obj) + obj)
    elif isinstance(obj, Path):
        _feed(h, ("path", str(obj)))
    elif isinstance(obj, np.ndarray):
        a = np.ascontiguousarray(obj)
        if a.dtype == object:
            _feed(h, ("objarray", a.shape, [str(x) for x in a.ravel().tolist()]))
        else:
            h.update(f"ndarray:{a.dtype.str}:{a.shape};".encode())
            h.update(a.tobytes())
    elif isinstance(obj, pd.DataFrame):
        _feed(h, ("frame", list(map(str, obj.columns)), [str(t) for t in obj.dtypes]))
        _feed(h, pd.util.hash_pandas_object(obj, index=True).to_numpy())
    elif isinstance(obj, pd.Series):
        if hasattr(obj, "to_wkb"):  # a GeoSeries
            _feed(h, ("geoseries", str(getattr(obj, "crs", None)), list(obj.index), list(obj.to_wkb())))
        else:
            _feed(h, ("series", str(obj.dtype), pd.util.hash_pandas_object(obj, index=True).to_numpy()))
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        _feed(h, (type(obj).__qualname__, {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}))
    elif isinstance(obj, Mapping):
        h.update(b"map:%d;" % len(obj))
        for k in sorted(obj, key=repr):
            _feed(h, k)
            _feed(h, obj[k])
    elif isinstance(obj, (list, tuple)):
        h.update(f"{type(obj).__name__}:{len(obj)};".encode())
        for x in obj:
            _feed(h, x)
    elif isinstance(obj, (set, frozenset)):
        _feed(h, ("set", sorted(obj, key=repr)))
    elif isinstance(obj, np.generic):
        _feed(h, obj.item())
    else:
        msg = f"cache_key cannot hash a {type(obj).__name__}"
        raise TypeError(msg)


def cache_key(*parts: Any) -> str:
    """SHA-256 hex digest of a canonical encoding of ``parts`` and the yrdnet version.

    Parts may be None, numbers, strings, bytes, paths, numpy arrays, pandas objects
    (hashed by content), dataclasses, mappings (key order ignored), sequences and sets.

    Examples
    --------
    >>> cache_key("graph", {"b": 1, "a": 2}) == cache_key("graph", {"a": 2, "b": 1})
    True
    >>> cache_key("graph", 1) == cache_key("graph", 1.0)
    False
    """
    h = hashlib.sha256()
    _feed(h, ("yrdnet", __version__, parts))
    return h.hexdigest()


#: Seconds a file's last change (``st_ctime``) must lie in the past before its hash is
#: kept against its ``stat`` (:func:`content_version`): a later write then has a later
#: ``st_ctime`` even on file systems whose clock ticks coarsely (git's "racy" rule).
SETTLED_SECONDS = 2.0
#: Kept hashes: path -> (device, inode, size, mtime, ctime in ns; the version).
_HASHED: dict[str, tuple[tuple[int, int, int, int, int], tuple[str, int, int]]] = {}
_MAX_HASHED = 4096


def _stat_key(path: str | Path) -> tuple[int, int, int, int, int] | None:
    """What :func:`content_version` compares before trusting a kept hash (``None``: never trusted)."""
    if os.name != "posix":  # st_ctime is the creation time elsewhere: no proof of an unchanged content
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def content_version(path: str | Path) -> tuple[str, int, int]:
    """``(path, content_hash, size)`` of a file; ``(path, 0, -1)`` if it is missing.

    The key of every cache built from a data file. ``content_hash`` is the first 8 bytes
    (as an integer) of the BLAKE2b digest of the whole content, not the modification
    time: a copy of the same size with its old mtime restored (``cp -p``, ``rsync -t``,
    ``os.utime``) is a new version, an identical rewrite is not. Chosen over a cheap
    hash of size, mtime and the first and last blocks, which misses an edit in the
    middle of a file of one size: the whole shipped data (about 5 MB) hashes in a few
    milliseconds. The file is read in 1 MiB blocks.

    A file's hash is kept and given again while its ``stat`` is unchanged (device,
    inode, size, modification and status-change times to the nanosecond), on POSIX
    systems only and only for files last changed :data:`SETTLED_SECONDS` or more before
    they were hashed. Every write, ``cp -p`` or ``os.utime`` sets ``st_ctime`` to the
    present, which no call can set back, so a kept hash is never stale; a sweep checks
    its data files once per scenario at the cost of a ``stat`` each.

    Examples
    --------
    >>> content_version("no/such/file.csv")
    ('no/such/file.csv', 0, -1)
    """
    before = _stat_key(path)
    kept = _HASHED.get(str(path))
    if before is not None and kept is not None and kept[0] == before:
        return kept[1]
    h = hashlib.blake2b(digest_size=8)
    size = 0
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                h.update(block)
                size += len(block)
    except (FileNotFoundError, NotADirectoryError):
        return (str(path), 0, -1)
    out = (str(path), int.from_bytes(h.digest(), "big"), size)
    if before is None:
        return out
    settled = before[4] < time.time_ns() - int(SETTLED_SECONDS * 1e9)
    if settled and _stat_key(path) == before:  # unchanged while read, and long enough ago
        if len(_HASHED) >= _MAX_HASHED:
            _HASHED.clear()
        _HASHED[str(path)] = (before, out)
    return out


register_cache("core.cache.content_hashes", _HASHED.clear)


# ----------------------------------------------------------------------- on disk
def _entry(kind: str, key: str) -> Path:
    return Path(settings.cache_folder) / kind / key[:2] / f"{key}.pickle"


def disk_get(kind: str, key: str) -> Any | None:
    """The object stored under ``key`` in the disk cache, or ``None``.

    ``None`` too when ``settings.use_cache`` is off or the entry is missing, truncated or
    corrupt (a bad entry is removed, so the next :func:`disk_put` rewrites it).
    """
    if not settings.use_cache:
        return None
    path = _entry(kind, key)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, digest, payload = raw[: len(_MAGIC)], raw[len(_MAGIC) : len(_MAGIC) + 32], raw[len(_MAGIC) + 32 :]
    if head != _MAGIC or hashlib.sha256(payload).digest() != digest:
        log.warning("ignoring a corrupt cache entry %s", path)
        path.unlink(missing_ok=True)
        return None
    try:
        obj = pickle.loads(payload)  # our own checksummed entries only
    except Exception:  # an unreadable entry is a miss, whatever the reason
        log.warning("ignoring an unreadable cache entry %s", path)
        path.unlink(missing_ok=True)
        return None
    log.info("cache hit %s/%s", kind, key[:12])
    return obj


def disk_put(kind: str, key: str, obj: Any) -> Path | None:
    """Store ``obj`` under ``key`` (atomically) when ``settings.use_cache`` is on.

    Returns
    -------
    pathlib.Path or None
        The entry written, or ``None`` when the cache is off or the folder is not
        writable (a cache never makes a computation fail).
    """
    if not settings.use_cache:
        return None
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    path = _entry(kind, key)
    try:
        return write_bytes(path, _MAGIC + hashlib.sha256(payload).digest() + payload)
    except OSError as e:
        log.warning("cannot write cache entry %s: %s", path, e)
        return None
