"""Variance-based sensitivity with SALib: the sample design and the indices (private).

Used by :mod:`yrdnet.model_uncertainty`; the references are in its docstring (Saltelli
et al. 2010; Herman & Usher 2017; McKay et al. 1979; Tarantola et al. 2006).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

__all__: list[str] = []


@dataclass(frozen=True)
class _Space:
    """Named parameters: continuous ``(low, high)`` or categorical (a tuple of values)."""

    names: tuple[str, ...]
    domains: tuple[tuple[float, float] | tuple[object, ...], ...]
    categorical: tuple[bool, ...]

    @classmethod
    def build(
        cls, continuous: Mapping[str, tuple[float, float]], categorical: Mapping[str, Sequence[object]]
    ) -> _Space:
        names = tuple(continuous) + tuple(categorical)
        doms = tuple(tuple(v) for v in continuous.values()) + tuple(tuple(v) for v in categorical.values())
        return cls(names, doms, (False,) * len(continuous) + (True,) * len(categorical))

    def problem(self) -> dict[str, Any]:
        bounds = [
            [0.0, 1.0] if c else [float(cast(float, d[0])), float(cast(float, d[1]))]
            for d, c in zip(self.domains, self.categorical, strict=True)
        ]
        return {"num_vars": len(self.names), "names": list(self.names), "bounds": bounds}

    def decode(self, x: np.ndarray) -> dict[str, object]:
        out: dict[str, object] = {}
        for v, n, d, c in zip(x, self.names, self.domains, self.categorical, strict=True):
            out[n] = d[min(int(float(v) * len(d)), len(d) - 1)] if c else float(v)
        return out


def _sample(space: _Space, n: int, method: str, seed: int) -> np.ndarray:
    from SALib.sample import latin  # type: ignore[import-untyped,unused-ignore]
    from SALib.sample import sobol as sobol_sample  # type: ignore[import-untyped,unused-ignore]

    if method == "sobol":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns when n is not a power of 2
            return np.asarray(sobol_sample.sample(space.problem(), n, calc_second_order=False, seed=seed))
    if method == "montecarlo":
        return np.asarray(latin.sample(space.problem(), n, seed=seed))
    raise ValueError(f"method must be 'sobol' or 'montecarlo', got {method!r}")


def _analyse(space: _Space, X: np.ndarray, Y: np.ndarray, method: str, seed: int) -> pd.DataFrame:
    """S1 / ST with confidence half-widths for one output (NaN where Y does not vary)."""
    from SALib.analyze import rbd_fast  # type: ignore[import-untyped,unused-ignore]
    from SALib.analyze import sobol as sobol_analyze  # type: ignore[import-untyped,unused-ignore]

    D = len(space.names)
    nan = np.full(D, np.nan)
    res = {"S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan}
    enough = method == "sobol" or len(Y) >= 8  # RBD-FAST needs N > 2M harmonics
    if np.all(np.isfinite(Y)) and np.ptp(Y) > 0 and enough:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if method == "sobol":
                r = sobol_analyze.analyze(space.problem(), Y, calc_second_order=False, seed=seed)
                res = {k: np.asarray(r[k], float) for k in res}
            else:
                r = rbd_fast.analyze(space.problem(), X, Y, M=max(1, min(10, len(Y) // 4)), seed=seed)
                res = {
                    "S1": np.asarray(r["S1"], float),
                    "S1_conf": np.asarray(r["S1_conf"], float),
                    "ST": nan,
                    "ST_conf": nan,
                }
    return pd.DataFrame(
        {
            "parameter": list(space.names),
            "first_order_S1": res["S1"],
            "first_order_S1_conf95": res["S1_conf"],
            "total_ST": res["ST"],
            "total_ST_conf95": res["ST_conf"],
        }
    )


def sensitivity_indices(
    func: Callable[[np.ndarray], np.ndarray],
    bounds: Mapping[str, tuple[float, float]],
    n: int,
    *,
    method: str = "sobol",
    seed: int = 0,
) -> pd.DataFrame:
    r"""First-order and total Sobol indices of a vectorised function (the wrapper :func:`uncertainty` uses).

    Parameters
    ----------
    func
        Takes the sample, shape ``(rows, D)`` in the order of ``bounds``, and returns one
        output per row.
    bounds
        ``{name: (low, high)}``: independent uniform inputs.
    n
        Base sample size :math:`N` (Sobol: :math:`N (D + 2)` rows; Monte Carlo: ``n`` rows).
    method
        ``"sobol"`` (Saltelli sampling, S1 and ST) or ``"montecarlo"`` (Latin hypercube,
        RBD-FAST S1 only).
    seed
        Seed of the sample and of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per input: ``first_order_S1``, ``first_order_S1_conf95``, ``total_ST``,
        ``total_ST_conf95``.

    Examples
    --------
    >>> f = lambda X: X[:, 0] + 0.0 * X[:, 1]
    >>> s = sensitivity_indices(f, {"a": (0, 1), "b": (0, 1)}, 256)
    >>> s["total_ST"].round(2).tolist()
    [1.0, 0.0]
    """
    space = _Space.build(dict(bounds), {})
    X = _sample(space, n, method, seed)
    Y = np.asarray(func(X), dtype=float)
    return _analyse(space, X, Y, method, seed)
