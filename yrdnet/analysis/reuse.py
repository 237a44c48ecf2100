"""What :func:`yrdnet.analyze` may reuse across the scenarios of one base (private; for sweeps).

A sweep analyses many scenarios with the same zones, region, masses and parameters: the
zone table, the distances between zone seats, the zones' internal times, the zones
airports attach to, the target table and the region's tables do not change from one
scenario to the next. A :class:`Reuse` holds them once (:meth:`Reuse.get`) for a run
of analyses; the per-scenario part, :attr:`Reuse.rail`, is the scenario's rail pair
graph (:func:`yrdnet.scenarios.prepared_base.rail_pairs`), on which the station times and the train strength are
computed instead of the whole graph (same rows: they read one number per station pair).
Everything here gives results identical to an analysis without it.

Two kinds of memo live in :attr:`Reuse.memo`. :func:`cached` keeps a value under a key
that names everything it depends on and takes few values (zones level, masses, year,
parameters): the zone setup, the seat distances. :func:`last_value` keeps, per *slot*,
the last inputs and their output: a sweep's scenarios that leave an input unchanged
(a rail-only line leaves the road matrix as it was) get the output back, and anything
else recomputes and replaces it, so memory stays one entry per slot over any number
of scenarios. Its inputs are compared by value (:func:`same_value`: numpy arrays and
pandas objects exactly, labels and dtypes included; other objects by ``==``), never by
identity or hash, so a hit is exactly the value a recomputation would give.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.region.datasets import load_targets
from yrdnet.region.region import Region
from yrdnet.routing.matrices import RailLegs

__all__ = ["Reuse", "cached", "last_value", "loaded_region", "same_value"]

V = TypeVar("V")


@dataclass(frozen=True)
class Reuse:
    """Pieces of :func:`yrdnet.analyze` shared by the analyses of one sweep.

    Attributes
    ----------
    region
        The region with every table read once (:func:`loaded_region`).
    memo
        Values keyed by what they depend on (zones level, masses, year, parameters ...);
        filled by :meth:`get`.
    rail
        The analysed graph's rail pair graph (:func:`yrdnet.scenarios.prepared_base.rail_pairs`), or ``None``: the
        whole graph is read.
    trains
        Its city train graph (:func:`yrdnet.scenarios.prepared_base.city_train_graph`:
        one edge per city pair with the daily direct trains), or ``None``: the train
        strength is read off ``rail``.
    legs
        The station halls and rail legs of ``rail``
        (:func:`yrdnet.routing.matrices.rail_legs`), or ``None``: read off ``rail``.
    """

    region: Region
    memo: dict[Hashable, Any] = field(default_factory=dict)
    rail: nx.MultiDiGraph | None = None
    trains: nx.MultiDiGraph | None = None
    legs: RailLegs | None = None

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value under ``key``, made by ``make()`` on first use."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]  # type: ignore[no-any-return]

    def with_rail(
        self, rail: nx.MultiDiGraph | None, trains: nx.MultiDiGraph | None = None, legs: RailLegs | None = None
    ) -> Reuse:
        """The same shared pieces for another scenario's rail pair graph (city train graph, rail legs)."""
        return replace(self, rail=rail, trains=trains, legs=legs)


def cached(reuse: Reuse | None, key: Hashable, make: Callable[[], V]) -> V:
    """``make()``, kept in ``reuse`` under ``key`` when there is one."""
    return make() if reuse is None else reuse.get(key, make)


def same_value(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are exactly the same value (the comparison of :func:`last_value`).

    numpy arrays: same dtype, shape and values (``NaN`` equal to ``NaN``, ``-0.0`` not equal to
    ``0.0``); pandas Series
    and DataFrames: the same, with equal index, columns, dtypes and name; tuples, lists
    and dicts: item by item; indexes by ``equals``; anything else: ``a is b`` or ``a == b``.
    """
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (np.ndarray, pd.Series, pd.DataFrame)):
        return _same_data(a, b)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, pd.Index):
        return bool(a.equals(b))
    return bool(a == b)


def _same_data(a: np.ndarray | pd.Series | pd.DataFrame, b: Any) -> bool:
    """:func:`same_value` of two arrays, two Series or two DataFrames of one type."""
    if isinstance(a, np.ndarray):
        return _same_array(a, b)
    if isinstance(a, pd.Series):
        return a.name == b.name and a.index.equals(b.index) and _same_array(a.to_numpy(), b.to_numpy())
    dtypes = a.dtypes
    if not (a.index.equals(b.index) and a.columns.equals(b.columns) and dtypes.equals(b.dtypes)):
        return False
    kinds = set(dtypes)
    if len(kinds) == 1 and isinstance(dtypes.iloc[0], np.dtype):
        return _same_array(a.to_numpy(), b.to_numpy())  # one numpy dtype: the values as one array
    return all(_same_array(a.iloc[:, k].to_numpy(), b.iloc[:, k].to_numpy()) for k in range(a.shape[1]))


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    """Same dtype, shape and values; ``NaN`` equals ``NaN`` (float arrays)."""
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "c":
        return _same_array(a.real, b.real) and _same_array(a.imag, b.imag)
    if a.dtype.kind == "f":  # and -0.0 is not 0.0: 1 / x tells them apart
        return bool(np.array_equal(a, b, equal_nan=True)) and bool(np.array_equal(np.signbit(a), np.signbit(b)))
    return bool(np.array_equal(a, b))


def last_value(reuse: Reuse | None, slot: Hashable, inputs: tuple[Any, ...], make: Callable[[], V]) -> V:
    """``make()``, or the value kept in ``reuse``'s ``slot`` when it was made from the same ``inputs``.

    A single-slot "last inputs -> output" cache: ``inputs`` must hold everything
    ``make`` reads (matrices, masses, parameters ...); they are compared with the
    kept ones by :func:`same_value`, so a hit returns exactly what ``make()`` would.
    A miss replaces the slot's entry: one entry per slot, however many scenarios.
    The value is shared between hits: callers must not change it in place (pandas
    objects are copied on write).

    Examples
    --------
    >>> r = Reuse(region=None)  # type: ignore[arg-type]
    >>> last_value(r, "double", (np.arange(3.0),), lambda: np.arange(3.0) * 2).tolist()
    [0.0, 2.0, 4.0]
    """
    if reuse is None:
        return make()
    memo_key = ("last_value", slot)
    kept = reuse.memo.get(memo_key)
    if kept is not None and same_value(kept[0], inputs):
        return kept[1]
    out = make()
    reuse.memo[memo_key] = (inputs, out)
    return out


def loaded_region(region: Region) -> Region:
    """A copy of ``region`` whose tables (cities, metros, targets, airports, stations ...) are read once.

    The shipped region reads its tables on every access (each a validated file read);
    the copy holds them, so analyses of many scenarios read them once. Values are
    unchanged.
    """
    out = copy.copy(region)
    targets = region.targets
    out._cities = region.cities
    out._metros = {d: region.metros(d) for d in region.metro_definitions}
    out._targets = targets if targets is None or isinstance(targets, pd.DataFrame) else load_targets(targets)
    out._airports = region.airports
    out._main_stations = region.main_stations
    out._corridors = region.corridors
    out._peripheries = region.peripheries
    out._zones = {lv: region.zones(lv) for lv in region.levels}
    return out
