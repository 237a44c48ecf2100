"""Result containers: :class:`ScenarioResult` and :class:`Comparison`, with atomic writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from yrdnet.analysis.csv_tables import read_table, table_schema
from yrdnet.analysis.indicators import dictionary, key_from_words, label, readable
from yrdnet.core.io import atomic_dir, safe_name, write_csv, write_gpkg, write_json, write_text
from yrdnet.region.region import load_region

__all__ = ["Comparison", "ScenarioResult"]


@dataclass
class ScenarioResult:
    """Everything :func:`yrdnet.analyze` computes for one scenario.

    Every column and region row is named by its key (``pot_exp_pop_multimodal``); each
    key also has a name in words (``potential_accessibility_multimodal``):
    :meth:`readable` renames a table, :meth:`index` accepts either name, :meth:`columns`
    is the data dictionary (``columns.csv`` in a result folder). See
    ``docs/indicators.md``.

    Attributes
    ----------
    name : str
        Scenario name.
    year : int
        Network year.
    scope : str
        The analysed scope (``"yrd"``, ``"central"`` or a metro id).
    cities : geopandas.GeoDataFrame
        One row per city in scope (index adcode): masses, every accessibility measure per
        mode, centrality, metro membership; point geometry (city centre), EPSG:4326. At
        county or custom level: the zones' measures aggregated to their cities,
        population-weighted (:func:`yrdnet.analysis.pipeline.aggregate_to_cities`).
    metros : pandas.DataFrame
        One row per metropolitan area: integration and polycentricity.
    region : pandas.DataFrame
        Region-wide indices: index ``indicator``; columns ``value``, ``group``,
        ``description`` (group and description from the indicator registry).
    od : dict of str to pandas.DataFrame
        Travel-time matrices (minutes) per mode, all 41 zones.
    stepwise : pandas.DataFrame
        Polycentricity indices as centres are added one by one, per size measure.
    linkage : pandas.DataFrame
        Travel times between the core (Shanghai) and the sub-centres, and among the six
        metropolitan cores.
    functional : pandas.DataFrame
        Potential functional polycentricity (Green's index on gravity flows) per decay.
    sensitivity : pandas.DataFrame
        How the structure index moves with its weights.
    notes : list of str
        Warnings raised during the analysis (e.g. unreachable pairs by rail).
    meta : dict
        Parameters and provenance.
    zones : geopandas.GeoDataFrame
        One row per zone in scope (index zone id): names, parent ``city``, ``metros``,
        masses and every measure; seat points. At city level, ``cities`` with a ``city``
        column.
    level : str
        ``"city"``, ``"county"`` or ``"custom"``.
    targets : pandas.DataFrame
        The policy targets (:func:`yrdnet.targets.evaluate_targets`): each target's
        modelled time under its own definition (fastest station to station, or door to
        door) and under the other, met or not. Empty for a result built without it.
    """

    name: str
    year: int
    scope: str
    cities: gpd.GeoDataFrame
    metros: pd.DataFrame
    region: pd.DataFrame
    od: dict[str, pd.DataFrame]
    stepwise: pd.DataFrame
    linkage: pd.DataFrame
    functional: pd.DataFrame
    sensitivity: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    zones: pd.DataFrame | None = None
    level: str = "city"
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        if self.zones is None:
            z = self.cities.copy()
            z["city"] = z.index.astype(int)
            self.zones = z

    @classmethod
    def from_dir(cls, path: str | Path) -> ScenarioResult:
        """Read a result folder written by :meth:`to_dir` back into a :class:`ScenarioResult`.

        Tables come back as written, column types, index and empty strings included
        (``result.json`` records each CSV's schema: :mod:`yrdnet.analysis.csv_tables`);
        CSV precision: ``od_<mode>.csv`` to 0.01 min. ``cities`` and ``zones`` take
        their geometry from the GeoPackages.

        Raises
        ------
        FileNotFoundError
            If ``path`` holds no ``result.json`` (not a result folder).

        Examples
        --------
        >>> res = ScenarioResult.from_dir("results/baseline_2025")  # doctest: +SKIP
        """
        import json

        path = Path(path)
        meta_file = path / "result.json"
        if not meta_file.is_file():
            raise FileNotFoundError(f"{path} is not a yrdnet result folder (no result.json)")
        doc = json.loads(meta_file.read_text(encoding="utf-8"))

        tables = doc.get("tables", {})  # schemas: absent from folders written before they were recorded

        def csv(name: str, **kw: Any) -> pd.DataFrame:
            f = path / name
            if not (f.is_file() and f.stat().st_size > 1):
                return pd.DataFrame()
            return read_table(f, tables[name]) if name in tables else pd.read_csv(f, **kw)

        def geo(name: str, layer: str, table: pd.DataFrame) -> gpd.GeoDataFrame:
            g = gpd.read_file(path / name, layer=layer)
            return gpd.GeoDataFrame(table, geometry=g.geometry.to_numpy(), crs=g.crs)

        cities = geo("cities.gpkg", "cities", csv("cities.csv", index_col=0))
        level = str(doc.get("level", "city"))
        zones = geo("zones.gpkg", "zones", csv("zones.csv", index_col=0)) if level != "city" else None
        od = {}
        for f in sorted(path.glob("od_*.csv")):
            T = csv(f.name, index_col=0)
            if f.name not in tables:
                T.columns = T.columns.astype(T.index.dtype)
            od[f.stem[3:]] = T
        return cls(
            name=str(doc["name"]),
            year=int(doc["year"]),
            scope=str(doc["scope"]),
            cities=cities,
            metros=csv("metros.csv", index_col=0),
            region=csv("region.csv", index_col=0),
            od=od,
            stepwise=csv("stepwise.csv"),
            linkage=csv("linkage.csv"),
            functional=csv("functional.csv", index_col=0),
            sensitivity=csv("sensitivity.csv", index_col=0),
            notes=list(doc.get("notes", [])),
            meta=dict(doc.get("meta", {})),
            zones=zones,
            level=level,
            targets=csv("targets.csv", index_col=0),
        )

    def index(self, name: str) -> float:
        """Value of one region indicator by its key or its name in words.

        Examples
        --------
        >>> res.index("gini_pot_exp_pop_multimodal")  # doctest: +SKIP
        >>> res.index("gini_of_potential_accessibility_multimodal")  # doctest: +SKIP

        Raises
        ------
        KeyError
            If the result has no such row (under either name).
        """
        if name not in self.region.index:
            try:
                name = key_from_words(name)
            except ValueError as err:
                raise KeyError(str(err)) from None
            if name not in self.region.index:
                raise KeyError(f"this result has no region row {name!r} (declared, but not computed at this scope)")
        return float(cast(float, self.region.loc[name, "value"]))

    def readable(self, which: str = "cities") -> pd.DataFrame:
        """A copy of one table with its keys renamed to names in words.

        Parameters
        ----------
        which
            ``"cities"``, ``"zones"``, ``"metros"`` (columns renamed) or ``"region"``
            (rows renamed). Names follow :func:`yrdnet.indicators.words`, one rule for
            every scale (``pot_exp_pop_multimodal`` -> ``potential_accessibility_multimodal``,
            ``gini_pot_exp_pop_multimodal`` -> ``gini_of_potential_accessibility_multimodal``);
            attributes such as ``population`` keep their names. The result itself keeps the
            keys, which maps, comparisons and scripts use.

        Raises
        ------
        ValueError
            If ``which`` is not one of the four tables.

        Examples
        --------
        >>> res.readable("cities")["weighted_average_travel_time_rail"]  # doctest: +SKIP
        """
        tables = {"cities": self.cities, "zones": self.zones, "metros": self.metros, "region": self.region}
        if which not in tables:
            raise ValueError(f"which must be one of {list(tables)}, got {which!r}")
        df = tables[which]
        return readable(self.cities if df is None else df, axis="index" if which == "region" else "columns")

    def columns(self) -> pd.DataFrame:
        """The data dictionary of this result: what every column and region row means.

        One row per column of ``cities``, ``zones`` (county or custom level), ``metros``
        and per region row, with ``table``, ``key``, ``name`` (in words), ``label``,
        ``label_zh`` (in Chinese), ``unit``, ``group`` and ``description`` from the indicator
        registry; written by
        :meth:`to_dir` as ``columns.csv``.
        """
        parts = [("cities", self.cities.columns, "city")]
        if self.level != "city" and self.zones is not None:
            parts.append(("zones", self.zones.columns, "zone"))
        parts += [("metros", self.metros.columns, "metro"), ("region", self.region.index, "region")]
        frames = []
        for table, keys, scale in parts:
            d = dictionary(keys, scale)
            d.insert(0, "table", table)
            frames.append(d)
        return pd.concat(frames, ignore_index=True)

    def __repr__(self) -> str:
        si = self.region["value"].get("structure_index", np.nan)
        return (
            f"ScenarioResult(name={self.name!r}, year={self.year}, scope={self.scope!r}, "
            f"cities={len(self.cities)}, zones={len(self.zones) if self.zones is not None else 0}, "
            f"level={self.level!r}, structure_index={si:.3f})"
        )

    def to_dir(self, path: str | Path) -> Path:
        """Write every table to ``path`` atomically (CSV, GeoPackage, JSON).

        Files: ``cities.csv``, ``cities.gpkg`` (layer ``cities``), ``metros.csv``,
        ``region.csv``, ``od_<mode>.csv``, ``stepwise.csv``, ``linkage.csv``,
        ``functional.csv``, ``sensitivity.csv``, ``targets.csv``, ``columns.csv`` (the data
        dictionary, :meth:`columns`: key, name in words, label, unit, group and description
        of every column and region row), ``result.json`` (region indices + meta), and
        ``run.log`` (run times: the only file that differs between identical runs);
        at county or custom level also ``zones.csv`` and ``zones.gpkg`` (layer ``zones``).
        """
        path = Path(path)
        for mode in self.od:  # a mode names a file: checked before the folder is started
            safe_name(mode, what="travel-time mode")
        with atomic_dir(path) as tmp:
            tables: dict[str, dict[str, Any]] = {}  # each CSV's schema, for an exact from_dir

            def put(name: str, df: pd.DataFrame, **kw: Any) -> None:
                write_csv(tmp / name, df, **kw)
                tables[name] = table_schema(df, index=kw.get("index", True))

            put("cities.csv", pd.DataFrame(self.cities.drop(columns="geometry")))
            write_gpkg(tmp / "cities.gpkg", self.cities, "cities")
            if self.level != "city" and self.zones is not None:
                z = gpd.GeoDataFrame(self.zones)
                put("zones.csv", pd.DataFrame(z.drop(columns="geometry")))
                write_gpkg(tmp / "zones.gpkg", z, "zones")
            put("metros.csv", self.metros)
            put("region.csv", self.region)
            for mode, T in self.od.items():
                put(f"od_{mode}.csv", T, float_format="%.2f")
            put("stepwise.csv", self.stepwise, index=False)
            put("linkage.csv", self.linkage, index=False)
            put("functional.csv", self.functional)
            put("sensitivity.csv", self.sensitivity)
            if not self.targets.empty:
                put("targets.csv", self.targets)
            write_csv(tmp / "columns.csv", self.columns(), index=False)
            write_json(
                tmp / "result.json",
                {
                    "name": self.name,
                    "year": self.year,
                    "scope": self.scope,
                    "level": self.level,
                    "region": self.region["value"].to_dict(),
                    "notes": self.notes,
                    "meta": {k: v for k, v in self.meta.items() if k != "seconds"},
                    "tables": tables,
                },
            )
            seconds = self.meta.get("seconds", {})
            write_text(tmp / "run.log", "".join(f"{k} seconds: {v:.3f}\n" for k, v in seconds.items()))
        return path


@dataclass
class Comparison:
    """Differences between a base scenario and one or more alternatives.

    Attributes
    ----------
    base : str
        Name of the base scenario.
    others : list of str
        Names of the compared scenarios.
    cities : pandas.DataFrame
        Long table: one row per (scenario, city, measure) with ``base``, ``value``,
        ``delta`` and ``delta_pct``.
    metros, region : pandas.DataFrame
        The same for metropolitan and region indicators.
    gainers : pandas.DataFrame
        Per scenario, the cities that gain most (largest drop in multimodal WATT and largest
        rise in potential accessibility).
    zones : pandas.DataFrame
        At county or custom level, the long delta table per zone (like ``cities``); empty
        at city level.
    """

    base: str
    others: list[str]
    cities: pd.DataFrame
    metros: pd.DataFrame
    region: pd.DataFrame
    gainers: pd.DataFrame
    zones: pd.DataFrame = field(default_factory=pd.DataFrame)

    def headline(self, *, top: int = 5) -> list[str]:
        """The summary that opens ``comparison.md``: what changed most, where and for whom.

        Per compared scenario: the region indicators that moved most (relative change,
        labelled from the registry), the cities that gain most, and the change for the
        people the town-country and hinterland rows describe.
        """
        lines: list[str] = []
        reg = self.region.reset_index()
        for scen in self.others:
            r = reg[(reg["scenario"] == scen) & np.isfinite(reg["delta_pct"]) & (reg["delta"].abs() > 1e-12)]
            r = r[~r["indicator"].astype(str).str.startswith(("core_rank", "component_"))]
            lines.append(f"**{scen} against {self.base}.**")
            if r.empty:
                lines.append("- No region indicator changed.")
            else:
                most = r.reindex(r["delta_pct"].abs().sort_values(ascending=False).index).head(top)
                parts = [f"{label(str(x.indicator))} {x.delta_pct:+.1f} %" for x in most.itertuples()]
                lines.append("- What changed most: " + "; ".join(parts) + ".")
            g = self.gainers[self.gainers["scenario"] == scen].head(3)
            if len(g):
                where = [
                    f"{x.name_en} (potential {x.pot_gain_pct:+.1f} %, {x.watt_saving_min:.0f} min saved)"
                    for x in g.itertuples()
                ]
                lines.append("- Where: " + "; ".join(where) + ".")
            core = next(iter(load_region().centres))  # the core's key names its hinterland row
            whom = r[
                r["indicator"]
                .astype(str)
                .str.contains(f"within_60min_of_{core}|districts|urban_to_rural|reachable_share")
            ]
            if len(whom):
                parts = [f"{label(str(x.indicator))} {x.base:.4g} → {x.value:.4g}" for x in whom.itertuples()]
                lines.append("- For whom: " + "; ".join(parts) + ".")
        return lines

    def to_markdown(self, *, top: int = 10) -> str:
        """A readable Markdown report: a headline summary, region index deltas and the top gaining cities."""
        out = [f"# yrdnet comparison: {', '.join(self.others)} vs {self.base}", ""]
        out.append("## Headline\n")
        out.extend(self.headline())
        out.append("")
        out.append("## Region indices\n")
        cols = ["scenario", "indicator", "base", "value", "delta", "delta_pct"]
        reg = self.region.reset_index()[cols]
        changed = reg[reg["delta"].abs() > 1e-12]
        out.append(_md_table(changed))
        out.append(
            f"\n{len(reg) - len(changed)} indices that depend on masses only are unchanged "
            "(masses are fixed across scenarios)."
        )
        out.append("\n## Cities that gain most\n")
        out.append(_md_table(self.gainers.groupby("scenario").head(top)))
        out.append("\n## Metropolitan areas\n")
        keep = self.metros[
            self.metros["indicator"].isin(
                ["pairs_within_share", "mean_time_min", "core_pop_within_share", "max_time_min"]
            )
        ]
        out.append(_md_table(keep))
        return "\n".join(out) + "\n"

    def to_dir(self, path: str | Path) -> Path:
        """Write ``cities.csv``, ``metros.csv``, ``region.csv``, ``gainers.csv``, ``comparison.md``.

        With zone deltas (county or custom level), also ``zones.csv``.
        """
        path = Path(path)
        with atomic_dir(path) as tmp:
            write_csv(tmp / "cities.csv", self.cities, index=False)
            write_csv(tmp / "metros.csv", self.metros, index=False)
            write_csv(tmp / "region.csv", self.region)
            write_csv(tmp / "gainers.csv", self.gainers, index=False)
            if not self.zones.empty:
                write_csv(tmp / "zones.csv", self.zones, index=False)
            write_text(tmp / "comparison.md", self.to_markdown())
        return path


def _md_table(df: pd.DataFrame) -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, (float, np.floating)):
            return "" if np.isnan(v) else f"{v:.4g}"
        return str(v)

    head = "| " + " | ".join(map(str, df.columns)) + " |"
    sep = "| " + " | ".join("---" for _ in df.columns) + " |"
    rows = ["| " + " | ".join(fmt(v) for v in r) + " |" for r in df.itertuples(index=False)]
    return "\n".join([head, sep, *rows])
