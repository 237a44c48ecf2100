"""The curated data files: where they are, their versions, the cached validated read, the cities.

Split from :mod:`yrdnet.region.datasets` (which re-exports every name here): the file
registry (:func:`data_folder`, :func:`get_path`, :func:`data_versions`), the one cached
read-and-validate of a table (:func:`read_validated`), the checks every loader shares,
and the cities table (:func:`load_cities`) that every other table refers to.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from yrdnet.core.cache import content_version, register_cache
from yrdnet.core.errors import DataError
from yrdnet.core.settings import settings
from yrdnet.core.validation import Column, InBBox, Ref, did_you_mean, validate_table
from yrdnet.region.spec import bbox_check

_PKG = Path(__file__).resolve().parents[1]  # the yrdnet package folder

#: Upper bounds that catch typos and unit slips (stated choices, far above every real value):
#: the most populous Chinese prefecture-level unit, Chongqing, had 32.1 million residents in
#: 2020; Shanghai's 2020 GDP was 38,700 (100 million yuan); the longest Chinese HSR line,
#: Beijing-Guangzhou-Shenzhen-Hong Kong, is about 2,230 km; a city link is far shorter.
MAX_CITY_POPULATION = 50_000_000
MAX_CITY_GDP = 1_000_000.0
MAX_LINE_KM = 3_000.0


def data_folder() -> Path:
    """Return the folder the curated data is read from.

    ``settings.data_folder`` when set; otherwise ``yrdnet/_data`` inside an installed
    wheel, or ``data/`` beside the package in a source checkout.
    """
    if settings.data_folder is not None:
        return Path(settings.data_folder)
    for cand in (_PKG / "_data", _PKG.parent / "data"):
        if (cand / "cities.csv").is_file():
            return cand
    msg = f"yrdnet's data folder was not found (looked in {_PKG / '_data'} and {_PKG.parent / 'data'})"
    raise DataError(msg)


def available() -> list[str]:
    """List every shipped data file (relative names) that :func:`get_path` can resolve.

    Tables, scenarios, the GTFS feed, boundaries and their documentation (``README.md``,
    ``SCHEMA.md``, ...); hidden files and caches are left out.

    Examples
    --------
    >>> "cities.csv" in available()
    True
    """
    root = data_folder()
    names = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return sorted(n for n in names if not any(part.startswith((".", "__")) for part in n.split("/")))


def get_path(name: str) -> Path:
    """Return the path of a shipped data file by name, e.g. ``"cities.csv"``.

    Raises
    ------
    DataError
        If the name is unknown; the message lists close matches and the valid names.
    """
    p = data_folder() / name
    if p.is_file():
        return p
    names = available()
    msg = f"unknown data file {name!r} in {data_folder()}{did_you_mean(name, names)}; available: {names}"
    raise DataError(msg)


def _read(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"data file not found: {path}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise DataError(f"{path.name}: cannot parse {path}: {e}") from None


def file_version(path: str | Path) -> tuple[str, int, int]:
    """``(path, content_hash, size)`` of a file, ``(path, 0, -1)`` if it is missing: the key of every data cache.

    ``content_hash`` is the first 8 bytes (as an integer) of the BLAKE2b digest of the
    whole file, so a cache keyed on it (validated tables here, :func:`yrdnet.load_zones`,
    the sweep's prepared bases, the disk cache) is refreshed whenever the content
    changes, even by a copy of the same size with its old modification time restored
    (``cp -p``, ``rsync -t``, ``os.utime``), which a key of ``(mtime, size)`` missed
    (:func:`yrdnet.core.cache.content_version`).
    """
    return content_version(path)


def data_versions() -> tuple[tuple[str, int, int], ...]:
    """:func:`file_version` of every file in :func:`data_folder` (:func:`available`).

    Part of the key of every on-disk cache entry built from the data: editing or
    replacing any data file makes a new entry.
    """
    root = data_folder()
    return tuple(file_version(root / name) for name in available())


def _key(path: Path) -> tuple[str, int, int]:
    return file_version(path)


@functools.lru_cache(maxsize=32)
def _validated(
    key: tuple[str, int, int],
    columns: tuple[Column, ...],
    id_col: str | None,
    row_checks: tuple[Any, ...],
    refs: tuple[Ref, ...],
) -> pd.DataFrame:
    path = Path(key[0])
    return validate_table(_read(path), columns, path, key=id_col, row_checks=row_checks, refs=refs)


register_cache("region.datasets.validated_tables", _validated.cache_clear)


def read_validated(
    path: str | Path,
    columns: Iterable[Column],
    *,
    key: str | None = None,
    row_checks: Iterable[Any] = (),
    refs: Iterable[Ref] = (),
) -> pd.DataFrame:
    """Read and check a data file: the one path every loader of a CSV table goes through.

    :func:`~yrdnet.core.validation.validate_table` (columns, types, ranges, unique
    ``key``, ``refs`` to other tables, ``row_checks``) of the file, read and checked once
    per file version (:func:`file_version`). Graph builds load the same files many times
    (a timeline, a sweep); each call gets its own copy, list cells included, so callers
    may modify it.

    Raises
    ------
    DataError
        Every problem of the file at once, naming the file, row, field, what was expected
        and what was found.
    """
    path = Path(path)
    df = _validated(_key(path), tuple(columns), key, tuple(row_checks), tuple(refs)).copy()
    for c in df.columns:
        if df[c].dtype == object and df[c].map(lambda v: isinstance(v, list)).any():
            df[c] = df[c].map(lambda v: list(v) if isinstance(v, list) else v)
    return df


def data_path(path: str | Path | None, name: str) -> Path:
    """``path`` if given, else the shipped file ``name`` in :func:`data_folder`."""
    return Path(path) if path is not None else data_folder() / name


def _in_region() -> InBBox:
    """Row check: the point lies inside the bounding box of the data folder's region (``region.toml``)."""
    return bbox_check(data_folder())


def close_matches(word: str, options: Iterable[Any]) -> str:
    """Alias of :func:`yrdnet.core.validation.did_you_mean`, the one "did you mean" hint."""
    return did_you_mean(word, options)


# ---------------------------------------------------------------- cities
_CITY_COLS = (
    Column("adcode", "adcode"),
    Column("name_zh"),
    Column("name_en"),
    Column("province", "choice", choices=("Shanghai", "Jiangsu", "Zhejiang", "Anhui")),
    Column("lon", "float"),
    Column("lat", "float"),
    Column("population", "int", positive=True, hi=MAX_CITY_POPULATION),
    Column("gdp", "float", positive=True, hi=MAX_CITY_GDP),
    Column("central_area", "choice", choices=("yes", "no")),
    Column("source"),
)


def load_cities(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the 41 YRD prefecture-level cities.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``adcode`` (int); columns ``name_zh``, ``name_en``, ``province``, ``lon``,
        ``lat`` (city centre, WGS84), ``population`` (2020 census), ``gdp`` (2020, 100
        million yuan), ``central_area`` (bool), ``source``; point geometry; EPSG:4326.

    Examples
    --------
    >>> cities = load_cities()
    >>> len(cities), cities.crs.to_epsg()
    (41, 4326)
    """
    p = data_path(path, "cities.csv")
    df = read_validated(p, _CITY_COLS, key="adcode", row_checks=[_in_region()])
    df["central_area"] = df["central_area"] == "yes"
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    return gdf.set_index("adcode")


def _city_ref(column: str) -> Ref:
    """Reference check: ``column`` holds adcodes of the shipped cities."""
    return Ref(column, frozenset(load_cities().index), "city adcode")
