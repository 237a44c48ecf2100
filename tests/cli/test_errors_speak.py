"""Errors that speak (issue 21, item 6): bad input fails up front with one line, nothing written.

Every CLI case runs in-process through :func:`yrdnet.cli.commands.main` from an empty
temporary folder and asserts the exit code, one ``yrdnet: error:`` line naming the fault
(no traceback), and that no file appeared (or changed). No case runs an analysis: the
``--out`` checks and the argument checks fire before any scenario is built.
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import yrdnet
from yrdnet.cli import plan_commands
from yrdnet.cli.commands import main
from yrdnet.core.errors import DataWarning, OutputError
from yrdnet.plans.best_plan import best_plan
from yrdnet.plans.sweep import sweep
from yrdnet.plans.uncertainty import MAX_N, uncertainty
from yrdnet.routing.matrices import UnreachableWarning

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a temporary folder holding a file, a foreign folder and two links."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "thesis.docx").write_text("the user's own work\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to("empty")
    (tmp_path / "dangling").symlink_to("nowhere")


def tree(root: Path) -> dict[str, tuple[str, float | str]]:
    """Every entry under ``root`` (hidden ones too) with its kind and content fingerprint."""
    out: dict[str, tuple[str, float | str]] = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_file():
            out[rel] = ("file", p.read_text(encoding="utf-8", errors="replace"))
        else:
            out[rel] = ("dir", "")
    return out


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    rc = main(["--quiet", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    assert lines[0].startswith("yrdnet: error: "), lines[0]
    return lines[0]


def _ro_parent(tmp_path: Path) -> str:
    """A folder this process cannot write in: /sys for root (chmod does not stop root)."""
    if ROOT:
        return "/sys/yrdnet_errors_speak/out"
    ro = tmp_path / "ro"
    ro.mkdir(exist_ok=True)
    ro.chmod(0o555)
    return str(ro / "out")


# (id, argv, exit code, regex the one error line must match)
OUT_CASES = [
    ("analyze out is a file", ["analyze", "plan_2035", "--out", "afile"], 2, r"--out afile exists and is a file"),
    ("analyze out under a file", ["analyze", "plan_2035", "--out", "afile/sub"], 2, r"afile is a file, not a folder"),
    ("analyze out deep under a file", ["analyze", "plan_2035", "--out", "afile/a/b"], 2, r"afile is a file"),
    ("compare out foreign", ["compare", "baseline_2025", "plan_2035", "--out", "foreign"], 2,
     r"output folder foreign exists, is not empty and was not written by yrdnet"),
    ("timeline out symlink", ["timeline", "--out", "link"], 2, r"--out link is a symbolic link \(to empty\)"),
    ("targets out file", ["targets", "--out", "afile"], 2, r"--out afile exists and is a file"),
    ("sweep out symlink", ["sweep", "plan_2035", "--out", "link"], 2, r"--out link is a symbolic link"),
    ("sweep out dangling symlink", ["sweep", "plan_2035", "--out", "dangling"], 2, r"--out dangling is a symbolic"),
    ("uncertainty out foreign", ["uncertainty", "--out", "foreign"], 2, r"output folder foreign exists, is not empty"),
    ("best-plan out file", ["best-plan", "--budget", "10", "--out", "afile"], 2, r"--out afile exists and is a file"),
    ("build out file", ["build", "plan_2035", "--out", "afile"], 2, r"--out afile exists and is a file"),
    ("map out under a file", ["map", "plan_2035", "--out", "afile/maps"], 2, r"afile is a file, not a folder"),
    ("gtfs out is a folder", ["gtfs", "plan_2035", "--out", "empty"], 2, r"--out empty is a folder; give the path"),
    ("gtfs out under a file", ["gtfs", "plan_2035", "--out", "afile/feed.zip"], 2, r"afile is a file"),
    ("gtfs out symlink", ["gtfs", "plan_2035", "--out", "link"], 2, r"--out link is a symbolic link"),
    ("demo out foreign", ["demo", "--out", "foreign"], 2, r"output folder foreign exists, is not empty"),
    ("roads fetch out file", ["roads", "fetch", "--area", "121.4,31.2,121.5,31.3", "--out", "afile"], 2,
     r"--out afile exists and is a file"),
]  # fmt: skip

ARG_CASES = [
    ("sweep all scenarios fail", ["sweep", "nope_a", "nope_b", "--out", "s"], 1,
     r"sweep: 2 of 2 scenario\(s\) failed \(e\.g\. nope_a: ScenarioError: unknown scenario 'nope_a'.*nothing written"),
    ("sweep the one scenario fails", ["sweep", "nope_a", "--out", "s"], 1,
     r"1 of 1 scenario\(s\) failed \(nope_a: ScenarioError"),
    ("sweep --costs without --combinations", ["sweep", "plan_2035", "--costs", "km"], 2,
     r"--costs applies to the cost chart of --combinations"),
    ("sweep --objective without --combinations", ["sweep", "plan_2035", "--objective", "uci"], 2,
     r"--objective applies to the cost chart of --combinations"),
    ("sweep --budget and --costs without --combinations", ["sweep", "plan_2035", "--budget", "9", "--costs", "km"], 2,
     r"--budget, --costs apply to the cost chart of --combinations"),
    ("sweep --objective nope", ["sweep", "--candidates", "--combinations", "--objective", "nope"], 2,
     r"--objective 'nope' is not one of the sweep indicators; valid: .*composite_index.*uci"),
    ("sweep --objective not among --indicators", ["sweep", "--candidates", "--combinations", "--objective", "uci",
     "--indicators", "mean_watt_pop_multimodal"], 2, r"--objective 'uci' is not one of --indicators"),
    ("sweep negative --budget", ["sweep", "--candidates", "--combinations", "--budget", "-5"], 2,
     r"--budget must be a finite number >= 0, got -5"),
    ("sweep nan --budget", ["sweep", "--candidates", "--combinations", "--budget", "nan"], 2,
     r"--budget must be a finite number >= 0, got nan"),
    ("sweep --costs missing file", ["sweep", "--candidates", "--combinations", "--costs", "nope.csv"], 2,
     r"--costs 'nope.csv': expected investment, km or a costs CSV file"),
    ("sweep --workers 0", ["sweep", "nope_a", "--workers", "0"], 2, r"--workers must be >= 1, got 0"),
    ("best-plan --objective nope", ["best-plan", "--budget", "10", "--objective", "nope"], 2,
     r"--objective 'nope' is not one of the sweep indicators; valid: .*composite_index"),
    ("best-plan --objective typo", ["best-plan", "--budget", "10", "--objective", "composite_indx"], 2,
     r"closest valid: composite_index"),
    ("best-plan --costs bogus", ["best-plan", "--budget", "10", "--costs", "bogus"], 2, r"--costs 'bogus': expected"),
    ("uncertainty --n 10**12", ["uncertainty", "--n", str(10**12)], 2,
     rf"n must be between 1 and {MAX_N} \(MAX_N.*got 1000000000000"),
    ("uncertainty --n 0", ["uncertainty", "--n", "0"], 2, r"n must be between 1 and \d+ .*got 0"),
    ("uncertainty one scenario", ["uncertainty", "plan_2035"], 2, r"needs at least two scenarios .*'plan_2035'"),
    ("uncertainty --seed -1", ["uncertainty", "--seed", "-1"], 2, r"seed must be an integer in \[0, 2\*\*32\), got -1"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "code", "match"), [c[1:] for c in OUT_CASES + ARG_CASES],
                         ids=[c[0] for c in OUT_CASES + ARG_CASES])  # fmt: skip
def test_bad_cli_input_fails_up_front(capsys, tmp_path, argv, code, match):
    before = tree(tmp_path)
    rc, out, err = run(capsys, argv)
    line = one_error_line(err)
    assert rc == code, line
    assert re.search(match, line), line
    if "failed" in match:  # each failed scenario is listed on stdout
        assert all(f"failed: {a}: ScenarioError" in out for a in argv[1:] if a.startswith("nope_"))
    assert tree(tmp_path) == before  # nothing written, nothing replaced, no hidden leftovers


def test_unwritable_out_parent_fails_before_anything_runs(capsys, tmp_path):
    out = _ro_parent(tmp_path)
    before = tree(tmp_path)
    rc, _, err = run(capsys, ["analyze", "plan_2035", "--out", out])
    line = one_error_line(err)
    assert rc == 2
    where = "/sys" if ROOT else str(Path(out).parent)  # the nearest existing ancestor
    assert f"--out {out}: cannot write in {where} (" in line
    assert tree(tmp_path) == before and not Path(out).exists()


def test_default_analyze_out_is_checked_too(capsys, tmp_path):
    """Without --out, analyze writes results/<scenario>: a foreign folder there fails up front."""
    (tmp_path / "results" / "plan_2035").mkdir(parents=True)
    (tmp_path / "results" / "plan_2035" / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = tree(tmp_path)
    rc, _, err = run(capsys, ["analyze", "plan_2035"])
    assert rc == 2
    assert "output folder results/plan_2035 exists, is not empty and was not written by yrdnet" in one_error_line(err)
    assert tree(tmp_path) == before


def test_symlink_out_is_left_alone(capsys, tmp_path):
    """Refused, so the link keeps pointing at its (empty) target and no hidden link appears."""
    run(capsys, ["timeline", "--out", "link"])
    assert os.readlink(tmp_path / "link") == "empty" and not any((tmp_path / "empty").iterdir())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".link")]


def test_check_out_kinds(tmp_path):
    from yrdnet.cli.outputs import FILE, FILES, check_out

    assert check_out(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"
    assert check_out(tmp_path / "foreign", FILES) == tmp_path / "foreign"  # build/map write files into it
    with pytest.raises(OutputError, match="is a folder"):
        check_out(tmp_path / "foreign", FILE)
    assert not (tmp_path / "new").exists()


# --------------------------------------------------------------------------- sweep exit codes
def _fake_sweep(statuses: dict[str, str]):  # type: ignore[no-untyped-def]
    def fake(items, **kw):  # type: ignore[no-untyped-def]
        rows = [
            {"scenario": s, "indicator": "uci" if st == "ok" else "", "value": 0.5 if st == "ok" else float("nan"),
             "status": st, "error": "" if st == "ok" else "ScenarioError: broken edit #2"}
            for s, st in statuses.items()
        ]  # fmt: skip
        return pd.DataFrame(rows)

    return fake


def test_sweep_with_some_failures_exits_1_and_keeps_the_rest(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_commands, "sweep", _fake_sweep({"good": "ok", "bad": "failed", "worse": "failed"}))
    rc, out, err = run(capsys, ["sweep", "good", "bad", "worse", "--out", "s"])
    assert rc == 1
    line = one_error_line(err)
    assert "sweep: 2 of 3 scenario(s) failed (e.g. bad: ScenarioError: broken edit #2)" in line
    table = pd.read_csv(tmp_path / "s" / "sweep.csv")
    assert list(table["status"]) == ["ok", "failed", "failed"]
    assert "failed: bad" in out and "failed: worse" in out


def test_sweep_without_failures_exits_0(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_commands, "sweep", _fake_sweep({"good": "ok"}))
    rc, _, err = run(capsys, ["sweep", "good", "--out", "s"])
    assert rc == 0 and "error" not in err
    assert (tmp_path / "s" / "sweep.csv").is_file()


def test_all_failed_keeps_the_previous_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_commands, "sweep", _fake_sweep({"good": "ok"}))
    run(capsys, ["sweep", "good", "--out", "s"])
    before = tree(tmp_path)
    monkeypatch.setattr(plan_commands, "sweep", _fake_sweep({"bad": "failed"}))
    rc, _, err = run(capsys, ["sweep", "bad", "--out", "s"])
    assert rc == 1 and "nothing written" in one_error_line(err)
    assert tree(tmp_path) == before


def test_disk_error_without_a_file_name_names_the_out(capsys, tmp_path, monkeypatch):
    def full(*a, **k):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plan_commands, "sweep", full)
    rc, _, err = run(capsys, ["sweep", "good", "--out", "s"])
    assert rc == 2
    assert "cannot read or write --out s: No space left on device" in one_error_line(err)


# --------------------------------------------------------------------------- warnings
def _warn_and_list(*a, **k):  # type: ignore[no-untyped-def]
    for _ in range(3):
        warnings.warn("station x lies 349 km outside city 310000", DataWarning, stacklevel=2)
    warnings.warn("zones 1 and 2 cannot reach\neach other", UnreachableWarning, stacklevel=2)
    warnings.warn("pandas will change this", FutureWarning, stacklevel=2)
    warnings.warn("invalid value in intersection", RuntimeWarning, stacklevel=2)
    return pd.DataFrame({"year": [2025], "description": ["d"]}, index=["s"])


def test_own_warnings_reach_the_user_once_each(capsys, monkeypatch):
    monkeypatch.setattr(yrdnet, "list_scenarios", _warn_and_list)
    rc, _, err = run(capsys, ["scenarios"])
    assert rc == 0
    assert err.splitlines() == [
        "yrdnet: warning: station x lies 349 km outside city 310000",
        "yrdnet: warning: zones 1 and 2 cannot reach each other",
    ]


def test_debug_shows_third_party_warnings_too(capsys, monkeypatch):
    monkeypatch.setattr(yrdnet, "list_scenarios", _warn_and_list)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        rc = main(["--debug", "scenarios"])  # leaves the filters alone: nothing hidden
    assert rc == 0 and {w.category for w in record} >= {DataWarning, RuntimeWarning, FutureWarning}
    assert "yrdnet: warning:" not in capsys.readouterr().err  # Python's own display, not ours


def test_a_real_data_warning_reaches_the_cli(capsys, tmp_path):
    """A new station 349 km outside its city: valid, so the feed is written, but the user is told."""
    (tmp_path / "w.toml").write_text(
        '[scenario]\nname = "w"\nbase = "baseline_2025"\n[[edits]]\nop = "add_line"\nline = "t"\nspeed_kph = 300\n'
        'stops = ["hefei_south", "odd"]\n[[edits.stations]]\nid = "odd"\nadcode = 310000\nlon = 117.3\nlat = 31.9\n',
        encoding="utf-8",
    )
    rc, _, err = run(capsys, ["gtfs", "w.toml", "--out", "w.zip", "--days", "1"])
    assert rc == 0 and (tmp_path / "w.zip").is_file()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("yrdnet: warning: ")
    assert re.search(r"new station 'odd'.*km outside city 310000", lines[0])


# --------------------------------------------------------------------------- API misuse
API_CASES = [
    ("sweep of one name", lambda: sweep("plan_2035"), TypeError, r"single str 'plan_2035'; use \['plan_2035'\]"),
    ("sweep of one path", lambda: sweep(Path("p.toml")), TypeError, r"scenarios must be a list or tuple .*PosixPath"),
    ("sweep of bytes", lambda: sweep(b"plan_2035"), TypeError, r"got the single bytes b'plan_2035'"),
    ("sweep of a number", lambda: sweep(5), TypeError, r"scenarios must be a list or tuple .*got the single int 5"),
    ("sweep item of another type", lambda: sweep(["plan_2035", 5]), TypeError,
     r"scenarios\[1\] must be a scenario name, a .toml path or a Scenario, got int 5"),
    ("uncertainty of one name", lambda: uncertainty("plan_2035"), TypeError, r"got the single str 'plan_2035'"),
    ("uncertainty n=10**12", lambda: uncertainty(n=10**12), ValueError, rf"n must be between 1 and {MAX_N}"),
    ("uncertainty n=-3", lambda: uncertainty(n=-3), ValueError, r"n must be between 1 and \d+ .*got -3"),
    ("uncertainty n=2.5", lambda: uncertainty(n=2.5), ValueError, r"n must be a whole number .*got 2.5"),
    ("uncertainty n=True", lambda: uncertainty(n=True), ValueError, r"n must be a whole number .*got True"),
    ("uncertainty method typo", lambda: uncertainty(method="sobel"), ValueError, r"closest valid: sobol"),
    ("uncertainty seed", lambda: uncertainty(seed=2**40), ValueError, r"seed must be an integer"),
    ("best_plan of one name", lambda: best_plan("ningbo_zhoushan", 10), TypeError,
     r"candidates must be a list or tuple of project names, got the single str 'ningbo_zhoushan'"),
    ("timeline of one name", lambda: yrdnet.timeline("plan_2035"), TypeError, r"got the single str 'plan_2035'"),
    ("target_timeline of one name", lambda: yrdnet.target_timeline("plan_2035"), TypeError,
     r"got the single str 'plan_2035'"),
    ("compare of a list", lambda: yrdnet.compare(["baseline_2025", "plan_2035"]), TypeError,
     r"compare\(\) takes the scenarios as separate arguments, got one list"),
    ("compare of one scenario", lambda: yrdnet.compare("plan_2035"), ValueError, r"at least one other scenario"),
    ("target_timeline of one graph", lambda: yrdnet.target_timeline(nx.MultiDiGraph()), TypeError, r"got one graph"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "match"), [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES])
def test_api_misuse_fails_up_front(tmp_path, call, error, match):
    before = tree(tmp_path)
    with pytest.raises(error, match=match):
        call()
    assert tree(tmp_path) == before
