"""Metadata of model parameters: the one home of what each parameter field means.

Each field of the parameter dataclasses (:class:`yrdnet.TravelTimeModel`,
:class:`yrdnet.MetricParams`, :class:`yrdnet.StructureWeights`) is declared with
:func:`param`, which stores a :class:`ParamInfo` in the field's ``metadata``: the words an
analyst reads (``label``, ``unit``), where the default comes from (``source``), the
**valid** range every constructor and scenario ``[model]`` table is checked against
(hard bounds with their reason) and, for the parameters drawn by
:func:`yrdnet.model_uncertainty.uncertainty`, the **plausible** range drawn from (with
its reason). The readers derive from it: the scenario checks
(:data:`yrdnet.scenarios.checks.MODEL_RANGES`), the uncertainty ranges
(:class:`yrdnet.ModelRanges`), the chart labels
(:data:`yrdnet.viz.plan_charts.PARAMETER_LABELS`) and ``docs/parameters.md``.

Read it with :func:`describe` (one field) or :func:`yrdnet.params.parameter_table` (every
field, one row each).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yrdnet.core.validation import did_you_mean

__all__ = ["KEY", "ParamInfo", "Range", "describe", "info_table", "param", "problems", "to_markdown"]

#: Key of the :class:`ParamInfo` in a dataclass field's ``metadata``.
KEY = "yrdnet"


@dataclass(frozen=True)
class Range:
    """A closed or half-open interval of accepted or drawn values, with why.

    Parameters
    ----------
    low, high
        Bounds; ``math.inf`` for none.
    reason
        Why these bounds (a source, a calibration, or a *stated choice*).
    low_open
        ``True`` when ``low`` itself is excluded (``> low``), e.g. rates that must be positive.
    basis
        A one-line version of ``reason`` for tables (the ``basis`` column of an
        uncertainty run's ``ranges.csv``); empty when ``reason`` is already short.
    """

    low: float
    high: float
    reason: str
    low_open: bool = False
    basis: str = ""

    def __post_init__(self) -> None:
        if not (self.low < self.high) or not self.reason:
            msg = f"Range needs low < high and a reason, got ({self.low!r}, {self.high!r}, {self.reason!r})"
            raise ValueError(msg)

    def __contains__(self, v: object) -> bool:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or math.isnan(v):
            return False
        x = float(v)
        above = x > self.low if self.low_open else x >= self.low
        return above and x <= self.high

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def words(self) -> str:
        """The range in words: ``"positive"``, ``">= 2"`` or ``"a number in [0.3, 1.5]"``."""
        if math.isinf(self.high):
            if self.low == 0 and self.low_open:
                return "positive"
            return f"{'>' if self.low_open else '>='} {self.low:g}"
        return f"a number in {'(' if self.low_open else '['}{self.low:g}, {self.high:g}]"


@dataclass(frozen=True)
class ParamInfo:
    """What one parameter field means (stored in the field's ``metadata``).

    Parameters
    ----------
    label
        Words an analyst reads on a chart or in a table, without the unit.
    unit
        Unit of the value (``"min"``, ``"km/h"``, …); ``""`` for a ratio or a switch.
    source
        Where the default comes from (*calibrated*, *derived*, *assumption*, a citation);
        the class docstring gives the full argument.
    valid
        Hard bounds of a numeric value (each element of a tuple value); ``None`` for a
        switch, a choice or a nested parameter object.
    choices
        The accepted values of a categorical or boolean field.
    plausible
        The range drawn by model uncertainty, or ``None`` where the parameter is not drawn.
    """

    label: str
    unit: str
    source: str
    valid: Range | None = None
    choices: tuple[object, ...] | None = None
    plausible: Range | None = None

    @property
    def axis_label(self) -> str:
        """``label (unit)``, or ``label`` for a unitless parameter."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


def param(
    default: Any = dataclasses.MISSING,
    *,
    label: str,
    unit: str,
    source: str,
    valid: tuple[float, float] | None = None,
    valid_reason: str = "",
    low_open: bool = False,
    choices: tuple[object, ...] | None = None,
    plausible: tuple[float, float] | None = None,
    plausible_reason: str = "",
    plausible_basis: str = "",
    default_factory: Callable[[], Any] | None = None,
) -> Any:
    """A dataclass ``field`` whose ``metadata`` carries a :class:`ParamInfo`.

    Parameters
    ----------
    default, default_factory
        As for :func:`dataclasses.field`.
    label, unit, source, choices
        See :class:`ParamInfo`.
    valid, valid_reason, low_open
        The hard bounds ``(low, high)``, why, and whether ``low`` is excluded.
    plausible, plausible_reason, plausible_basis
        The range drawn by model uncertainty, why, and the same in one line.
    """
    info = ParamInfo(
        label=label,
        unit=unit,
        source=source,
        valid=Range(valid[0], valid[1], valid_reason, low_open=low_open) if valid is not None else None,
        choices=choices,
        plausible=(
            Range(plausible[0], plausible[1], plausible_reason, basis=plausible_basis)
            if plausible is not None
            else None
        ),
    )
    meta = {KEY: info}
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def describe(cls: Any, name: str) -> ParamInfo:
    """The :class:`ParamInfo` of field ``name`` of the parameter dataclass ``cls``.

    Examples
    --------
    >>> from yrdnet import TravelTimeModel
    >>> describe(TravelTimeModel, "max_wait_min").axis_label
    'cap on the wait for a train (min)'
    """
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if name not in fields:
        msg = f"{cls.__name__} has no parameter {name!r}{did_you_mean(name, fields)}"
        raise KeyError(msg)
    info = fields[name].metadata.get(KEY)
    if not isinstance(info, ParamInfo):
        msg = f"{cls.__name__}.{name} carries no parameter metadata"
        raise KeyError(msg)
    return info


def problems(obj: Any) -> list[str]:
    """Every field of ``obj`` outside its valid range or choices, one sentence each."""
    cls = type(obj).__name__
    out = []
    for f in dataclasses.fields(obj):
        info = f.metadata.get(KEY)
        if not isinstance(info, ParamInfo):
            continue
        v = getattr(obj, f.name)
        if info.choices is not None:
            if not any(v == c and type(v) is type(c) for c in info.choices):
                allowed = " or ".join(repr(c) for c in info.choices)
                out.append(f"{cls}.{f.name} must be {allowed}, got {v!r}")
        elif info.valid is not None:
            r = info.valid
            if isinstance(v, (tuple, list)):
                if not v or not all(x in r for x in v):
                    out.append(f"{cls}.{f.name} must be {r.words()} (every value, at least one), got {v!r}")
            elif v not in r:
                out.append(f"{cls}.{f.name} must be {r.words()}, got {v!r} ({r.reason})")
            elif f.type in ("int", int) and float(v) != int(v):
                out.append(f"{cls}.{f.name} must be {_valid_words(info, f)}, got {v!r}")
    return out


def _valid_words(info: ParamInfo, f: dataclasses.Field[Any]) -> str:
    if info.valid is not None:
        words = info.valid.words()
        return words.replace("a number", "a whole number") if f.type in ("int", int) else words
    if info.choices is not None:
        return " or ".join(map(repr, info.choices))
    return f"a {getattr(f.type, '__name__', f.type)}"


def info_table(classes: tuple[type, ...]) -> list[dict[str, Any]]:
    """One record per field of ``classes``: the rows of :func:`yrdnet.params.parameter_table`."""
    rows = []
    for cls in classes:
        for f in dataclasses.fields(cls):
            info = describe(cls, f.name)
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            v, p = info.valid, info.plausible
            rows.append(
                {
                    "class": cls.__name__,
                    "parameter": f.name,
                    "default": default,
                    "unit": info.unit,
                    "label": info.label,
                    "valid_low": v.low if v else math.nan,
                    "valid_high": v.high if v else math.nan,
                    "valid_words": _valid_words(info, f),
                    "valid_reason": v.reason if v else "",
                    "plausible_low": p.low if p else math.nan,
                    "plausible_high": p.high if p else math.nan,
                    "plausible_reason": p.reason if p else "",
                    "source": info.source,
                }
            )
    return rows


def to_markdown(table: Any) -> str:
    """``docs/parameters.md`` from :func:`yrdnet.params.parameter_table` (``table``)."""
    out = [
        "# yrdnet parameters",
        "",
        "Generated from the field metadata of `yrdnet/core/params.py` by `tools/make_parameter_docs.py`;",
        "do not edit. `yrdnet.params.parameter_table()` gives the same as a DataFrame. **valid** is what a",
        "constructor and a scenario's `[model]` table accept (outside it: one error naming the field, the",
        "value and the range); **drawn** is the range `yrdnet.model_uncertainty.uncertainty` draws from",
        "(`yrdnet.ModelRanges`). The class docstrings give the full argument for each default.",
        "",
    ]
    head = ["parameter", "default", "unit", "label", "source of the default", "valid", "why", "drawn", "why drawn"]
    for cls in dict.fromkeys(table.index.get_level_values("class")):
        out += [f"## {cls}", "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for name, r in table.loc[cls].iterrows():
            d = r["default"]
            if dataclasses.is_dataclass(d):
                shown = type(d).__name__ + "()"
            elif isinstance(d, float):
                shown = f"{d:.6g}"
            else:
                shown = repr(d)
            drawn = f"[{r['plausible_low']:g}, {r['plausible_high']:g}]" if r["plausible_reason"] else ""
            cells = [f"`{name}`", shown, r["unit"], r["label"], r["source"], r["valid_words"], r["valid_reason"],
                     drawn, r["plausible_reason"]]  # fmt: skip
            out.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
        out.append("")
    return "\n".join(out)
