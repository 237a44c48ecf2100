"""ModelRanges reads its defaults from the parameter metadata and keeps the pre-refactor values."""

from __future__ import annotations

import dataclasses

from yrdnet.core.params import TravelTimeModel, describe, parameter_table
from yrdnet.plans.uncertainty import RANGE_BASIS, ModelRanges

# Pre-refactor reference: the literal defaults of ModelRanges in yrdnet/plans/uncertainty.py
# at eca6684, before they were read from the metadata. Every drawn range, and so every
# uncertainty output, must stay numerically identical. Issue 18 re-fitted the 2016 running
# factors (19 lines, conventional track included): the rail_speed_factor range is their new
# interquartile range (tests/plans/test_model_uncertainty.py recomputes it).
OLD_RANGES = {
    "rail_speed_factor": (0.72, 1.0),
    "max_wait_min": (70.0, 100.0),
    "service_hours": (13.7, 15.8),
    "access_speed_kph": (25.0, 45.0),
    "terminal_min": (5.0, 15.0),
    "transfer_min": (10.0, 20.0),
    "road_speed_factor": (0.92, 0.97),
}
# The same commit's short basis of each range (the ``basis`` column of ranges.csv).
OLD_BASIS = {
    "rail_speed_factor": "interquartile range of the 19 per-line factors fitted on the 2016 timetable",
    "max_wait_min": "caps that fit the 2016 mean door-to-door times equally (tools/calibrate_rail.py)",
    "service_hours": "interquartile range of the 2016 stations' first-to-last departure span",
    "access_speed_kph": "stated choice: the 35 km/h assumption +-10 km/h",
    "terminal_min": "3-5 min boarding closure (low end); stated choice (high end)",
    "transfer_min": "stated choice: the 15-min default +-5 min",
    "road_speed_factor": "factors with the same 82 % within +-20 % on the road validation rows",
}


def test_model_ranges_equal_the_pre_refactor_values_in_the_same_order() -> None:
    assert ModelRanges().as_dict() == OLD_RANGES
    assert list(ModelRanges().as_dict()) == list(OLD_RANGES)  # the order of the Sobol dimensions


def test_model_ranges_are_the_plausible_ranges_of_the_metadata() -> None:
    t = parameter_table().loc["TravelTimeModel"]
    drawn = t[t["plausible_low"].notna()]
    assert {f.name for f in dataclasses.fields(ModelRanges)} == set(drawn.index)
    for name, (lo, hi) in ModelRanges().as_dict().items():
        assert (lo, hi) == (drawn.at[name, "plausible_low"], drawn.at[name, "plausible_high"])
        r = describe(TravelTimeModel, name).plausible
        assert r is not None
        assert RANGE_BASIS[name] == r.basis == OLD_BASIS[name]
        assert f"    {name}\n        {(lo, hi)}: " in (ModelRanges.__doc__ or "")  # its reason is documented
