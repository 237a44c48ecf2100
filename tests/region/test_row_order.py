"""Order never matters (issue 21, item 3): every data file is joined by key, never by position.

Each shipped table of ``data/`` (CSV rows, GeoJSON features; the header stays in place) is
shuffled with two fixed seeds in a copy of the data folder, and a cheap computation that
reads it must give exactly the result of the unshuffled copy (compared by label, not by
position). The computations:

* ``city_<year>`` — the city graph of that year and its door-to-door travel times;
* ``county`` — the county graph of 2025 and its multimodal and rail travel times (polygons,
  seats, access to stations, local roads);
* ``analysis`` — ``analyze("baseline_2025", zones="county", centrality=False)``: its
  region rows, zone and metro tables and targets (metros, peripheries, corridors, targets,
  airports, main stations, city boundaries);
* ``loaders`` — every public loader of the data, for files no computation above reads
  (tool inputs such as ``conventional_lines.csv`` and ``project_costs.csv``).

The binary timetable zips are not shuffled: what they feed (``services*.csv``,
``line_running_*.csv``) is.

The files of one check are shuffled together (each with its own seed; one run per check
and seed keeps the test under a minute). One session-wide copy of the data is shuffled in
place and restored after each case
(the restored file keeps its modification time), so unshuffled files stay cached.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import yrdnet
from yrdnet.region import datasets as ds
from yrdnet.region.datasets import data_folder

SEEDS = (11, 2027)

#: The computation that reads each shipped file (relative path -> check name).
FILE_CHECK: dict[str, str] = {
    "cities.csv": "county",
    "counties.csv": "county",
    "county_boundaries.geojson": "county",
    "stations.csv": "city_2025",
    "lines.csv": "city_2025",
    "line_speeds.csv": "city_2025",
    "highways.csv": "city_2025",
    "expressways.csv": "city_2025",
    "station_access.csv": "county",
    "suburban_lines.csv": "city_2025",
    "station_dates.csv": "city_2016",
    "services.csv": "city_2016",
    "line_running_2016.csv": "city_2016",
    "services_2023.csv": "city_2023",
    "line_running_2023.csv": "city_2023",
    "metros.csv": "analysis",
    "peripheries.csv": "analysis",
    "corridors.csv": "analysis",
    "targets.csv": "analysis",
    "airports.csv": "analysis",
    "main_stations.csv": "analysis",
    "boundaries.geojson": "analysis",
    "conventional_lines.csv": "loaders",
    "project_costs.csv": "loaders",
    "expressway_routes/anhui.csv": "loaders",
    "expressway_routes/shanghai_jiangsu.csv": "loaders",
    "expressway_routes/zhejiang.csv": "loaders",
}
SKIPPED = {"gtfs_yrd_2016.zip", "gtfs_yrd_2023.zip"}  # binary; what they feed is shuffled above


def shipped_tables() -> list[str]:
    """Every CSV and GeoJSON file of the shipped data folder (relative paths)."""
    root = data_folder()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in {".csv", ".geojson"})


def shuffle_rows(path: Path, seed: int) -> None:
    """Shuffle the data rows of a CSV (header kept first) or the features of a GeoJSON."""
    rng = random.Random(seed)
    if path.suffix == ".geojson":
        doc = json.loads(path.read_text(encoding="utf-8"))
        before = list(doc["features"])
        while len(before) > 1 and doc["features"] == before:
            rng.shuffle(doc["features"])
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head, body = rows[:1], rows[1:]
    original = list(body)
    while len(body) > 1 and body == original:
        rng.shuffle(body)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(head + body)


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    out = df.sort_index(axis=1)
    return out.sort_index() if out.index.is_unique else out.sort_values(list(out.columns)).reset_index(drop=True)


def _city(year: int) -> Callable[[], dict[str, Any]]:
    def run() -> dict[str, Any]:
        G = yrdnet.build_graph("baseline", year=year)
        return {"multimodal": yrdnet.travel_times(G)}

    return run


def _county() -> dict[str, Any]:
    G = yrdnet.build_graph("baseline", year=2025, zones="county")
    return {"multimodal": yrdnet.travel_times(G), "rail": yrdnet.travel_times(G, "rail")}


def _analysis() -> dict[str, Any]:
    res = yrdnet.analyze("baseline_2025", zones="county", centrality=False, sensitivity_samples=5)
    out = {"region": res.region[["value"]], "zones": pd.DataFrame(res.zones).drop(columns="geometry", errors="ignore")}
    for name in ("metros", "targets"):
        t = getattr(res, name, None)
        if isinstance(t, pd.DataFrame) and len(t):
            out[name] = pd.DataFrame(t).drop(columns="geometry", errors="ignore")
    return out


#: Files yrdnet itself does not read (inputs of the tools/ scripts): compared as sorted rows.
TOOL_TABLES = (
    "conventional_lines.csv",
    "expressway_routes/anhui.csv",
    "expressway_routes/shanghai_jiangsu.csv",
    "expressway_routes/zhejiang.csv",
)


def _loaders() -> dict[str, Any]:
    from yrdnet.plans.best_plan import load_costs
    from yrdnet.region.expressways import load_expressways

    out: dict[str, Any] = {"project_costs": load_costs(), "expressways": load_expressways()}
    root = data_folder()
    for rel in TOOL_TABLES:
        t = pd.read_csv(root / rel, dtype=str, keep_default_na=False)
        out[rel] = t.sort_values(list(t.columns)).reset_index(drop=True)
    for name in ("load_cities", "load_counties", "load_stations", "load_lines", "load_highways", "load_metros"):
        out[name] = pd.DataFrame(getattr(ds, name)()).drop(columns="geometry", errors="ignore")
    return out


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "city_2016": _city(2016),
    "city_2023": _city(2023),
    "city_2025": _city(2025),
    "county": _county,
    "analysis": _analysis,
    "loaders": _loaders,
}


def _run(check: str) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CHECKS[check]()


@pytest.fixture(scope="session")
def order_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, dict[str, Any]]]]:
    """A session copy of the data folder and the reference result of every check on it."""
    root = tmp_path_factory.mktemp("order") / "data"
    shutil.copytree(data_folder(), root)
    with yrdnet.settings.override(data_folder=root):
        yield root, {}


def _reference(order_data: tuple[Path, dict[str, dict[str, Any]]], check: str) -> dict[str, Any]:
    cache = order_data[1]
    if check not in cache:
        cache[check] = _run(check)
    return cache[check]


def _assert_same(ref: dict[str, Any], got: dict[str, Any], what: str) -> None:
    assert ref.keys() == got.keys(), what
    for k, a in ref.items():
        x, y = (a.to_frame(), got[k].to_frame()) if isinstance(a, pd.Series) else (a, got[k])
        pd.testing.assert_frame_equal(_sorted(x), _sorted(y), obj=f"{what}: {k}")


def test_every_shipped_table_is_covered() -> None:
    """A new data file must be given a check here (or the property test would miss it)."""
    assert set(shipped_tables()) == set(FILE_CHECK)
    zips = {p.name for p in data_folder().glob("*.zip")}
    assert zips == SKIPPED


def test_shuffle_changes_the_file(tmp_path: Path) -> None:
    """The shuffle really moves rows (a test of the test) and keeps the header first."""
    src = data_folder() / "counties.csv"
    dst = tmp_path / "counties.csv"
    shutil.copy2(src, dst)
    shuffle_rows(dst, SEEDS[0])
    a, b = src.read_text(encoding="utf-8").splitlines(), dst.read_text(encoding="utf-8").splitlines()
    assert a[0] == b[0] and a != b
    assert sorted(pd.read_csv(src).to_csv(index=False).splitlines()) == sorted(
        pd.read_csv(dst).to_csv(index=False).splitlines()
    )


def _shuffled_run(order_data: tuple[Path, dict[str, dict[str, Any]]], files: list[str], check: str, seed: int) -> None:
    root = order_data[0]
    ref = _reference(order_data, check)
    saved = root.parent / "saved"
    saved.mkdir(exist_ok=True)
    for i, rel in enumerate(files):
        shutil.copy2(root / rel, saved / f"{i}{Path(rel).suffix}")
        shuffle_rows(root / rel, seed + i)
    try:
        got = _run(check)
    finally:
        for i, rel in enumerate(files):
            shutil.copy2(saved / f"{i}{Path(rel).suffix}", root / rel)  # keeps the old mtime: caches hit again
    _assert_same(ref, got, f"{', '.join(files)} shuffled (seed {seed}), {check}")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("check", sorted(set(FILE_CHECK.values())))
def test_row_order_of_the_tables_does_not_matter(order_data, check: str, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Every file a check reads is shuffled (each with its own seed) and the check must not move.

    The files of one check are shuffled together, one run per check and seed, to keep the
    test cheap; a failure lists them (shuffle one at a time with ``_shuffled_run`` to find
    the culprit).
    """
    files = sorted(r for r, c in FILE_CHECK.items() if c == check)
    _shuffled_run(order_data, files, check, seed)


def test_counties_in_another_order_keep_county_rail_times(order_data) -> None:  # type: ignore[no-untyped-def]
    """The reported defect: polygons paired with zones by position changed county rail times."""
    _shuffled_run(order_data, ["counties.csv", "county_boundaries.geojson"], "county", 5)
