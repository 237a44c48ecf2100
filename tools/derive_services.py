"""Derive the rail services of a timetable feed from its GTFS zip and the curated lines.

Two feeds: ``data/gtfs_yrd_2016.zip`` (the 12306 high-speed timetable of 2016-03-10,
clipped to the YRD) gives ``data/services.csv``; ``data/gtfs_yrd_2023.zip`` (the 12306
timetable of every train class of 2023-12-15) gives ``data/services_2023.csv``. Every trip
of the feed is mapped onto the curated track network (``lines.csv``, lines open by the
end of the feed's year):

1. Its YRD stops are walked in order. Two consecutive stops are joined by the shortest
   track path over the segments of those lines: by pure running time (km over the
   line's speed) for high-speed classes (G, D, C), by km with lines that are not
   conventional counted double for conventional classes (K, T, Z and the rest), so a
   train keeps to the kind of track it runs on where both exist. A stop that is not on the curated
   network, or a pair with no track path, ends the current *piece*; a new piece starts at
   the next stop on the network. (Trains that leave the high-speed network — e.g. D trains
   on conventional lines — so contribute only their pieces on curated track.)
2. A pair whose track path is longer than ``--max-detour`` times the geodesic distance is
   treated the same way (the train used track that the curated data does not hold).
3. Pieces with two or more stops become services: the passed stations (``route``), the
   stops, the train class (the feed's ``route_desc`` where it holds one, else the first
   letter of the train number: G, D, C, K, T, Z, Y; a number without a letter, 普快/普客,
   is P). Suburban ``S`` trains are left out: ``data/suburban_lines.csv`` models them. Identical
   (route, stops, class) are grouped; ``trains_per_day`` counts the trips; ``source`` lists
   the train numbers.

Usage::

    python tools/derive_services.py                 # writes data/services.csv (2016 feed)
    python tools/derive_services.py --feed-year 2023   # writes data/services_2023.csv
    python tools/derive_services.py --feed other.zip --out other.csv --year 2019
"""

from __future__ import annotations

import argparse
import io
import itertools
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yrdnet  # noqa: E402
from yrdnet.core.geodesy import haversine_km  # noqa: E402
from yrdnet.core.io import write_csv  # noqa: E402
from yrdnet.network.feeds import feed as registered_feed  # noqa: E402
from yrdnet.network.history import lines_in_year  # noqa: E402
from yrdnet.network.services import SERVICE_COLUMNS, line_segments  # noqa: E402

FEED_YEAR = 2016

#: The GTFS zip and its citation (in every row's ``source``) of each shipped feed; where its
#: services are written is the feed registry's (``region.toml`` ``[[timetables]]``).
FEEDS = {
    2016: ("gtfs_yrd_2016.zip", "12306 timetable of 2016-03-10 via metromancn/Parse12306, MIT"),
    2023: (
        "gtfs_yrd_2023.zip",
        "12306 timetable of 2023-12-15 via Hu-xiaojiao/12306-code-database-2023-12-15, facts with source named",
    ),
}
HIGH_SPEED = ("G", "D", "C")
SUBURBAN = "S"


def train_class(train: str, desc: str | None = None) -> str | None:
    """The class of a train: the feed's ``route_desc``, else the first letter of its number.

    A number without a letter (普快/普客) is P; suburban S trains give ``None`` (modelled
    by ``data/suburban_lines.csv``). A letter outside
    :data:`yrdnet.network.services.TRAIN_CLASSES` is kept as it is, so that the loader
    names the row (one clear error) rather than the class being guessed.
    """
    c = (desc or "").strip().upper()[:1] or train[:1].upper()
    if c.isdigit():
        return "P"
    return None if c == SUBURBAN else c


def read_feed(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stop times (trip_id, stop_sequence, stop_id, times) and trips (trip_id, train, cls) of a GTFS zip."""
    with zipfile.ZipFile(path) as z:
        st = pd.read_csv(io.BytesIO(z.read("stop_times.txt")), dtype=str)
        trips = pd.read_csv(io.BytesIO(z.read("trips.txt")), dtype=str)
        routes = pd.read_csv(io.BytesIO(z.read("routes.txt")), dtype=str)
    st["stop_sequence"] = st["stop_sequence"].astype(int)
    st = st.sort_values(["trip_id", "stop_sequence"], kind="stable")
    name_col = "trip_short_name" if "trip_short_name" in trips else "trip_id"
    trips = trips.assign(train=trips[name_col].astype(str))
    desc = dict(zip(routes["route_id"], routes.get("route_desc", pd.Series(dtype=str)).fillna(""), strict=False))
    cls = [train_class(t, desc.get(r)) for t, r in zip(trips["train"], trips["route_id"], strict=True)]
    trips["cls"] = pd.Series(cls, index=trips.index, dtype=object)
    return st, trips


def track_graphs(year: int) -> tuple[dict[str, nx.Graph], dict[tuple[str, str, str], str]]:
    """Undirected graphs of the curated track open by the end of ``year``, one per track preference.

    ``"fast"`` (for G/D/C trains) weighs a segment by km over its line speed (never the running
    factors, which are fitted on the services derived here); ``"conventional"``
    by km, doubled on lines that are not conventional. Each keeps, per pair of adjacent
    stations, the lightest segment; ``line_of[(graph, a, b)]`` names its line. Edge ``km``
    is the segment's length.
    """
    lines = yrdnet.load_lines()
    stations = yrdnet.load_stations()
    by_line = line_segments(lines_in_year(lines, year), stations, yrdnet.TravelTimeModel())
    kind = lines["kind"].astype(str).to_dict()
    graphs: dict[str, nx.Graph] = {"fast": nx.Graph(), "conventional": nx.Graph()}
    line_of: dict[tuple[str, str, str], str] = {}
    for (line, a, b), s in sorted(by_line.items()):
        weights = {
            "fast": s.km / s.speed_kph,  # not the fitted factors: they are fitted on these services
            "conventional": s.km * (1.0 if kind.get(line) == "conventional" else 2.0),
        }
        for name, w in weights.items():
            H = graphs[name]
            if not H.has_edge(a, b) or w < H.edges[a, b]["w"]:
                H.add_edge(a, b, km=s.km, w=w)
                line_of[(name, a, b)] = line_of[(name, b, a)] = line
    return graphs, line_of


def pieces(stops: list[str], H: nx.Graph, coords: pd.DataFrame, max_detour: float) -> list[tuple[list[str], list[str]]]:
    """Split one train's stops into (route, stops) pieces that run on curated track."""
    out: list[tuple[list[str], list[str]]] = []
    route: list[str] = []
    made: list[str] = []

    def close() -> None:
        if len(made) >= 2:
            out.append((route.copy(), made.copy()))

    for a, b in itertools.pairwise(stops):
        path = None
        if a in H and b in H and a != b:
            try:
                path = nx.shortest_path(H, a, b, weight="w")
            except nx.NetworkXNoPath:
                path = None
        if path is not None:
            km = sum(H.edges[u, v]["km"] for u, v in itertools.pairwise(path))
            geo = float(
                haversine_km(coords.at[a, "lon"], coords.at[a, "lat"], coords.at[b, "lon"], coords.at[b, "lat"])
            )
            if geo > 0 and km > max_detour * geo:
                path = None
        if path is None:
            close()
            route, made = [], []
            continue
        if not made:
            route, made = [a], [a]
        route.extend(path[1:])
        made.append(b)
    close()
    return out


def derive(
    feed: Path, *, year: int = FEED_YEAR, max_detour: float = 1.6, feed_year: int | None = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The services table and counts of what was kept and dropped."""
    feed_year = year if feed_year is None else feed_year
    cite = FEEDS[feed_year][1] if feed_year in FEEDS else f"GTFS feed {feed.name}"
    st, trips = read_feed(feed)
    graphs, line_of = track_graphs(year)
    coords = yrdnet.load_stations()[["lon", "lat"]]
    train_of = dict(zip(trips["trip_id"], trips["train"], strict=True))
    cls_of = dict(zip(trips["trip_id"], trips["cls"], strict=True))
    groups: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[str]] = defaultdict(list)
    counts = {"trips": 0, "suburban_trips_left_out": 0, "trips_with_service": 0, "pieces": 0}
    counts |= {"stop_pairs": 0, "stop_pairs_on_track": 0}
    for trip, g in st.groupby("trip_id", sort=True):
        cls = cls_of[str(trip)]
        if not isinstance(cls, str):  # a suburban S train
            counts["suburban_trips_left_out"] += 1
            continue
        stops = g["stop_id"].tolist()
        counts["trips"] += 1
        counts["stop_pairs"] += len(stops) - 1
        pref = "fast" if cls in HIGH_SPEED else "conventional"
        ps = pieces(stops, graphs[pref], coords, max_detour)
        if ps:
            counts["trips_with_service"] += 1
        for route, made in ps:
            counts["pieces"] += 1
            counts["stop_pairs_on_track"] += len(made) - 1
            groups[(tuple(route), tuple(made), cls)].append(train_of[str(trip)])
    rows = []
    for (route, made, cls), trains in groups.items():
        pref = "fast" if cls in HIGH_SPEED else "conventional"
        lines = list(dict.fromkeys(line_of[(pref, a, b)] for a, b in itertools.pairwise(route)))
        pattern = "all-stop" if len(made) == len(route) else ("non-stop" if len(made) == 2 else "limited-stop")
        rows.append(
            {
                "route": ";".join(route),
                "stops": ";".join(made),
                "train_class": cls,
                "trains_per_day": len(trains),
                "pattern": pattern,
                "lines": ";".join(lines),
                "source": (
                    f"derived from data/{feed.name} ({cite}) by tools/derive_services.py: {len(trains)} train(s) "
                    f"with this exact route and stops on the curated track open in {year}: {' '.join(sorted(trains))}"
                ),
            }
        )
    df = pd.DataFrame(rows)
    df = df.sort_values(["trains_per_day", "stops"], ascending=[False, True], kind="stable").reset_index(drop=True)
    df.insert(0, "service_id", [f"tt{feed_year}_{i + 1:04d}" for i in range(len(df))])
    counts["services"] = len(df)
    return df[list(SERVICE_COLUMNS)], counts


def write_atomic(df: pd.DataFrame, out: Path) -> None:
    """Write the table as CSV atomically (``yrdnet.core.io.write_csv``)."""
    write_csv(out, df, index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feed-year", type=int, default=FEED_YEAR, choices=sorted(FEEDS), help="which shipped feed")
    ap.add_argument("--feed", type=Path, default=None, help="a GTFS zip (default: the shipped feed of --feed-year)")
    ap.add_argument("--out", type=Path, default=None, help="services CSV (default: the feed year's data file)")
    ap.add_argument("--year", type=int, default=None, help="network year of the track (default: the feed year)")
    ap.add_argument(
        "--max-detour", type=float, default=1.6, help="track km / geodesic km above which a pair is off-network"
    )
    a = ap.parse_args(argv)
    feed = a.feed or ROOT / "data" / FEEDS[a.feed_year][0]
    out = a.out or registered_feed(a.feed_year).services
    year = a.year or a.feed_year
    df, counts = derive(feed, year=year, max_detour=a.max_detour, feed_year=a.feed_year)
    write_atomic(df, out)
    for k, v in counts.items():
        print(f"{k}: {v}")
    print(
        f"trains per day in services: {int(df['trains_per_day'].sum())}; "
        f"patterns: {df['pattern'].value_counts().to_dict()}; classes: {df['train_class'].value_counts().to_dict()}"
    )
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
