"""Derive ``data/expressways.csv`` (the dated county expressway network) from the route chains.

The curated chains live in ``data/expressway_routes/*.csv`` (format: the README there):
one row per node of an ordered chain of county seats served by a route. This tool

1. **validates** every file (unknown adcode, a ``node_name_zh`` that is not the county's
   ``name_zh``, ``seq`` not 1, 2, 3 ... per (route, branch), a missing, malformed or future
   ``opened``, ``opened``/``km_from_prev``/``speed_kph`` on a chain's first row, the same
   node twice in a row, a bad route number, a row after the first without a source); every problem of
   every file is reported at once, each naming the file, line and field;
2. turns each pair of consecutive nodes into a **section** ``from -> to`` carrying the
   ``opened``, ``km_from_prev``, ``speed_kph`` and ``source`` of the second node's row;
3. **merges** sections listed twice (same route, same unordered node pair: a route
   crossing a province border is listed by both files). Stated rule: the section opens
   in the *later* of the listed years (a road is through only when both parts are open;
   the conflict is written into ``source`` and printed); two sourced km that differ by
   more than ``KM_TOLERANCE`` are an error; otherwise the first sourced value (files in
   name order, rows in file order) is kept and every source is kept;
4. fills **km** where no source states it: the geodesic distance between the two seats
   times the median ratio sourced km / geodesic km over the sections with a sourced km
   (at least ``MIN_SOURCED`` of them; otherwise ``TravelTimeModel.local_road_detour``, the
   documented road detour); ``km_method`` says which and with what numbers;
5. fills **speed_kph** where no source states it with ``DEFAULT_SPEED_KPH`` (an assumption
   stated in ``speed_method``);
6. writes ``data/expressways.csv`` atomically, sorted by ``section_id``: rerunning on the
   same inputs gives the same bytes.

Usage::

    python tools/derive_expressways.py                 # writes data/expressways.csv
    python tools/derive_expressways.py --routes DIR --out FILE --year 2025
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.geodesy import haversine_km
from yrdnet.core.io import write_csv
from yrdnet.core.params import TravelTimeModel

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = (
    "route", "name_zh", "branch", "seq", "node", "node_name_zh", "interchange_zh",
    "km_from_prev", "opened", "speed_kph", "source", "notes",
)  # fmt: skip
OUT_COLUMNS = (
    "section_id", "route", "name_zh", "branch", "from_adcode", "to_adcode", "km", "km_method",
    "speed_kph", "speed_method", "opened", "source",
)  # fmt: skip
#: the last year of the network (the format: "only roads open to traffic by 2025")
LAST_YEAR = 2025
FIRST_YEAR = 1984  # China's first expressway section (沪嘉高速) opened in 1988; earlier is a typo
MIN_SOURCED = 10  # sections with a sourced km needed to derive the detour factor
KM_TOLERANCE = 0.10  # two sourced km of one section may differ by 10 % (interchange vs chainage)
#: design speed assumed where no source states one
DEFAULT_SPEED_KPH = 120
SPEED_ASSUMPTION = (
    "assumed 120 km/h: the top expressway design speed of JTG B01-2014 and the default of "
    "highways.csv; no source states this section's design speed"
)
_ROUTE = re.compile(r"^[GS]\d{1,5}[NSEW]?$")  # G15W, G60N: parallel lines carry a letter


@dataclass
class Section:
    """One section between consecutive nodes of a chain, with where it was listed."""

    route: str
    name_zh: str
    branch: str
    a: int
    b: int
    opened: int
    km: float | None
    speed: int | None
    sources: list[str]
    where: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Problems:
    """Problems of the route files, each naming file, line and field."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, column: str, msg: str) -> None:
        """Record a problem at ``where`` (file:line) in ``column``."""
        self.items.append(f"{where} [{column}]: {msg}")

    def raise_if_any(self) -> None:
        """Raise one :class:`DataError` listing every problem, if any."""
        if self.items:
            n = len(self.items)
            raise DataError(f"{n} problem{'s' * (n != 1)} in the expressway route files:\n  " + "\n  ".join(self.items))


def read_routes(folder: Path) -> pd.DataFrame:
    """Every route file of ``folder`` (name order), with ``file`` and ``line`` (1 = header)."""
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise DataError(f"{folder}: no route files (*.csv) found")
    parts = []
    for f in files:
        try:
            df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8")
        except (pd.errors.ParserError, UnicodeDecodeError) as e:
            raise DataError(f"{f.name}: cannot parse {f}: {e}") from None
        missing = [c for c in COLUMNS if c not in df.columns]
        if missing:
            raise DataError(f"{f.name}: missing column(s) {missing}; expected {list(COLUMNS)}")
        df = df[list(COLUMNS)].map(str.strip)
        df["file"], df["line"] = f.name, np.arange(2, len(df) + 2)
        parts.append(df)
    return pd.concat(parts, ignore_index=True)


def _int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d+", text) else None


def _check_row(r: pd.Series, counties: pd.DataFrame, probs: Problems) -> None:
    """Checks of one row alone (adcode, name, route, numbers, source)."""
    w = f"{r['file']}:{r['line']}"
    if not _ROUTE.match(r["route"]):
        probs.add(w, "route", f"expected a route number like G42, G60N or S38, found {r['route']!r}")
    code = _int(r["node"])
    if code is None or code not in counties.index:
        probs.add(w, "node", f"expected the adcode of a county-level unit in data/counties.csv, found {r['node']!r}")
    elif r["node_name_zh"] != counties.at[code, "name_zh"]:
        found = r["node_name_zh"]
        probs.add(w, "node_name_zh", f"adcode {code} is {counties.at[code, 'name_zh']!r}, found {found!r}")
    if not r["source"] and r["seq"] != "1":
        probs.add(w, "source", "expected where the row comes from (its order, opening year and any km)")
    if r["km_from_prev"]:
        try:
            ok = float(r["km_from_prev"]) > 0
        except ValueError:
            ok = False
        if not ok:
            probs.add(w, "km_from_prev", f"expected a positive number of km, found {r['km_from_prev']!r}")
    if r["speed_kph"]:
        v = _int(r["speed_kph"])
        if v is None or not 40 <= v <= 120:
            probs.add(w, "speed_kph", f"expected a design speed of 40-120 km/h, found {r['speed_kph']!r}")


def _check_chain(chain: pd.DataFrame, probs: Problems, last_year: int) -> None:
    """Checks of one (file, route, branch) chain: seq, opening years, repeated nodes."""
    seq = [_int(s) for s in chain["seq"]]
    first = chain.iloc[0]
    label = f"{first['route']}{'/' + first['branch'] if first['branch'] else ''}"
    if any(s is None for s in seq):
        for (_, r), s in zip(chain.iterrows(), seq, strict=True):
            if s is None:
                probs.add(f"{r['file']}:{r['line']}", "seq", f"expected a positive integer, found {r['seq']!r}")
        return
    if sorted(seq) != list(range(1, len(seq) + 1)):  # type: ignore[type-var]
        probs.add(f"{first['file']}:{first['line']}", "seq",
                  f"chain {label}: expected seq 1..{len(seq)} once each, found {sorted(seq)}")  # type: ignore[type-var]  # fmt: skip
        return
    if len(chain) < 2:
        probs.add(f"{first['file']}:{first['line']}", "seq", f"chain {label}: expected at least two nodes")
    names = set(chain["name_zh"])
    if len(names) > 1:
        probs.add(
            f"{first['file']}:{first['line']}", "name_zh", f"chain {label}: one name expected, found {sorted(names)}"
        )
    ordered = chain.assign(_s=seq).sort_values("_s")
    prev = None
    for _, r in ordered.iterrows():
        w = f"{r['file']}:{r['line']}"
        if r["_s"] == 1:
            for c in ("opened", "km_from_prev", "speed_kph"):
                if r[c]:
                    probs.add(
                        w,
                        c,
                        f"chain {label}: expected empty on seq 1 (it describes the section from the previous node)",
                    )
        else:
            y = _int(r["opened"])
            if y is None or not FIRST_YEAR <= y <= last_year:
                probs.add(
                    w,
                    "opened",
                    f"expected the year the section opened ({FIRST_YEAR}-{last_year}), found {r['opened']!r}",
                )
        if prev is not None and r["node"] == prev:
            probs.add(w, "node", f"chain {label}: node {r['node']} repeats the previous node (seq {r['_s'] - 1})")
        prev = r["node"]


def sections_of(routes: pd.DataFrame, counties: pd.DataFrame, last_year: int = LAST_YEAR) -> list[Section]:
    """Validate the route rows and return the sections of every chain (not merged yet).

    Raises
    ------
    DataError
        Every problem at once, each naming the file, line and column.
    """
    probs = Problems()
    for _, r in routes.iterrows():
        _check_row(r, counties, probs)
    for _, chain in routes.groupby(["file", "route", "branch"], sort=True):
        _check_chain(chain, probs, last_year)
    probs.raise_if_any()
    out: list[Section] = []
    for _, chain in routes.groupby(["file", "route", "branch"], sort=True):
        rows = chain.assign(_s=chain["seq"].astype(int)).sort_values("_s").to_dict("records")
        for p, r in itertools.pairwise(rows):
            out.append(
                Section(
                    route=r["route"], name_zh=r["name_zh"], branch=r["branch"], a=int(p["node"]), b=int(r["node"]),
                    opened=int(r["opened"]), km=float(r["km_from_prev"]) if r["km_from_prev"] else None,
                    speed=int(r["speed_kph"]) if r["speed_kph"] else None, sources=[r["source"]],
                    where=[f"{r['file']}:{r['line']}"],
                )
            )  # fmt: skip
    return out


def merge(sections: list[Section]) -> tuple[list[Section], list[str]]:
    """Merge sections listed twice (same route, same unordered node pair); also the merge report.

    The later opening year wins (stated in the section's notes); two sourced km more than
    ``KM_TOLERANCE`` apart, or two different sourced speeds, raise :class:`DataError`.
    """
    by_key: dict[tuple[str, int, int], Section] = {}
    report: list[str] = []
    probs = Problems()
    for s in sections:
        key = (s.route, min(s.a, s.b), max(s.a, s.b))
        m = by_key.get(key)
        if m is None:
            by_key[key] = s
            continue
        w = f"{s.where[0]} (also {', '.join(m.where)})"
        if s.opened != m.opened:
            later = max(s.opened, m.opened)
            msg = f"opened {m.opened} ({', '.join(m.where)}) and {s.opened} ({s.where[0]}): the later, {later}, kept"
            m.notes.append(msg)
            report.append(f"{s.route} {key[1]}-{key[2]}: {msg}")
            m.opened = later
        if s.km is not None and m.km is not None and abs(s.km - m.km) > KM_TOLERANCE * min(s.km, m.km):
            probs.add(w, "km_from_prev", f"{s.route} {key[1]}-{key[2]}: sourced km {m.km} and {s.km} disagree")
        if s.speed is not None and m.speed is not None and s.speed != m.speed:
            probs.add(w, "speed_kph", f"{s.route} {key[1]}-{key[2]}: sourced speeds {m.speed} and {s.speed} disagree")
        m.km = m.km if m.km is not None else s.km
        m.speed = m.speed if m.speed is not None else s.speed
        m.sources += [x for x in s.sources if x not in m.sources]
        m.where += s.where
    probs.raise_if_any()
    return list(by_key.values()), report


def detour_factor(sections: list[Section], counties: pd.DataFrame) -> tuple[float, str]:
    """The factor km / geodesic km for sections without a sourced km, and how it was found."""
    ratios = []
    for s in sections:
        geo = _geodesic(s, counties)
        if s.km is not None and geo >= 1.0:
            ratios.append(s.km / geo)
    if len(ratios) >= MIN_SOURCED:
        f = float(np.median(ratios))
        return f, f"median ratio of {len(ratios)} sourced sections"
    f = float(TravelTimeModel().local_road_detour)
    return f, (
        f"TravelTimeModel.local_road_detour, the documented road detour: only {len(ratios)} sourced "
        f"sections (< {MIN_SOURCED}) to derive a factor from"
    )


def _geodesic(s: Section, counties: pd.DataFrame) -> float:
    a, b = counties.loc[s.a], counties.loc[s.b]
    return float(haversine_km(float(a["lon"]), float(a["lat"]), float(b["lon"]), float(b["lat"])))


def table(sections: list[Section], counties: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``data/expressways.csv``, sorted by ``section_id``."""
    factor, why = detour_factor(sections, counties)
    rows = []
    for s in sections:
        if s.km is not None:
            km, km_method = s.km, "sourced: km_from_prev"
        else:
            geo = _geodesic(s, counties)
            km = geo * factor
            km_method = f"derived: geodesic {geo:.1f} km x {factor:.3f} ({why})"
        source = " | ".join(s.sources)
        if s.notes:
            source += " | merged: " + "; ".join(s.notes)
        rows.append(
            {
                "section_id": f"{s.route.lower()}{'_' + s.branch if s.branch else ''}_{s.a}_{s.b}",
                "route": s.route, "name_zh": s.name_zh, "branch": s.branch,
                "from_adcode": s.a, "to_adcode": s.b, "km": round(km, 2), "km_method": km_method,
                "speed_kph": s.speed if s.speed is not None else DEFAULT_SPEED_KPH,
                "speed_method": "sourced: speed_kph" if s.speed is not None else SPEED_ASSUMPTION,
                "opened": s.opened, "source": source,
            }
        )  # fmt: skip
    out = pd.DataFrame(rows, columns=list(OUT_COLUMNS))
    dup = out["section_id"][out["section_id"].duplicated()]
    if len(dup):
        raise DataError(f"section ids listed twice (the same pair in two branches?): {sorted(set(dup))}")
    return out.sort_values("section_id", kind="stable").reset_index(drop=True)


def derive(folder: Path, counties: pd.DataFrame, last_year: int = LAST_YEAR) -> tuple[pd.DataFrame, list[str]]:
    """``(expressways table, merge report)`` of the route files in ``folder``."""
    routes = read_routes(folder)
    merged, report = merge(sections_of(routes, counties, last_year))
    return table(merged, counties), report


def main(argv: list[str] | None = None) -> int:
    """Command line: derive and write the table, print a summary."""
    from yrdnet.region.datasets import load_counties

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routes", type=Path, default=ROOT / "data" / "expressway_routes")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "expressways.csv")
    ap.add_argument("--year", type=int, default=LAST_YEAR, help="last opening year allowed")
    args = ap.parse_args(argv)
    counties = pd.DataFrame(load_counties())
    try:
        out, report = derive(args.routes, counties, args.year)
    except DataError as e:
        print(e, file=sys.stderr)
        return 1
    write_csv(args.out, out, index=False, lineterminator="\n")
    for line in report:
        print("merged:", line)
    sourced = int(out["km_method"].str.startswith("sourced").sum())
    nodes = set(out["from_adcode"]).union(out["to_adcode"])
    print(f"{len(out)} sections on {out['route'].nunique()} routes, {len(nodes)} county nodes; "
          f"km sourced for {sourced}, derived for {len(out) - sourced} -> {args.out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
