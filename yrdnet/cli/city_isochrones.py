"""Isochrone maps of a city-level result, drawn from the fine surface of its county run.

A city result routes between 41 city centres only; an isochrone map coloured from those
41 times (or contoured between them) paints a whole city with its centre's time. The
maps of :func:`yrdnet.cli.report.write_maps` therefore draw each city origin's bands on
the 305 county zones instead: the times from the county zone holding the city's centre
to every county zone, door to door, from the county run of the same network (the run
the city analysis already makes for its core-rank rows,
:func:`yrdnet.analysis.city_potential.county_run`, memoised in the process). City
outlines and names are drawn on top. Where there is no county run (a region without a
county level, or a graph not made by :func:`yrdnet.build_graph`), the map falls back
to the 41 centres with interpolated contours, and the reason is logged.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from yrdnet.analysis.city_potential import CountyRun, county_run
from yrdnet.analysis.results import ScenarioResult
from yrdnet.core.params import MetricParams
from yrdnet.region.datasets import load_county_boundaries
from yrdnet.region.region import load_region
from yrdnet.viz import plot

__all__ = ["city_isochrone_jobs", "county_surface"]

log = logging.getLogger(__name__)

Job = tuple[str, Callable[[Path], Any]]


def county_surface(G: nx.MultiDiGraph) -> CountyRun | str:
    """The county run of the network of ``G`` (a city graph of :func:`yrdnet.build_graph`), or why none.

    Returns
    -------
    CountyRun or str
        County travel times per mode (``.od``), the county table (``.table``) and the
        county zone holding each city's centre (``.centres``); a sentence when there is
        no county level or the graph was made otherwise.
    """
    return county_run(G, region=load_region(), p=MetricParams())


def _draw_from_county(
    res: ScenarioResult, run: CountyRun, origin: int, cities_bnd: Any, path: Path, meta: dict[str, Any]
) -> Any:
    """One city origin's isochrones on the county zones, city outlines and names on top; saved to ``path``."""
    zone = run.centres[origin]
    polys = load_county_boundaries()
    ids = [z for z in polys.index if z in run.od["multimodal"].index]  # drawn in the boundary file's order
    od = run.od["multimodal"].loc[ids, ids]
    city = str(res.cities.loc[origin, "name_en"]) if "name_en" in res.cities.columns else str(origin)
    return plot.plot_isochrones(
        od, zone, run.table.loc[ids], polys.loc[ids], contours=False, outlines=cities_bnd, places=res.cities,
        title=f"Travel time from {city}, by county zone", filepath=path, **meta,
    )  # fmt: skip


def city_isochrone_jobs(
    res: ScenarioResult, G: nx.MultiDiGraph, cities_bnd: Any, origins: Iterable[int], meta: dict[str, Any]
) -> list[Job]:
    """Isochrone map jobs ``(file name, draw(path))`` from city ``origins``, on the county surface.

    Parameters
    ----------
    res, G
        A city-level result and its graph.
    cities_bnd
        City polygons (outlines on the county surface; the classes of the fallback).
    origins
        City adcodes (those not in ``res`` are skipped).
    meta
        ``scenario`` and ``year`` for the titles.

    Returns
    -------
    list of tuple
        ``(isochrones_<adcode>_<name>.png, job)``; the job draws and saves the map.
    """
    od = res.od["multimodal"]
    origins = [int(o) for o in origins if int(o) in od.index]
    if not origins:
        return []
    run = county_surface(G)
    county = run if isinstance(run, CountyRun) else None
    if county is None:
        log.info("isochrones from the 41 city centres (interpolated contours): %s", run)

    def job(p: Path, o: int) -> Any:
        if county is not None and o in county.centres:
            return _draw_from_county(res, county, o, cities_bnd, p, dict(meta))
        return plot.plot_isochrones(od, o, res.cities, cities_bnd, filepath=p, **meta)

    return [(f"isochrones_{o}_{res.name}.png", functools.partial(job, o=o)) for o in origins]
