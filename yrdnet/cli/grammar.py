"""The one grammar of the ``yrdnet`` command line: shared options, examples, zone names.

Every command that can use them declares ``--zones``, ``--scope`` and ``--out`` through
:func:`add_zones`, :func:`add_scope` and :func:`add_out`, so they read and behave the same
everywhere. ``--zones`` accepts one level (``city``/``county``) or, where a command runs
several (``demo``), a comma list. Each command has its own short examples block
(:data:`EXAMPLES`). Zones named on the command line (``trip … Hefei 上海``) are resolved by
:func:`zone_id`: an adcode, an English or a Chinese name.
"""

from __future__ import annotations

import argparse
from functools import cache

import pandas as pd

from yrdnet.core.validation import did_you_mean
from yrdnet.region.datasets import load_cities, load_counties

__all__ = ["EXAMPLES", "LEVELS", "add_out", "add_scope", "add_zones", "epilog", "zone_id", "zone_levels"]

LEVELS = ("city", "county")

#: One short examples block per subcommand (``yrdnet COMMAND --help``).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "build": (
        "yrdnet build baseline_2025 --out results/graphs        GraphML + GeoPackage",
        "yrdnet build plan_2035 --zones county      305 county zones -> plan_2035_county.graphml",
    ),
    "analyze": (
        "yrdnet analyze plan_2035 --out results/plan_2035",
        "yrdnet analyze my_plan.toml --scope central --zones county",
    ),
    "compare": ("yrdnet compare baseline_2025 plan_2035 north_yangtze_hsr --out results/compare",),
    "map": ("yrdnet map plan_2035 --base baseline_2025 --out results/maps",),
    "timeline": ("yrdnet timeline --out results/timeline",),
    "targets": ("yrdnet targets baseline_2020 plan_2035       fastest train and door to door",),
    "trip": (
        "yrdnet trip baseline_2025 Hefei Shanghai --mode rail",
        "yrdnet trip plan_2035 合肥 310000                       names or adcodes",
    ),
    "gtfs": ("yrdnet gtfs plan_2035 --out plan_2035_gtfs.zip   for R5 or OpenTripPlanner",),
    "scenarios": ("yrdnet scenarios",),
    "roads": ('yrdnet roads fetch --area "Suzhou, Jiangsu, China" --out results/osm_suzhou',),
    "sweep": (
        "yrdnet sweep baseline_2025 plan_2035 --zones county",
        "yrdnet sweep --candidates --combinations --k 8 --workers 2",
    ),
    "uncertainty": ("yrdnet uncertainty baseline_2025 plan_2035 --n 8 --method sobol --seed 1",),
    "best-plan": ("yrdnet best-plan --budget 3000 --method greedy     best package within 3000 亿元",),
    "demo": ("yrdnet demo --out results --zones city        the job behind `make demo`",),
}


#: The examples of ``yrdnet --help``: the analyst's first steps, then where the rest is.
TOP = (
    "yrdnet scenarios                                   list shipped scenarios",
    "yrdnet analyze plan_2035 --out results/plan_2035   tables (CSV, GeoPackage, JSON)",
    "yrdnet compare baseline_2025 plan_2035 --out results/compare",
    "yrdnet demo --out results                          the whole job behind `make demo`",
    "yrdnet COMMAND --help                              the options and examples of one command",
)


def epilog(command: str | None = None) -> str | None:
    """The examples block of ``command`` (``None``: of ``yrdnet`` itself; no command, ``None``)."""
    lines = TOP if command is None else EXAMPLES.get(command)
    return "examples:\n" + "\n".join(f"  {x}" for x in lines) if lines else None


def zone_levels(text: str) -> tuple[str, ...]:
    """``"city,county"`` -> ``("city", "county")``; an argparse type (bad levels exit 2)."""
    levels = tuple(dict.fromkeys(x.strip() for x in str(text).split(",") if x.strip()))
    bad = [x for x in levels if x not in LEVELS]
    if bad or not levels:
        msg = f"expected city and/or county, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return levels


def _one_level(text: str) -> str:
    levels = zone_levels(text)
    if len(levels) != 1:
        msg = f"this command runs one zone level: city or county, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return levels[0]


def add_zones(p: argparse.ArgumentParser, *, several: bool = False, default: str = "city") -> None:
    """``--zones``: one level (a str), or with ``several`` a comma list (a tuple of levels)."""
    if several:
        p.add_argument(
            "--zones", default=zone_levels(default), type=zone_levels, metavar="LEVELS",
            help=f"zone levels to run, comma-separated: city, county (default: {default})",
        )  # fmt: skip
        return
    p.add_argument(
        "--zones", default=default, type=_one_level, metavar="{city,county}",
        help="zone level: 41 cities or 305 districts and counties (default: %(default)s)",
    )  # fmt: skip


def add_scope(p: argparse.ArgumentParser) -> None:
    """``--scope``: the area the region indices are computed over."""
    p.add_argument(
        "--scope", default="yrd",
        help="area of the region indices: yrd, central, a metro id or a corridor id such as g60 (default: %(default)s)",
    )  # fmt: skip


def add_out(p: argparse.ArgumentParser, default: str | None, what: str = "output folder") -> None:
    """``--out``: where the command writes (``default`` ``None``: derived, said in ``what``)."""
    shown = " (default: %(default)s)" if default is not None else ""
    p.add_argument("--out", default=default, help=f"{what}{shown}")


@cache
def _names(level: str) -> pd.DataFrame:
    table = load_cities() if level == "city" else load_counties()
    return table[["name_zh", "name_en"]]


def _forms(name_zh: str, name_en: str) -> set[str]:
    """The spellings that name one zone: full and without its administrative suffix."""
    en = name_en.casefold()
    out = {name_zh, en, en.split(" (")[0]}  # "Taizhou (Jiangsu)": also "taizhou" (then ambiguous)
    out.add(name_zh.rstrip("市区县") if len(name_zh) > 2 else name_zh)
    for suffix in (" district", " county", " city"):
        if en.endswith(suffix):
            out.add(en.removesuffix(suffix))
    return out


def zone_id(text: str, level: str = "city", *, what: str = "zone") -> int:
    """The adcode of a zone given by adcode, English name or Chinese name.

    Parameters
    ----------
    text
        ``"340100"``, ``"Hefei"``, ``"hefei"``, ``"合肥市"`` or ``"合肥"``.
    level
        ``"city"`` (41 cities) or ``"county"`` (305 districts and counties).
    what
        What the zone is, for the error message (e.g. ``"origin"``).

    Returns
    -------
    int
        The adcode.

    Raises
    ------
    ValueError
        Unknown or ambiguous: names the text, the closest names and, if ambiguous, the adcodes.
    """
    table = _names(level)
    s = str(text).strip()
    if s.isdigit():
        if int(s) in table.index:
            return int(s)
        raise ValueError(f"unknown {what} adcode {s} at {level} level{did_you_mean(s, table.index)}")
    rows = zip(table.index, table["name_zh"], table["name_en"], strict=True)
    hits = [int(a) for a, zh, en in rows if s.casefold() in _forms(str(zh), str(en))]
    if len(hits) == 1:
        return hits[0]
    if hits:
        both = ", ".join(f"{a} ({table.at[a, 'name_en']!s}, {table.at[a, 'name_zh']!s})" for a in hits)
        raise ValueError(f"{what} {s!r} names {len(hits)} {level} zones: {both}; give the adcode")
    names = [*table["name_en"], *table["name_zh"]]
    raise ValueError(f"unknown {what} {s!r}: not a {level} adcode, English or Chinese name{did_you_mean(s, names)}")
