"""[model] overrides are checked against the valid ranges of the parameter metadata, every field."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import yrdnet
from yrdnet import ScenarioError
from yrdnet.core.params import TravelTimeModel, describe
from yrdnet.scenarios.checks import MODEL_RANGES, RAIL_SPEED, check_model

# Pre-refactor reference: MODEL_RANGES as written by hand in yrdnet/scenarios/checks.py at
# eca6684 (before the metadata). The derived table must keep every one of these values.
OLD_MODEL_RANGES = {
    "rail_speed_factor": (0.3, 1.5),
    "stop_penalty_min": (0.0, 30.0),
    "rail_detour": (1.0, 2.0),
    "access_speed_kph": (5.0, 120.0),
    "access_detour": (1.0, 3.0),
    "access_radius_km": (0.0, 200.0),
    "terminal_min": (0.0, 120.0),
    "wait_min": (0.0, 240.0),
    "alight_min": (0.0, 60.0),
    "road_access_min": (0.0, 120.0),
    "road_access_km": (0.0, 100.0),
    "road_speed_factor": (0.3, 1.5),
    "road_congestion": (0.5, 5.0),
    "rail_accel_ms2": (0.02, 2.0),
    "dwell_min": (0.0, 30.0),
    "d_train_max_kph": (100.0, 400.0),
    "service_hours": (4.0, 24.0),
    "max_wait_min": (0.0, 600.0),
    "default_express_trains": (1.0, 500.0),
    "default_allstop_trains": (1.0, 500.0),
    "covered_allstop_trains": (1.0, 500.0),
    "transfer_min": (0.0, 120.0),
}
#: The seven fields the hand-written table missed (any value passed, e.g. 1e300 km/h).
MISSING_NUMBERS = (
    "local_road_speed_kph",
    "local_road_detour",
    "county_snap_km",
    "county_access_min",
    "county_access_km",
)
#: Fields added after the metadata existed (issue 18: suburban rail): their range is the metadata's.
ADDED_NUMBERS = ("suburban_peak_hours", "suburban_headway_min")
MISSING_SWITCHES = ("sourced_access", "line_speed_factors")
#: Fields added since, with their ranges in the metadata (top speeds of conventional trains;
#: trains a day of a conventional line's default service).
NEW_NUMBERS = (
    "z_train_max_kph",
    "t_train_max_kph",
    "conventional_max_kph",
    "default_conventional_trains",
    # issue 19: the typical road period (yrdnet.network.road_times)
    "road_typical_speed_factor",
    "town_exit_min",
    "town_exit_exponent",
    "local_road_typical_speed_kph",
)
FIELDS = TravelTimeModel.__dataclass_fields__
HEAD = '[scenario]\nname = "bad"\nbase = "baseline_2025"\n'


def test_model_ranges_cover_every_numeric_field_and_keep_the_old_values() -> None:
    numeric = [f.name for f in dataclasses.fields(TravelTimeModel) if describe(TravelTimeModel, f.name).choices is None]
    assert sorted(MODEL_RANGES) == sorted(numeric)
    assert set(numeric) == set(OLD_MODEL_RANGES) | set(MISSING_NUMBERS) | set(NEW_NUMBERS) | set(ADDED_NUMBERS)
    for key, old in OLD_MODEL_RANGES.items():
        assert MODEL_RANGES[key] == old, key
    for key in (*MISSING_NUMBERS, *NEW_NUMBERS, *ADDED_NUMBERS):
        assert MODEL_RANGES[key] == describe(TravelTimeModel, key).valid.bounds  # type: ignore[union-attr]


@pytest.mark.parametrize("key", MISSING_NUMBERS)
def test_previously_missing_number_out_of_range_is_named(key: str) -> None:
    lo, hi = MODEL_RANGES[key]
    for v in (1e300, lo - 1.0):
        found = check_model({key: v}, FIELDS, "scenario 'x'")
        assert len(found) == 1
        assert f"[model] {key} = {v!r} is outside the plausible range [{lo:g}, {hi:g}]" in found[0]
    assert check_model({key: (lo + hi) / 2}, FIELDS, "scenario 'x'") == []


@pytest.mark.parametrize("key", MISSING_SWITCHES)
def test_previously_missing_switch_needs_a_boolean(key: str) -> None:
    assert check_model({key: 2}, FIELDS, "w") == [f"w: [model] {key} must be true or false, found 2"]
    assert check_model({key: False}, FIELDS, "w") == []


def test_scenario_file_with_a_runaway_local_road_speed_fails(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(HEAD + "[model]\nlocal_road_speed_kph = 1e300\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"local_road_speed_kph = 1e\+300 is outside .*\[5, 120\]") as ei:
        yrdnet.load_scenario(p).validate()
    assert str(p) in str(ei.value)


@pytest.mark.parametrize(("speed", "ok"), [(RAIL_SPEED[0], True), (RAIL_SPEED[1], True), (20, False), (601, False)])
def test_set_speed_is_checked_once_with_one_bound(tmp_path: Path, speed: float, ok: bool) -> None:
    p = tmp_path / "s.toml"
    p.write_text(
        HEAD + f'[[edits]]\nop = "set_speed"\nline = "beijing_shanghai_hsr"\nspeed_kph = {speed}\n', encoding="utf-8"
    )
    sc = yrdnet.load_scenario(p)
    if ok:
        t = sc.tables()
        assert t.lines.at["beijing_shanghai_hsr", "operating_speed_kph"] == int(speed)
    else:
        with pytest.raises(ScenarioError, match=r"speed_kph must be a number in \[30, 600\] km/h"):
            sc.tables()
