"""Every parameter field carries complete metadata, and the constructors check its valid range."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

import yrdnet
from yrdnet.core.parameters import KEY, ParamInfo, describe, to_markdown
from yrdnet.core.params import MetricParams, StructureWeights, TravelTimeModel, parameter_table

CLASSES = (TravelTimeModel, MetricParams, StructureWeights)
FIELDS = [(cls, f) for cls in CLASSES for f in dataclasses.fields(cls)]


@pytest.mark.parametrize(("cls", "f"), FIELDS, ids=[f"{c.__name__}.{f.name}" for c, f in FIELDS])
def test_every_field_has_complete_metadata(cls: type, f: dataclasses.Field) -> None:
    info = f.metadata.get(KEY)
    assert isinstance(info, ParamInfo), f"{cls.__name__}.{f.name} is declared without param()"
    assert info.label.strip() and info.source.strip()
    assert isinstance(info.unit, str)
    assert "(" not in info.label or info.label.endswith(")"), "the unit goes in unit, not the label"
    default = getattr(cls(), f.name)
    if dataclasses.is_dataclass(default):
        assert info.valid is None and info.choices is None  # a nested parameter object checks itself
        return
    assert (info.valid is None) != (info.choices is None), "a field has either a valid range or choices"
    if info.choices is not None:
        assert default in info.choices
    else:
        assert info.valid is not None and info.valid.reason.strip()
        values = default if isinstance(default, tuple) else (default,)
        assert all(v in info.valid for v in values), f"the default of {f.name} is outside its valid range"
    p = info.plausible
    if p is not None:
        assert p.reason.strip() and p.basis.strip()
        assert info.valid is not None and p.low in info.valid and p.high in info.valid
        assert p.low <= default <= p.high, f"the default of {f.name} is outside its plausible range"


def test_parameter_table_lists_every_field() -> None:
    t = parameter_table()
    assert list(t.index) == [(c.__name__, f.name) for c, f in FIELDS]
    assert t.loc[("TravelTimeModel", "max_wait_min"), "default"] == TravelTimeModel().max_wait_min
    assert t["label"].str.len().gt(0).all() and t["source"].str.len().gt(0).all()
    drawn = t[t["plausible_low"].notna()]
    assert (drawn["plausible_low"] >= drawn["valid_low"]).all()
    assert (drawn["plausible_high"] <= drawn["valid_high"]).all()
    assert yrdnet.params.parameter_table is parameter_table  # reachable as yrdnet.params


def test_describe_names_the_field_and_suggests() -> None:
    assert describe(TravelTimeModel, "max_wait_min").axis_label == "cap on the wait for a train (min)"
    assert describe(TravelTimeModel, "road_speed_factor").axis_label == "expressway speed factor"
    with pytest.raises(KeyError, match=r"TravelTimeModel has no parameter 'max_wait'.*max_wait_min"):
        describe(TravelTimeModel, "max_wait")


@pytest.mark.parametrize(("cls", "f"), [(c, f) for c, f in FIELDS if describe(c, f.name).valid is not None])
def test_constructor_rejects_values_outside_the_valid_range(cls: type, f: dataclasses.Field) -> None:
    r = describe(cls, f.name).valid
    assert r is not None
    bad = [r.low - 1.0, math.nan] if r.low_open or r.low > -math.inf else [math.nan]
    if r.low_open:
        bad.append(r.low)
    if r.high < math.inf:
        bad.append(r.high * 2 + 1)
    for v in bad:
        value = (v,) if isinstance(getattr(cls(), f.name), tuple) else v
        with pytest.raises(ValueError, match=rf"{cls.__name__}\.{f.name} must be .*got"):
            cls(**{f.name: value})
    if r.high < math.inf and not isinstance(getattr(cls(), f.name), tuple):
        cls(**{f.name: r.high})  # the bounds themselves are accepted
    if not r.low_open and not isinstance(getattr(cls(), f.name), tuple):
        cls(**{f.name: r.low})


def test_one_error_names_every_bad_field() -> None:
    match = r"2 invalid TravelTimeModel values.*rail_speed_factor.*\[0\.3, 1\.5\].*wait_min"
    with pytest.raises(ValueError, match=match):
        TravelTimeModel(rail_speed_factor=85, wait_min=-1)
    with pytest.raises(ValueError, match="sourced_access must be True or False, got 1"):
        TravelTimeModel(sourced_access=1)  # type: ignore[arg-type]


def test_docs_are_generated_from_the_metadata() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert doc == to_markdown(parameter_table()), "docs/parameters.md is stale: run python tools/make_parameter_docs.py"
    assert "| `local_road_speed_kph` | 60 | km/h |" in doc
