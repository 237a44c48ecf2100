"""Identical sweeps write byte-identical tables; run times go to ``run.log`` (issue 21, item 7).

``sweep.csv`` had a ``seconds`` column, so two identical runs differed. The returned
table keeps ``seconds`` (callers read it); every writer leaves it out of the table.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import yrdnet
from yrdnet.cli.commands import main
from yrdnet.plans import sweep_eval as ev
from yrdnet.plans.sweep import TIMING_COLUMNS, sweep, write_sweep

ARGS = ["sweep", "chaohu_maanshan", "no_such_scenario", "--zones", "city", "--indicators", "uci"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def fake_evaluate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scenario rows as the sweep makes them, each run with other run times (no analysis)."""
    clock = itertools.count(1)

    def evaluate(sc: object, job: ev.Job, refs: object, cache: object) -> list[dict[str, object]]:
        row = ev.failed_row(sc.name, job, "", "baseline_2025", "incremental", seconds=0.1 * next(clock))
        return [row | {"indicator": k, "value": 0.5, "status": "ok"} for k in job.indicators]

    monkeypatch.setattr(ev, "evaluate", evaluate)


def test_the_returned_table_keeps_its_run_times(fake_evaluate):
    t = sweep(["chaohu_maanshan"], indicators=["uci"], progress=False)
    assert "seconds" in t.columns and t["seconds"].iloc[0] > 0
    assert set(TIMING_COLUMNS) <= set(t.columns)


def test_two_identical_cli_sweeps_write_identical_tables(tmp_path, fake_evaluate, capsys):
    for name in ("a", "b"):
        main([*ARGS, "--out", str(tmp_path / name)])
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(a) == [".yrdnet-output", "run.log", "sweep.csv"]
    assert a["sweep.csv"] == b["sweep.csv"], "reruns are byte-identical"
    assert b"seconds" not in a["sweep.csv"].splitlines()[0]
    assert a["run.log"] != b["run.log"], "the run times differ, and they are in run.log"
    assert a["run.log"].decode().splitlines()[0] == "chaohu_maanshan seconds: 0.100"
    assert "no_such_scenario" in a["sweep.csv"].decode(), "failed rows stay in the table"


def test_write_sweep_accepts_a_table_without_run_times(tmp_path, fake_evaluate):
    t = sweep(["chaohu_maanshan"], indicators=["uci"], progress=False).drop(columns=list(TIMING_COLUMNS))
    path = write_sweep(t, tmp_path)
    assert path == tmp_path / "sweep.csv" and (tmp_path / "run.log").read_text() == ""
    assert path.read_text().splitlines()[0] == ",".join(c for c in ev.COLUMNS if c not in TIMING_COLUMNS)


@pytest.mark.slow
def test_two_real_sweeps_write_identical_files(tmp_path, capsys):
    yrdnet.plans.sweep.clear_cache()
    for name in ("a", "b"):
        assert main([*ARGS, "--out", str(tmp_path / name)]) in (0, 1)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert {k: v for k, v in a.items() if k != "run.log"} == {k: v for k, v in b.items() if k != "run.log"}
    assert b",uci,0." in a["sweep.csv"] and b"seconds" not in a["sweep.csv"]
