r"""Model uncertainty: draws over the travel-time model and the metric choices (issue 13, item 2).

:func:`uncertainty` draws the travel-time parameters of :class:`yrdnet.TravelTimeModel`
(speed factor of lines without a fitted factor, the frequency rule of the wait - its
cap and the length of the service day -, access and terminal times, the transfer time,
the road speed factor) together with the metric-side choices of
:data:`yrdnet.uncertainty.CHOICES` (decay half-life, self-potential, commuting midpoint,
time definition, metropolitan definition) and the composite's normalisation (bounds,
min-max or z-score, :class:`yrdnet.analysis.composite.CompositeOptions`).
For each distinct travel-time draw every scenario is built and routed once at city
level; the metric choices are then evaluated on those matrices with
:func:`yrdnet.uncertainty.measures` (no re-routing).

Sensitivity follows Saltelli et al. (2010): with ``method="sobol"`` the Saltelli
extension of Sobol's quasi-random sequence (``SALib.sample.sobol``, :math:`N (D + 2)`
rows for :math:`D` parameters) and the Jansen / Saltelli estimators
(``SALib.analyze.sobol``) give, per output :math:`Y` and parameter :math:`X_i`,

.. math:: S_i = \frac{V[E(Y \mid X_i)]}{V(Y)}, \qquad
          S_{T,i} = \frac{E[V(Y \mid X_{\sim i})]}{V(Y)}

with bootstrap confidence intervals. With ``method="montecarlo"`` a Latin hypercube
(McKay, Beckman & Conover 1979) is drawn and first-order indices are estimated by
RBD-FAST (Tarantola, Gatelli & Mara 2006; ``SALib.analyze.rbd_fast``); total indices are
not available from such a sample and are reported as ``NaN``.

Categorical choices are drawn as :math:`u \sim U[0, 1)` and mapped to equal bins (value
:math:`\lfloor u k \rfloor` of :math:`k`), so every value has probability :math:`1/k`.

References
----------
.. [1] Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S.
   (2010) Variance based sensitivity analysis of model output. Design and estimator for
   the total sensitivity index. *Computer Physics Communications* 181(2), 259-270,
   https://doi.org/10.1016/j.cpc.2009.09.018
.. [2] Herman, J. & Usher, W. (2017) SALib: an open-source Python library for
   sensitivity analysis. *Journal of Open Source Software* 2(9), 97,
   https://doi.org/10.21105/joss.00097
.. [3] McKay, M. D., Beckman, R. J. & Conover, W. J. (1979) A comparison of three methods
   for selecting values of input variables in the analysis of output from a computer
   code. *Technometrics* 21(2), 239-245.
.. [4] Tarantola, S., Gatelli, D. & Mara, T. A. (2006) Random balance designs for the
   estimation of first order global sensitivity indices. *Reliability Engineering &
   System Safety* 91(6), 717-727, https://doi.org/10.1016/j.ress.2005.06.003
.. [5] Saisana, M., Saltelli, A. & Tarantola, S. (2005), uncertainty and sensitivity
   analysis of composite indicators, as named by issue 11 (details not retrieved).
"""

from __future__ import annotations

import logging
import re
import textwrap
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from yrdnet.analysis.city_potential import CountyRun
from yrdnet.analysis.composite import COMPONENTS, core_link_attainment, core_link_equivalent_time
from yrdnet.analysis.composite_norm import arithmetic_index
from yrdnet.analysis.indicators import label
from yrdnet.analysis.targets import targets as policy_targets
from yrdnet.core.callable_module import make_callable
from yrdnet.core.io import atomic_dir, write_csv
from yrdnet.core.params import TravelTimeModel, describe
from yrdnet.core.validation import as_sequence, did_you_mean
from yrdnet.plans.composite_uncertainty import method_scores
from yrdnet.plans.metric_choices import (
    CHOICES,
    city_masses,
    composite_robustness,
    conclusion_robustness,
    county_runs,
    measures,
    route_cities,
    routed,
)
from yrdnet.plans.sobol import _analyse, _sample, _Space, sensitivity_indices
from yrdnet.plans.sweep import _bar, _show
from yrdnet.region.region import load_region
from yrdnet.scenarios.scenario import load_scenario

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "CHOICES",
    "MAX_N",
    "ModelRanges",
    "UncertaintyResult",
    "composite_robustness",
    "conclusion_robustness",
    "measures",
    "routed",
    "sensitivity_indices",
    "uncertainty",
]

log = logging.getLogger(__name__)

#: Region measures of :func:`yrdnet.uncertainty.measures` and the composite, as registry keys.
INDICATORS: dict[str, str] = {
    "integration": "metro_logistic_integration",
    "dominance_core": "dominance_core",
    "gini_potential": "gini_potential",
    "theil_potential": "theil_pot_exp_pop_multimodal",
    "core_rank_potential": "core_rank_potential",
    "core_link_attainment": "core_link_attainment",
    "subcentre_balance": "subcentre_core_balance",
    "core_link_equivalent_time_min": "core_link_equivalent_time_min",
    "composite_index": "composite_index",
}


def _drawn(name: str) -> tuple[float, float]:
    """The plausible range of a :class:`yrdnet.TravelTimeModel` field (its parameter metadata)."""
    r = describe(TravelTimeModel, name).plausible
    if r is None:  # pragma: no cover - guarded by tests/plans/test_model_uncertainty.py
        raise KeyError(f"TravelTimeModel.{name} has no plausible range in its metadata")
    return r.bounds


@dataclass(frozen=True)
class ModelRanges:
    """Uniform ranges of the travel-time parameters drawn by :func:`uncertainty`.

    Each field is ``(low, high)`` for the :class:`yrdnet.TravelTimeModel` field of the
    same name; the defaults are the plausible ranges of the parameter metadata
    (:func:`yrdnet.params.parameter_table`, ``plausible_*``), each with its reason below.
    Where a range comes from a calibration or a source it says so; where no source gives
    one it is marked *stated choice* (a range we chose, not a fact).

    Parameters
    ----------
    __PARAMETERS__
    """

    rail_speed_factor: tuple[float, float] = _drawn("rail_speed_factor")
    max_wait_min: tuple[float, float] = _drawn("max_wait_min")
    service_hours: tuple[float, float] = _drawn("service_hours")
    access_speed_kph: tuple[float, float] = _drawn("access_speed_kph")
    terminal_min: tuple[float, float] = _drawn("terminal_min")
    transfer_min: tuple[float, float] = _drawn("transfer_min")
    road_speed_factor: tuple[float, float] = _drawn("road_speed_factor")

    def __post_init__(self) -> None:
        for f in fields(self):
            lo, hi = getattr(self, f.name)
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise ValueError(f"ModelRanges.{f.name} must be (low, high) with low < high, got {(lo, hi)!r}")

    def as_dict(self) -> dict[str, tuple[float, float]]:
        """``{parameter: (low, high)}`` in field order."""
        return {f.name: tuple(getattr(self, f.name)) for f in fields(self)}


def _ranges_doc(doc: str) -> str:
    """``doc`` with its ``__PARAMETERS__`` line replaced by the reasons of the metadata."""
    m = re.search(r"^( *)__PARAMETERS__$", doc, flags=re.MULTILINE)
    if m is None:  # pragma: no cover
        return doc
    pad = m.group(1)
    out = []
    for f in fields(ModelRanges):
        r = describe(TravelTimeModel, f.name).plausible
        assert r is not None
        indent = pad + "    "
        text = f"{r.bounds}: {r.reason}."
        body = textwrap.fill(text, 88, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)
        out.append(f"{pad}{f.name}\n{body}")
    return doc[: m.start()] + "\n".join(out) + doc[m.end() :]


ModelRanges.__doc__ = _ranges_doc(ModelRanges.__doc__ or "")


# --------------------------------------------------------------------------- the model side
#: The metric choice used for a choice that is not drawn (the defaults of yrdnet.analyze).
DEFAULT_CHOICE: dict[str, object] = {
    "half_life_min": 60.0,
    "self_potential": True,
    "commute_midpoint_min": 60.0,
    "mode": "multimodal",
    "metro_definition": "current",
}


def _model_ranges(params: ModelRanges | Mapping[str, tuple[float, float]] | None) -> dict[str, tuple[float, float]]:
    if params is None:
        return ModelRanges().as_dict()
    if isinstance(params, ModelRanges):
        return params.as_dict()
    known = {f.name for f in fields(TravelTimeModel) if f.type in ("float", float)}
    out: dict[str, tuple[float, float]] = {}
    for k, v in dict(params).items():
        if k not in known:
            raise ValueError(
                f"params: {k!r} is not a numeric TravelTimeModel parameter; expected one of {sorted(known)}"
            )
        try:
            lo, hi = (float(x) for x in v)
        except (TypeError, ValueError):
            raise ValueError(f"params[{k!r}] must be (low, high), got {v!r}") from None
        if not lo < hi:
            raise ValueError(f"params[{k!r}] must have low < high, got {(lo, hi)!r}")
        out[k] = (lo, hi)
    return out


Routed = tuple[dict[tuple[str, str], pd.DataFrame], dict[str, dict[str, float]], dict[str, CountyRun]]


def _route_draw(scenarios: Sequence[str], modes: Sequence[str], model: dict[str, float]) -> Routed:
    """City travel times per (scenario, mode) and the core-link rows per scenario, one model draw.

    The routing is :func:`yrdnet.uncertainty.route_cities` with the draw's travel-time model.

    Module level so that a Dask worker can run it (:func:`uncertainty` with ``client``).
    """
    m = TravelTimeModel().replace(**model) if model else TravelTimeModel()
    od, graphs = route_cities(scenarios, modes, m)
    tables = {s: policy_targets(cast("nx.MultiDiGraph", graphs[s])) for s in scenarios}
    links = {
        s: {
            "core_link_attainment": core_link_attainment(t),
            "core_link_equivalent_time_min": core_link_equivalent_time(t),
        }
        for s, t in tables.items()
    }
    return od, links, county_runs(graphs)


class _Router:
    """Routes every scenario once per distinct travel-time draw (memoised; optionally on Dask)."""

    def __init__(self, scenarios: Sequence[str], modes: Sequence[str]) -> None:

        for s in scenarios:
            load_scenario(s)  # fail early, before any routing, on an unknown scenario
        self.scenarios = list(scenarios)
        self.modes = tuple(modes)
        self.pop, self.tii = city_masses()
        self.cache: dict[tuple[tuple[str, float], ...], Routed] = {}

    @staticmethod
    def key(model: dict[str, float]) -> tuple[tuple[str, float], ...]:
        return tuple(sorted(model.items()))

    def prefetch(self, models: Sequence[dict[str, float]], client: Any) -> None:
        """Route the distinct draws not yet cached on ``client``'s workers, one task per draw."""
        todo = {self.key(m): m for m in models if self.key(m) not in self.cache}
        if client is None or not todo:
            return
        futures = client.map(_route_draw, [self.scenarios] * len(todo), [self.modes] * len(todo), list(todo.values()),
                             pure=False)  # fmt: skip
        for k, r in zip(todo, client.gather(futures), strict=True):
            self.cache[k] = r

    def __call__(self, model: dict[str, float]) -> Routed:
        k = self.key(model)
        if k not in self.cache:
            self.cache[k] = _route_draw(self.scenarios, self.modes, model)
        return self.cache[k]


def _composite(raw: dict[str, dict[str, float]], order: Sequence[str], normalisation: str) -> list[float]:
    """Composite of each scenario of ``order`` (the reference set of min-max / z-score), equal weights, arithmetic."""
    keys = {"core_hierarchy": "subcentre_balance", "metro_integration": "integration",
            "intercity_linkage": "core_link_equivalent_time_min",
            "core_hinterland_equity": "theil_people_potential"}  # fmt: skip
    R = np.array([[raw[s][keys[k]] for k in COMPONENTS] for s in order])
    scores = method_scores(R, normalisation)
    return [float(v) for v in arithmetic_index(scores, np.ones(len(COMPONENTS)))]


def _evaluate_row(
    values: dict[str, object], model_names: Sequence[str], router: _Router, scenarios: Sequence[str],
    composite_base: str | None,
) -> dict[tuple[str, str], float]:  # fmt: skip
    """Indicator values of one draw: ``{(indicator, scenario): value}``."""
    od, link, runs = router({k: float(cast(float, values[k])) for k in model_names})
    choice = {k: values.get(k, v) for k, v in DEFAULT_CHOICE.items()}
    raw: dict[str, dict[str, float]] = {}
    for s in router.scenarios:
        raw[s] = measures(od[(s, str(choice["mode"]))], router.pop, router.tii, choice, run=runs.get(s))
        raw[s].update(link[s])
    if composite_base is not None:
        norm = str(values.get("composite_normalisation", "bounds"))
        comp = _composite(raw, [composite_base, *scenarios], norm)
        for s, c in zip(scenarios, comp[1:], strict=True):
            raw[s]["composite_index"] = c
    return {(k, s): float(v) for s in scenarios for k, v in raw[s].items()}


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class UncertaintyResult:
    """Tables of :func:`uncertainty`.

    Attributes
    ----------
    spread : pandas.DataFrame
        One row per (indicator, scenario), the change from the first to the last
        scenario included (scenario ``"<last> - <first>"``): ``label``, ``mean``, ``p5``,
        ``median``, ``p95`` over the draws.
    sensitivity : pandas.DataFrame
        One row per (indicator, output, parameter): ``first_order_S1`` and ``total_ST``
        with their 95 % confidence half-widths (bootstrap); ``output`` is a scenario or
        the change. ``NaN`` where the output does not vary over the draws.
    conclusions : pandas.DataFrame
        Index conclusion: ``holds_share`` (share of the draws in which it holds),
        ``n_draws``, ``median_change``.
    draws : pandas.DataFrame
        One row per draw: the parameter values, then ``"<indicator> [<scenario>]"`` and
        ``"<indicator> [<last> - <first>]"`` columns.
    ranges : pandas.DataFrame
        The drawn parameters: ``kind`` (model / metric), ``low``, ``high`` or ``values``.
    method : str
        ``"sobol"`` or ``"montecarlo"``.
    seconds : float
        Wall-clock time of the run.
    """

    spread: pd.DataFrame
    sensitivity: pd.DataFrame
    conclusions: pd.DataFrame
    draws: pd.DataFrame
    ranges: pd.DataFrame
    method: str
    seconds: float

    def to_dir(self, path: str | Path) -> Path:
        """Write the tables as ``<name>.csv`` into ``path``, atomically (:func:`yrdnet.core.io.atomic_dir`)."""
        with atomic_dir(path) as tmp:
            write_csv(tmp / "spread.csv", self.spread)
            write_csv(tmp / "sensitivity.csv", self.sensitivity, index=False)
            write_csv(tmp / "conclusions.csv", self.conclusions)
            write_csv(tmp / "draws.csv", self.draws, index=False)
            write_csv(tmp / "ranges.csv", self.ranges)
        return Path(path)


def _col(indicator: str, scenario: str) -> str:
    return f"{indicator} [{scenario}]"


#: Headline conclusions: (indicator, test on the change or on the last scenario, wording).
CONCLUSIONS: tuple[tuple[str, str, str], ...] = (
    ("integration", "change>0", "{plan} raises metro integration over {base}"),
    ("composite_index", "change>0", "{plan} raises the composite over {base}"),
    ("dominance_core", "change<0", "the core's dominance in modelled flows falls {base} -> {plan}"),
    ("gini_potential", "change<0", "inequality (Gini) of potential accessibility falls {base} -> {plan}"),
    ("core_link_attainment", "change>0", "{plan} raises the attainment of the core-link targets over {base}"),
    ("core_rank_potential", "level==1", "{core} ranks first on potential accessibility in {plan}"),
)


def _conclusions(draws: pd.DataFrame, indicators: Sequence[str], base: str, plan: str) -> pd.DataFrame:
    rows = []
    for ind, test, words in CONCLUSIONS:
        if ind not in indicators:
            continue
        if test == "level==1":
            v = draws[_col(ind, plan)].to_numpy(float)
            holds = v == 1
        else:
            v = draws[_col(ind, f"{plan} - {base}")].to_numpy(float)
            holds = v > 0 if test == "change>0" else v < 0
        rows.append(
            (
                words.format(plan=plan, base=base, core=load_region().core_name),
                float(np.mean(holds)),
                len(v),
                float(np.median(v)),
            )
        )
    return pd.DataFrame(rows, columns=["conclusion", "holds_share", "n_draws", "median_change"]).set_index("conclusion")


def _spread(draws: pd.DataFrame, indicators: Sequence[str], outputs: Sequence[str]) -> pd.DataFrame:

    rows = []
    for ind in indicators:
        for out in outputs:
            v = draws[_col(ind, out)].to_numpy(float)
            q = np.nanpercentile(v, [5, 50, 95])
            rows.append((ind, out, label(INDICATORS[ind]), float(np.nanmean(v)), q[0], q[1], q[2]))
    cols = ["indicator", "scenario", "label", "mean", "p5", "median", "p95"]
    return pd.DataFrame(rows, columns=cols).set_index(["indicator", "scenario"])


def _basis(name: str) -> str:
    r = describe(TravelTimeModel, name).plausible
    return r.basis if r is not None else "given by the caller"


#: Where each default range comes from, in short (the full reasons: :class:`ModelRanges`).
RANGE_BASIS: dict[str, str] = {
    **{f.name: _basis(f.name) for f in fields(ModelRanges)},
    "half_life_min": "indicators digest 1.2: half-lives 45-120 min",
    "self_potential": "issue 11: self-potential on (default) or off",
    "commute_midpoint_min": "yrdnet.plans.metric_choices.CHOICES: 45, 60, 90 min around the one-hour circle",
    "mode": "time definition: door to door multimodal or by rail",
    "metro_definition": "current or 2016 metropolitan areas",
    "composite_normalisation": "yrdnet.composite_index: natural bounds, or min-max / z-score over the scenarios routed",
}


def _ranges_table(space: _Space, n_model: int) -> pd.DataFrame:
    rows = []
    for i, (n, d, c) in enumerate(zip(space.names, space.domains, space.categorical, strict=True)):
        kind = "model" if i < n_model else "metric"
        values = ";".join(map(str, d)) if c else ""
        default = i >= n_model or d == getattr(ModelRanges(), n, None)
        basis = RANGE_BASIS.get(n, "given by the caller") if default else "given by the caller"
        rows.append((n, kind, np.nan if c else d[0], np.nan if c else d[1], values, basis))
    cols = ["parameter", "kind", "low", "high", "values", "basis"]
    return pd.DataFrame(rows, columns=cols).set_index("parameter")


#: Largest base sample size ``n``: a Sobol run routes about ``n (2 + 7)`` travel-time
#: draws (about 0.6 s each at city level), so ``MAX_N`` is already about a day of routing
#: on one core; a larger ``n`` is a mistake (``10**12`` would not even fit in memory).
MAX_N = 2**14
_METHODS = ("sobol", "montecarlo")


def _check_n(n: object) -> int:
    """``n`` as an int in ``[1, MAX_N]``, or a ValueError naming it and the range."""
    whole = isinstance(n, (int, np.integer)) or (isinstance(n, (float, np.floating)) and float(n).is_integer())
    if isinstance(n, bool) or not whole:
        raise ValueError(f"n must be a whole number between 1 and {MAX_N} (MAX_N), got {n!r}")
    if not 1 <= int(n) <= MAX_N:  # type: ignore[call-overload]
        raise ValueError(f"n must be between 1 and {MAX_N} (MAX_N, about a day of routing), got {n!r}")
    return int(n)  # type: ignore[call-overload]


def uncertainty(
    scenarios: Sequence[str] = ("baseline_2025", "plan_2035"),
    *,
    params: ModelRanges | Mapping[str, tuple[float, float]] | None = None,
    n: int | None = None,
    method: str = "sobol",
    seed: int = 0,
    zones: str = "city",
    metric_choices: Mapping[str, Sequence[object]] | None = None,
    composite_base: str | None = "baseline_2010",
    client: Any = None,
    progress: bool = False,
) -> UncertaintyResult:
    r"""Spread, Sobol sensitivity and robust conclusions under travel-time and metric uncertainty.

    Parameters
    ----------
    scenarios
        Two or more shipped scenario names; conclusions compare the last (the plan) with
        the first (the base).
    params
        Travel-time parameters to draw: a :class:`ModelRanges` (default) or
        ``{TravelTimeModel field: (low, high)}`` (uniform); ``{}`` draws none.
    n
        Base sample size: Sobol :math:`N` (default 8, :math:`N (D + 2)` rows, a power of
        2 is best) or the number of Latin-hypercube draws (default 64).
    method
        ``"sobol"`` (S1 and ST with bootstrap intervals) or ``"montecarlo"`` (Latin
        hypercube; S1 by RBD-FAST, ST ``NaN``).
    seed
        Seed of the sample and of the bootstrap; the result is deterministic given it.
    zones
        ``"city"`` only: the metric measures (:func:`yrdnet.uncertainty.measures`) are
        defined on the 41 cities.
    metric_choices
        Metric-side choices to draw (default :data:`yrdnet.uncertainty.CHOICES`); a
        choice not drawn takes its value in :data:`DEFAULT_CHOICE`. With a composite,
        its normalisation (``bounds`` / ``minmax`` / ``zscore``,
        :class:`yrdnet.analysis.composite.CompositeOptions`) is drawn too.
    composite_base
        A scenario routed in every draw beside ``scenarios`` (default
        ``baseline_2010``): with them, the reference set of the min-max and z-score
        normalisations of the composite (arithmetic, equal weights); ``None`` leaves the
        composite out.
    client
        A ``distributed.Client``: the distinct travel-time draws are routed on its
        workers, one task per draw (the metric choices are then evaluated here); the
        result is the same as in-process. Needs ``pip install "yrdnet[dask]"``.
    progress
        Show a progress bar over the draws (never when ``settings.quiet`` or
        ``$YRDNET_QUIET=1``).

    Returns
    -------
    UncertaintyResult
        ``spread``, ``sensitivity``, ``conclusions``, ``draws``, ``ranges``.

    Raises
    ------
    ValueError
        On fewer than two scenarios, an unknown parameter or method, ``n`` outside
        ``[1, MAX_N]`` (:data:`MAX_N`), a seed outside ``[0, 2**32)`` or zones other
        than ``"city"``.
    TypeError
        If ``scenarios`` is a single name (not a list of names) or ``client`` is not a
        Dask client.

    Notes
    -----
    Cost: one graph build and routing per scenario for every *distinct* travel-time draw
    (about 0.6 s each at city level: graph build, routing and station times). Sobol rows
    that vary only a metric choice reuse the travel times of their base row, so a Sobol
    run routes :math:`N (2 + D_{model})` times. A conclusion's share counts every row of
    the sample (the Saltelli rows are each a uniform draw of every parameter); with
    small ``n`` the Sobol indices are rough and their intervals say so. The composite
    uses equal weights; its weight uncertainty is in
    :func:`yrdnet.plans.metric_choices.composite_robustness`.

    Examples
    --------
    >>> res = uncertainty(n=8)  # doctest: +SKIP
    >>> res.conclusions  # doctest: +SKIP
    """
    t0 = time.perf_counter()
    scenarios = [str(s) for s in as_sequence(scenarios, "scenarios", "scenario names")]
    if len(scenarios) < 2:
        raise ValueError(f"uncertainty needs at least two scenarios (base, plan), got {scenarios}")
    if zones != "city":
        raise ValueError(f"zones must be 'city' (the metric measures are defined on cities), got {zones!r}")
    if method not in ("sobol", "montecarlo"):
        raise ValueError(f"method must be 'sobol' or 'montecarlo', got {method!r}{did_you_mean(method, _METHODS)}")
    n = _check_n((8 if method == "sobol" else 64) if n is None else n)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    if client is not None and not (hasattr(client, "map") and hasattr(client, "gather")):
        raise TypeError(f"client must be a distributed.Client, got {type(client).__name__}")
    model = _model_ranges(params)
    metric = {k: tuple(v) for k, v in (CHOICES if metric_choices is None else metric_choices).items()}
    unknown = set(metric) - set(DEFAULT_CHOICE)
    if unknown:
        raise ValueError(f"metric_choices: unknown {sorted(unknown)}; expected some of {list(DEFAULT_CHOICE)}")
    if composite_base is not None:
        metric["composite_normalisation"] = ("bounds", "minmax", "zscore")
    space = _Space.build(model, metric)
    if not space.names:
        raise ValueError("nothing to draw: params and metric_choices are both empty")
    X = _sample(space, n, method, seed)
    routed = list(dict.fromkeys([*([composite_base] if composite_base else []), *scenarios]))
    modes = sorted({str(m) for m in metric.get("mode", (DEFAULT_CHOICE["mode"],))})
    router = _Router(routed, modes)
    log.info("uncertainty: %d draws of %d parameters over %s (%s)", len(X), len(space.names), scenarios, method)
    decoded = [space.decode(x) for x in X]
    router.prefetch([{k: float(cast(float, d[k])) for k in model} for d in decoded], client)
    rows = _bar(decoded, _show(progress), "uncertainty", unit="draw")
    values = [_evaluate_row(d, list(model), router, scenarios, composite_base) for d in rows]
    log.info("uncertainty: %d distinct travel-time draws routed", len(router.cache))
    seconds = time.perf_counter() - t0
    return _result(space, X, decoded, values, scenarios, n_model=len(model), method=method, seed=seed, seconds=seconds)


def _result(
    space: _Space, X: np.ndarray, decoded: list[dict[str, object]], values: list[dict[tuple[str, str], float]],
    scenarios: Sequence[str], *, n_model: int, method: str, seed: int, seconds: float,
) -> UncertaintyResult:  # fmt: skip
    """The tables of :func:`uncertainty` from the draws and their indicator values."""
    indicators = [k for k in INDICATORS if (k, scenarios[0]) in values[0]]
    base, plan = scenarios[0], scenarios[-1]
    change = f"{plan} - {base}"
    draws = pd.DataFrame(decoded, columns=list(space.names))
    draws.insert(0, "draw", np.arange(len(X)))
    cols: dict[str, np.ndarray] = {
        _col(i, s): np.array([v[(i, s)] for v in values]) for i in indicators for s in scenarios
    }
    cols |= {_col(i, change): cols[_col(i, plan)] - cols[_col(i, base)] for i in indicators}
    draws = pd.concat([draws, pd.DataFrame(cols)], axis=1)
    outputs = [*scenarios, change]
    sens = [
        _analyse(space, X, draws[_col(i, o)].to_numpy(float), method, seed).assign(indicator=i, output=o)
        for i in indicators
        for o in outputs
    ]
    sensitivity = pd.concat(sens, ignore_index=True)
    first = ["indicator", "output"]
    sensitivity = sensitivity[[*first, *[c for c in sensitivity.columns if c not in first]]]
    return UncertaintyResult(
        spread=_spread(draws, indicators, outputs),
        sensitivity=sensitivity,
        conclusions=_conclusions(draws, indicators, base, plan),
        draws=draws,
        ranges=_ranges_table(space, n_model),
        method=method,
        seconds=seconds,
    )


make_callable(__name__, uncertainty)  # yrdnet.uncertainty(...) as the issues write it
