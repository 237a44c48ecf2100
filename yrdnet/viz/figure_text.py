"""Words on a figure: finding raw indicator keys, and keeping city labels apart.

:func:`figure_texts` collects every word drawn on a matplotlib figure and
:func:`raw_keys` finds the registry keys among them (a figure should show an analyst
:func:`yrdnet.analysis.indicators.label`'s words, never ``pot_exp_pop_rail``);
:func:`_declutter` moves colliding city labels apart before a map is saved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from yrdnet.analysis.indicators import lookup

__all__ = ["figure_texts", "raw_keys"]

#: A snake_case token that may be an indicator key (``pot_exp_pop_rail``), inside any text.
_KEY_RE = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


def raw_keys(texts: Sequence[str]) -> list[str]:
    """The indicator keys of the registry found verbatim in ``texts`` (each once, in order).

    Used to check that no figure shows an analyst a raw key instead of its words.
    """
    found: list[str] = []
    for t in texts:
        found += [k for k in _KEY_RE.findall(str(t)) if lookup(k) is not None and k not in found]
    return found


def figure_texts(fig: Figure) -> list[str]:
    """Every word drawn on ``fig``, axes titles first (non-empty, each once).

    Then the suptitle, figure texts, axis labels, legend titles and entries and the axes'
    texts, in the order of the axes.
    """
    out: list[str] = []
    axes = fig.get_axes()
    for ax in axes:
        out += [ax.get_title(loc) for loc in ("left", "center", "right")]
    sup = getattr(fig, "_suptitle", None)
    out += [sup.get_text()] if sup is not None else []
    out += [t.get_text() for t in fig.texts]
    for ax in axes:
        out += [ax.get_xlabel(), ax.get_ylabel()]
        legends = [c for c in ax.get_children() if isinstance(c, Legend)]
        for leg in legends:
            out += [leg.get_title().get_text(), *(t.get_text() for t in leg.get_texts())]
        out += [t.get_text() for t in ax.texts if t.get_gid() != "yrdnet-label"]
    for leg in fig.legends:
        out += [leg.get_title().get_text(), *(t.get_text() for t in leg.get_texts())]
    seen: set[str] = set()
    return [t for t in out if t and not (t in seen or seen.add(t))]  # type: ignore[func-returns-value]


#: Offsets (points) and alignment tried in turn for a city label that collides with another.
_LABEL_SPOTS = ((3, 3, "left"), (3, -9, "left"), (-3, 3, "right"), (-3, -9, "right"), (3, 11, "left"), (3, -17, "left"))


def _declutter(ax: Axes, fig: Figure) -> None:
    """Move colliding city labels (gid ``yrdnet-label``) to the first free spot around their point.

    Greedy, in drawing order: each label keeps its place if it overlaps no label already
    placed, else takes the first of :data:`_LABEL_SPOTS` that is free (or stays put).
    """
    anns = [t for t in ax.texts if t.get_gid() == "yrdnet-label"]
    if len(anns) < 2:
        return
    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    placed: list[Any] = []
    for a in anns:
        for dx, dy, ha in _LABEL_SPOTS:
            a.xyann = (dx, dy)
            a.set_ha(ha)
            box = a.get_window_extent(renderer).expanded(1.05, 1.1)
            if not any(box.overlaps(b) for b in placed):
                break
        else:
            a.xyann, _ = (3, 3), a.set_ha("left")
            box = a.get_window_extent(renderer)
        placed.append(box)
