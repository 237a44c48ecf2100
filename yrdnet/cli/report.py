"""The analyst's jobs: every map of a result, and the demo pipeline behind ``make demo``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypedDict

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from yrdnet.analysis.compare import compare
from yrdnet.analysis.composite import composite_index
from yrdnet.analysis.indicators import label
from yrdnet.analysis.periphery import periphery_gains, periphery_summary, population_within
from yrdnet.analysis.pipeline import TIMELINE, analyze, timeline
from yrdnet.analysis.results import ScenarioResult
from yrdnet.analysis.time_space import timeline_convergence
from yrdnet.cli import headlines as hl
from yrdnet.cli.city_isochrones import city_isochrone_jobs
from yrdnet.core.io import atomic_dir, safe_name, write_csv, write_text
from yrdnet.core.keys import key
from yrdnet.core.settings import settings
from yrdnet.metrics.convergence import convergence_summary
from yrdnet.region.boundaries import load_boundaries
from yrdnet.region.datasets import load_county_boundaries
from yrdnet.region.region import Region, load_region
from yrdnet.region.zones import load_zones
from yrdnet.scenarios.scenario import build_graph
from yrdnet.viz import plot
from yrdnet.viz.mapframe import save_figure
from yrdnet.viz.periphery import plot_periphery_gains
from yrdnet.viz.time_space import write_time_space_maps
from yrdnet.viz.webmap import interactive_map

__all__ = ["TIMELINE_INDICATORS", "demo", "write_maps", "write_timeline_chart"]

log = logging.getLogger(__name__)

#: Region indices shown on timeline charts and printed by ``make demo``.
#: The superseded ``structure_index`` stays in ``timeline.csv`` and the API only (its
#: components barely move: issue 20).
TIMELINE_INDICATORS = (
    "metro_logistic_integration",
    "subcentre_core_balance",
    "core_link_equivalent_time_min",
    "theil_people_pot_exp_pop_multimodal",
    "mean_watt_pop_multimodal",
    "gini_people_pot_exp_pop_multimodal",
    "metro_core_mean_time_min",
    "circle_region_2h",
    "mean_time_to_international_hub_min",
    "dominance_core",
)
#: The 0-1 region indices charted over the timeline (``maps/timeline.png``).
TIMELINE_CHART = (
    "metro_logistic_integration",
    "circle_region_2h",
    "gini_people_pot_exp_pop_multimodal",
    "theil_people_pot_exp_pop_multimodal",
)


class _MapMeta(TypedDict):
    """Title keywords shared by every map of one result."""

    scenario: str
    year: int | None


def _progress(items: list[Any], desc: str) -> Iterable[Any]:
    if settings.quiet:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return items
    return tqdm(items, desc=desc, unit="step", leave=False)


def write_maps(
    res: ScenarioResult,
    G: nx.MultiDiGraph,
    out: str | Path,
    *,
    base: ScenarioResult | None = None,
    base_graph: nx.MultiDiGraph | None = None,
    origins: Iterable[int] | None = None,
    html: bool = True,
    offline: bool = False,
    tiles: str | None = "auto",
) -> list[Path]:
    """Write every static map of a result (PNG, 200 dpi) and the interactive HTML map.

    Parameters
    ----------
    res, G
        A result and the graph it was computed on.
    out
        Output folder.
    base, base_graph
        A base scenario's result and graph: adds the change map and highlights additions
        on the web map.
    origins
        Zones (adcodes of the result's level) from which isochrone maps are drawn
        (default the region's :attr:`~yrdnet.Region.map_origins`: the YRD's core and
        Hefei; at county level the districts holding their centres).
    html
        Also write ``webmap_<name>.html`` (``webmap_<level>_<name>.html`` below city
        level; needs folium, extra ``maps``, unless ``offline``).
    offline, tiles
        See :func:`yrdnet.viz.webmap.interactive_map`: ``offline`` writes a self-contained
        page that fetches nothing; ``tiles`` chooses its basemap.

    Notes
    -----
    A city result's isochrone maps are drawn on the county zones, from the county run of
    the same network (:mod:`yrdnet.cli.city_isochrones`), not interpolated between the 41
    city centres. A county (or custom) result gets its own maps instead: potential accessibility and
    WATT on the county polygons, the core's metro's one-hour reach from its core district,
    isochrones from each origin over every zone (coloured polygons, no interpolated
    contours), the web map with the zone polygons filled by potential accessibility and,
    with ``base``, the change of potential accessibility; file names carry the level
    (``access_potential_multimodal_county_<name>.png``).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    for r in (res, base):  # names become file names: checked before anything is drawn or written
        if r is not None:
            safe_name(r.name, what="result name")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    web = {"html": html, "offline": offline, "tiles": tiles, "base_graph": base_graph}
    if res.level != "city":
        return _write_zone_maps(res, G, out, base=base, origins=origins, web=web)
    origins = load_region().map_origins if origins is None else origins
    bnd = load_boundaries()
    metros = load_region().metros()
    meta: _MapMeta = {"scenario": res.name, "year": res.year}
    name = res.name
    jobs: list[tuple[str, Callable[[Path], Any]]] = [
        (f"network_{name}.png", lambda p: plot.plot_network(G, res.cities, bnd, filepath=p, **meta)),
        (
            f"access_potential_multimodal_{name}.png",
            lambda p: plot.plot_accessibility(
                res.cities,
                key("pot", "multimodal", exp=None, pop=None),
                boundaries=bnd,
                filepath=p,
                **meta,
            ),
        ),
        (
            f"access_watt_rail_{name}.png",
            lambda p: plot.plot_accessibility(
                res.cities,
                key("watt", "rail", pop=None),
                boundaries=bnd,
                cmap="YlOrRd",
                filepath=p,
                **meta,
            ),
        ),
        (
            f"access_cum120_multimodal_{name}.png",
            lambda p: plot.plot_accessibility(
                res.cities,
                key("cum", "multimodal", pop=None, t=120),
                boundaries=bnd,
                filepath=p,
                **meta,
            ),
        ),
        (
            f"metros_{name}.png",
            lambda p: plot.plot_metros(metros, res.cities, res.od["multimodal"], boundaries=bnd, filepath=p, **meta),
        ),
        (
            f"rank_size_{name}.png",
            lambda p: plot.plot_rank_size(
                {
                    "population": res.cities["population"],
                    "potential accessibility": res.cities[key("pot", "multimodal", exp=None, pop=None)],
                },
                names=res.cities["name_en"],
                filepath=p,
                **meta,
            ),
        ),
    ]
    jobs += city_isochrone_jobs(res, G, bnd, origins, dict(meta))  # bands on the county surface
    if base is not None:
        jobs.append(
            (
                f"change_watt_{name}_vs_{base.name}.png",
                lambda p: plot.plot_change(
                    base.cities,
                    res.cities,
                    key("watt", "multimodal", pop=None),
                    boundaries=bnd,
                    higher_is_better=False,
                    filepath=p,
                    scenario=f"{name} vs {base.name}",
                    year=res.year,
                ),
            )
        )
        jobs.append(
            (
                f"change_potential_{name}_vs_{base.name}.png",
                lambda p: plot.plot_change(
                    base.cities,
                    res.cities,
                    key("pot", "multimodal", exp=None, pop=None),
                    boundaries=bnd,
                    relative=True,
                    filepath=p,
                    scenario=f"{name} vs {base.name}",
                    year=res.year,
                ),
            )
        )
    written = []
    for fname, job in _progress(jobs, f"maps {name}"):
        fig, _ = job(out / fname)
        plt.close(fig)
        written.append(out / fname)
    if html:
        p = out / f"webmap_{name}.html"
        interactive_map(
            G,
            res.cities,
            column=key("pot", "multimodal", exp=None, pop=None),
            added_edges=base_graph,
            boundaries=bnd,
            filepath=p,
            offline=offline,
            tiles=tiles,
        )
        written.append(p)
    log.info("wrote %d maps to %s", len(written), out)
    return written


def reach_metro(region: Region, metros: pd.DataFrame) -> str | None:
    """The metro whose one-hour reach from its core is mapped at county level: the region core's own."""
    own = [str(m) for m in metros.index if int(metros.loc[m, "core_adcode"]) == region.core]
    return own[0] if own else None


def _zone_isochrones(
    res: ScenarioResult, polys: Any, origins: Iterable[int] | None, meta: _MapMeta
) -> list[tuple[str, Callable[[Path], Any]]]:
    """Isochrone map jobs from zone origins (default the zones of the region's map origins)."""
    zones, od, lv = res.zones, res.od["multimodal"], res.level
    if zones is None or polys is None:
        return []
    if origins is None:
        cores = load_region().zones(lv).core_zones()
        origins = [cores[c] for c in load_region().map_origins if c in cores]
    jobs: list[tuple[str, Callable[[Path], Any]]] = []
    for o in origins:
        if o not in od.index:
            continue
        oname = str(zones.loc[o, "name_en"])

        def _iso(p: Path, o: int = int(o), oname: str = oname) -> Any:
            return plot.plot_isochrones(
                od, o, zones, polys, labels=False, contours=False,
                title=f"Travel time from {oname}, by {lv} zone", filepath=p, **meta,
            )  # fmt: skip

        jobs.append((f"isochrones_{o}_{lv}_{res.name}.png", _iso))
    return jobs


def _zone_webmap(res: ScenarioResult, G: nx.MultiDiGraph, out: Path, polys: Any, web: dict[str, Any]) -> list[Path]:
    """The web map of a zone-level result: zone polygons filled by potential accessibility."""
    if not web.get("html") or res.zones is None:
        return []
    p = out / f"webmap_{res.level}_{res.name}.html"
    interactive_map(
        G, res.zones, column=key("pot", "multimodal", exp=None, pop=None), added_edges=web.get("base_graph"),
        boundaries=polys, filepath=p, offline=bool(web.get("offline")), tiles=web.get("tiles", "auto"),
    )  # fmt: skip
    return [p]


def _write_zone_maps(
    res: ScenarioResult,
    G: nx.MultiDiGraph,
    out: Path,
    *,
    base: ScenarioResult | None = None,
    origins: Iterable[int] | None = None,
    web: dict[str, Any] | None = None,
) -> list[Path]:
    """County (or custom) maps: accessibility on zone polygons, a metro's one-hour reach, the network.

    Choropleths use Fisher-Jenks breaks (exact, and fast at 305 zones; the k-means
    ``NaturalBreaks`` of the city maps takes seconds per map at this size).
    """
    zones = res.zones
    if zones is None:  # pragma: no cover - set by ScenarioResult
        return []
    polys = load_county_boundaries() if res.level == "county" else None
    cbnd = load_boundaries()
    meta: _MapMeta = {"scenario": res.name, "year": res.year}
    name, lv = res.name, res.level
    pot = key("pot", "multimodal", exp=None, pop=None)
    jobs: list[tuple[str, Callable[[Path], Any]]] = [
        (f"network_{lv}_{name}.png", lambda p: plot.plot_network(G, res.cities, cbnd, filepath=p, **meta)),
        (
            f"access_potential_multimodal_{lv}_{name}.png",
            lambda p: plot.plot_accessibility(
                zones, pot, boundaries=polys, labels=False, scheme="FisherJenks",
                title=f"{label(pot, unit=False)}, by {lv} zone", filepath=p, **meta,
            ),
        ),
        (
            f"access_watt_multimodal_{lv}_{name}.png",
            lambda p: plot.plot_accessibility(
                zones, key("watt", "multimodal", pop=None), boundaries=polys, labels=False, cmap="YlOrRd",
                scheme="FisherJenks",
                title=f"{label(key('watt', 'multimodal', pop=None), unit=False)}, by {lv} zone", filepath=p, **meta,
            ),
        ),
    ]  # fmt: skip
    region = load_region()
    metros = region.metros()
    metro = reach_metro(region, metros)
    if metro is not None and polys is not None:
        members, cores = region.zones(res.level).metro_members(metros, region.cities)
        mem = [z for z in members[metro] if z in res.od["multimodal"].index]
        core = cores[metro]
        mname = str(metros.loc[metro, "name_en"])
        core_name = str(zones.loc[core, "name_en"])

        def _reach(p: Path) -> Any:
            return plot.plot_isochrones(
                res.od["multimodal"].loc[mem, mem], core, zones.loc[mem], polys.loc[mem], bands=(30, 45, 60, 90),
                labels=False, contours=False, title=f"1-hour reach from {core_name} ({mname})",
                filepath=p, **meta,
            )  # fmt: skip

        jobs.append((f"metro_reach_{safe_name(metro, what='metro id')}_{lv}_{name}.png", _reach))
    jobs += _zone_isochrones(res, polys, origins, meta)
    if base is not None and base.zones is not None:
        bz = base.zones
        jobs.append(
            (
                f"change_potential_{lv}_{name}_vs_{base.name}.png",
                lambda p: plot.plot_change(
                    bz, zones, pot, boundaries=polys, relative=True, labels=False, filepath=p,
                    scenario=f"{name} vs {base.name}", year=res.year,
                ),
            )
        )  # fmt: skip
    written = []
    for fname, job in _progress(jobs, f"{lv} maps {name}"):
        fig, _ = job(out / fname)
        plt.close(fig)
        written.append(out / fname)
    written += _zone_webmap(res, G, out, polys, web or {})
    log.info("wrote %d %s-level maps to %s", len(written), lv, out)
    return written


def write_timeline_chart(df: pd.DataFrame, out: str | Path) -> Path:
    """Chart of the 0-1 region indices that move (:data:`TIMELINE_CHART`) over the timeline scenarios."""
    cols = [c for c in TIMELINE_CHART if c in df.index]
    wide = df.loc[cols].T
    wide.index = [f"{n}\n({int(y)})" for n, y in zip(df.columns, df.loc["year"], strict=False)]
    p = Path(out)
    fig, _ = plot.plot_timeline(wide, ylabel="index (0-1)", title="Spatial-structure indices over time", filepath=p)
    plt.close(fig)
    return p


def write_targets_chart(tl: pd.DataFrame, out: str | Path) -> Path:
    """Chart of each policy target over the scenarios: modelled time over the target.

    ``tl`` is :func:`yrdnet.target_timeline`. Each line is one target's time under its
    own definition divided by its threshold (at or below 1 = met); unreachable years are
    left out of the line.
    """
    labels = [c.removeprefix("met_") for c in tl.columns if c.startswith("met_") and c != "met_door_to_door"]
    wide = {}
    for tid, r in tl.iterrows():
        d = str(r["time_definition"])
        vals = [float(r[f"{d}_min_{lab}"]) / float(r["threshold_min"]) for lab in labels]
        wide[str(tid)] = [v if np.isfinite(v) else np.nan for v in vals]
    idx = pd.Index([int(x) for x in labels]) if all(x.isdigit() for x in labels) else pd.Index(labels)
    df = pd.DataFrame(wide, index=idx)
    p = Path(out)
    fig, ax = plot.plot_timeline(
        df,
        ylabel="time / target (at most 1 = met)",
        title="Policy travel-time targets (own time definition)",
        filepath=None,
        direct_labels=True,
    )
    ax.axhline(1.0, color="black", linewidth=1.0, linestyle="--")

    save_figure(fig, p, 200)
    plt.close(fig)
    return p


def _num(v: float) -> str:
    return f"{v:.3f}" if abs(v) < 1e4 else f"{v:,.0f}"


def _unique(runs: list[ScenarioResult], extra: list[ScenarioResult]) -> list[ScenarioResult]:
    """The timeline runs, then any extra result not among them (one per name)."""
    seen = {r.name for r in runs}
    return [*runs, *(r for r in extra if r.name not in seen)]


def _periphery(
    c0: ScenarioResult, cb: ScenarioResult, cp: ScenarioResult, tmp: Path, maps: list[Path]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Periphery gains first -> base and base -> plan (CSV, maps), and reach of each centre."""
    summaries = {}
    labels = load_region().peripheries["name_en"].to_dict()
    for a, b in ((c0, cb), (cb, cp)):
        if a.name == b.name:
            continue
        for r in (a, b):  # the names become file names
            safe_name(r.name, what="result name")
        period = f"{a.year}-{b.year}"
        gains = periphery_gains(a, b)
        write_csv(tmp / "periphery" / f"periphery_gains_{a.name}_to_{b.name}.csv", gains)
        summaries[period] = periphery_summary(gains)
        write_csv(tmp / "periphery" / f"periphery_summary_{a.name}_to_{b.name}.csv", summaries[period])
        p = tmp / "maps" / f"periphery_gains_{a.name}_to_{b.name}.png"
        fig = plot_periphery_gains(gains, load_county_boundaries(), names=labels, filepath=p,
                                   title=f"Potential accessibility gain (%), {a.name} to {b.name}")  # fmt: skip
        plt.close(fig)
        maps.append(p)
    within = population_within([c0, cb, cp] if c0.name != cb.name else [cb, cp])
    write_csv(tmp / "periphery" / "population_within.csv", within)
    return summaries, within


def demo(
    out: str | Path = "results",
    *,
    base: str = "baseline_2025",
    plan: str = "plan_2035",
    timeline_scenarios: Iterable[str] = TIMELINE,
    echo: Callable[[str], Any] = print,
    levels: tuple[str, ...] = ("city", "county"),
) -> dict[str, Any]:
    """The main job on the shipped data: analyse, compare, map, and print the region indices.

    Writes ``<out>/<base>/``, ``<out>/<plan>/`` (tables), ``<out>/compare/`` (delta tables and
    Markdown), ``<out>/timeline.csv`` and ``<out>/maps/`` (PNG maps and charts, HTML map).
    With ``"county"`` in ``levels``, also the county-level analysis of both scenarios in
    ``<out>/county/<base>/`` and ``<out>/county/<plan>/`` and their county maps in
    ``<out>/maps/`` (accessibility, the Shanghai metro's one-hour reach, the change).
    ``base`` and ``plan`` name folders, so they are scenario names (checked by
    :func:`yrdnet.core.io.safe_name` before anything runs), not paths.
    """
    for name in (base, plan):
        safe_name(name, what="demo scenario")
    final = Path(out)
    steps = ["graphs", "analyze", "compare", "timeline", "maps"]
    if "county" in levels:
        steps.append("county")
    state: dict[str, Any] = {}
    with atomic_dir(final) as tmp:  # the whole demo folder appears at once
        for step in _progress(steps, "yrdnet demo"):
            if step == "graphs":
                state["Gb"], state["Gp"] = build_graph(base), build_graph(plan)
            elif step == "analyze":
                state["rb"] = analyze(state["Gb"])
                state["rp"] = analyze(state["Gp"])
                state["rb"].to_dir(tmp / base)
                state["rp"].to_dir(tmp / plan)
            elif step == "compare":
                cmp = compare(state["rb"], state["rp"])
                cmp.to_dir(tmp / "compare")
                state["compare"] = cmp
            elif step == "timeline":
                done = {state["rb"].name: state["rb"], state["rp"].name: state["rp"]}
                runs = [done.get(str(s)) or analyze(s, centrality=False) for s in timeline_scenarios]
                tl = timeline(runs)
                write_csv(tmp / "timeline.csv", tl.rename_axis("indicator"))
                comp = composite_index(_unique(runs, [state["rb"], state["rp"]]))
                write_csv(tmp / "composite.csv", comp.index)
                write_csv(tmp / "composite_dashboard.csv", comp.dashboard)
                conv = timeline_convergence(runs)
                state.update(timeline=tl, runs=runs, composite=comp, convergence=convergence_summary(conv))
            elif step == "maps":
                maps = write_maps(state["rb"], state["Gb"], tmp / "maps")
                maps += write_maps(
                    state["rp"],
                    state["Gp"],
                    tmp / "maps",
                    base=state["rb"],
                    base_graph=state["Gb"],
                    origins=load_region().map_origins[-1:],
                )
                maps.append(write_timeline_chart(state["timeline"], tmp / "maps" / "timeline.png"))
                ts = write_time_space_maps(state["runs"], tmp / "maps" / "time_space", dpi=200)
                maps += [p for p in ts if p.suffix == ".png"]  # its tables sit beside the maps
                state["maps"] = maps
            elif step == "county":
                Z = load_zones("county")
                gb, gp = build_graph(base, zones=Z), build_graph(plan, zones=Z)
                cb, cp = analyze(gb, zones=Z), analyze(gp, zones=Z)
                cb.to_dir(tmp / "county" / base)
                cp.to_dir(tmp / "county" / plan)
                state["county"] = (cb, cp)
                state["maps"] += write_maps(cb, gb, tmp / "maps")
                state["maps"] += write_maps(cp, gp, tmp / "maps", base=cb, base_graph=gb)
                first = str(next(iter(timeline_scenarios)))
                c0 = cb if first == base else analyze(first, zones=Z, centrality=False)
                state["periphery"] = _periphery(c0, cb, cp, tmp, state["maps"])
        tl = state["timeline"]
        rows = [r for r in TIMELINE_INDICATORS if r in tl.index]
        table = tl.loc[rows]
        years = {r.name: r.year for r in state["runs"]}
        text = ["", *hl.composite_lines(state["composite"], years)]
        text += [f"Region indices that move, {' -> '.join(tl.columns)}:", table.to_string(float_format=_num), ""]
        text += hl.core_rank_lines(tl)
        text += hl.core_link_lines(state["runs"])
        text += hl.convergence_lines(state["convergence"])
        if "periphery" in state:
            text += hl.periphery_lines(*state["periphery"])
        gain = state["compare"].gainers.head(5)
        text.append(f"Cities gaining most from {plan} (multimodal WATT saving, min):")
        text.extend(f"  {r.name_en:20s} {r.watt_saving_min:6.1f}" for r in gain.itertuples())
        text.append("")
        text.append(f"Core-sub-centre linkage ({base}):")
        lk = state["rb"].linkage
        lk = lk[lk["kind"] == "core-subcentre"][["subcentre", "from_core_min", "to_core_min", "linked"]]
        text.append(lk.astype({"subcentre": int}).to_string(index=False, float_format=lambda v: f"{v:.1f}"))
        text.append("")
        if "county" in state:
            cb, cp = state["county"]
            cols = ["n_members", "pairs_within_share", "core_pop_within_share"]
            both = pd.concat({base: cb.metros[cols], plan: cp.metros[cols]}, axis=1)
            text.append(
                f"County level ({len(cb.zones)} zones): metropolitan integration (pairs within 1 h, core reach)"
            )
            text.append(both.to_string(float_format=lambda v: f"{v:.3f}"))
            text.append("")
            text.append(f"County tables: {final / 'county' / base}, {final / 'county' / plan}")
        text.append(f"Tables: {final / base}, {final / plan}, {final / 'compare'}, {final / 'timeline.csv'}")
        text.append(f"Maps ({len(state['maps'])} files): {final / 'maps'}")
        write_text(tmp / "summary.txt", "\n".join(text) + "\n")
    state["maps"] = [final / Path(m).relative_to(tmp) for m in state["maps"]]
    echo("\n".join(text))
    return state
