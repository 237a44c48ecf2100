"""One CLI grammar (issue 22, item 3): shared options, help everywhere, own examples, names for zones.

Parser-level checks (no analysis runs), the zone-name resolver, the quiet Dask loggers and
the titles of the two "best plan" charts (fake evaluators, no routing).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from yrdnet.cli import grammar
from yrdnet.cli import plan_commands as pc
from yrdnet.cli.commands import _parser, main
from yrdnet.core.settings import settings

P1, P2, P3 = "chaohu_maanshan", "hefei_wuhan_new", "huaibei_suzhou_bengbu"  # shipped, costed projects


def _subparsers(p: argparse.ArgumentParser, path: str = "yrdnet") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, p
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            for name, sp in a.choices.items():
                yield from _subparsers(sp, f"{path} {name}")


PARSERS = dict(_subparsers(_parser()))
COMMANDS = {path.split()[1]: sp for path, sp in PARSERS.items() if len(path.split()) == 2}


def _option(sp: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in sp._actions if flag in a.option_strings), None)


def test_every_option_of_every_command_has_help() -> None:
    missing = [
        f"{path} {a.option_strings or a.dest}"
        for path, sp in PARSERS.items()
        for a in sp._actions
        if not isinstance(a, argparse._SubParsersAction) and a.help != argparse.SUPPRESS and not (a.help or "").strip()
    ]
    assert len(PARSERS) >= 16, sorted(PARSERS)  # every subcommand walked, roads fetch too
    assert not missing, f"options without help: {missing}"


def test_each_command_has_its_own_short_examples_block() -> None:
    epilogs = {}
    for name, sp in COMMANDS.items():
        text = sp.epilog or ""
        assert text.startswith("examples:\n"), f"{name}: no examples block"
        lines = text.splitlines()[1:]
        assert 1 <= len(lines) <= 3, f"{name}: {len(lines)} example lines"
        assert all(x.strip().startswith(f"yrdnet {name}") for x in lines), f"{name}: examples of another command"
        epilogs[name] = text
    assert len(set(epilogs.values())) == len(epilogs), "two commands share an examples block"
    top = _parser().epilog or ""
    assert "yrdnet COMMAND --help" in top and len(top.splitlines()) <= 7


def test_zones_scope_out_read_the_same_on_every_command() -> None:
    with_zones = {n for n, sp in COMMANDS.items() if _option(sp, "--zones")}
    # not targets nor uncertainty: both are defined between cities (the library refuses county zones)
    expected = {"build", "analyze", "compare", "map", "timeline", "trip", "sweep", "best-plan", "demo"}
    assert with_zones == expected
    assert {n for n, sp in COMMANDS.items() if _option(sp, "--scope")} == {"analyze", "compare", "timeline"}
    no_out = {n for n, sp in COMMANDS.items() if not _option(sp, "--out")}
    assert no_out <= {"scenarios", "trip", "roads"}, no_out  # print only, or out on `roads fetch`
    helps = {_option(COMMANDS[n], "--scope").help for n in ("analyze", "compare", "timeline")}  # type: ignore[union-attr]
    assert len(helps) == 1
    single = {n for n in with_zones if n != "demo"}
    assert len({_option(COMMANDS[n], "--zones").help for n in single}) == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("argv", "zones"),
    [
        (["build", "baseline_2025", "--zones", "county"], "county"),
        (["analyze", "plan_2035"], "city"),
        (["best-plan", "--budget", "10", "--zones", " county "], "county"),
        (["sweep", "a", "--zones", "county"], "county"),
        (["demo"], ("city", "county")),
        (["demo", "--zones", "county"], ("county",)),
        (["demo", "--zones", "county, city,county"], ("county", "city")),
    ],
)
def test_zones_parse_one_level_or_a_list(argv: list[str], zones: object) -> None:
    assert _parser().parse_args(argv).zones == zones


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["sweep", "x", "--zones", "city,county"], "this command runs one zone level"),
        (["trip", "s", "a", "b", "--zones", "town"], "expected city and/or county, got 'town'"),
        (["demo", "--zones", ","], "expected city and/or county"),
    ],
)
def test_bad_zones_exit_2_with_one_line(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        _parser().parse_args(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --zones: {words}" in err


@pytest.mark.parametrize(
    ("text", "level", "adcode"),
    [
        ("340100", "city", 340100),
        ("Hefei", "city", 340100),
        ("shanghai", "city", 310000),
        ("上海市", "city", 310000),
        ("上海", "city", 310000),
        ("Taizhou (Zhejiang)", "city", 331000),
        ("昆山", "county", 320583),
        ("Huangpu", "county", 310101),
        ("huangpu district", "county", 310101),
    ],
)
def test_zone_id_reads_adcodes_english_and_chinese_names(text: str, level: str, adcode: int) -> None:
    assert grammar.zone_id(text, level) == adcode


def test_zone_id_refuses_unknown_and_ambiguous_names() -> None:
    with pytest.raises(ValueError, match=r"unknown origin 'Hefie'.*closest valid: Hefei"):
        grammar.zone_id("Hefie", what="origin")
    with pytest.raises(ValueError, match=r"'taizhou' names 2 city zones: 321200 .*331000"):
        grammar.zone_id("taizhou")
    with pytest.raises(ValueError, match=r"unknown zone adcode 340199 at city level"):
        grammar.zone_id("340199")
    with pytest.raises(ValueError, match=r"names 2 county zones"):
        grammar.zone_id("鼓楼区", "county")  # Nanjing's and Xuzhou's


def test_trip_by_names_unknown_name_is_one_error_before_any_build(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trip", "baseline_2025", "Hefei", "Shanghia"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["yrdnet: error: unknown destination 'Shanghia': not a city adcode, English or Chinese name "
                   "(closest valid: Shanghai, Shaoxing, Huangshan)"]  # fmt: skip


def test_trip_by_names_gives_the_same_trip_as_by_adcodes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quiet", "trip", "baseline_2025", "合肥", "Shanghai", "--mode", "rail"]) == 0
    out = capsys.readouterr().out
    assert "Hefei South" in out and "total:" in out and "by rail (baseline_2025)" in out
    assert main(["--quiet", "trip", "baseline_2025", "340100", "310000", "--mode", "rail"]) == 0
    assert capsys.readouterr().out == out


def test_map_origin_unknown_name_is_one_error_before_any_build(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import yrdnet

    monkeypatch.setattr(yrdnet, "build_graph", lambda *a, **k: pytest.fail("built before the names were read"))
    assert main(["map", "baseline_2025", "--origin", "Hefie", "--no-html"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("yrdnet: error: unknown --origin 'Hefie'")
    assert "closest valid: Hefei" in err[0]
    assert main(["map", "baseline_2025", "--zones", "county", "--origin", "Hefei", "--no-html"]) == 2
    assert "not a county adcode, English or Chinese name" in capsys.readouterr().err


def test_map_origin_takes_names_like_trip(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Names and adcodes reach write_maps as adcodes (graph and analysis faked: only the grammar runs)."""
    from types import SimpleNamespace

    import yrdnet
    from yrdnet.cli import report

    od = pd.DataFrame(index=yrdnet.load_cities().index)
    monkeypatch.setattr(yrdnet, "build_graph", lambda *a, **k: None)
    monkeypatch.setattr(
        yrdnet, "analyze", lambda *a, **k: SimpleNamespace(level="city", name="b", od={"multimodal": od})
    )
    seen: dict[str, Any] = {}

    def fake_write_maps(res: Any, G: Any, out: Any, **kw: Any) -> list[Path]:
        seen.update(kw, level=res.level)
        return []

    monkeypatch.setattr(report, "write_maps", fake_write_maps)
    argv = ["--quiet", "map", "baseline_2025", "--origin", "合肥", "--origin", "Shanghai", "--origin", "320500"]
    assert main([*argv, "--no-html", "--out", str(tmp_path)]) == 0
    assert seen["origins"] == (340100, 310000, 320500) and seen["level"] == "city"


def test_quiet_silences_dask_loggers_and_only_then() -> None:
    loggers = [logging.getLogger(n) for n in pc.DASK_LOGGERS]
    old = [lg.level for lg in loggers]
    try:
        for lg in loggers:
            lg.setLevel(logging.INFO)
        with settings.override(quiet=False):
            pc._quiet_dask()
        assert all(lg.level == logging.INFO for lg in loggers)
        with settings.override(quiet=True):
            pc._quiet_dask()
        assert [lg.level for lg in loggers] == [logging.WARNING] * len(loggers)
        assert not logging.getLogger("distributed.scheduler").isEnabledFor(logging.INFO)
    finally:
        for lg, lv in zip(loggers, old, strict=True):
            lg.setLevel(lv)


@pytest.fixture
def titles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the plan charts the commands save (no file written)."""
    seen: list[str] = []
    monkeypatch.setattr(pc, "save_figure", lambda fig, path, dpi: seen.append(fig.axes[0].get_title()))
    return seen


def _fake_evaluator(objective: str, **kw: Any) -> Any:
    return lambda packages: [float(len(p)) for p in packages]


@pytest.mark.parametrize("method", ["greedy", "exhaustive"])
def test_best_plan_chart_says_its_search_and_counts_progress(
    method: str, titles: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pc, "sweep_evaluator", _fake_evaluator)
    argv = ["best-plan", "--budget", "100000", "--candidates", f"{P1},{P2},{P3}", "--method", method]
    with settings.override(quiet=False):
        assert main([*argv, "--out", str(tmp_path / "bp")]) == 0
    (title,) = titles
    assert title.startswith(f"Best plan by {method} search")
    assert "\nbest-plan: 3 candidates, " in title and "packages evaluated; budget 100000 (100 million CNY)" in title
    out, err = capsys.readouterr()
    assert f"chosen ({method} over 3 candidates," in out
    assert "best-plan" in err and "package" in err  # the progress bar of the evaluations
    assert (tmp_path / "bp" / "best_plan.png").exists() is False  # save_figure captured, nothing drawn to disk


def test_sweep_cost_chart_title_differs_from_best_plan(titles: list[str], tmp_path: Path) -> None:
    names = [P1, P2]
    packages = pc._packages(names)
    table = pd.DataFrame({
        "scenario": [pc._package_name(p) for p in packages],
        "indicator": "composite_index",
        "status": "ok",
        "value": [float(len(p)) for p in packages],
    })  # fmt: skip
    args = argparse.Namespace(candidates=",".join(names), k=None, objective="composite_index", budget=None,
                              costs="investment")  # fmt: skip
    (tmp_path / "best_plan").mkdir()
    note = pc._cost_chart(args, table, tmp_path)
    (title,) = titles
    assert title.startswith("Best plan by exhaustive search")
    assert "\nsweep: all the 4 swept packages of 2 candidates; budget" in title
    assert "best-plan" not in title
    assert note.startswith("best within budget (exhaustive over the 4 swept packages of 2 candidates)")
