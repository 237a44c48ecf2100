"""Words on a figure: the registry's words in either language, raw keys found, city labels kept apart.

:func:`indicator_words` and :func:`change_title` turn an indicator key into the words a
figure shows (:func:`yrdnet.analysis.indicators.label`, English or Chinese: ``lang="en"``
or ``"zh"``), :func:`key_words` replaces the keys inside a longer text;
:func:`figure_texts` collects every word drawn on a matplotlib figure and
:func:`raw_keys` finds the registry keys among them (a figure should show an analyst
the registry's words, never ``pot_exp_pop_rail``);
:func:`_declutter` moves colliding city labels apart before a map is saved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend

from yrdnet.analysis.indicators import label, lookup

__all__ = ["change_title", "figure_texts", "indicator_words", "key_words", "raw_keys"]

#: A snake_case token that may be an indicator key (``pot_exp_pop_rail``), inside any text.
_KEY_RE = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


def indicator_words(key: str, lang: str = "en", *, unit: bool = True) -> str:
    """The registry's words for ``key`` in ``lang`` (``"en"`` or ``"zh"``), with its unit; the key if undeclared.

    Examples
    --------
    >>> indicator_words("watt_pop_rail", "zh")
    '铁路加权平均出行时间（分钟）'
    """
    return label(key, unit=unit, lang=lang)


def key_words(text: str, lang: str = "en") -> str:
    """``text`` with every declared key replaced by its words in ``lang``.

    A text that is a key alone gets the words and the unit, a key inside a longer text
    (``"Change in pot_exp_pop_rail"``) its words only.

    Examples
    --------
    >>> key_words("pot_exp_pop_road 2025", "zh")
    '公路潜力可达性 2025'
    """
    s = str(text)
    if _KEY_RE.fullmatch(s) and lookup(s) is not None:
        return label(s, lang=lang)
    return _KEY_RE.sub(lambda m: label(m.group(0), unit=False, lang=lang) if lookup(m.group(0)) else m.group(0), s)


def change_title(key: str, lang: str = "en") -> str:
    """The title of a change map of ``key``: "Change in <words>" or "<words>变化".

    Examples
    --------
    >>> change_title("pot_exp_pop_multimodal", "zh")
    '多式联运潜力可达性变化'
    >>> change_title("watt_pop_rail")
    'Change in weighted average travel time by rail'
    """
    words = indicator_words(key, lang, unit=False)
    return f"{words}变化" if lang == "zh" else f"Change in {words}"


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
    texts, in the order of the axes (inset axes, such as a change map's colour bar, included).
    """
    out: list[str] = []
    axes = fig.get_axes()
    axes += [cast(Axes, c) for ax in axes for c in ax.child_axes if c not in axes]  # inset axes: colour bars
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
