"""The headlines of ``make demo`` (issue 20, item 8): what moves, first.

Each function turns tables the analysis already made into a few lines of the demo's
summary: the composite and its raw components, Shanghai's rank with its range, the
core links on main stations against their target, Janelle's convergence and the
periphery's gains. Nothing here computes an indicator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from yrdnet.analysis.composite import Composite
from yrdnet.analysis.results import ScenarioResult

__all__ = ["composite_lines", "convergence_lines", "core_link_lines", "core_rank_lines", "periphery_lines"]


def _fmt(v: float, unit: str) -> str:
    if unit == "min":
        return f"{v:.1f}"
    if unit == "M":
        return f"{v / 1e6:.1f}"
    return f"{v:.3f}"


def _label(names: Sequence[str], years: Mapping[str, int]) -> list[str]:
    return [str(years.get(n, n)) for n in names]


def composite_lines(comp: Composite, years: Mapping[str, int]) -> list[str]:
    """The composite per scenario, then each component's score and raw value with its unit."""
    idx = comp.index
    names = list(idx.index)
    cols = _label(names, years)
    opts = comp.options
    table = pd.DataFrame({"composite_index": idx["composite_index"].to_numpy(float)}, index=cols).T
    dash = comp.dashboard.reset_index()
    rows = {}
    for comp_name, group in dash.groupby("component", sort=False):
        g = group.set_index("scenario").reindex(names)
        unit = str(g["unit"].iloc[0])
        rows[f"  {comp_name} score"] = g["score"].to_numpy(float)
        rows[f"  {comp_name} raw: {g['raw_indicator'].iloc[0]} [{unit}]"] = g["raw"].to_numpy(float)
    table = pd.concat([table, pd.DataFrame(rows, index=cols).T])
    head = (
        f"Spatial-structure composite (OECD/JRC; {opts.normalisation} normalisation, {opts.aggregation} mean, "
        "equal weights; 0-1, higher = nearer the goal: a core that keeps first place while the "
        "sub-centres and metros gain):"
    )
    return [head, table.to_string(float_format=lambda v: f"{v:.3f}"), ""]


def core_rank_lines(tl: pd.DataFrame) -> list[str]:
    """Shanghai's rank by potential per year with its range, beside its rank by dominance in flows."""
    need = ["core_rank_potential", "core_rank_potential_best", "core_rank_potential_worst"]
    if any(r not in tl.index for r in need):
        return []
    cells = []
    for s in tl.columns:
        c = tl[s]
        cells.append(
            f"{int(c['year']) if 'year' in tl.index else s}: {int(c['core_rank_potential'])} "
            f"({int(c['core_rank_potential_best'])}-{int(c['core_rank_potential_worst'])})"
        )
    out = [
        "Shanghai's rank of 41 by potential accessibility (county run aggregated to cities; in brackets the range "
        "over zone-consistent definitions and half-lives 45-120 min): " + ", ".join(cells)
    ]
    if "core_margin_potential_min" in tl.index:
        last = tl.columns[-1]
        lo, hi = float(tl.loc["core_margin_potential_min", last]), float(tl.loc["core_margin_potential_max", last])
        out.append(f"  margin over the best other city in {last}: {100 * lo:+.1f} % to {100 * hi:+.1f} %")
    if "core_rank_dominance" in tl.index:
        ranks = ", ".join(str(int(v)) for v in tl.loc["core_rank_dominance"])
        out.append(f"  rank by dominance in modelled flows: {ranks}")
    out.append("")
    return out


def core_link_lines(results: Sequence[ScenarioResult], threshold_min: float = 90.0) -> list[str]:
    """Fastest main-station time of each core link per year (the 2020 plan's 1-1.5 h target)."""
    cols = {}
    for r in results:
        t = r.targets
        if t is None or t.empty or "kind" not in t.columns:
            continue
        core = t[t["kind"] == "core_link"]
        cols[str(r.year if r.year > 0 else r.name)] = core["station_fastest_main_min"].astype(float)
    if not cols:
        return []
    table = pd.DataFrame(cols)
    table.index = [str(i).removesuffix("_1_5h") for i in table.index]
    met = (table <= threshold_min).sum()
    table.loc["links within target"] = met.astype(float)
    return [
        f"Core links, fastest train between main stations (min; target {threshold_min:.0f} min, NDRC & MoT 2020):",
        table.to_string(float_format=lambda v: f"{v:.1f}"),
        "",
    ]


def convergence_lines(summary: pd.DataFrame) -> list[str]:
    """Janelle's convergence per period: all city pairs and the core links."""
    if summary.empty:
        return []
    cols = ["mean_convergence_min_per_year", "core_mean_convergence_min_per_year"]
    t = summary[cols].rename(columns={cols[0]: "all pairs", cols[1]: "core links"})
    return [
        "Time replacing space: Janelle convergence, mean minutes saved per year (city pairs, multimodal):",
        t.to_string(float_format=lambda v: f"{v:.2f}"),
        "",
    ]


def periphery_lines(summaries: Mapping[str, pd.DataFrame], within: pd.DataFrame | None = None) -> list[str]:
    """Population-weighted gains per periphery and period; population within 1 h / 2 h of Shanghai."""
    out: list[str] = []
    if summaries:
        cols = {}
        for period, s in summaries.items():
            cols[f"potential gain % {period}"] = s["potential_gain_pct"]
            cols[f"time to Shanghai change min {period}"] = s["time_to_shanghai_change_min"]
        first = next(iter(summaries.values()))
        table = pd.DataFrame(cols)
        table.insert(0, "people M", first["population"] / 1e6)
        table.index = first["name_en"].reindex(table.index)
        out += [
            "Who gains in the periphery (county level, population-weighted):",
            table.to_string(float_format=lambda v: f"{v:.1f}"),
            "",
        ]
    if within is not None and not within.empty:
        sh = within[within["centre"] == within["centre"].iloc[0]]
        piv = sh.pivot_table(index="threshold_min", columns="year", values="population") / 1e6
        piv.index = [f"within {int(t)} min" for t in piv.index]
        out += [
            f"People (millions) within reach of {sh['centre'].iloc[0]} (county level):",
            piv.to_string(float_format=lambda v: f"{v:.1f}"),
            "",
        ]
    return out
