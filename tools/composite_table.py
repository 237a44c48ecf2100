"""The composite 2010 -> 2035 and for every shipped scenario, raw components beside the scores (issue 20).

Prints, for the timeline (``TIMELINE``: 2010, 2015, 2020, 2025, plan_2035) and every
shipped alternative of ``data/scenarios/`` (each built on baseline_2025), analysed at city
level with ``centrality=False``:

1. the raw components with their units, the ``bounds`` scores and the composite
   (:func:`yrdnet.composite_index` defaults: natural bounds / the 90-min target, equal
   weights, arithmetic mean), and beside it the composite under min-max and z-scores over
   the reference set of all these scenarios and under geometric aggregation;
2. the effective weights over the timeline;
3. one shipped alternative (the best-scoring) against plan_2035, component by component;
4. with ``--robustness``: :func:`yrdnet.plans.metric_choices.composite_robustness`
   (three model variants x 96 metric choices x 5 method pairs x weight draws; a few
   minutes, routing dominates).

Run: ``PYTHONPATH=. .venv/bin/python tools/composite_table.py [--robustness]`` (about 30 s
without the robustness).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

from yrdnet.analysis.composite import COMPONENTS, CompositeOptions, composite_index, raw_components
from yrdnet.analysis.pipeline import analyze
from yrdnet.region.datasets import data_folder
from yrdnet.scenarios.scenario import TIMELINE

pd.set_option("display.width", 200)
pd.set_option("display.max_columns", 30)
pd.set_option("display.precision", 4)

SHORT = {"core_hierarchy": "H", "metro_integration": "M", "intercity_linkage": "L", "core_hinterland_equity": "E"}


def scenarios() -> list[str]:
    """The timeline, then every other shipped scenario (alphabetical)."""
    shipped = sorted(p.stem for p in Path(data_folder(), "scenarios").glob("*.toml"))
    return [*TIMELINE, *(s for s in shipped if s not in TIMELINE)]


def main(robustness: bool) -> None:
    """Analyse, then print the tables of the module docstring."""
    names = scenarios()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [analyze(s, centrality=False) for s in names]
    raw = raw_components(results)
    ranks = pd.Series({r.name: float(r.region.loc["core_rank_dominance", "value"]) for r in results})
    out = composite_index(raw)
    print("Normalisation: 'bounds' (natural bounds / external target, no reference scenario):")
    for k, c in COMPONENTS.items():
        print(f"  {SHORT[k]} {k:<23} raw {c.raw} [{c.unit}], {'+' if c.direction > 0 else '-'}: {c.source}")
    print("Aggregation: equal weights, arithmetic mean. Columns *_score are the normalised scores.\n")
    table = pd.DataFrame(index=pd.Index(names, name="scenario"))
    for k, c in COMPONENTS.items():
        table[f"{SHORT[k]}: {c.raw} [{c.unit}]"] = raw.loc[c.raw]
    for k in COMPONENTS:
        table[f"{SHORT[k]}_score"] = out.index[f"composite_{k}"]
    table["composite"] = out.index["composite_index"]
    for label, opts in (
        ("minmax", CompositeOptions(normalisation="minmax")),
        ("zscore", CompositeOptions(normalisation="zscore")),
        ("geometric", CompositeOptions(aggregation="geometric")),
    ):
        table[f"composite_{label}"] = composite_index(raw, options=opts).index["composite_index"]
    table["core_rank_dominance"] = ranks
    print(table.to_string())
    print(
        "\nminmax / zscore: reference set = the 16 scenarios above (timeline + shipped alternatives);"
        " geometric: bounds scores, epsilon 0.01 (not reached)."
    )
    timeline = composite_index(raw[list(TIMELINE)])
    print("\nEffective weights over the timeline (variance shares of the arithmetic composite):")
    print(timeline.weights.to_string())
    compare(table, raw, names)
    if robustness:
        from yrdnet.plans.metric_choices import composite_robustness

        print("\nRobustness (composite_robustness: 3 model variants x 96 metric choices x 5 methods x 50 weights):")
        print(composite_robustness(n_weight_draws=50).to_string())


def compare(table: pd.DataFrame, raw: pd.DataFrame, names: list[str]) -> None:
    """The best shipped alternative against plan_2035, component by component."""
    alts = [s for s in names if s not in TIMELINE]
    best = str(table.loc[alts, "composite"].idxmax())
    print(f"\nBest shipped alternative ({best}) against plan_2035 and baseline_2025 (bounds, arithmetic):")
    cols = ["baseline_2025", best, "plan_2035"]
    rows = {f"{k} raw [{c.unit}]": raw.loc[c.raw, cols] for k, c in COMPONENTS.items()}
    rows |= {f"{k} score": table.loc[cols, f"{SHORT[k]}_score"] for k in COMPONENTS}
    rows["composite"] = table.loc[cols, "composite"]
    print(pd.DataFrame(rows).T.to_string())
    d = table.loc[best, "composite"] - table.loc["plan_2035", "composite"]
    print(f"{best} - plan_2035 = {d:+.4f} (composite); baseline_2025 - plan_2035 = "
          f"{table.loc['baseline_2025', 'composite'] - table.loc['plan_2035', 'composite']:+.4f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--robustness", action="store_true", help="also run composite_robustness (minutes)")
    main(parser.parse_args().robustness)
