"""Result folders are wholly old or wholly new: a run killed at any step of a write.

A child process writes a folder with :func:`yrdnet.core.io.atomic_dir` over a complete previous
one and is killed (``os._exit``: no ``finally``, no cleanup) at the k-th file written or at
the k-th rename/swap/removal of the final commit, with and without the atomic
``renameat2`` exchange. After each kill the folder must hold the complete previous set of
files or the complete new one; the next write must succeed and leave no hidden leftovers.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import yrdnet
from yrdnet.core.io import MARKER, atomic_dir, write_text

FILES = [f"t{i}.csv" for i in range(5)]

CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    import yrdnet.core.io as io

    target, version, kill_at, where, exchange = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    count = {"n": 0}

    def tick(kind):
        if kind == where:
            count["n"] += 1
            if count["n"] == kill_at:
                os._exit(9)

    real_rename, real_rmtree, real_exchange, real_write = os.rename, io.shutil.rmtree, io._exchange, io.write_text
    def rename(a, b):
        tick("commit"); real_rename(a, b)
    def rmtree(p, **kw):
        tick("commit"); real_rmtree(p, **kw)
    def exchange(a, b):
        tick("commit")
        return real_exchange(a, b) if exchange_on else False
    def write_text(p, t):
        tick("write"); return real_write(p, t)
    exchange_on = exchange == "on"
    io.os.rename, io.shutil.rmtree, io._exchange = rename, rmtree, exchange
    with io.atomic_dir(target) as tmp:
        for name in __FILES__:
            write_text(tmp / name, version)
    """
).replace("__FILES__", repr(FILES))


def _write(target: Path, version: str) -> None:
    with atomic_dir(target) as tmp:
        for name in FILES:
            write_text(tmp / name, version)


def _state(target: Path) -> str:
    files = sorted(p.name for p in target.iterdir() if p.name != MARKER)
    assert files == sorted(FILES), f"incomplete folder: {files}"
    versions = {(target / f).read_text() for f in FILES}
    assert len(versions) == 1, f"mixed folder: {versions}"
    return versions.pop()


def _leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


@pytest.mark.slow
@pytest.mark.parametrize("exchange", ["on", "off"])
@pytest.mark.parametrize(("where", "k"), [("write", 1), ("write", 3), ("commit", 1), ("commit", 2), ("commit", 3)])
def test_killed_write_leaves_old_or_new(tmp_path, exchange, where, k):
    target = tmp_path / "result"
    _write(target, "old")
    r = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), "new", str(k), where, exchange],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert r.returncode in (0, 9), r.stderr
    if target.exists():
        assert _state(target) in ("old", "new")
    # the next write repairs whatever the kill left and cleans up
    _write(target, "next")
    assert _state(target) == "next"
    assert _leftovers(target) == []


def test_old_files_do_not_survive_and_modes_are_normal(tmp_path):
    target = tmp_path / "r"
    with atomic_dir(target) as tmp:
        write_text(tmp / "a.csv", "1")
        write_text(tmp / "b.csv", "1")
    with atomic_dir(target) as tmp:
        write_text(tmp / "a.csv", "2")
    assert sorted(p.name for p in target.iterdir()) == sorted([MARKER, "a.csv"])
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((target / "a.csv").stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE(target.stat().st_mode) == 0o777 & ~mask


def test_a_foreign_folder_is_never_replaced(tmp_path):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    with pytest.raises(yrdnet.OutputError, match="not written by yrdnet"), atomic_dir(mine) as tmp:
        write_text(tmp / "a.csv", "x")
    assert (mine / "thesis.docx").read_text() == "precious"
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(yrdnet.OutputError, match="is a file"), atomic_dir(f):
        pass


def test_a_failed_write_keeps_the_previous_folder(tmp_path):
    target = tmp_path / "r"
    _write(target, "old")
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        write_text(tmp / "t0.csv", "new")
        raise RuntimeError("analysis failed half-way")
    assert _state(target) == "old"
    assert _leftovers(target) == []


@pytest.mark.slow
def test_cli_analyze_replaces_its_folder_whole(tmp_path):
    from yrdnet.cli.commands import main

    out = tmp_path / "res"
    assert main(["analyze", "baseline_2025", "--out", str(out)]) == 0
    (out / "stale.csv").write_text("from an earlier run")
    assert main(["analyze", "baseline_2025", "--out", str(out)]) == 0
    assert not (out / "stale.csv").exists()
    assert (out / "cities.csv").is_file()
    assert _leftovers(out) == []


@pytest.mark.slow
def test_rerun_gives_byte_identical_files(tmp_path):
    """Same inputs, same bytes: run times go to run.log only (issue 12, item 6)."""
    for k in (1, 2):
        res = yrdnet.analyze("baseline_2020", centrality=False)
        res.to_dir(tmp_path / f"r{k}")
    a, b = tmp_path / "r1", tmp_path / "r2"
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert "cities.gpkg" in names and "result.json" in names
    differ = [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]
    assert differ == ["run.log"]
