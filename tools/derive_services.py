"""Derive ``data/services.csv`` (rail services) from the 2016 GTFS feed and the curated lines.

Every trip of ``data/gtfs_yrd_2016.zip`` (the 12306 timetable of 2016-03-10, clipped to the
YRD) is mapped onto the curated track network (``lines.csv``, lines open by the end of
2016):

1. Its YRD stops are walked in order. Two consecutive stops are joined by the shortest
   track path (by km) over the segments of those lines. A stop that is not on the curated
   network, or a pair with no track path, ends the current *piece*; a new piece starts at
   the next stop on the network. (Trains that leave the high-speed network — e.g. D trains
   on conventional lines — so contribute only their pieces on curated track.)
2. A pair whose track path is longer than ``--max-detour`` times the geodesic distance is
   treated the same way (the train used track that the curated data does not hold).
3. Pieces with two or more stops become services: the passed stations (``route``), the
   stops, the train class (first letter of the train number: G, D, C, K, T, Z, Y; a
   number without a letter, 普快/普客, is P). Identical
   (route, stops, class) are grouped; ``trains_per_day`` counts the trips; ``source`` lists
   the train numbers.

Usage::

    python tools/derive_services.py                 # writes data/services.csv
    python tools/derive_services.py --feed other.zip --out other.csv
    python tools/derive_services.py --feed data/gtfs_yrd_2023.zip --year 2023 --out data/services_2023.csv

``--year`` is the network year whose track the trains are mapped onto and the prefix of the
service ids (``tt2023_0001``); declare the new file as a feed in ``data/region.toml``.
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
from yrdnet.network.history import lines_in_year  # noqa: E402
from yrdnet.network.services import SERVICE_COLUMNS, segment_table  # noqa: E402

FEED_YEAR = 2016


def read_feed(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stop times (trip_id, stop_sequence, stop_id, times) and trips (trip_id, train) of a GTFS zip."""
    with zipfile.ZipFile(path) as z:
        st = pd.read_csv(io.BytesIO(z.read("stop_times.txt")), dtype=str)
        trips = pd.read_csv(io.BytesIO(z.read("trips.txt")), dtype=str)
    st["stop_sequence"] = st["stop_sequence"].astype(int)
    st = st.sort_values(["trip_id", "stop_sequence"], kind="stable")
    name_col = "trip_short_name" if "trip_short_name" in trips else "trip_id"
    trips = trips.assign(train=trips[name_col].astype(str))
    return st, trips


def track_graph(year: int) -> tuple[nx.Graph, dict[tuple[str, str], str]]:
    """Undirected graph of the curated track open by the end of ``year`` (weights = km)."""
    lines = lines_in_year(yrdnet.load_lines(), year)  # open by then and not closed (yrdnet.network.history)
    stations = yrdnet.load_stations()
    segs = segment_table(lines, stations, yrdnet.TravelTimeModel())
    H: nx.Graph = nx.Graph()
    line_of = {}
    for (a, b), s in segs.items():
        H.add_edge(a, b, km=s.km)
        line_of[(a, b)] = s.line
    return H, line_of


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
                path = nx.shortest_path(H, a, b, weight="km")
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


def train_class(train: str) -> str:
    """The class of a train number: its first letter (G, D, C, K, T, Z, Y, ...); no letter (普快/普客) is P.

    A letter outside :data:`yrdnet.network.services.TRAIN_CLASSES` is kept as it is, so
    that the loader names the row (one clear error) rather than the class being guessed.
    """
    first = train[:1].upper()
    return "P" if first.isdigit() else first


def _feed_label(feed: Path) -> str:
    if feed.name == "gtfs_yrd_2016.zip":
        return "data/gtfs_yrd_2016.zip (12306 timetable of 2016-03-10 via metromancn/Parse12306, MIT)"
    return f"data/{feed.name}"


def derive(feed: Path, *, year: int = FEED_YEAR, max_detour: float = 1.6) -> tuple[pd.DataFrame, dict[str, int]]:
    """The services table and counts of what was kept and dropped."""
    st, trips = read_feed(feed)
    H, line_of = track_graph(year)
    coords = yrdnet.load_stations()[["lon", "lat"]]
    train_of = dict(zip(trips["trip_id"], trips["train"], strict=True))
    groups: dict[tuple[tuple[str, ...], tuple[str, ...], str], list[str]] = defaultdict(list)
    counts = {"trips": 0, "trips_with_service": 0, "pieces": 0, "stop_pairs": 0, "stop_pairs_on_track": 0}
    for trip, g in st.groupby("trip_id", sort=True):
        stops = g["stop_id"].tolist()
        counts["trips"] += 1
        counts["stop_pairs"] += len(stops) - 1
        ps = pieces(stops, H, coords, max_detour)
        if ps:
            counts["trips_with_service"] += 1
        train = train_of[str(trip)]
        for route, made in ps:
            counts["pieces"] += 1
            counts["stop_pairs_on_track"] += len(made) - 1
            groups[(tuple(route), tuple(made), train_class(train))].append(train)
    rows = []
    for (route, made, cls), trains in groups.items():
        lines = list(dict.fromkeys(line_of[(a, b)] for a, b in itertools.pairwise(route)))
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
                    f"derived from {_feed_label(feed)} by tools/derive_services.py: {len(trains)} train(s) with "
                    f"this exact route and stops on the curated track open in {year}: {' '.join(sorted(trains))}"
                ),
            }
        )
    df = pd.DataFrame(rows)
    df = df.sort_values(["trains_per_day", "stops"], ascending=[False, True], kind="stable").reset_index(drop=True)
    df.insert(0, "service_id", [f"tt{year}_{i + 1:04d}" for i in range(len(df))])
    counts["services"] = len(df)
    return df[list(SERVICE_COLUMNS)], counts


def write_atomic(df: pd.DataFrame, out: Path) -> None:
    """Write the table as CSV atomically (``yrdnet.core.io.write_csv``)."""
    write_csv(out, df, index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feed", type=Path, default=ROOT / "data" / "gtfs_yrd_2016.zip")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "services.csv")
    ap.add_argument("--year", type=int, default=FEED_YEAR, help="network year of the feed (default 2016)")
    ap.add_argument(
        "--max-detour", type=float, default=1.6, help="track km / geodesic km above which a pair is off-network"
    )
    a = ap.parse_args(argv)
    df, counts = derive(a.feed, year=a.year, max_detour=a.max_detour)
    write_atomic(df, a.out)
    for k, v in counts.items():
        print(f"{k}: {v}")
    print(
        f"trains per day in services: {int(df['trains_per_day'].sum())}; "
        f"patterns: {df['pattern'].value_counts().to_dict()}"
    )
    print(f"wrote {a.out} ({a.out.stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
