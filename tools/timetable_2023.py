"""Read the 2023-12-15 12306 timetable (``Hu-xiaojiao/12306-code-database-2023-12-15``).

The source zip holds one folder per class (C, D, G, K, P, S, T, Y, Z); each folder's
``train_timetable_info.db`` has one SQLite table per train, named by the 12306 train code
(``train_no``, e.g. ``5l0000G10140``), with columns ``station_no``, ``station_name``,
``station_train_code``, ``arrive_time``, ``start_time``, ``stop_time``, ``run_time``,
``arrive_day_diff``.

Catches handled here (each counted in :class:`Reading`):

* a few tables list the whole train twice: rows repeating a ``station_no`` must be
  identical (else :class:`ValueError` naming the table) and are dropped;
* the Z folder repeats the 13 Y trains under the same ``train_no``: kept once (the
  copies must be identical);
* 13 station names carry scraping underscores (``合肥_南``, ``哈__尔__滨``): removed;
* times are clock times ``HH:MM``; ``arrive_day_diff`` counts days since the train left its
  origin, so ``arrival = clock + 24 h x arrive_day_diff``, and a departure earlier than the
  arrival passed midnight during the stop (+24 h). Times must then be non-decreasing;
* the origin row (``run_time`` ``00:00``) of one train (S8088 美兰) says day +1 while the
  next stop says day 0: the origin is day 0 by definition;
* one table lists a single stop (C5501, only 武汉): skipped;
* a few tables start mid-route (``run_time`` of the first row is not ``00:00``): kept as
  listed, counted as ``truncated``.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CLASSES", "Reading", "Stop", "Train", "read_timetable"]

#: Class folders of the source zip.
CLASSES = ("C", "D", "G", "K", "P", "S", "T", "Y", "Z")
_COLUMNS = "station_no, station_name, station_train_code, arrive_time, start_time, run_time, arrive_day_diff"


@dataclass(frozen=True)
class Stop:
    """One call: station name, source ``station_no`` and seconds from the origin day's midnight."""

    name: str
    seq: int
    arr: int
    dep: int


@dataclass
class Train:
    """One train of the 2023-12-15 timetable."""

    train_no: str
    number: str
    klass: str
    stops: list[Stop]
    truncated: bool = False


@dataclass
class Reading:
    """Trains in ``train_no`` order, and counts of what was repaired."""

    trains: list[Train] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def _clock(value: str, where: str) -> int:
    try:
        h, m = value.strip().split(":")
        return int(h) * 3600 + int(m) * 60
    except ValueError:
        msg = f"{where}: time {value!r} is not HH:MM"
        raise ValueError(msg) from None


def clean_name(name: str) -> str:
    """A station name without scraping underscores and blanks (``合肥_南`` → ``合肥南``).

    Parameters
    ----------
    name
        As in the source.

    Returns
    -------
    str
        The cleaned name.
    """
    return "".join(name.split()).replace("_", "")


def _stops(rows: list[tuple], where: str, counts: Counter[str]) -> tuple[list[Stop], list[str], bool]:
    by_no: dict[int, tuple] = {}
    for r in rows:
        if r[0] in by_no:
            if by_no[r[0]] != r:
                msg = f"{where}: station_no {r[0]} listed twice with different rows: {by_no[r[0]]} / {r}"
                raise ValueError(msg)
            counts["duplicate_rows_dropped"] += 1
            continue
        by_no[r[0]] = r
    stops, codes, prev = [], [], -1
    for i, no in enumerate(sorted(by_no)):
        _, name, code, arr_t, dep_t, run, diff = by_no[no]
        at = f"{where} station_no {no}"
        if i == 0 and run.strip() == "00:00" and diff != 0:  # S8088 美兰: the origin on day +1
            counts["origin_day_diff_set_to_0"] += 1
            diff = 0
        arr = _clock(arr_t, at) + 86400 * int(diff)
        dep = _clock(dep_t, at) + 86400 * int(diff)
        if dep < arr:
            dep += 86400
        if arr < prev:
            msg = f"{at} ({name}): arrival {arr_t} (day +{diff}) before the previous departure"
            raise ValueError(msg)
        prev = dep
        clean = clean_name(name)
        if clean != name:
            counts["names_cleaned"] += 1
        stops.append(Stop(clean, int(no), arr, dep))
        if code not in codes:
            codes.append(code)
    first = by_no[min(by_no)]
    return stops, codes, first[5].strip() != "00:00"


def _read_folder(db: Path, folder: str, out: dict[str, Train], counts: Counter[str]) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for t in sorted(x for x in tables if x != "sqlite_sequence"):
            where = f"{folder}/train_timetable_info.db table {t}"
            rows = list(con.execute(f'SELECT {_COLUMNS} FROM "{t}" ORDER BY id'))
            if len({r[0] for r in rows}) < 2:  # C5501 (4e000C550109) lists only 武汉
                counts["single_stop_tables_skipped"] += 1
                continue
            stops, codes, truncated = _stops(rows, where, counts)
            number = "/".join(codes)
            klass = number[0] if number[0].isalpha() else folder
            train = Train(t, number, klass, stops, truncated)
            if t in out:
                if (out[t].number, out[t].stops) != (number, stops):
                    msg = f"{where}: train_no {t} also in another folder with a different timetable"
                    raise ValueError(msg)
                counts[f"repeated_in_{folder}"] += 1
                continue
            out[t] = train
    finally:
        con.close()


def read_timetable(path: Path) -> Reading:
    """Read every class folder of the source zip (or of an unpacked folder).

    Parameters
    ----------
    path
        ``12306_timetable_2023-12-15.zip`` or a folder with the class sub-folders.

    Returns
    -------
    Reading
        The trains (sorted by ``train_no``) and repair counts.

    Raises
    ------
    ValueError
        On a malformed table (named), or a class folder missing.
    """
    reading = Reading()
    trains: dict[str, Train] = {}
    with tempfile.TemporaryDirectory(prefix="yrd_tt2023_") as tmp:
        root = path
        if path.is_file():
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.namelist() if m.endswith("train_timetable_info.db")]
                for m in members:
                    zf.extract(m, tmp)
            root = Path(tmp)
        for folder in CLASSES:
            db = next(iter(sorted(root.glob(f"**/{folder}/train_timetable_info.db"))), None)
            if db is None:
                msg = f"{path}: no {folder}/train_timetable_info.db"
                raise ValueError(msg)
            _read_folder(db, folder, trains, reading.counts)
    reading.trains = [trains[k] for k in sorted(trains)]
    reading.counts["trains"] = len(trains)
    reading.counts["truncated"] = sum(t.truncated for t in trains.values())
    return reading
