"""The ``yrdnet`` command line: build, analyze, compare, map, timeline, targets, trip, gtfs, scenarios, roads, demo.

The plan comparisons ``sweep``, ``uncertainty`` and ``best-plan`` live in :mod:`yrdnet.cli.plan_commands`;
``roads fetch`` and the ``--roads`` road source in :mod:`yrdnet.cli.roads`.

Exit status: 0 success, 1 analysis error (or a sweep with failed scenarios), 2 bad input
(unknown scenario, invalid data or arguments, an ``--out`` that cannot be written: checked
before anything runs, :mod:`yrdnet.cli.outputs`). Errors print one line naming the fault;
``--debug`` shows the traceback. yrdnet's own warnings print once each as one line
(:mod:`yrdnet.cli.userwarnings`); other libraries' only with ``--debug``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import yrdnet
from yrdnet._version import __version__
from yrdnet.cli import grammar, report
from yrdnet.cli import plan_commands as _cli_plans
from yrdnet.cli import roads as _cli_roads
from yrdnet.cli.outputs import preflight
from yrdnet.cli.userwarnings import user_warnings
from yrdnet.core.errors import DataError, GraphContractError, OutputError, ScenarioError
from yrdnet.core.io import atomic_dir, describe_os_error, safe_name, save_geopackage, save_graphml, write_csv
from yrdnet.core.settings import settings
from yrdnet.scenarios.scenario import scenario_for_year
from yrdnet.viz.svgmap import check_tiles

__all__ = ["main"]

EXAMPLES = grammar.EXAMPLES  # one examples block per subcommand (kept for importers)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with one line, like bad input
        self.print_usage(sys.stderr)
        print(f"yrdnet: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _map_origins(texts: list[str] | None, level: str) -> tuple[int, ...]:
    """The adcodes of ``map --origin`` values (adcodes, English or Chinese names) at ``level``.

    Raises
    ------
    ValueError
        On an unknown or ambiguous name (one line, with the closest names).
    """
    if not texts:
        return ()
    if level not in grammar.LEVELS:  # a custom zone table: ids only, checked against its matrix
        bad = [t for t in texts if not str(t).strip().isdigit()]
        if bad:
            raise ValueError(f"--origin {bad[0]!r}: give zone ids (adcodes) for {level!r} zones")
        return tuple(int(t) for t in texts)
    return tuple(grammar.zone_id(t, level, what="--origin") for t in texts)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="yrdnet",
        description="Rail and expressway accessibility, centrality and polycentricity of the Yangtze River Delta.",
        epilog=grammar.epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--debug", action="store_true", help="show full tracebacks and debug logging")
    p.add_argument("--quiet", action="store_true", help="no progress bars, no Dask INFO logging")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog=grammar.epilog(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    b = cmd("build", "build a scenario's multimodal graph and save it as GraphML and GeoPackage")
    b.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    b.add_argument("--year", type=int, help="network year (overrides the scenario's)")
    grammar.add_out(b, "results/graphs")
    grammar.add_zones(b)
    _cli_roads.add_roads_arg(b)

    a = cmd("analyze", "analyse a scenario and write its tables (CSV, GeoPackage, JSON)")
    a.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    grammar.add_scope(a)
    a.add_argument("--year", type=int, help="network year (overrides the scenario's)")
    grammar.add_out(a, None, "output folder (default: results/<scenario>)")
    _zone_args(a)
    _cli_roads.add_roads_arg(a)

    c = cmd("compare", "compare scenarios with the first one; writes delta tables and a Markdown report")
    c.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="base scenario, then one or more others")
    grammar.add_scope(c)
    grammar.add_out(c, "results/compare")
    _zone_args(c)
    _cli_roads.add_roads_arg(c)

    m = cmd("map", "draw every map of a scenario (PNG, 200 dpi) and its interactive HTML map")
    m.add_argument("scenario", help="shipped scenario name, path to a .toml file, or a result folder")
    m.add_argument("--base", help="base scenario: adds change maps and highlights additions")
    m.add_argument(
        "--origin", action="append", metavar="ZONE",
        help="isochrone origin: adcode, English or Chinese name, e.g. 340100, Hefei or 合肥 (repeatable)",
    )  # fmt: skip
    m.add_argument("--no-html", action="store_true", help="skip the HTML map")
    m.add_argument(
        "--offline",
        action="store_true",
        help="self-contained HTML map: scripts and styles inlined, nothing fetched when opened (no folium needed)",
    )
    m.add_argument(
        "--tiles",
        default="auto",
        help="basemap: 'none', OpenStreetMap, 'CartoDB positron' or a {z}/{x}/{y} URL template "
        "(default: OpenStreetMap online, none with --offline)",
    )
    grammar.add_out(m, "results/maps")
    _zone_args(m, masses=False)

    t = cmd("timeline", "region indices over historical networks and the 2035 plan")
    t.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="default: baseline_2010 ... plan_2035")
    grammar.add_scope(t)
    grammar.add_out(t, "results/timeline")
    _zone_args(t)
    _cli_roads.add_roads_arg(t)

    tg = cmd("targets", "the policy travel-time targets over scenarios: both time definitions, first year met")
    tg.add_argument("scenarios", nargs="*", metavar="SCENARIO", help="default: baseline_2010 ... plan_2035")
    grammar.add_out(tg, "results/targets")

    tr = cmd("trip", "the door-to-door legs of the fastest trip between two zones (adcodes or names)")
    tr.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    tr.add_argument("origin", help="origin zone: adcode, English or Chinese name, e.g. 340100, Hefei or 合肥")
    tr.add_argument("destination", help="destination zone: adcode, English or Chinese name, e.g. Shanghai")
    tr.add_argument(
        "--mode", default="multimodal", choices=["multimodal", "rail", "road"],
        help="multimodal: fastest over rail and road combined; rail: rail services with the trip to and from "
        "stations; road: roads only (default: %(default)s)",
    )  # fmt: skip
    _zone_args(tr, masses=False)

    gt = cmd("gtfs", "write a scenario's rail services as a GTFS feed (.zip) for R5 or OpenTripPlanner")
    gt.add_argument("scenario", help="shipped scenario name or path to a .toml file")
    grammar.add_out(gt, None, "the .zip to write (default: <scenario>_gtfs.zip)")
    gt.add_argument("--year", type=int, help="network year (overrides the scenario's)")
    gt.add_argument("--date", help="first day of the calendar, YYYY-MM-DD (default: 1 January of the year)")
    gt.add_argument("--days", type=int, default=365, help="days the calendar runs (default: %(default)s)")
    gt.add_argument("--start", default="06:00", help="start of the day window (default: %(default)s)")
    gt.add_argument("--end", default="24:00", help="end of the day window (default: %(default)s)")
    gt.add_argument("--no-frequencies", action="store_true", help="write every train as a trip, no frequencies.txt")

    cmd("scenarios", "list shipped scenarios with one-line descriptions")
    _cli_roads.add_roads_parser(cmd)
    _cli_plans.add_parsers(cmd)

    d = cmd("demo", "the main job on the shipped data (make demo)")
    grammar.add_out(d, "results")
    grammar.add_zones(d, several=True, default="city,county")
    return p


def _zone_args(p: argparse.ArgumentParser, *, masses: bool = True) -> None:
    grammar.add_zones(p)
    if masses:
        p.add_argument(
            "--masses",
            default="2020",
            choices=["2020", "census"],
            help="2020 census everywhere, or the census nearest the network year (default: %(default)s)",
        )


def _scenario_from(arg: str) -> str:
    p = Path(arg)
    if p.is_dir() and (p / "result.json").is_file():
        import json

        meta = p / "result.json"
        doc = json.loads(meta.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or "name" not in doc:
            raise OutputError(f"{meta}: not a yrdnet result (no 'name')")
        name = safe_name(doc["name"], what=f"name in {meta}")  # it names the maps: never a path
        path = (doc.get("meta") or {}).get("scenario_path") or ""
        return path if isinstance(path, str) and path and Path(path).is_file() else name
    return arg


def _over_time(args: argparse.Namespace) -> int:
    """``timeline`` and ``targets``: a table and its chart over a sequence of scenarios."""
    if args.command == "timeline":
        items = _cli_roads.parse_roads(args.roads).results(args.scenarios or report.TIMELINE, args.zones,
                                                           scope=args.scope, masses=args.masses)  # fmt: skip
        tl = yrdnet.timeline(items, scope=args.scope, zones=args.zones, masses=args.masses)
        out = Path(args.out)

        with atomic_dir(out) as tmp:  # the table and its chart appear together
            write_csv(tmp / "timeline.csv", tl.rename_axis("indicator"))  # a named first column
            report.write_timeline_chart(tl, tmp / "timeline.png")
        rows = [r for r in report.TIMELINE_INDICATORS if r in tl.index]
        print(tl.loc[rows].to_string(float_format=lambda v: f"{v:.3f}"))
        print(f"-> {out / 'timeline.csv'}, {out / 'timeline.png'}")
        return 0
    else:  # targets
        names = [_scenario_from(x) for x in args.scenarios] or list(report.TIMELINE)
        tl = yrdnet.target_timeline(names)
        out = Path(args.out)
        with atomic_dir(out) as tmp:
            write_csv(tmp / "targets.csv", tl)
            report.write_targets_chart(tl, tmp / "targets.png")
        keep = ("threshold_min", "time_definition")
        show = [c for c in tl.columns if c.startswith(("met_", "first_met")) or c in keep]
        print(tl[show].to_string())
        print(f"-> {out / 'targets.csv'}, {out / 'targets.png'}")
    return 0


def _gtfs(args: argparse.Namespace) -> int:
    """``gtfs``: a scenario's rail services as a GTFS feed (:func:`yrdnet.to_gtfs`)."""
    sc = scenario_for_year(args.scenario, args.year, where="--year")
    out = Path(args.out or f"{safe_name(sc.name)}_gtfs.zip")
    path = yrdnet.to_gtfs(
        sc, out, service_date=args.date, days=args.days, start=args.start, end=args.end,
        frequencies=not args.no_frequencies,
    )  # fmt: skip
    print(f"{sc.name}: GTFS feed -> {path}")
    return 0


def _run(args: argparse.Namespace) -> int:

    if args.command == "scenarios":
        df = yrdnet.list_scenarios()
        for name, r in df.iterrows():
            print(f"{name:32s} {r['year']}  {r['description']}")
        return 0
    if args.command == "build":
        G = _cli_roads.parse_roads(args.roads).graph(args.scenario, args.year, args.zones)
        out = Path(args.out)
        name = safe_name(str(G.graph["scenario"]) + ("" if args.zones == "city" else f"_{args.zones}"))
        save_graphml(G, out / f"{name}.graphml")
        save_geopackage(G, out / f"{name}.gpkg")
        print(
            f"{name}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges -> "
            f"{out / (name + '.graphml')}, {out / (name + '.gpkg')}"
        )
        return 0
    if args.command == "analyze":
        roads = _cli_roads.parse_roads(args.roads)
        if roads.osm:
            Z = yrdnet.load_zones(args.zones)
            G = roads.graph(args.scenario, args.year, Z)
            res = yrdnet.analyze(G, args.scope, zones=Z, masses=args.masses)
        else:
            res = yrdnet.analyze(args.scenario, args.scope, year=args.year, zones=args.zones, masses=args.masses)

        out = Path(args.out or f"results/{safe_name(res.name)}")
        res.to_dir(out)
        print(res.region[["value"]].to_string(float_format=lambda v: f"{v:.4g}"))
        for n in res.notes:
            print(f"note: {n}", file=sys.stderr)
        print(f"\n{res!r} -> {out}")
        return 0
    if args.command == "compare":
        if len(args.scenarios) < 2:
            raise ValueError("compare needs a base scenario and at least one other")
        items = _cli_roads.parse_roads(args.roads).results(args.scenarios, args.zones, scope=args.scope,
                                                           masses=args.masses)  # fmt: skip
        cmp = yrdnet.compare(*items, scope=args.scope, zones=args.zones, masses=args.masses)
        cmp.to_dir(args.out)
        print(cmp.to_markdown(top=10))
        print(f"-> {Path(args.out)}")
        return 0
    if args.command == "map":
        tiles = None if str(args.tiles).lower() == "none" else args.tiles
        if args.offline and tiles not in (None, "auto"):
            check_tiles(tiles)  # a bad --tiles fails before the analysis, not after it
        name = _scenario_from(args.scenario)
        folder = Path(args.scenario)
        saved = folder.is_dir() and (folder / "result.json").is_file()
        # a result folder: its saved tables are drawn (no re-analysis) at its own level
        res0 = yrdnet.ScenarioResult.from_dir(folder) if saved else None
        level = res0.level if res0 is not None else args.zones
        origins = _map_origins(args.origin, level)  # names resolved before any build
        Z = yrdnet.load_zones(level)
        G = yrdnet.build_graph(name, zones=Z)
        res = res0 if res0 is not None else yrdnet.analyze(G, zones=Z)
        base = base_graph = None
        if args.base:
            base_graph = yrdnet.build_graph(_scenario_from(args.base), zones=Z)
            base = yrdnet.analyze(base_graph, zones=Z)
        unknown = [o for o in origins if o not in res.od["multimodal"].index]
        if unknown:  # a zone of the level that the analysed table lacks (a custom zone table)
            raise ValueError(f"--origin zone(s) {unknown} are not zones of {res.name}")
        kw = {"origins": origins} if origins else {}
        files = report.write_maps(res, G, args.out, base=base, base_graph=base_graph, html=not args.no_html,
                                  offline=args.offline, tiles=tiles, **kw)  # fmt: skip
        print("\n".join(str(f) for f in files))
        return 0
    if args.command in ("timeline", "targets"):
        return _over_time(args)
    if args.command == "trip":
        origin = grammar.zone_id(args.origin, args.zones, what="origin")  # names resolved before any build
        destination = grammar.zone_id(args.destination, args.zones, what="destination")
        G = yrdnet.build_graph(args.scenario, zones=args.zones)
        legs = yrdnet.trip_breakdown(G, origin, destination, args.mode)
        print(legs.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
        print(f"total: {legs['minutes'].sum():.1f} min door to door by {args.mode} ({G.graph['scenario']})")
        return 0
    if args.command == "demo":
        report.demo(args.out, levels=tuple(args.zones))  # --zones: checked levels (grammar.add_zones)
        return 0
    raise ValueError(f"unknown command {args.command!r}")  # pragma: no cover


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        print(f"yrdnet {__version__}")
        return 0
    if args.command is None:
        parser.print_help()
        return 2
    os.environ.setdefault("MPLBACKEND", "Agg")
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if not args.debug:  # e.g. "findfont: Failed to find font weight bold" for CJK fonts without bold
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    try:
        with user_warnings(args.debug), settings.override(quiet=settings.quiet or args.quiet):
            preflight(args)  # --out checked before anything runs
            own = {"gtfs": _gtfs, "roads": _cli_roads.fetch}  # commands with a runner of their own
            if args.command in own:
                return own[args.command](args)
            return _cli_plans.run(args) if args.command in _cli_plans.COMMANDS else _run(args)
    except KeyboardInterrupt:
        print("yrdnet: interrupted (nothing was left half-written)", file=sys.stderr)
        return 130
    except OSError as e:
        if args.debug:
            traceback.print_exc()
        if e.filename or e.filename2 or not getattr(args, "out", None):
            print(f"yrdnet: error: {describe_os_error(e)}", file=sys.stderr)
        else:
            print(f"yrdnet: error: cannot read or write --out {args.out}: {e.strerror or e}", file=sys.stderr)
        return 2
    except (ScenarioError, DataError, GraphContractError, ValueError, KeyError) as e:
        if args.debug:
            traceback.print_exc()
        msg = str(e).splitlines()
        print(f"yrdnet: error: {msg[0] if msg else type(e).__name__}", file=sys.stderr)
        for extra in msg[1:6]:
            print(f"yrdnet: {extra.strip()}", file=sys.stderr)
        return 2
    except Exception as e:
        if args.debug:
            traceback.print_exc()
        print(
            f"yrdnet: analysis failed: {type(e).__name__}: {e} (rerun with --debug for the traceback)", file=sys.stderr
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
