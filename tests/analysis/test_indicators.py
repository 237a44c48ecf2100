"""The indicator registry covers every result column and region row; docs/indicators.md is up to date."""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest

import yrdnet
from yrdnet.analysis.indicators import REGISTRY, label, lookup, to_markdown

ROOT = Path(__file__).resolve().parents[2]
#: Zone attributes, not measures.
ATTRIBUTES = {"name_zh", "name_en", "province", "lon", "lat", "population", "gdp", "central_area", "source",
              "geometry", "metros", "city", "kind", "population_2010", "urban", "rural", "label",
              "n_zones"}  # fmt: skip


def test_docs_are_generated_from_the_registry() -> None:
    doc = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert doc == to_markdown(), "docs/indicators.md is stale: run python tools/make_indicator_docs.py"


def test_functions_exist_and_keys_are_unique() -> None:
    seen = set()
    for ind in REGISTRY:
        assert (ind.key, ind.scale) not in seen, ind.key
        seen.add((ind.key, ind.scale))
        mod, _, name = ind.function.rpartition(".")
        assert hasattr(importlib.import_module(mod), name), ind.function


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::yrdnet.UnreachableWarning")
def test_every_result_key_is_declared() -> None:
    keys: set[str] = set()
    for zones in ("city", "county"):
        res = yrdnet.analyze("baseline_2025", zones=zones, sensitivity_samples=5)
        keys |= set(res.region.index)
        assert res.zones is not None
        keys |= {c for c in [*res.cities.columns, *res.zones.columns] if c not in ATTRIBUTES}
    keys.add("convergence_core_members_min_per_year")
    missing = sorted(k for k in keys if lookup(k) is None)
    assert not missing, f"undeclared indicators: {missing}"


def test_label_words_and_units() -> None:
    assert label("watt_pop_rail") == "weighted average travel time by rail (min)"
    assert label("population_within_60min_of_hefei", unit=False) == "population within 60 min of Hefei"
    assert label("not_a_key") == "not_a_key"
    assert isinstance(pd.DataFrame([vars(i) for i in REGISTRY]), pd.DataFrame)
