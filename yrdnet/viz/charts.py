"""Charts of indicators over centres and over time (matplotlib), ready for reports.

:func:`plot_rank_size` draws the rank-size distribution of centres with its fitted slope,
:func:`plot_timeline` region indices across scenarios. Like the maps of
:mod:`yrdnet.viz.plot` (which re-exports both), each returns ``(fig, ax)``, labels in
Chinese when a CJK font is installed, and given ``filepath=`` saves atomically at ``dpi``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from yrdnet.viz.mapframe import (
    DATA_NOTE,
    Lang,
    _figure,
    _frame,
    _lang,
    _meta,
    _style,
    _txt,
    _w,
    save_figure,
)

__all__ = ["plot_rank_size", "plot_timeline"]

logger = logging.getLogger(__name__)


# ----------------------------------------------------------------------------- charts
def plot_rank_size(
    sizes: pd.Series | Mapping[str, pd.Series],
    *,
    names: Mapping[Any, str] | pd.Series | None = None,
    label_top: int = 5,
    fit: bool = True,
    title: str | None = None,
    scenario: str | None = None,
    year: int | None = None,
    lang: Lang = "auto",
    ax: Axes | None = None,
    figsize: tuple[float, float] = (6.0, 4.5),
    dpi: int = 200,
    filepath: str | os.PathLike[str] | None = None,
) -> tuple[Figure, Axes]:
    r"""Rank-size chart (log-log) of centres, with the fitted rank-size slope.

    For sizes :math:`P_r` sorted in decreasing order, the fit is the OLS line
    :math:`\ln P_r = \ln C - q \ln r`; the legend gives :math:`q` and :math:`R^2`.
    A flatter slope (smaller :math:`q`) means a more even, more polycentric distribution
    (Meijers 2008). Zero, negative and non-finite sizes are dropped.

    Parameters
    ----------
    sizes
        One Series (index = adcode or name) or a mapping ``{label: Series}`` of several
        (e.g. scenarios or years), each drawn as its own series.
    names
        Labels for the index (adcode → name); the ``label_top`` largest of the first
        series are annotated.
    label_top, fit
        Number of points to annotate; draw the fitted line.
    title, scenario, year, lang, ax, figsize, dpi, filepath
        See :func:`yrdnet.viz.plot.plot_network`.

    Returns
    -------
    tuple
        ``(fig, ax)``.

    References
    ----------
    .. [1] Meijers, E. (2008). Measuring polycentricity and its promises. *European
       Planning Studies*, 16(9), 1313-1323.
    """
    lg = _lang(lang)
    series = {"": sizes} if isinstance(sizes, pd.Series) else dict(sizes)
    first = next(iter(series.values()), pd.Series(dtype=float))
    scenario, year = _meta(first, scenario, year)
    with _style(lg):
        fig, ax = _figure(ax, figsize, dpi, margins=(0.12, 0.97, 0.14, 0.9))
        for j, (lab, s) in enumerate(series.items()):
            v = pd.to_numeric(s, errors="coerce").astype(float)
            v = v[np.isfinite(v) & (v > 0)].sort_values(ascending=False)
            if v.empty:
                continue
            rank = np.arange(1, len(v) + 1, dtype=float)
            text = _txt(lab or getattr(s, "name", "") or "", lg)
            if fit and len(v) >= 2:
                slope, icpt = np.polyfit(np.log(rank), np.log(v.to_numpy()), 1)
                resid = np.log(v.to_numpy()) - (icpt + slope * np.log(rank))
                ss = np.sum((np.log(v.to_numpy()) - np.log(v.to_numpy()).mean()) ** 2)
                r2 = 1 - float(np.sum(resid**2)) / ss if ss > 0 else 1.0
                text = f"{text} q = {-slope:.2f}, R² = {r2:.2f}".strip()
            line = ax.loglog(rank, v.to_numpy(), "o", markersize=4, label=text or None, alpha=0.85)[0]
            if fit and len(v) >= 2:
                ax.loglog(rank, np.exp(icpt) * rank**slope, "--", color=line.get_color(), linewidth=1)
            if j == 0 and label_top > 0:
                for r, (key, val) in zip(rank, v.head(label_top).items(), strict=False):
                    nm = names.get(key, key) if names is not None else key
                    ax.annotate(
                        _txt(nm, lg, key),
                        (r, val),
                        xytext=(4, 2),
                        textcoords="offset points",
                        fontsize=6,
                    )
        ax.set_xlabel("rank" if lg == "en" else "位序")
        ax.set_ylabel("size" if lg == "en" else "规模")
        ax.grid(True, which="both", linewidth=0.3, alpha=0.5)
        if ax.get_legend_handles_labels()[1]:
            ax.legend(loc="upper right", framealpha=0.9)
        _frame(
            ax,
            fig,
            lg,
            title=title or _w("rank", lg),
            scenario=scenario,
            year=year,
            note=DATA_NOTE,
            north=False,
        )
        save_figure(fig, filepath, dpi)
    return fig, ax


def plot_timeline(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    normalize: bool = False,
    ylabel: str | None = None,
    title: str | None = None,
    scenario: str | None = None,
    year: int | None = None,
    lang: Lang = "auto",
    ax: Axes | None = None,
    figsize: tuple[float, float] = (7.0, 4.0),
    dpi: int = 200,
    filepath: str | os.PathLike[str] | None = None,
    direct_labels: bool = False,
) -> tuple[Figure, Axes]:
    """Line chart of indices over years or scenarios.

    Every line has its own style (colour, then dash pattern and marker once the ten
    colours are used up), so up to 60 series stay distinguishable.

    Parameters
    ----------
    df
        Wide table: index = years (numeric, spaced to scale) or scenario names (evenly
        spaced, in the given order); one column per index.
    columns
        Columns to draw (default all numeric columns).
    normalize
        Rescale each column to 100 at its first finite value (compare unlike units).
    ylabel, title, scenario, year, lang, ax, figsize, dpi, filepath
        See :func:`yrdnet.viz.plot.plot_network`.
    direct_labels
        Name each line at its last point (right of the plot, moved apart where they
        would overlap) instead of a legend over the data: for many series.

    Returns
    -------
    tuple
        ``(fig, ax)``.
    """
    lg = _lang(lang)
    cols = list(columns) if columns is not None else list(df.select_dtypes("number").columns)
    unknown = [c for c in cols if c not in df.columns]
    if unknown:
        msg = f"columns {unknown} not in the table; available: {list(df.columns)}"
        raise KeyError(msg)
    data = df[cols].apply(pd.to_numeric, errors="coerce").astype(float)
    if normalize:
        firsts = data.apply(lambda c: c.dropna().iloc[0] if c.notna().any() else np.nan)
        data = 100.0 * data / firsts.where(firsts != 0)
    numeric_x = pd.api.types.is_numeric_dtype(data.index)
    x = data.index.to_numpy(float) if numeric_x else np.arange(len(data))
    scenario, year = _meta(df, scenario, year)
    with _style(lg):
        right = 0.75 if direct_labels else 0.97
        fig, ax = _figure(ax, figsize, dpi, margins=(0.1, right, 0.2, 0.9))
        for i, c in enumerate(cols):
            ax.plot(x, data[c].to_numpy(), markersize=4, linewidth=1.5, label=_txt(c, lg, c), **_line_style(i))
        if not numeric_x:
            rot: dict[str, Any] = {"rotation": 20, "ha": "right"} if len(x) > 4 else {}
            ax.set_xticks(x, [_txt(i, lg, i) for i in data.index], **rot)
            ax.set_xlim(-0.4, len(x) - 0.6)
        elif len(x):
            ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.set_ylabel(_txt(ylabel or ("index (first = 100)" if normalize else "value"), lg))
        ax.grid(True, linewidth=0.3, alpha=0.5)
        if cols and direct_labels:
            _direct_labels(ax, fig, x, data, lg)
        elif cols:
            ax.legend(loc="best", framealpha=0.9)
        _frame(
            ax,
            fig,
            lg,
            title=title or _w("timeline", lg),
            scenario=scenario,
            year=year,
            note=DATA_NOTE,
            north=False,
        )
        save_figure(fig, filepath, dpi)
    return fig, ax


_DASHES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "D", "v", "P")


def _line_style(i: int) -> dict[str, Any]:
    """The ``i``-th line's style: tab10 colour; dash and marker change every ten lines."""
    return {
        "color": f"C{i % 10}",
        "linestyle": _DASHES[(i // 10) % len(_DASHES)],
        "marker": _MARKERS[(i + i // 10) % len(_MARKERS)],
    }


def _direct_labels(ax: Axes, fig: Figure, x: np.ndarray, data: pd.DataFrame, lg: str, size: float = 6.5) -> None:
    """Name each line right of the axes at the height of its last finite point.

    Names are stacked greedily from the bottom so that no two are closer than one line
    of text; each is drawn in its line's colour.
    """
    ax.autoscale_view()
    ends = []
    for i, c in enumerate(data.columns):
        v = data[c].to_numpy(float)
        ok = np.flatnonzero(np.isfinite(v))
        if len(ok):
            y_pt = ax.transData.transform((x[ok[-1]], v[ok[-1]]))[1] * 72 / fig.dpi
            ends.append((y_pt, i, c))
    ends.sort()
    gap, last = size * 1.25, -np.inf
    for y_pt, i, c in ends:
        y = max(y_pt, last + gap)
        last = y
        ax.annotate(
            _txt(c, lg, c),
            xy=(1.0, 0.0),
            xycoords="axes fraction",
            xytext=(6, y - ax.bbox.y0 * 72 / fig.dpi),
            textcoords="offset points",
            va="center",
            fontsize=size,
            color=_line_style(i)["color"],
            annotation_clip=False,
        )
