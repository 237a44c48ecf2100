"""Time-space maps drawn beside geography: where each zone would lie if distance were travel time.

:func:`plot_time_space` draws one panel per year of :class:`yrdnet.metrics.time_space_map.TimeSpaceMap`:
each zone's geographic position (grey) joined to its time-space position (coloured), on
one scale for every panel (one hour = ``speed_kph`` km), so a faster network draws a
smaller region. Saved atomically at ``dpi`` when ``filepath`` is given.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from yrdnet.metrics.time_space_map import TimeSpaceMap
from yrdnet.viz.mapframe import save_figure

__all__ = ["plot_time_space"]


def plot_time_space(
    maps: Mapping[int, TimeSpaceMap],
    *,
    names: Mapping[Any, str] | None = None,
    label: tuple[Any, ...] = (),
    mode: str = "multimodal",
    figsize_per_panel: float = 4.6,
    dpi: int = 200,
    filepath: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw time-space maps of several years side by side, on one scale.

    Parameters
    ----------
    maps
        ``{year: TimeSpaceMap}`` (:func:`yrdnet.metrics.time_space_map.time_space_map`),
        drawn in year order; all must share ``speed_kph``.
    names
        Zone names for the labelled zones.
    label
        Zone ids to label (e.g. the core and sub-centres).
    mode
        The travel mode the times are of (for the title).
    figsize_per_panel, dpi, filepath
        Figure size per panel (inches), resolution, and where to save (atomically).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``maps`` is empty or the maps use different reference speeds.
    """
    if not maps:
        raise ValueError("plot_time_space: no maps given")
    speeds = {m.speed_kph for m in maps.values()}
    if len(speeds) != 1:
        raise ValueError(f"plot_time_space: the maps use different reference speeds {sorted(speeds)}")
    years = sorted(maps)
    fig, axes = plt.subplots(1, len(years), figsize=(figsize_per_panel * len(years), figsize_per_panel + 0.6), dpi=dpi)
    axes = np.atleast_1d(axes)
    pairs = (("x_km", "y_km"), ("geo_x_km", "geo_y_km"))
    every = np.vstack([m.coords[[c, d]].to_numpy() for m in maps.values() for c, d in pairs])
    lo, hi = every.min(axis=0), every.max(axis=0)
    pad = 0.05 * (hi - lo).max()
    for ax, year in zip(axes, years, strict=True):
        c = maps[year].coords
        for gx, gy, tx, ty in c[["geo_x_km", "geo_y_km", "x_km", "y_km"]].itertuples(index=False):
            ax.plot([gx, tx], [gy, ty], color="0.75", lw=0.5, zorder=1)
        ax.scatter(c["geo_x_km"], c["geo_y_km"], s=6, color="0.6", label="geographic position", zorder=2)
        ax.scatter(c["x_km"], c["y_km"], s=10, color="#b2182b", label="time-space position", zorder=3)
        for z in label:
            if z in c.index:
                ax.annotate((names or {}).get(z, str(z)), (c.at[z, "x_km"], c.at[z, "y_km"]), fontsize=7,
                            xytext=(3, 3), textcoords="offset points")  # fmt: skip
        m = maps[year]
        ax.set_title(f"{year}: map scale {m.scale:.2f} of geography\n(stress {m.stress:.2f})", fontsize=9)
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].legend(loc="lower left", fontsize=7, frameon=False)
    speed = next(iter(speeds))
    fig.suptitle(f"Time-space maps by {mode} travel time (1 hour = {speed:.0f} km)", fontsize=11)
    fig.tight_layout(rect=(0.0, 0.0, 1.0, 0.95))
    save_figure(fig, filepath, dpi)
    return fig
