"""The curated data shipped with yrdnet: a registry of files and validated loaders.

Every loader validates on load (required columns, types, unique ids, references that
exist, coordinates inside the YRD, speeds > 0, sane years) and raises
:class:`yrdnet.DataError` naming the file, row and field at fault. The folder is
:func:`data_folder`: ``settings.data_folder`` if set, else the data shipped in the
package, so yrdnet works from any working directory.

Masses (population, GDP) are those of ``cities.csv`` in every scenario.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd

from yrdnet.core.errors import DataError
from yrdnet.core.settings import settings
from yrdnet.core.validation import Column, Problems, did_you_mean
from yrdnet.region.plausibility import (
    MIN_CITY_LINK_RATIO,
    WARN_CITY_LINK_RATIO,
    check_link_lengths,
    check_road_speeds,
    warn_row,
)

__all__ = [
    "LINE_KINDS",
    "TARGET_COLUMNS",
    "available",
    "data_folder",
    "data_path",
    "data_versions",
    "file_version",
    "get_path",
    "load_cities",
    "load_corridors",
    "load_highways",
    "load_line_speeds",
    "load_lines",
    "load_main_stations",
    "load_metros",
    "load_peripheries",
    "load_stations",
    "metro_members",
]

# Split for size by dataset concern; every name stays importable from here.
from yrdnet.region.airports_data import (  # noqa: F401
    _AIRPORT_COLS,
    FIRST_CIVIL_FLIGHT_YEAR,
    _airport_codes_check,
    _airport_row_check,
    _service_years,
    load_airports,
)
from yrdnet.region.data_files import (  # noqa: F401
    _CITY_COLS,
    _PKG,
    MAX_CITY_GDP,
    MAX_CITY_POPULATION,
    MAX_LINE_KM,
    _city_ref,
    _in_region,
    _key,
    _read,
    _validated,
    available,
    close_matches,
    data_folder,
    data_path,
    data_versions,
    file_version,
    get_path,
    load_cities,
    read_validated,
)
from yrdnet.region.rail_data import (  # noqa: F401
    _LINE_COLS,
    _LINE_SPEED_COLS,
    _MAIN_STATION_COLS,
    _STATION_COLS,
    FIRST_RAILWAY_YEAR,
    LINE_KINDS,
    LINE_SPEED_COLUMNS,
    MAIN_STATION_ROLES,
    _dates,
    _line_row_check,
    _line_speed_problems,
    _line_speed_row_check,
    _line_speeds,
    _line_speeds_path,
    _main_station_problems,
    _no_periods,
    load_line_speeds,
    load_lines,
    load_main_stations,
    load_stations,
)

# ---------------------------------------------------------------- metros
_METRO_COLS = (
    Column("metro"),
    Column("name_zh"),
    Column("name_en"),
    Column("core_adcode", "adcode"),
    Column("definition", "choice", choices=("current", "2016")),
    Column("member_adcodes", "list"),
    Column("source"),
)


def load_metros(definition: str | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Load the metropolitan areas under one definition.

    Parameters
    ----------
    definition
        ``"current"`` (default, from ``settings.metro_definition``) or ``"2016"``.
    path
        Alternative ``metros.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``metro`` (shanghai, nanjing, hangzhou, hefei, suxichang, ningbo); columns
        ``name_zh``, ``name_en``, ``core_adcode``, ``members`` (list of adcodes, core
        first), ``n_members``, ``source``. A city may belong to several areas.
    """
    definition = definition or settings.metro_definition
    if definition not in {"current", "2016"}:
        raise ValueError(f"definition must be 'current' or '2016', got {definition!r}")
    p = data_path(path, "metros.csv")
    df = read_validated(p, _METRO_COLS)
    city_ids = set(load_cities().index)
    probs = Problems(p)
    seen: set[tuple[str, str]] = set()
    members: list[list[int]] = []
    for i, rec in enumerate(df.to_dict("records")):
        line = i + 2
        k = (rec["metro"], rec["definition"])
        if k in seen:
            probs.add(line, "metro", f"duplicate metro {rec['metro']!r} for definition {rec['definition']!r}")
        seen.add(k)
        ms: list[int] = []
        for m in rec["member_adcodes"]:
            if not m.isdigit() or int(m) not in city_ids:
                probs.add(line, "member_adcodes", f"unknown city adcode {m!r}{did_you_mean(m, city_ids)}")
            else:
                ms.append(int(m))
        if rec["core_adcode"] is not None and rec["core_adcode"] not in ms:
            probs.add(line, "core_adcode", f"core {rec['core_adcode']} is not among the members")
        if len(ms) < 2 and rec["member_adcodes"]:
            probs.add(line, "member_adcodes", f"expected at least 2 members, found {len(ms)}")
        core = rec["core_adcode"]
        members.append([core, *[m for m in ms if m != core]] if core in ms else ms)
    probs.raise_if_any()
    df["members"] = members
    df = df[df["definition"] == definition].copy()
    df["n_members"] = df["members"].map(len)
    return df.drop(columns=["member_adcodes"]).set_index("metro")


# ---------------------------------------------------------------- corridors, peripheries
def load_corridors(path: str | Path | None = None) -> pd.DataFrame:
    """Load the named development corridors, analysis scopes beside the metros (``scope="g60"``).

    A member is a city (all its zones belong) or a county-level unit (only that zone at
    county level; at city level it stands for its whole city, the city being the zone):
    the G60 corridor lists Shanghai's Songjiang District, not all of Shanghai.

    Parameters
    ----------
    path
        Alternative ``corridors.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``corridor``; ``name_zh``, ``name_en``, ``members`` (sorted adcodes),
        ``source``.

    Raises
    ------
    DataError
        Naming the file, line and field of a duplicate corridor or an adcode that is
        neither a city nor a county of the region.
    """
    return _named_areas(data_path(path, "corridors.csv"), "corridor")


def load_peripheries(path: str | Path | None = None) -> pd.DataFrame:
    """Load the named peripheries: the lagging parts of the region whose gains are followed.

    The shipped ``peripheries.csv`` names northern Anhui (``wanbei``, 皖北), northern
    Jiangsu (``subei``, 苏北) and south-western Zhejiang (``zhexinan``, 浙西南), each
    row with its sources. A member is a city (all its zones) or a county (that zone),
    as in :func:`load_corridors`; a zone belongs to one periphery at most.

    Parameters
    ----------
    path
        Alternative ``peripheries.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``periphery``; ``name_zh``, ``name_en``, ``members`` (sorted adcodes),
        ``source``.

    Raises
    ------
    DataError
        Naming the file, line and field of a duplicate periphery, an adcode that is
        neither a city nor a county of the region, or a member already in another
        periphery (itself, its city or one of its counties).

    Examples
    --------
    >>> p = load_peripheries()
    >>> list(p.index), p.loc["subei", "members"][:2]
    (['wanbei', 'subei', 'zhexinan'], [320300, 320700])
    """
    return _named_areas(data_path(path, "peripheries.csv"), "periphery", disjoint=True)


def _named_areas(p: Path, key: str, *, disjoint: bool = False) -> pd.DataFrame:
    """Read a table of named areas (``key``, names, ``member_adcodes``, ``source``) and check it."""
    cols = (Column(key), Column("name_zh"), Column("name_en"), Column("member_adcodes", "list"), Column("source"))
    df = read_validated(p, cols)
    counties = load_counties()
    known = set(load_cities().index) | set(counties.index)
    city_of = {int(c): int(v) for c, v in counties["city"].items()}
    probs = Problems(p)
    members: list[list[int]] = []
    seen: set[str] = set()
    whole: dict[int, str] = {}  # adcode listed as a member -> its area
    part: dict[int, str] = {}  # city with a county listed as a member -> that county's area
    for i, rec in enumerate(df.to_dict("records")):
        line, name = i + 2, rec[key]
        if name in seen:
            probs.add(line, key, f"duplicate {key} {name!r}")
        seen.add(name)
        ms = []
        for m in rec["member_adcodes"]:
            if not m.isdigit() or int(m) not in known:
                probs.add(line, "member_adcodes", f"{m!r} is neither a city nor a county adcode")
                continue
            c = int(m)
            ms.append(c)
            if not disjoint:
                continue
            others = {whole.get(c), whole.get(city_of.get(c, -1)), None if c in city_of else part.get(c)}
            clash = sorted(o for o in others if o is not None and o != name)
            if clash:
                probs.add(line, "member_adcodes", f"{c} is already in {key} {clash[0]!r}")
            whole.setdefault(c, name)
            if c in city_of:
                part.setdefault(city_of[c], name)
        members.append(sorted(set(ms)))
    probs.raise_if_any()
    df["members"] = members
    return df.drop(columns=["member_adcodes"]).set_index(key)


def metro_members(definition: str | None = None) -> dict[str, list[int]]:
    """Return ``{metro: [core, member, ...]}`` for one metropolitan-area definition."""
    return {cast(str, k): list(v) for k, v in load_metros(definition)["members"].items()}


# ---------------------------------------------------------------- highways
_HIGHWAY_COLS = (
    Column("link_id"),
    Column("route"),
    Column("from_adcode", "adcode"),
    Column("to_adcode", "adcode"),
    Column("km", "float", positive=True, hi=1000),
    Column("speed_kph", "int", positive=True, hi=150),
    Column("opened", "year", required=False),
    Column("source"),
)


def _highway_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    if rec["from_adcode"] is not None and rec["from_adcode"] == rec["to_adcode"]:
        probs.add(line, "to_adcode", "a link must join two different cities")
    if rec["opened"] is None and "unverified" not in str(rec.get("source", "")):
        probs.add(line, "opened", "expected an opening year (or 'unverified' in source)")


def load_highways(path: str | Path | None = None) -> pd.DataFrame:
    """Load expressway links between cities.

    Returns
    -------
    pandas.DataFrame
        Index ``link_id``; columns ``route``, ``from_adcode``, ``to_adcode``, ``km``,
        ``speed_kph``, ``opened`` (nullable Int64), ``source``.
    """
    p = data_path(path, "highways.csv")
    refs = [_city_ref("from_adcode"), _city_ref("to_adcode")]
    df = read_validated(p, _HIGHWAY_COLS, key="link_id", row_checks=[_highway_row_check], refs=refs)
    cities = load_cities()
    check_link_lengths(
        df, cities, p, what="city centres", min_ratio=MIN_CITY_LINK_RATIO, warn_ratio=WARN_CITY_LINK_RATIO
    )
    check_road_speeds(df["speed_kph"], p)
    df["opened"] = pd.array(df["opened"], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    return df.set_index("link_id")


# ---------------------------------------------------------------- counties
__all__ += ["load_airports", "load_counties", "load_county_boundaries"]

_COUNTY_COLS = (
    Column("adcode", "adcode"),
    Column("name_zh"),
    Column("name_en"),
    Column("city", "adcode"),
    Column("kind", "choice", choices=("district", "county", "county_city")),
    Column("lon", "float"),
    Column("lat", "float"),
    Column("population", "int", positive=True, hi=MAX_CITY_POPULATION),
    Column("urban", "int", required=False, lo=0, hi=MAX_CITY_POPULATION),
    Column("rural", "int", required=False, lo=0, hi=MAX_CITY_POPULATION),
    Column("population_2010", "int", required=False, positive=True, hi=MAX_CITY_POPULATION),
    Column("source"),
)


def _county_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    pop, urban, rural = rec.get("population"), rec.get("urban"), rec.get("rural")
    if (urban is None) != (rural is None):
        probs.add(line, "urban/rural", "expected both urban and rural, or neither")
    elif pop is not None and urban is not None and rural is not None and urban + rural != pop:
        probs.add(line, "urban/rural", f"expected urban + rural = population {pop}, found {urban} + {rural}")


def load_counties(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the 305 county-level units (districts, counties, county-level cities).

    Parameters
    ----------
    path
        Alternative ``counties.csv``.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``adcode`` (int); columns ``name_zh``, ``name_en``, ``city`` (parent city
        adcode, one of the 41), ``kind`` (district / county / county_city), ``lon``,
        ``lat`` (seat, WGS84), ``population``, ``urban``, ``rural`` (2020 census; urban
        and rural are nullable Int64), ``population_2010`` (nullable Int64: empty where
        the 2010 units cannot be mapped to today's), ``source``; point geometry at the
        seat; EPSG:4326.

    Raises
    ------
    DataError
        Naming the file, row and column of every problem (missing column, duplicate
        adcode, unknown city, urban + rural not equal to population, ...).

    Examples
    --------
    >>> counties = load_counties()
    >>> len(counties), counties.crs.to_epsg()
    (305, 4326)
    >>> counties.loc[320583, "name_en"]
    'Kunshan'
    """
    p = data_path(path, "counties.csv")
    checks = [_in_region(), _county_row_check]
    df = read_validated(p, _COUNTY_COLS, key="adcode", row_checks=checks, refs=[_city_ref("city")])
    for c in ("urban", "rural", "population_2010"):
        df[c] = pd.array(df[c], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")
    return gdf.set_index("adcode")


def load_county_boundaries(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Load the simplified county polygons (WGS84) of ``county_boundaries.geojson``.

    Parameters
    ----------
    path
        Alternative GeoJSON file.

    Returns
    -------
    geopandas.GeoDataFrame
        Index ``adcode`` (int); column ``name_zh``; (multi)polygon geometry; EPSG:4326.

    Raises
    ------
    DataError
        If the file is missing or unreadable, lacks ``adcode``/``name_zh``, repeats an
        adcode or holds a non-polygon or empty geometry (naming the feature).

    Examples
    --------
    >>> b = load_county_boundaries()
    >>> len(b), b.crs.to_epsg(), b.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    (305, 4326, np.True_)
    """
    p = data_path(path, "county_boundaries.geojson")
    try:
        with warnings.catch_warnings():  # a non-numeric adcode is reported below, naming its feature
            warnings.filterwarnings("ignore", "Could not parse column")
            gdf = gpd.read_file(p)
    except Exception as e:  # pyogrio / fiona raise their own types
        raise DataError(f"{p.name}: cannot read {p}: {e}") from None
    probs = Problems(p)
    missing = [c for c in ("adcode", "name_zh") if c not in gdf.columns]
    if missing:
        probs.add(None, None, f"missing required propert(ies) {missing}; found {list(gdf.columns)}")
        probs.raise_if_any()
    seen: dict[int, int] = {}
    codes: list[int | None] = []
    for i, (code, geom) in enumerate(zip(gdf["adcode"], gdf.geometry, strict=True)):
        where = i + 1  # "row" = feature number (1-based)
        try:
            c = int(code)
        except (TypeError, ValueError):
            probs.add(where, "adcode", f"expected a 6-digit adcode, found {code!r}")
            codes.append(None)
            continue
        if not 100000 <= c <= 999999:
            probs.add(where, "adcode", f"expected a 6-digit adcode, found {code!r}")
        if c in seen:
            probs.add(where, "adcode", f"duplicate id {c} (first on row {seen[c]})")
        seen.setdefault(c, where)
        codes.append(c)
        if geom is None or geom.is_empty or geom.geom_type not in {"Polygon", "MultiPolygon"}:
            found = "nothing" if geom is None else geom.geom_type
            probs.add(where, "geometry", f"expected a non-empty (Multi)Polygon, found {found}")
    probs.raise_if_any()
    gdf["adcode"] = codes
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    return gdf[["adcode", "name_zh", "geometry"]].set_index("adcode")


#: Earliest plausible year of civil flights at a YRD airport (``airports.csv`` ``opened``
#: and ``closed``): Shanghai Hongqiao opened for mixed civilian use in May 1923 (Wikipedia,
#: https://en.wikipedia.org/wiki/Shanghai_Hongqiao_International_Airport); a margin before it.
# ---------------------------------------------------------------- policy targets
__all__ += ["DEFINITIONS", "DEFINITION_ALIASES", "KINDS", "TARGET_MODES", "canonical_definition", "load_targets"]

#: Kinds of policy target (``targets.csv`` column ``kind``).
KINDS = ("core_link", "metro_commute", "agglomeration_circle")
#: Time definitions a target is scored on (column ``time_definition``): the fastest train
#: between the two cities' main stations, between any of their stations, door to door;
#: ``station_fastest`` is the name earlier releases gave ``station_fastest_any``.
DEFINITIONS = ("station_fastest_main", "station_fastest_any", "door_to_door", "station_fastest")
#: Old definition names -> the definition they mean.
DEFINITION_ALIASES = {"station_fastest": "station_fastest_any"}


def canonical_definition(name: str) -> str:
    """The definition a ``time_definition`` value means (``station_fastest`` -> ``station_fastest_any``).

    Examples
    --------
    >>> canonical_definition("station_fastest"), canonical_definition("door_to_door")
    ('station_fastest_any', 'door_to_door')
    """
    return DEFINITION_ALIASES.get(name, name)


#: Door-to-door modes a target may name (column ``mode``).
TARGET_MODES = ("rail", "multimodal", "road")

_TARGET_COLS = (
    Column("target_id"),
    Column("kind", "choice", choices=KINDS),
    Column("from_adcode", "adcode", required=False),
    Column("to_adcode", "adcode", required=False),
    Column("metro", required=False),
    Column("threshold_min", "float", positive=True, hi=24 * 60),  # a travel-time target within a day
    Column("time_definition", "choice", choices=DEFINITIONS),
    Column("mode", "choice", choices=TARGET_MODES),
    Column("source"),
    Column("source_text"),
)

#: The columns of :func:`load_targets`' table (``target_id`` is its index).
TARGET_COLUMNS: tuple[str, ...] = tuple(c.name for c in _TARGET_COLS)


def _target_row_check(rec: dict[str, Any], line: int, probs: Problems) -> None:
    if rec["kind"] == "core_link" and (rec["from_adcode"] is None or rec["to_adcode"] is None):
        probs.add(line, "from_adcode/to_adcode", "a core_link needs from_adcode and to_adcode")
    if rec["kind"] == "metro_commute" and not rec["metro"]:
        probs.add(line, "metro", "a metro_commute needs metro")


def _target_reference_warnings(t: pd.DataFrame, p: Path) -> None:
    """Warn (:func:`~yrdnet.region.plausibility.warn_row`) for a target naming an unknown zone or metro.

    Zones: the cities and counties of the data folder; metros: those of any definition of
    ``metros.csv``. A warning, not an error: such a target is valid but has no value
    (``NaN``) in this data folder.
    """
    zones = {int(c) for c in load_cities().index}
    if (data_folder() / "counties.csv").is_file():
        zones |= {int(c) for c in load_counties().index}
    metros: set[str] = set()
    if (data_folder() / "metros.csv").is_file():
        metros = {str(m) for d in ("current", "2016") for m in load_metros(d).index}
    for i, rec in enumerate(t.to_dict("records")):
        for col in ("from_adcode", "to_adcode"):
            v = rec[col]
            if v is not None and not pd.isna(v) and int(v) not in zones:
                warn_row(p, i + 2, col, int(v), "names no city or county of the data folder: the target has no value")
        m = rec["metro"]
        if m and not pd.isna(m) and metros and str(m) not in metros:
            hint = did_you_mean(str(m), metros)
            warn_row(
                p, i + 2, "metro", str(m), f"names no metropolitan area of metros.csv{hint}: the target has no value"
            )


def load_targets(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the policy targets (default ``targets.csv``).

    Parameters
    ----------
    path
        Alternative ``targets.csv``.

    Returns
    -------
    pandas.DataFrame
        Index ``target_id``; ``kind``, ``from_adcode``/``to_adcode`` (nullable Int64),
        ``metro`` (``""`` when not a metro target), ``threshold_min`` (float, minutes),
        ``time_definition`` (as written: one of :data:`DEFINITIONS`; see
        :func:`canonical_definition`), ``mode``, ``source``, ``source_text``.

    Raises
    ------
    DataError
        Every problem of the file in one error (row, field, expected, found).

    Examples
    --------
    >>> t = load_targets()
    >>> row = t.loc["shanghai_nanjing_1_5h"]
    >>> float(row["threshold_min"]), row["time_definition"]
    (90.0, 'station_fastest_main')
    """
    p = data_path(path, "targets.csv")
    t = read_validated(p, _TARGET_COLS, key="target_id", row_checks=[_target_row_check])
    _target_reference_warnings(t, p)
    t["metro"] = t["metro"].fillna("")
    for c in ("from_adcode", "to_adcode"):
        t[c] = pd.array(t[c], dtype="Int64")  # type: ignore[call-overload]  # pandas-stubs: pd.array takes a Series
    t["threshold_min"] = t["threshold_min"].astype(float)
    return t.set_index("target_id")
