"""Derive the conventional rail lines of ``data/lines.csv`` from a curated list and the 2023 timetable.

Input 1 is ``data/conventional_lines.csv``: the curated YRD conventional lines (or
sections with their own opening year), each with its *anchor* stations by Chinese name
(its two ends and key stations between them, in line order), opening year, design speed
where sourced and the sources. Input 2 is the 12306 timetable of 2023-12-15
(``Hu-xiaojiao/12306-code-database-2023-12-15``, one SQLite file per train class, one
table per train). Only conventional classes are read: K, T, Z, P (普客) and Y (旅游).

Station list of a line (the rule)
---------------------------------
1. Every train is cut into *pieces*: maximal runs of its calls at the line's anchors in
   one direction along the anchor list (consecutive anchor calls ``i -> j`` with ``j``
   beyond ``i``; a train calling at an anchor twice is left out for that line). A piece
   spans the train's calls from its first to its last anchor call.
2. A piece is dropped when it calls at an anchor of another curated line that is not an
   anchor of this line (it left the line: e.g. trains 徐州–萧县–淮北–宿州 run on the 符夹
   line, not on the 京沪 line, whose anchors 徐州 and 宿州 they also call at; junction
   stations are therefore anchors of every line they lie on), or when its time between two
   consecutive anchor calls is more than :data:`DETOUR_RATIO` times the median of all
   pieces between the same two anchors (the train went round another way).
3. The line's stations are the union of the stops of its pieces. Each piece says which
   stop follows which (in line direction); the stations are sorted topologically by these
   precedences, ties broken by the median *position* of a stop: ``i + (j - i) * f`` with
   ``f`` the share of the run time from anchor ``i`` to the next anchor call ``j`` at
   which the train reaches the stop (anchors sit at their index). Contradictory
   precedences (a cycle) or anchors out of order are an error naming the line.
4. The ends are the first and last anchors, also where no train calls at them together
   with the next anchor (a line that leaves a trunk line at a junction without
   passenger trains ends at the nearest station served, as its ``source`` says).

Operating speed (the rule)
--------------------------
Each pair of consecutive calls of a piece is a *run*: scheduled minutes ``t`` from
departure to arrival, track km ``L`` = the sum over the line's station-to-station
segments between the two calls of the geodesic distance times ``rail_detour``, or the
curated ``length_km`` shared out in proportion to the geodesic distances (what the graph
builder does). The run's *model speed* is the
operating speed at which yrdnet's run model (:func:`yrdnet.services.run_seconds`: cruise
at ``rail_speed_factor`` x speed, accelerating and braking at ``rail_accel_ms2``, the
:class:`yrdnet.TravelTimeModel` defaults) takes exactly ``t``; a run faster than the
model can go at any speed counts at the speed that minimises its time. The line's
``operating_speed_kph`` is the median model speed over all its runs, capped at the
sourced design speed; where no design speed is sourced the design speed is set to it and
marked unverified. A line without runs (no train calls at two of its stations) takes the
median operating speed of the other lines. The median plain schedule speed (L / t) is
reported in ``source`` as well.

Output: ``data/lines.csv`` with every ``kind = conventional`` row replaced by the derived
rows (other rows untouched, in their order), written atomically; station names are mapped
to ids through the 2023 feed's ``stops.txt`` (``data/gtfs_yrd_2023.zip``, when present)
and ``stations.csv`` (``name_zh``). The tool prints each line's stations, trains and
speeds, and the median trains a day per direction over the lines
(``TravelTimeModel.default_conventional_trains``).

Usage::

    python tools/derive_conventional.py /work/shared/sources/timetable_2023/12306_timetable_2023-12-15.zip
    python tools/derive_conventional.py <zip> --check     # exit 1 if lines.csv would change
    python tools/derive_conventional.py <zip> --skip-unmapped   # leave out lines with unmapped names

The shipped rows are written with ``--skip-unmapped``: a few stations of lines opened
after 2016 have no located point in the station sources and so no ``stations.csv`` row;
their lines are left out and named in the output (``LEFT OUT``).
"""

from __future__ import annotations

import argparse
import csv
import heapq
import io
import itertools
import math
import sqlite3
import statistics
import sys
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yrdnet.core.errors import DataError  # noqa: E402
from yrdnet.core.geodesy import haversine_km  # noqa: E402
from yrdnet.core.io import write_text  # noqa: E402
from yrdnet.core.params import TravelTimeModel  # noqa: E402

#: Conventional train classes of the timetable (folders of the zip).
CLASSES = ("K", "T", "Z", "P", "Y")
#: A piece slower than this many times the median between the same two anchors is a detour.
DETOUR_RATIO = 2.0
TIMETABLE_REF = "the 12306 timetable of 2023-12-15 (Hu-xiaojiao/12306-code-database-2023-12-15)"
KIND = "conventional"


@dataclass(frozen=True)
class Call:
    """One call of a train: station name, arrival and departure in minutes since the first day's 00:00."""

    name: str
    arr: float
    dep: float


@dataclass(frozen=True)
class Train:
    """A timetable train: table name (train id), printed number and calls in order."""

    tid: str
    code: str
    calls: tuple[Call, ...]


@dataclass(frozen=True)
class Spec:
    """A curated line of ``conventional_lines.csv``."""

    line_id: str
    name_zh: str
    name_en: str
    anchors: tuple[str, ...]
    opened: int
    design: int | None
    length_km: float | None
    source: str


@dataclass
class Derived:
    """What the timetable gives for one line."""

    spec: Spec
    names: list[str]
    trains: set[str] = field(default_factory=set)
    runs: list[tuple[str, str, float]] = field(default_factory=list)
    dropped: int = 0
    unlinked: list[str] = field(default_factory=list)
    uncalled: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ reading


def _clock(s: str | None) -> int | None:
    if not s or ":" not in s:
        return None
    h, m = s.split(":")[:2]
    return int(h) * 60 + int(m)


def _calls(rows: list[tuple]) -> tuple[Call, ...]:
    """Calls of one train table, merged where a station repeats consecutively."""
    out: list[Call] = []
    last = -math.inf
    for _, name, arr_s, dep_s, day in rows:
        a, d = _clock(arr_s), _clock(dep_s)
        a = d if a is None else a
        d = a if d is None else d
        if a is None or d is None:
            continue
        arr = int(day or 0) * 1440 + a
        while arr < last:
            arr += 1440
        dep = arr + (d - a) % 1440
        last = dep
        if out and out[-1].name == name:
            out[-1] = Call(name, out[-1].arr, dep)
        else:
            out.append(Call(str(name), float(arr), float(dep)))
    return tuple(out)


def read_trains(zip_path: Path, classes: tuple[str, ...] = CLASSES) -> list[Train]:
    """Every train of the given classes in the timetable zip, sorted by table name."""
    trains = []
    with zipfile.ZipFile(zip_path) as z, tempfile.TemporaryDirectory() as tmp:
        for cls in classes:
            member = f"{cls}/train_timetable_info.db"
            if member not in z.namelist():
                raise DataError(f"{zip_path}: no {member} (expected a class folder {cls}/)")
            db = Path(z.extract(member, tmp))
            con = sqlite3.connect(db)
            try:
                tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
                for t in sorted(x for x in tables if x != "sqlite_sequence"):
                    q = f'select station_no, station_name, arrive_time, start_time, arrive_day_diff from "{t}"'
                    rows = sorted(con.execute(q).fetchall())
                    code = con.execute(f'select station_train_code from "{t}" limit 1').fetchone()
                    calls = _calls(rows)
                    if len(calls) >= 2:
                        trains.append(Train(t, str(code[0]) if code else t, calls))
            finally:
                con.close()
    return trains


def read_specs(path: Path) -> list[Spec]:
    """The curated lines; one :class:`DataError` names every bad row."""
    probs = []
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=2):
            anchors = tuple(x.strip() for x in (r.get("anchors") or "").split(";") if x.strip())
            if len(anchors) < 2 or len(set(anchors)) < len(anchors):
                probs.append(f"row {i} ({r.get('line_id')}): anchors need >= 2 distinct names")
            try:
                opened = int(r["opened"])
                design = int(r["design_speed_kph"]) if r.get("design_speed_kph") else None
                length = float(r["length_km"]) if r.get("length_km") else None
            except (KeyError, ValueError) as e:
                probs.append(f"row {i} ({r.get('line_id')}): {e}")
                continue
            out.append(Spec(r["line_id"], r["name_zh"], r["name_en"], anchors, opened, design, length, r["source"]))
    ids = [s.line_id for s in out]
    probs += [f"line_id {x!r} repeated" for x in sorted({x for x in ids if ids.count(x) > 1})]
    if probs:
        raise DataError(f"{path}: " + "; ".join(probs))
    return out


# ------------------------------------------------------------------ station order


def pieces(anchors: tuple[str, ...], train: Train) -> list[tuple[Call, ...]]:
    """The train's runs along the anchors, each in train order (see the module docstring)."""
    idx = {a: i for i, a in enumerate(anchors)}
    visits = [(k, idx[c.name]) for k, c in enumerate(train.calls) if c.name in idx]
    if len({i for _, i in visits}) < len(visits):
        return []
    out, run = [], visits[:1]
    for prev, cur in itertools.pairwise(visits):
        same = len(run) < 2 or (cur[1] - prev[1]) * (run[1][1] - run[0][1]) > 0
        if same:
            run.append(cur)
        else:
            out.append(run)
            run = [prev, cur]
    out.append(run)
    return [train.calls[r[0][0] : r[-1][0] + 1] for r in out if len(r) >= 2]


def _anchor_times(piece: tuple[Call, ...], idx: dict[str, int]) -> list[tuple[int, int, float]]:
    ks = [k for k, c in enumerate(piece) if c.name in idx]
    return [(idx[piece[a].name], idx[piece[b].name], piece[b].arr - piece[a].dep) for a, b in itertools.pairwise(ks)]


def _positions(piece: tuple[Call, ...], idx: dict[str, int]) -> dict[str, float]:
    """Position of each call of a piece: anchors at their index, stops by share of run time."""
    pos: dict[str, float] = {}
    ks = [k for k, c in enumerate(piece) if c.name in idx]
    for a, b in itertools.pairwise(ks):
        ia, ib = idx[piece[a].name], idx[piece[b].name]
        span = piece[b].arr - piece[a].dep
        for k in range(a + 1, b):
            f = (piece[k].arr - piece[a].dep) / span if span > 0 else 0.5
            pos[piece[k].name] = ia + (ib - ia) * min(max(f, 0.0), 1.0)
    for k in ks:
        pos[piece[k].name] = float(idx[piece[k].name])
    return pos


def order_stations(spec: Spec, chains: list[list[str]], pos: dict[str, list[float]]) -> list[str]:
    """Topological order of the stations of the chains (line direction), ties by median position."""
    nodes = set(spec.anchors) | {n for ch in chains for n in ch}
    succ: dict[str, set[str]] = defaultdict(set)
    for ch in chains:
        for a, b in itertools.pairwise(ch):
            succ[a].add(b)
    indeg = {n: 0 for n in nodes}
    for nxt in succ.values():
        for b in nxt:
            indeg[b] += 1
    key = {n: statistics.median(pos[n]) if pos.get(n) else float(spec.anchors.index(n)) for n in nodes}
    heap = [(key[n], n) for n in nodes if indeg[n] == 0]
    heapq.heapify(heap)
    out = []
    while heap:
        _, n = heapq.heappop(heap)
        out.append(n)
        for b in sorted(succ[n]):
            indeg[b] -= 1
            if indeg[b] == 0:
                heapq.heappush(heap, (key[b], b))
    if len(out) < len(nodes):
        left = sorted(nodes - set(out))
        raise DataError(f"line {spec.line_id}: the trains' stop orders contradict each other among {left}")
    got = [n for n in out if n in spec.anchors]
    if got != list(spec.anchors) or out[0] != spec.anchors[0] or out[-1] != spec.anchors[-1]:
        raise DataError(
            f"line {spec.line_id}: derived order {out} does not keep the anchors {list(spec.anchors)} "
            "in order at its ends"
        )
    return out


def derive_line(spec: Spec, trains: list[Train], foreign: frozenset[str] = frozenset()) -> Derived:
    """Stations of one line from the trains (rules 1-4 of the module docstring), and its runs.

    ``foreign`` holds the anchors of the other curated lines (rule 2).
    """
    idx = {a: i for i, a in enumerate(spec.anchors)}
    other = foreign - set(spec.anchors)
    every = [(t, p) for t in trains for p in pieces(spec.anchors, t)]
    found = [(t, p) for t, p in every if not any(c.name in other for c in p)]
    times: dict[tuple[int, int], list[float]] = defaultdict(list)
    for _, p in found:
        for i, j, dt in _anchor_times(p, idx):
            times[(min(i, j), max(i, j))].append(dt)
    med = {k: statistics.median(v) for k, v in times.items()}
    kept = [
        (t, p)
        for t, p in found
        if all(dt <= DETOUR_RATIO * med[(min(i, j), max(i, j))] for i, j, dt in _anchor_times(p, idx))
    ]
    chains, pos = [], defaultdict(list)
    d = Derived(spec, [], dropped=len(every) - len(kept))
    for t, p in kept:
        names = [c.name for c in p]
        forward = idx[names[0]] < idx[names[-1]]
        chains.append(names if forward else names[::-1])
        for n, x in _positions(p, idx).items():
            pos[n].append(x)
        d.trains.add(t.tid)
        d.runs += [(a.name, b.name, b.arr - a.dep) for a, b in itertools.pairwise(p)]
    d.names = order_stations(spec, chains, pos)
    spans = {(min(i, j), max(i, j)) for _, p in kept for i, j, _ in _anchor_times(p, idx)}
    pairs = zip(spec.anchors, spec.anchors[1:], strict=False)
    d.unlinked = [f"{a}–{b}" for k, (a, b) in enumerate(pairs) if not any(i <= k < j for i, j in spans)]
    called = {c.name for _, p in kept for c in p}
    d.uncalled = [a for a in spec.anchors if a not in called]
    return d


# ------------------------------------------------------------------ station ids and speeds


def station_ids(stations_csv: Path, feed_zip: Path | None) -> dict[str, tuple[str, float, float]]:
    """Name -> (station id, lon, lat): the 2023 feed's stop names first, then ``stations.csv`` names."""
    rows = {}
    with stations_csv.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows[r["station_id"]] = (r["name_zh"], float(r["lon"]), float(r["lat"]))
    out = {name: (sid, lon, lat) for sid, (name, lon, lat) in rows.items()}
    if feed_zip is not None and feed_zip.exists():
        with zipfile.ZipFile(feed_zip) as z, z.open("stops.txt") as fh:
            for r in csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8")):
                if r["stop_id"] in rows:
                    sid = r["stop_id"]
                    out[r["stop_name"]] = (sid, rows[sid][1], rows[sid][2])
    return out


def model_speed(km: float, minutes: float, m: TravelTimeModel) -> float:
    """Operating speed (km/h) at which :func:`yrdnet.services.run_seconds` runs ``km`` in ``minutes``.

    Solves ``t = L / x + x / a`` for the cruise speed ``x`` (m/s) on the branch where the
    train reaches cruise (``x <= sqrt(a L)``); a run too fast for any speed gets
    ``x = sqrt(a L)``, the speed of the shortest model time. Returns ``x / factor``.

    Examples
    --------
    >>> from yrdnet.network.track import Segment, run_seconds
    >>> m = TravelTimeModel()
    >>> t = run_seconds([Segment(50.0, 100.0, "x", m.rail_speed_factor)], math.inf, m.rail_accel_ms2)
    >>> round(model_speed(50.0, t / 60.0, m), 6)
    100.0
    """
    a, length, t = m.rail_accel_ms2, km * 1000.0, minutes * 60.0
    disc = a * a * t * t - 4.0 * a * length
    x = (a * t - math.sqrt(disc)) / 2.0 if disc >= 0 else math.sqrt(a * length)
    return x * 3.6 / m.rail_speed_factor


def line_km(
    names: list[str], ids: dict[str, tuple[str, float, float]], m: TravelTimeModel, length_km: float | None = None
) -> dict[str, float]:
    """Track km from the first station to each station: geodesic x ``rail_detour`` (or scaled to ``length_km``)."""
    geo = [float(haversine_km(ids[a][1], ids[a][2], ids[b][1], ids[b][2])) for a, b in itertools.pairwise(names)]
    scale = length_km / sum(geo) if length_km and sum(geo) > 0 else m.rail_detour
    cum, total = {names[0]: 0.0}, 0.0
    for b, g in zip(names[1:], geo, strict=True):
        total += g * scale
        cum[b] = total
    return cum


def speeds(d: Derived, ids: dict[str, tuple[str, float, float]], m: TravelTimeModel) -> tuple[float, float, int] | None:
    """(median model speed, median schedule speed, number of runs) of a line, None without runs."""
    cum = line_km(d.names, ids, m, d.spec.length_km)
    model, sched = [], []
    for a, b, minutes in d.runs:
        km = abs(cum[b] - cum[a])
        if minutes > 0 and km > 0:
            model.append(model_speed(km, minutes, m))
            sched.append(km / minutes * 60.0)
    if not model:
        return None
    return statistics.median(model), statistics.median(sched), len(model)


# ------------------------------------------------------------------ rows


def _stops_text(d: Derived) -> str:
    s = d.spec
    if not d.trains:
        return (
            f"stops: the curated anchors {'、'.join(s.anchors)} (tools/derive_conventional.py finds no K/T/Z/P/Y "
            f"train of {TIMETABLE_REF} calling at two of them)"
        )
    text = (
        f"stops derived by tools/derive_conventional.py from {TIMETABLE_REF}: the union of the stops of "
        f"{len(d.trains)} K/T/Z/P/Y trains along the anchors {'、'.join(s.anchors)}, in the trains' stop order "
        "(ties: median share of run time between anchors)"
    )
    if d.unlinked:
        text += f"; no train runs between {', '.join(d.unlinked)} (joined as said above)"
    if d.uncalled:
        text += f"; no train of the line calls at {'、'.join(d.uncalled)} (placed as said above)"
    return text


def line_row(
    d: Derived, ids: dict[str, tuple[str, float, float]], sp: tuple[float, float, int] | None, fallback: int
) -> dict[str, str]:
    """The ``lines.csv`` row of a derived line."""
    s, m = d.spec, TravelTimeModel()
    if sp is None:
        op = fallback
        how = f"operating speed {op}: derived = the median operating speed of the other conventional lines (no runs)"
    else:
        op = round(sp[0])
        track = "length_km shared by geodesic distance" if s.length_km else f"geodesic x {m.rail_detour}"
        how = (
            f"operating speed derived = {op}: the median over {sp[2]} scheduled stop-to-stop runs of the speed at "
            "which "
            f"yrdnet's run model (factor {m.rail_speed_factor}, {m.rail_accel_ms2} m/s², track = {track}) "
            f"keeps the scheduled time (median schedule speed {sp[1]:.0f} km/h)"
        )
    design = s.design
    if design is None:
        design = op
        how += "; design speed (unverified): set to the operating speed"
    elif op > design:
        how += f" capped at the design speed {design}"
        op = design
    return {
        "line_id": s.line_id,
        "name_zh": s.name_zh,
        "name_en": s.name_en,
        "kind": KIND,
        "design_speed_kph": str(design),
        "operating_speed_kph": str(op),
        "opened": str(s.opened),
        "planned_open": "",
        "status": "open",
        "stops": ";".join(ids[n][0] for n in d.names),
        "length_km": "" if s.length_km is None else f"{s.length_km:g}",
        "through_to": "",
        "source": f"{s.source}; {_stops_text(d)}; {how}",
    }


def merged_lines(lines_csv: Path, rows: list[dict[str, str]]) -> str:
    """``lines.csv`` text: the rows that are not conventional, then the derived rows."""
    with lines_csv.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        keep = [r for r in reader if r["kind"] != KIND]
    clash = sorted({r["line_id"] for r in keep} & {r["line_id"] for r in rows})
    if clash:
        raise DataError(f"{lines_csv}: derived line ids already used by other rows: {clash}")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(keep + rows)
    return buf.getvalue()


def derive_all(
    specs: list[Spec], trains: list[Train], ids: dict[str, tuple[str, float, float]], *, skip_unmapped: bool = False
) -> tuple[list[dict[str, str]], list[Derived], dict[str, list[str]]]:
    """Rows of the curated lines, every line's derivation, and the lines left out for want of station ids.

    A station name without a station id is one :class:`DataError` listing every such name,
    unless ``skip_unmapped``: then the lines holding one are left out (and returned).
    """
    anchors = frozenset(a for s in specs for a in s.anchors)
    derived = [derive_line(s, trains, anchors) for s in specs]
    missing = {d.spec.line_id: [n for n in d.names if n not in ids] for d in derived}
    missing = {k: v for k, v in missing.items() if v}
    if missing and not skip_unmapped:
        raise DataError(
            "station names without a station id: " + "; ".join(f"{k}: {'、'.join(v)}" for k, v in missing.items())
        )
    kept = [d for d in derived if d.spec.line_id not in missing]
    m = TravelTimeModel()
    sp = {d.spec.line_id: speeds(d, ids, m) for d in kept}
    ops = [min(round(v[0]), d.spec.design or 10**6) for d in kept if (v := sp[d.spec.line_id])]
    fallback = round(statistics.median(ops))
    return [line_row(d, ids, sp[d.spec.line_id], fallback) for d in kept], derived, missing


def report(derived: list[Derived], rows: list[dict[str, str]], missing: dict[str, list[str]]) -> None:
    """Print each line's stations, trains and speed, and the median trains a day per direction."""
    speed = {r["line_id"]: r["operating_speed_kph"] for r in rows}
    for d in derived:
        op = speed.get(d.spec.line_id, "-")
        print(f"{d.spec.line_id}: {len(d.names)} stations, {len(d.trains)} trains, {len(d.runs)} runs, "
              f"{d.dropped} pieces dropped, op {op} km/h: {'、'.join(d.names)}")  # fmt: skip
        if d.unlinked or d.uncalled:
            print(f"    no train between: {', '.join(d.unlinked)}; anchors not called at: {'、'.join(d.uncalled)}")
    for lid, names in missing.items():
        print(f"LEFT OUT {lid}: no station id for {'、'.join(names)}")
    per_dir = [len(d.trains) / 2 for d in derived if d.trains]
    print(f"median trains a day per direction over {len(per_dir)} lines with trains: {statistics.median(per_dir)}")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("timetable", type=Path, help="12306_timetable_2023-12-15.zip")
    ap.add_argument("--spec", type=Path, default=ROOT / "data" / "conventional_lines.csv")
    ap.add_argument("--stations", type=Path, default=ROOT / "data" / "stations.csv")
    ap.add_argument("--feed", type=Path, default=ROOT / "data" / "gtfs_yrd_2023.zip")
    ap.add_argument("--lines", type=Path, default=ROOT / "data" / "lines.csv")
    ap.add_argument("--check", action="store_true", help="exit 1 if lines.csv would change; write nothing")
    ap.add_argument(
        "--skip-unmapped", action="store_true", help="leave out the lines with a station name without a station id"
    )
    args = ap.parse_args(argv)
    trains = read_trains(args.timetable)
    ids = station_ids(args.stations, args.feed)
    rows, derived, missing = derive_all(read_specs(args.spec), trains, ids, skip_unmapped=args.skip_unmapped)
    report(derived, rows, missing)
    text = merged_lines(args.lines, rows)
    if args.check:
        same = args.lines.read_text(encoding="utf-8") == text
        print("lines.csv is up to date" if same else "lines.csv would change")
        return 0 if same else 1
    write_text(args.lines, text)
    print(f"wrote {args.lines} ({len(rows)} conventional rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
