"""Two (or more) runs writing one result folder at once: none loses files, the last wins whole.

Issue 21, item 1. Each writer fills :func:`yrdnet.core.io.atomic_dir` (same path) with
its own complete set of files, with small random delays, in threads and in processes.
After every round the folder must be exactly one writer's complete set with the marker
(the one whose commit came last), and no hidden sibling may be left. A run's hidden
folder is removed by another run only when its lock is free (the run is dead).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import threading
import time
from pathlib import Path

import pytest

import yrdnet.core.io as io
from yrdnet.core.io import MARKER, atomic_dir, write_text

FILES = [f"t{i}.csv" for i in range(4)]
N_PAIRS = 20


def _fill(target: Path, tag: str, seed: int) -> None:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, 0.004))
    with atomic_dir(target) as tmp:
        for name in FILES:
            write_text(tmp / name, tag)
            time.sleep(rng.uniform(0, 0.002))


def _state(target: Path) -> str:
    """The one writer whose complete set ``target`` holds (fails on an incomplete or mixed folder)."""
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted([*FILES, MARKER]), f"incomplete folder: {names}"
    tags = {(target / f).read_text() for f in FILES}
    assert len(tags) == 1, f"mixed folder: {tags}"
    return tags.pop()


def _leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The writers' tags in the order their folders were swapped in (under the commit lock)."""
    order: list[str] = []
    real = io._swap_in

    def swap_in(tmp: Path, path: Path) -> None:
        order.append((tmp / FILES[0]).read_text())
        real(tmp, path)

    monkeypatch.setattr(io, "_swap_in", swap_in)
    return order


@pytest.mark.parametrize("exchange", ["renameat2", "two renames"])
def test_pairs_of_threads_writing_one_folder(tmp_path, commits, monkeypatch, exchange):
    if exchange == "two renames":  # the path taken where renameat2 is missing
        monkeypatch.setattr(io, "_exchange", lambda a, b: False)
    outcomes = []
    for i in range(N_PAIRS):
        target = tmp_path / f"round{i}" / "out"
        if i % 2:  # half the rounds replace a previous complete folder
            _fill(target, "previous", 0)
        commits.clear()
        errors: list[BaseException] = []

        def run(tag: str, seed: int, target: Path = target, errors: list[BaseException] = errors) -> None:
            try:
                _fill(target, tag, seed)
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=run, args=(tag, 1000 * i + k)) for k, tag in enumerate("ab")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert sorted(commits) == ["a", "b"], "each writer swaps in its own complete folder"
        assert _state(target) == commits[-1], "the writer that committed last wins whole"
        assert _leftovers(target) == []
        outcomes.append(commits[-1])
    assert len(outcomes) == N_PAIRS


def _child(target: str, tag: str, seed: int, start: float) -> None:  # pragma: no cover - in a child
    time.sleep(max(0.0, start - time.time()))
    _fill(Path(target), tag, seed)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_pairs_of_processes_writing_one_folder(tmp_path):
    ctx = multiprocessing.get_context("fork")
    winners = []
    for i in range(N_PAIRS):
        target = tmp_path / f"round{i}" / "out"
        start = time.time() + 0.02
        procs = [ctx.Process(target=_child, args=(str(target), tag, 7 * i + k, start)) for k, tag in enumerate("ab")]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
        assert [p.exitcode for p in procs] == [0, 0]
        winners.append(_state(target))
        assert _leftovers(target) == []
    assert set(winners) <= {"a", "b"} and len(winners) == N_PAIRS


def test_a_run_still_filling_its_folder_is_never_cleaned_up(tmp_path):
    """The issue's case, made deterministic: B starts and finishes while A is half-way."""
    target = tmp_path / "out"
    half, b_done = threading.Event(), threading.Event()

    def a() -> None:
        with atomic_dir(target) as tmp:
            write_text(tmp / FILES[0], "a")
            write_text(tmp / FILES[1], "a")
            half.set()
            assert b_done.wait(10)
            assert (tmp / FILES[0]).is_file(), "B removed A's folder while A was filling it"
            for name in FILES[2:]:
                write_text(tmp / name, "a")

    t = threading.Thread(target=a)
    t.start()
    assert half.wait(10)
    _fill(target, "b", 1)
    assert _state(target) == "b"
    assert len(_leftovers(target)) == 1, "A's folder, still being filled, is kept"
    b_done.set()
    t.join()
    assert _state(target) == "a", "A finished last: its complete folder wins"
    assert _leftovers(target) == []


def _killed(target: str) -> None:  # pragma: no cover - in a child
    with atomic_dir(target) as tmp:
        write_text(tmp / FILES[0], "dead")
        os._exit(9)  # no finally, no cleanup: the kernel releases the lock


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_dead_runs_leftover_is_removed_by_the_next_run(tmp_path):
    target = tmp_path / "out"
    p = multiprocessing.get_context("fork").Process(target=_killed, args=(str(target),))
    p.start()
    p.join(30)
    assert p.exitcode == 9
    assert len(_leftovers(target)) == 1
    _fill(target, "next", 3)
    assert _state(target) == "next"
    assert _leftovers(target) == []


def test_a_foreign_folder_appearing_during_a_run_is_not_replaced(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(io.OutputError, match="not written by yrdnet"), atomic_dir(target) as tmp:
        write_text(tmp / FILES[0], "x")
        target.mkdir()
        (target / "thesis.docx").write_text("precious")
    assert (target / "thesis.docx").read_text() == "precious"
    assert _leftovers(target) == []


def _fill_nested(target: Path, tag: str, seed: int) -> None:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, 0.004))
    with atomic_dir(target) as tmp:
        write_text(tmp / FILES[0], tag)
        with atomic_dir(tmp / "tables") as inner:  # e.g. a result's tables/ (UncertaintyResult.to_dir)
            for name in FILES:
                write_text(inner / name, tag)
                time.sleep(rng.uniform(0, 0.002))


def test_pairs_writing_nested_folders_neither_deadlock_nor_mix(tmp_path):
    for i in range(N_PAIRS // 2):
        target = tmp_path / f"round{i}" / "out"
        threads = [threading.Thread(target=_fill_nested, args=(target, tag, 50 * i + k)) for k, tag in enumerate("ab")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(20)
        assert not any(t.is_alive() for t in threads), "a writer is stuck (deadlock)"
        assert sorted(p.name for p in target.iterdir()) == sorted([MARKER, FILES[0], "tables"])
        tag = (target / FILES[0]).read_text()
        assert _state(target / "tables") == tag, "the inner folder belongs to the same run"
        assert _leftovers(target) == [] and _leftovers(target / "tables") == []


def _dies_holding_the_commit_lock(target: str) -> None:  # pragma: no cover - in a child
    with io._commit_lock(Path(target)):
        os._exit(9)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_commit_lock_left_by_a_dead_run_is_taken_over_and_removed(tmp_path):
    target = tmp_path / "out"
    p = multiprocessing.get_context("fork").Process(target=_dies_holding_the_commit_lock, args=(str(target),))
    p.start()
    p.join(30)
    assert p.exitcode == 9 and _leftovers(target) == [".out.lock"]
    _fill(target, "next", 4)
    assert _state(target) == "next" and _leftovers(target) == []
