"""One formatter for every result column name (``acc_pot_exp_pop_multimodal`` ...)."""

from __future__ import annotations

__all__ = ["key"]


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def key(measure: str, mode: str | None = None, **qualifiers: object) -> str:
    """Build a result column name from a measure, its qualifiers and the travel mode.

    Examples
    --------
    >>> key("cum", "rail", pop=None, t=60)
    'cum_pop_t60_rail'
    >>> key("watt", "multimodal", pop=None)
    'watt_pop_multimodal'
    """
    parts = [measure]
    for k, v in qualifiers.items():
        parts.append(k if v is None else f"{k}{_fmt(v)}")
    if mode is not None:
        parts.append(mode)
    return "_".join(parts)
