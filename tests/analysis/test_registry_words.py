"""Names in words: one rule, one to one, a name for every column and row analyze() produces.

Also: results read by either name, the data dictionary (columns.csv) of a result folder,
and the registry's assembly steps against the steps analyze() runs.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.indicators import (
    ATTRIBUTES,
    PLACEHOLDER_WORDS,
    REGISTRY,
    concrete_keys,
    key_from_words,
    lookup,
    region_meta,
    words,
)
from yrdnet.analysis.pipeline import STEPS
from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.steps import Assembly

SNAKE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*\Z")


@pytest.fixture(scope="module")
def results() -> dict[str, ScenarioResult]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", yrdnet.UnreachableWarning)
        return {z: yrdnet.analyze("baseline_2025", zones=z, sensitivity_samples=5) for z in ("city", "county")}


def test_brief_examples_by_hand() -> None:
    assert words("pot_exp_pop_multimodal") == "potential_accessibility_multimodal"
    assert words("watt_pop_rail") == "weighted_average_travel_time_rail"
    assert words("gini_pot_exp_pop_multimodal") == "gini_of_potential_accessibility_multimodal"
    # placeholder words: pop -> population, potential -> potential_accessibility
    assert words("pot_power_pop_road") == "economic_potential_of_population_road"
    assert words("gini_potential") == "gini_of_centres_by_potential_accessibility"
    assert words("population_within_120min_of_hefei") == "population_within_120_min_of_hefei"
    assert key_from_words("weighted_average_travel_time_rail") == "watt_pop_rail"
    assert key_from_words("watt_pop_rail") == "watt_pop_rail"  # a key passes through
    assert words("population") == "population"  # attributes are their own name


def test_one_to_one_over_every_concrete_key() -> None:
    to_words: dict[str, str] = {}
    to_key: dict[str, str] = {}
    for ind in REGISTRY:
        assert ind.words and SNAKE.match(ind.words.replace("{", "").replace("}", "")), ind.key
        for k in concrete_keys(ind):
            w = words(k)
            assert SNAKE.match(w), w
            # the same key at two scales has one name; different keys have different names
            assert to_words.setdefault(k, w) == w, k
            assert to_key.setdefault(w, k) == k, (w, k, to_key[w])
            assert key_from_words(w) == k
    assert len(to_words) == len(to_key) > 150
    # a name in words is never another indicator's key (so index() cannot be ambiguous)
    clash = {w for w, k in to_key.items() if w in to_words and to_words[w] != w}
    assert not clash, clash
    assert set(PLACEHOLDER_WORDS) <= {"mass", "size"}


def test_unknown_names_fail_clearly() -> None:
    with pytest.raises(ValueError, match=r"'pot_exp_pop_multimodl' is not a declared key.*pot_exp_pop_multimodal"):
        words("pot_exp_pop_multimodl")
    with pytest.raises(ValueError, match="neither a name in words nor a key"):
        key_from_words("potential_of_everything")
    with pytest.raises(ValueError, match="unknown scale 'town'"):
        lookup("uci", "town")


@pytest.mark.slow
def test_every_analyze_column_and_row_has_a_name(results: dict[str, ScenarioResult]) -> None:
    for z, res in results.items():
        assert res.zones is not None
        for which, df in (("cities", res.cities), ("zones", res.zones), ("metros", res.metros)):
            cols = [c for c in df.columns if c != "geometry"]
            named = [words(c) for c in cols]  # raises for an undeclared column
            assert len(set(named)) == len(named), (z, which)
            assert [c for c in res.readable(which).columns if c != "geometry"] == named
            scale = "metro" if which == "metros" else "zone"
            assert [k for k in cols if k not in ATTRIBUTES and lookup(k, scale) is None] == []
        reg = res.readable("region")
        assert list(reg.index) == [words(k) for k in res.region.index]
        assert reg.index.is_unique
        pd.testing.assert_series_equal(reg["value"], res.region["value"].set_axis(reg.index))
        # the result itself keeps its keys
        assert "pot_exp_pop_multimodal" in res.cities.columns and "uci" in res.region.index


def test_index_accepts_either_name(results: dict[str, ScenarioResult]) -> None:
    res = results["city"]
    for k in ("gini_pot_exp_pop_multimodal", "uci", "population_within_60min_of_shanghai", "core_rank_potential"):
        assert res.index(words(k)) == res.index(k) == float(res.region.loc[k, "value"])
    with pytest.raises(KeyError, match="neither a name in words nor a key"):
        res.index("gini_of_everything")
    # declared but only computed at county level
    with pytest.raises(KeyError, match="no region row 'potential_ratio_urban_to_rural'"):
        res.index("potential_accessibility_ratio_urban_to_rural")
    with pytest.raises(ValueError, match="which must be one of"):
        res.readable("towns")


def test_region_texts_come_from_the_registry(results: dict[str, ScenarioResult]) -> None:
    for res in results.values():
        for k, r in res.region.iterrows():
            ind, desc = region_meta(str(k))
            assert (r["group"], r["description"]) == (ind.group, desc)
            assert "{" not in desc and desc, k


def test_steps_of_the_registry_are_the_steps_analyze_runs(results: dict[str, ScenarioResult]) -> None:
    run = [name for name, _ in STEPS]
    declared = {i.step for i in REGISTRY if i.scale == "region"}
    assert declared == {*run, "timeline", "composite"}
    # rows appear in the order of the steps that produce them
    for res in results.values():
        order = [run.index(region_meta(str(k))[0].step) for k in res.region.index]
        assert order == sorted(order)


def test_a_row_from_the_wrong_step_is_refused() -> None:
    a = Assembly(*([None] * 16))  # type: ignore[arg-type]
    a.add_rows("polycentricity", {"uci": 0.5})
    with pytest.raises(ValueError, match="comes from step 'equity' but the registry declares step 'polycentricity'"):
        a.add_rows("equity", {"entropy_gdp": 0.9})
    with pytest.raises(ValueError, match="'made_up_row' is not declared"):
        a.add_rows("equity", {"made_up_row": 1.0})
    assert a.rows == {"uci": 0.5}


def test_columns_csv_explains_every_column(results: dict[str, ScenarioResult], tmp_path: Path) -> None:
    res = results["county"]
    out = res.to_dir(tmp_path / "r")
    cols = pd.read_csv(out / "columns.csv", keep_default_na=False)
    assert list(cols.columns) == ["table", "key", "name", "label", "label_zh", "unit", "group", "description"]
    for table in ("cities", "zones", "metros"):
        header = pd.read_csv(out / f"{table}.csv", index_col=0, nrows=0).columns
        got = cols[cols["table"] == table]
        assert list(got["key"]) == list(header), table
        measures = got[got["group"] != "attribute"]
        assert (measures["description"] != "").all() and (measures["unit"] != "").all(), table
    region = pd.read_csv(out / "region.csv", index_col=0)
    got = cols[cols["table"] == "region"].set_index("key")
    assert list(got.index) == list(region.index)
    assert (got["description"] == region["description"]).all()
    assert got.loc["gini_pot_exp_pop_multimodal", "name"] == "gini_of_potential_accessibility_multimodal"
    # the CSVs keep their keys, so the folder still reads back
    back = ScenarioResult.from_dir(out)
    assert back.index("gini_of_potential_accessibility_multimodal") == pytest.approx(
        res.index("gini_pot_exp_pop_multimodal"), rel=1e-12
    )
