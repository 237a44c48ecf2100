"""The indicator registry: every result column and region row declared once.

Each :class:`Indicator` names a key (a pattern whose ``{mode}``, ``{size}``, ``{t}``,
``{centre}``, ``{part}``, ``{k}``, ``{mass}`` and ``{pillar}`` placeholders expand to
the values listed in :data:`PLACEHOLDERS`), its group, unit, scale (``zone``/``city``
columns, ``metro`` columns of ``.metros``, ``region`` rows), a label in words for maps
and reports, a description, its reference, the function computing it, its name in words
and the assembly step of :func:`yrdnet.analyze` that produces it.

Two names per indicator
-----------------------
The **key** (``pot_exp_pop_multimodal``, ``watt_pop_rail``) is compact and stable: result
tables, maps, comparisons, timelines, the composite and the targets use it, and scripts
written against it keep working. The **name in words** (``potential_accessibility_multimodal``,
``weighted_average_travel_time_rail``) follows one rule for zone and city columns, metro
columns and region rows alike: the entry's ``words`` pattern with each placeholder
replaced by its value in words (:data:`PLACEHOLDER_WORDS`, otherwise the value itself).
:func:`words` and :func:`key_from_words` translate one into the other (the mapping is
one to one; a key declared at two scales has one name), and
:meth:`yrdnet.ScenarioResult.readable` renames a result table.

:func:`lookup` finds the entry of a concrete key, :func:`label` gives the words and unit
for a legend, :func:`dictionary` the table ``columns.csv`` a result folder carries, and
:func:`to_markdown` renders ``docs/indicators.md`` (``tools/make_indicator_docs.py``; a
test keeps it up to date). A test also checks that every region row and measure column
that :func:`yrdnet.analyze` produces is declared here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cache, lru_cache

import pandas as pd

from yrdnet.analysis.registry import REGISTRY, Indicator
from yrdnet.core.cache import register_cache
from yrdnet.core.validation import did_you_mean

__all__ = [
    "ATTRIBUTES",
    "LANGS",
    "PLACEHOLDERS",
    "PLACEHOLDER_WORDS",
    "REGISTRY",
    "UNITS_ZH",
    "Indicator",
    "concrete_keys",
    "dictionary",
    "key_from_words",
    "label",
    "lookup",
    "readable",
    "region_meta",
    "registry_table",
    "to_markdown",
    "words",
]

PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "mode": ("multimodal", "rail", "road"),
    "size": ("population", "gdp", "potential", "betweenness"),
    "t": ("60", "120", "180"),
    "centre": ("shanghai", "nanjing", "hangzhou", "hefei"),
    "part": ("within", "between"),
    "k": ("s2", "s4", "s11"),
    "mass": ("pop", "gdp"),
    "pillar": ("core_hierarchy", "metro_integration", "intercity_linkage", "core_hinterland_equity"),
}

#: Placeholders any region fills with its own values (its centres' keys, :attr:`yrdnet.Region.centres`):
#: a key matches any such word; :data:`PLACEHOLDERS` lists the shipped region's for the docs.
_OPEN: dict[str, str] = {"centre": r"[a-z][a-z0-9_]*"}

#: Placeholder values in a name in words, where the key's value is an abbreviation.
PLACEHOLDER_WORDS: dict[str, dict[str, str]] = {
    "mass": {"pop": "population"},
    "size": {"potential": "potential_accessibility"},
}

#: Placeholder values in labels and descriptions (text for a reader).
_PLACEHOLDER_TEXT: dict[str, dict[str, str]] = {
    "mass": {"pop": "population", "gdp": "GDP"},
    "size": {"gdp": "GDP", "potential": "potential accessibility"},
    "centre": {c: c.title() for c in PLACEHOLDERS["centre"]},
    "k": {"s2": "S2", "s4": "S4", "s11": "S11"},
    "pillar": {p: p.replace("_", " ") for p in PLACEHOLDERS["pillar"]},
}

#: Placeholder values in Chinese labels (other values, such as ``{t}`` or another region's centre, as they are).
_PLACEHOLDER_TEXT_ZH: dict[str, dict[str, str]] = {
    "mode": {"multimodal": "多式联运", "rail": "铁路", "road": "公路"},
    "mass": {"pop": "人口", "gdp": "GDP"},
    "size": {"population": "人口", "gdp": "GDP", "potential": "潜力可达性", "betweenness": "介数中心性"},
    "centre": {"shanghai": "上海", "nanjing": "南京", "hangzhou": "杭州", "hefei": "合肥"},
    "part": {"within": "都市圈内", "between": "都市圈间"},
    "k": {"s2": "S2", "s4": "S4", "s11": "S11"},
    "pillar": {"core_hierarchy": "核心层级", "metro_integration": "都市圈一体化",
               "intercity_linkage": "城际联系", "core_hinterland_equity": "核心-腹地公平"},
}  # fmt: skip

#: How an English label names a mode: "by rail", "by road", but door to door over every mode for
#: ``multimodal`` (``"by {mode}"`` in a label becomes one of these; "by multimodal" is not English).
_MODE_PHRASE: dict[str, str] = {"multimodal": ", door to door, multimodal", "rail": " by rail", "road": " by road"}
#: The same in descriptions, where the phrase sits inside a sentence.
_MODE_PHRASE_TEXT: dict[str, str] = {
    "multimodal": "door to door by any mix of modes",
    "rail": "by rail",
    "road": "by road",
}

#: Units in Chinese, for Chinese legends and axes.
UNITS_ZH: dict[str, str] = {
    "min": "分钟", "persons": "人", "persons/min or GDP/min": "人/分钟或GDP/分钟", "share": "比例",
    "ratio": "比值", "index": "指数", "1/min": "1/分钟", "trains/day": "列/日", "cities": "个城市",
    "zones": "个区划", "pairs": "对", "slope": "斜率", "score": "得分", "min/year": "分钟/年", "rank": "位次",
    "correlation": "相关系数",
}  # fmt: skip

#: Languages of :func:`label`.
LANGS = ("en", "zh")

#: Columns of the result tables that are attributes of a zone, city or metro, not
#: measures: ``name -> (unit, description)``. Their names are already words.
ATTRIBUTES: dict[str, tuple[str, str]] = {
    "name_zh": ("", "name in Chinese"),
    "name_en": ("", "name in English"),
    "province": ("", "province or provincial-level city"),
    "lon": ("degrees", "longitude of the centre or seat (WGS 84)"),
    "lat": ("degrees", "latitude of the centre or seat (WGS 84)"),
    "population": ("persons", "population (the masses of the analysis; data/cities.csv or the zone table)"),
    "gdp": ("CNY 100 million", "gross domestic product (data/cities.csv or the zone table)"),
    "central_area": ("", "in the 27-city central area of the 2019 YRD Integration Outline"),
    "source": ("", "source of the city row (data/cities.csv)"),
    "metros": ("", "metropolitan areas the zone belongs to, separated by ';'"),
    "city": ("", "adcode of the parent city"),
    "kind": ("", "district, county-level city or county"),
    "population_2010": ("persons", "2010 census population"),
    "urban": ("persons", "urban population (2020 census)"),
    "rural": ("persons", "rural population (2020 census)"),
    "label": ("", "short label for maps"),
    "n_zones": ("zones", "zones aggregated into the city"),
    "core": ("", "adcode of the metropolitan core zone"),
}

#: Attribute columns in Chinese (columns.csv).
_ATTRIBUTES_ZH: dict[str, str] = {
    "name_zh": "中文名称", "name_en": "英文名称", "province": "省份", "lon": "经度", "lat": "纬度",
    "population": "人口", "gdp": "地区生产总值", "central_area": "中心区", "source": "来源",
    "metros": "所属都市圈", "city": "所属城市", "kind": "行政区划类型", "population_2010": "2010年人口",
    "urban": "城镇人口", "rural": "乡村人口", "label": "地图标注", "n_zones": "区划数", "core": "核心区划",
}  # fmt: skip

#: Scale groups: zone and city columns share one table layout.
_SCALES = {"zone": ("zone", "city"), "city": ("zone", "city"), "metro": ("metro",), "region": ("region",)}


def _pattern(key: str) -> re.Pattern[str]:
    out = re.escape(key)
    for name, values in PLACEHOLDERS.items():
        alternatives = _OPEN.get(name, "|".join(map(re.escape, values)))
        out = out.replace(re.escape("{" + name + "}"), "(?P<" + name + ">" + alternatives + ")")
    return re.compile(out + r"\Z")


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], Indicator], ...]:
    return tuple((_pattern(i.key), i) for i in REGISTRY)


def lookup(key: str, scale: str | None = None) -> tuple[Indicator, dict[str, str]] | None:
    """The registry entry of a concrete key and its placeholder values, or ``None``.

    Parameters
    ----------
    key
        A concrete key (``"watt_pop_rail"``).
    scale
        ``"zone"`` or ``"city"`` (a column of ``.cities`` / ``.zones``), ``"metro"``
        or ``"region"``: the entry declared at that scale; ``None`` takes the first
        entry whatever its scale (a few keys, such as ``reachable_share_pop_rail``, are
        both a zone column and a region row).

    Examples
    --------
    >>> ind, vals = lookup("watt_pop_rail")
    >>> ind.unit, vals["mode"]
    ('min', 'rail')
    """
    scales = _SCALES.get(scale, ()) if scale is not None else None
    if scale is not None and not scales:
        msg = f"unknown scale {scale!r}; expected one of {list(_SCALES)}"
        raise ValueError(msg)
    hit = _matched(key, scale) if isinstance(key, str) else _match(key, scales)
    return None if hit is None else (hit[0], dict(hit[1]))


def _match(key: str, scales: tuple[str, ...] | None) -> tuple[Indicator, tuple[tuple[str, str], ...]] | None:
    """The first registry entry (of ``scales``) whose pattern matches ``key``, and its placeholder values."""
    for pat, ind in _compiled():
        if scales is not None and ind.scale not in scales:
            continue
        m = pat.match(key)
        if m:
            return ind, tuple((k, v) for k, v in m.groupdict().items() if v is not None)
    return None


@lru_cache(maxsize=8192)
def _matched(key: str, scale: str | None) -> tuple[Indicator, tuple[tuple[str, str], ...]] | None:
    """:func:`_match`, kept per key (the registry is fixed; an analysis looks up the same columns each time)."""
    return _match(key, _SCALES[scale] if scale is not None else None)


_FIELD = re.compile(r"\{(\w+)\}")


def _fill(text: str, vals: dict[str, str], table: dict[str, dict[str, str]]) -> str:
    """``text`` with each ``{placeholder}`` replaced by its value (through ``table``)."""
    return _FIELD.sub(lambda m: table.get(m.group(1), {}).get(vals[m.group(1)], vals[m.group(1)]), text)


def _label_text(ind: Indicator, vals: dict[str, str], lang: str = "en") -> str:
    """The label of an entry with its placeholders filled, in English or Chinese."""
    if lang == "zh":
        return _fill(ind.label_zh or ind.label, vals, _PLACEHOLDER_TEXT_ZH)
    if "mode" in vals:
        text = ind.label.replace(" by {mode}", "{by_mode}")
        return _fill(text, {**vals, "by_mode": vals["mode"]}, {**_PLACEHOLDER_TEXT, "by_mode": _MODE_PHRASE})
    return _fill(ind.label, vals, _PLACEHOLDER_TEXT)


def _description_text(ind: Indicator, vals: dict[str, str]) -> str:
    """The description of an entry with its placeholders filled ("by {mode}" read as a phrase)."""
    if "mode" in vals:
        text = ind.description.replace("by {mode}", "{by_mode}")
        return _fill(text, {**vals, "by_mode": vals["mode"]}, {**_PLACEHOLDER_TEXT, "by_mode": _MODE_PHRASE_TEXT})
    return _fill(ind.description, vals, _PLACEHOLDER_TEXT)


def label(key: str, *, unit: bool = True, lang: str = "en") -> str:
    """Words for a key (for a legend, an axis or a title), with its unit; the key if unknown.

    Parameters
    ----------
    key
        A concrete key (``"pot_exp_pop_rail"``).
    unit
        Append the unit in parentheses.
    lang
        ``"en"`` (English) or ``"zh"`` (Chinese: the standard term of the field, the unit
        in Chinese in full-width parentheses).

    Raises
    ------
    ValueError
        If ``lang`` is not one of :data:`LANGS`.

    Examples
    --------
    >>> label("pot_exp_pop_rail")
    'potential accessibility by rail (persons)'
    >>> label("watt_pop_multimodal", unit=False)
    'weighted average travel time, door to door, multimodal'
    >>> label("pot_exp_pop_multimodal", lang="zh")
    '多式联运潜力可达性（人）'
    """
    if lang not in LANGS:
        msg = f"lang should be one of {LANGS}, got {lang!r}"
        raise ValueError(msg)
    hit = lookup(key)
    if hit is None:
        return key
    ind, vals = hit
    text = _label_text(ind, vals, lang)
    if not (unit and ind.unit):
        return text
    return f"{text}（{UNITS_ZH.get(ind.unit, ind.unit)}）" if lang == "zh" else f"{text} ({ind.unit})"


@lru_cache(maxsize=4096)
def region_meta(key: str) -> tuple[Indicator, str]:
    """The region-scale entry of a region row and its description with the placeholders filled (kept per key).

    Raises
    ------
    ValueError
        If ``key`` is not declared as a region row.
    """
    hit = lookup(key, "region")
    if hit is None:
        msg = f"region row {key!r} is not declared in yrdnet.indicators.REGISTRY (scale 'region')"
        raise ValueError(msg)
    ind, vals = hit
    return ind, _description_text(ind, vals)


def concrete_keys(ind: Indicator) -> list[str]:
    """Every concrete key of an entry: its pattern expanded over the placeholder values."""
    names = _FIELD.findall(ind.key)
    out = []
    for combo in itertools.product(*(PLACEHOLDERS[n] for n in names)):
        vals = dict(zip(names, combo, strict=True))
        out.append(_fill(ind.key, vals, {}))
    return out


@cache
def _words_maps() -> tuple[dict[str, str], dict[str, str]]:
    """Key -> words and words -> key over every concrete key of the registry."""
    to_words: dict[str, str] = {}
    to_key: dict[str, str] = {}
    for ind in REGISTRY:
        names = _FIELD.findall(ind.key)
        for combo in itertools.product(*(PLACEHOLDERS[n] for n in names)):
            vals = dict(zip(names, combo, strict=True))
            k, w = _fill(ind.key, vals, {}), _fill(ind.words, vals, PLACEHOLDER_WORDS)
            if to_words.setdefault(k, w) != w or to_key.setdefault(w, k) != k:
                msg = f"the name in words of {k!r} ({w!r}) is not one to one in the registry"
                raise ValueError(msg)
    for a in ATTRIBUTES:
        to_words.setdefault(a, a)
        to_key.setdefault(a, a)
    return to_words, to_key


register_cache("analysis.indicators.compiled_patterns", _compiled.cache_clear)
register_cache("analysis.indicators.words_maps", _words_maps.cache_clear)


def words(key: str) -> str:
    """The name in words of a key (attributes such as ``population`` are their own name).

    Raises
    ------
    ValueError
        If ``key`` is not declared, naming close matches.

    Examples
    --------
    >>> words("pot_exp_pop_multimodal")
    'potential_accessibility_multimodal'
    >>> words("gini_pot_exp_pop_multimodal")
    'gini_of_potential_accessibility_multimodal'
    """
    to_words, _ = _words_maps()
    if key in to_words:
        return to_words[key]
    msg = f"{key!r} is not a declared key{did_you_mean(key, to_words)}; see docs/indicators.md"
    raise ValueError(msg)


def key_from_words(name: str) -> str:
    """The key of a name in words (the inverse of :func:`words`; a key is returned as it is).

    Raises
    ------
    ValueError
        If ``name`` is neither a declared name in words nor a key.

    Examples
    --------
    >>> key_from_words("weighted_average_travel_time_rail")
    'watt_pop_rail'
    """
    to_words, to_key = _words_maps()
    if name in to_key:
        return to_key[name]
    if name in to_words:
        return name
    msg = f"{name!r} is neither a name in words nor a key{did_you_mean(name, to_key)}; see docs/indicators.md"
    raise ValueError(msg)


def readable(df: pd.DataFrame, *, axis: str = "columns") -> pd.DataFrame:
    """A copy of ``df`` with declared keys renamed to their names in words.

    ``axis="columns"`` renames columns (``.cities``, ``.zones``, ``.metros``),
    ``axis="index"`` the index (``.region``); names not declared stay as they are.
    """
    to_words, _ = _words_maps()
    if axis == "index":
        return df.rename(index=lambda k: to_words.get(str(k), k))
    if axis == "columns":
        return df.rename(columns=lambda k: to_words.get(str(k), k))
    msg = f"axis must be 'columns' or 'index', got {axis!r}"
    raise ValueError(msg)


def dictionary(keys: Iterable[str], scale: str) -> pd.DataFrame:
    """The data dictionary of some columns or rows: key, name in words, label, unit, group, description.

    Parameters
    ----------
    keys
        Column names (``scale`` ``"zone"``, ``"city"`` or ``"metro"``) or region row keys
        (``"region"``).
    scale
        Where the keys come from (see :func:`lookup`).

    Returns
    -------
    pandas.DataFrame
        One row per key in order (``label_zh`` the label in Chinese); attributes get group
        ``attribute``; an undeclared key keeps its key as its name, with empty texts.
    """
    rows = []
    for key in keys:
        k = str(key)
        hit = lookup(k, scale)
        if hit is not None:
            ind, vals = hit
            rows.append({"key": k, "name": words(k), "label": _label_text(ind, vals),
                         "label_zh": _label_text(ind, vals, "zh"), "unit": ind.unit, "group": ind.group,
                         "description": _description_text(ind, vals)})  # fmt: skip
        elif k in ATTRIBUTES:
            unit, desc = ATTRIBUTES[k]
            rows.append({"key": k, "name": k, "label": k.replace("_", " "), "label_zh": _ATTRIBUTES_ZH.get(k, ""),
                         "unit": unit, "group": "attribute", "description": desc})  # fmt: skip
        elif k != "geometry":
            rows.append({"key": k, "name": k, "label": k, "label_zh": "", "unit": "", "group": "", "description": ""})
    return pd.DataFrame(rows, columns=["key", "name", "label", "label_zh", "unit", "group", "description"])


def registry_table() -> pd.DataFrame:
    """The registry as a table (one row per declared key pattern)."""
    return pd.DataFrame([vars(i) for i in REGISTRY])


def to_markdown() -> str:
    """``docs/indicators.md``: every indicator by group, generated from the registry."""
    out = [
        "# yrdnet indicators",
        "",
        "Generated from `yrdnet.indicators.REGISTRY` by `tools/make_indicator_docs.py`; do not edit.",
        "Placeholders: " + "; ".join(f"`{{{k}}}` = {', '.join(v)}" for k, v in PLACEHOLDERS.items()) + ".",
        "",
        "Each indicator has two names. The **key** (first column) is what result tables, CSV files, maps and",
        "scripts use; the **name in words** is the same key read aloud, one rule for every scale: the pattern",
        "with each placeholder replaced by its value ("
        + "; ".join(f"`{k}` {a} → {b}" for k, m in PLACEHOLDER_WORDS.items() for a, b in m.items())
        + ", other values as they are). `ScenarioResult.readable()` renames a table to these names,",
        "`ScenarioResult.index()` accepts either, and every result folder carries `columns.csv`, the",
        "dictionary of its columns and rows. `step` names the assembly step of `analyze()` that produces",
        "the indicator (`yrdnet.analysis.pipeline.STEPS`; `timeline` and `composite` rows come from those functions).",
        "",
    ]
    t = registry_table()
    for group in dict.fromkeys(t["group"]):
        head = ["key", "name in words", "scale", "step", "unit", "label", "label (zh)", "description", "reference",
                "function"]  # fmt: skip
        out += [f"## {group}", "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
        for r in t[t["group"] == group].itertuples(index=False):
            cells = [f"`{r.key}`", f"`{r.words}`", r.scale, r.step, r.unit, r.label, r.label_zh, r.description,
                     r.reference, f"`{r.function}`"]  # fmt: skip
            out.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
        out.append("")
    out += ["## attributes", "", "Columns that describe a zone, city or metropolitan area rather than measure it.", "",
            "| column | unit | description |", "| --- | --- | --- |"]  # fmt: skip
    out += [f"| `{k}` | {u} | {d} |" for k, (u, d) in ATTRIBUTES.items()]
    out.append("")
    return "\n".join(out)
