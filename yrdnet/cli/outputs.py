"""``--out`` checked before anything runs: one clear error naming the path, nothing written.

Every command that writes checks its ``--out`` here first (:func:`preflight`), so a path
that cannot be written fails in a second, not after the whole analysis. Three kinds:

* a **result folder** replaced whole (:func:`yrdnet.core.io.atomic_dir`): it must not be
  a file, nor a non-empty folder yrdnet did not write (:func:`yrdnet.core.io.check_output_dir`);
* a **folder of files** (``build``, ``map``): it must not be a file;
* a **file** (``gtfs``'s ``.zip``): it must not be a folder.

For all three, the nearest existing ancestor must be a folder this process can write in
(checked with a probe folder created and removed at once, so read-only mounts and root
without write permission are caught too). ``--out`` as a **symbolic link** is refused:
yrdnet replaces a result folder by renaming a new one onto its path, which would replace
the link itself (not its target) and leave the link behind under a hidden name; give the
link's target instead.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from yrdnet.core.errors import OutputError
from yrdnet.core.io import check_output_dir

__all__ = ["FILE", "FILES", "FOLDER", "check_out", "preflight"]

#: Kinds of output: a result folder replaced whole, a folder of files, one file.
FOLDER, FILES, FILE = "folder", "files", "file"

_KIND = {
    "analyze": FOLDER,
    "compare": FOLDER,
    "timeline": FOLDER,
    "targets": FOLDER,
    "sweep": FOLDER,
    "uncertainty": FOLDER,
    "best-plan": FOLDER,
    "demo": FOLDER,
    "roads": FOLDER,
    "build": FILES,
    "map": FILES,
    "gtfs": FILE,
}


def _writable_ancestor(path: Path) -> None:
    """The nearest existing ancestor of ``path`` must be a folder we can create entries in."""
    anc = path.absolute().parent
    while not anc.exists() and anc != anc.parent:
        if anc.is_symlink():
            raise OutputError(f"--out {path}: {anc} is a broken symbolic link")
        anc = anc.parent
    if not anc.is_dir():
        raise OutputError(f"--out {path}: {anc} is a file, not a folder, so {path} cannot be created there")
    if not os.access(anc, os.W_OK | os.X_OK):
        raise OutputError(f"--out {path}: cannot write in {anc} (permission denied)")
    try:  # access() says yes to root and ignores some read-only mounts; a probe does not
        os.rmdir(tempfile.mkdtemp(prefix=".yrdnet-probe-", dir=anc))
    except OSError as e:
        raise OutputError(f"--out {path}: cannot write in {anc} ({e.strerror or e})") from None


def check_out(path: str | Path, kind: str = FOLDER) -> Path:
    """Raise :class:`~yrdnet.OutputError` now if ``path`` cannot be written as ``kind``.

    Parameters
    ----------
    path
        The ``--out`` path.
    kind
        :data:`FOLDER` (replaced whole), :data:`FILES` (a folder files are written into)
        or :data:`FILE`.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OutputError
        Naming ``path`` and what is wrong with it.
    """
    path = Path(path)
    if path.is_symlink():
        raise OutputError(
            f"--out {path} is a symbolic link (to {os.readlink(path)}); yrdnet replaces its outputs by "
            "renaming, which would replace the link itself: give the real path instead"
        )
    if kind == FILE:
        if path.is_dir():
            raise OutputError(f"--out {path} is a folder; give the path of a file to write")
    elif path.exists() and not path.is_dir():
        raise OutputError(f"--out {path} exists and is a file; give a folder path")
    elif kind == FOLDER:
        check_output_dir(path)
    if path.is_dir() and not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"--out {path}: cannot write in it (permission denied)")
    _writable_ancestor(path)
    return path


def preflight(args: argparse.Namespace) -> None:
    """Check the ``--out`` of a parsed command line before the command runs (no-op without one)."""
    kind = _KIND.get(str(args.command))
    out = getattr(args, "out", None)
    if kind is None:
        return
    if out is None and args.command == "analyze":  # results/<scenario>
        out = _default_analyze_out(args)
        if out is None:  # the scenario does not load: the command itself says why
            check_out("results", FILES)
            return
    if out is None:  # gtfs: <scenario>_gtfs.zip in the current folder
        check_out("yrdnet_gtfs.zip", FILE)
        return
    check_out(out, kind)


def _default_analyze_out(args: argparse.Namespace) -> str | None:
    """``results/<scenario name>``, the folder ``analyze`` writes without ``--out``."""
    from yrdnet.core.io import safe_name
    from yrdnet.scenarios.scenario import scenario_for_year

    try:
        return f"results/{safe_name(scenario_for_year(args.scenario, args.year).name)}"
    except (ValueError, OSError):  # ScenarioError, OutputError, an unreadable file
        return None
